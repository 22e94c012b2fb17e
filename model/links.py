"""A scenario in a link: readable query parameters, only the values that differ from the defaults.

    ?fee_cut.cut_pct=50&commune_enable.adoption=peer&start_point=december_run_rate

Reading a link never raises: a malformed or out-of-range value falls back to its default and
produces a notice that names the parameter, the value and the rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from model.levers import ASSUMPTION_BY_ID, EFFECT_BY_ID, LEVERS, PARAM_BY_ID, START_POINTS, StructuralSwitch
from model.limits import MAX_LINK_VALUE as MAX_VALUE_LENGTH
from model.parse import shown
from model.scenario import ADOPTION_MODES, DATASET_ID, PLAN_YEARS, EstimatedEffect, Scenario

# the structural switch's two non-numeric settings, named after its lever (commune_enable.adoption, …)
_STRUCTURAL_LEVER = next(lever.id for lever in LEVERS if lever.terms_of(StructuralSwitch))
ADOPTION_KEY = f"{_STRUCTURAL_LEVER}.adoption"
DISTRICTS_KEY = f"{_STRUCTURAL_LEVER}.districts"
NAME_KEY = "name"
PLAN_YEAR_KEY = "plan_year"
# an effect's range learned from a dataset: estimated.<effect id>=low~high~dataset id (its central is the effect's own key)
ESTIMATED_PREFIX = "estimated."


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# what Markdown would turn into a link (a scheme, "www.", an e-mail address), shown inert instead
_LINK_LIKE = re.compile(r"(?i)([a-z][a-z0-9+.-]*):(//)|(www)\.|@")


def inert(value: object, limit: int = 40) -> str:
    """A value from a link as a notice may quote it: text only. No control or bidi characters, cut
    to `limit`, and nothing a Markdown renderer would make clickable ("https://…" is shown as
    "https[:]//…", "www.x" as "www[.]x", "a@b" as "a[@]b")."""

    def defang(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}[:]//"
        if m.group(3):
            return f"{m.group(3)}[.]"
        return "[@]"

    return _LINK_LIKE.sub(defang, shown(value, limit))


def scenario_keys() -> set[str]:
    return (
        set(PARAM_BY_ID)
        | set(EFFECT_BY_ID)
        | {a for a in ASSUMPTION_BY_ID}
        | {ADOPTION_KEY, DISTRICTS_KEY, NAME_KEY, PLAN_YEAR_KEY}
        | {ESTIMATED_PREFIX + e for e in EFFECT_BY_ID}
    )


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def scenario_to_query(s: Scenario) -> dict[str, str]:
    default = Scenario(s.name)
    # the plan year always: a state in the address bar is never empty, so an empty one is a page switch
    out: dict[str, str] = {PLAN_YEAR_KEY: str(s.plan_year)}
    for pid, value in s.settings.items():
        if value != default.settings[pid]:
            out[pid] = _number(value)
    if s.adoption_mode != "custom":
        out[ADOPTION_KEY] = s.adoption_mode
    if s.districts is not None:
        out[DISTRICTS_KEY] = ",".join(s.districts)
    if s.start_point != default.start_point:
        out["start_point"] = s.start_point
    for aid, value in s.assumptions.items():
        if value != default.assumptions[aid]:
            out[aid] = _number(value)
    for eid, value in s.effects.items():
        if value != default.effects[eid] or eid in s.estimated:
            out[eid] = _number(value)
    for eid, est in s.estimated.items():
        out[ESTIMATED_PREFIX + eid] = f"{_number(est.low)}~{_number(est.high)}~{est.dataset_id}"
    return out


def _estimated_from_query(params: Mapping[str, str], fallback) -> dict[str, EstimatedEffect]:
    """The estimated ranges a link carries, each checked (a known effect, 0 ≤ low ≤ high, a dataset
    id); the effect's central value is its own key. A bad one is dropped with a notice."""
    out: dict[str, EstimatedEffect] = {}
    for key, raw in params.items():
        if not key.startswith(ESTIMATED_PREFIX) or key[len(ESTIMATED_PREFIX) :] not in EFFECT_BY_ID:
            continue
        eid, value = key[len(ESTIMATED_PREFIX) :], str(raw)
        parts = value.split("~", 2)
        numbers = [float(p) for p in parts[:2] if _PLAIN_NUMBER.fullmatch(p.strip())] if len(parts) == 3 else []
        if (
            len(value) > MAX_VALUE_LENGTH
            or len(numbers) != 2
            or not 0 <= numbers[0] <= numbers[1]
            or not DATASET_ID.fullmatch(parts[2])
        ):
            fallback(key, value, "không phải “thấp~cao~mã bộ số liệu”", "is not “low~high~dataset id”")
            continue
        lever = next(lv.id for lv in LEVERS if any(e.id == eid for e in lv.effects))
        central = params.get(eid)
        centre = float(central) if central is not None and _PLAIN_NUMBER.fullmatch(str(central).strip()) else numbers[0]
        out[eid] = EstimatedEffect(eid, lever, centre, numbers[0], numbers[1], parts[2])
    return out


def scenario_from_query(
    params: Mapping[str, str], name: str, known_districts: tuple[str, ...] | None = None
) -> tuple[Scenario, list[tuple[str, str]]]:
    """(scenario, notices as (vi, en)). Keys it does not know (lang, compare …) are the caller's to
    notice; every value it drops gets a notice here."""
    s = Scenario(name)
    notices: list[tuple[str, str]] = []

    def fallback(key, value, vi, en):
        shown = inert(f"{key}={value}", 60)
        notices.append((f"Tham số “{shown}” {vi}; dùng giá trị mặc định.", f"Parameter “{shown}” {en}; the default is used."))

    s.estimated = _estimated_from_query(params, fallback)
    for key, raw in params.items():
        value = str(raw)
        if key.startswith(ESTIMATED_PREFIX):
            continue
        if len(value) > MAX_VALUE_LENGTH:
            fallback(key, value, "quá dài", "is too long")
            continue
        decl = PARAM_BY_ID.get(key) or ASSUMPTION_BY_ID.get(key)
        if key == "start_point":
            if value in START_POINTS:
                s.start_point = value
            else:
                fallback(
                    key, value, f"không phải một trong {', '.join(START_POINTS)}", f"is not one of {', '.join(START_POINTS)}"
                )
        elif key == PLAN_YEAR_KEY:
            if re.fullmatch(r"[0-9]{4}", value) and PLAN_YEARS[0] <= int(value) <= PLAN_YEARS[1]:
                s.plan_year = int(value)
            else:
                fallback(
                    key,
                    value,
                    f"không phải năm từ {PLAN_YEARS[0]} đến {PLAN_YEARS[1]}",
                    f"is not a year from {PLAN_YEARS[0]} to {PLAN_YEARS[1]}",
                )
        elif key == ADOPTION_KEY:
            if value in ADOPTION_MODES:
                s.adoption_mode = value
            else:
                fallback(
                    key, value, f"không phải một trong {', '.join(ADOPTION_MODES)}", f"is not one of {', '.join(ADOPTION_MODES)}"
                )
        elif key == DISTRICTS_KEY:
            chosen = [d for d in value.split(",") if d]
            unknown = [d for d in chosen if known_districts is not None and d not in known_districts]
            if unknown:
                fallback(
                    key,
                    value,
                    f"có mã huyện không hợp lệ ({', '.join(unknown)})",
                    f"has unknown districts ({', '.join(unknown)})",
                )
            else:
                s.districts = chosen
        elif decl is not None or key in EFFECT_BY_ID:
            # a plain decimal only: float() alone would read "5_0" as 50, "1e1" as 10 and other scripts' digits
            if not _PLAIN_NUMBER.fullmatch(value.strip()):
                fallback(key, value, "không phải là số", "is not a number")
                continue
            number = float(value)
            if not math.isfinite(number):
                fallback(key, value, "không phải là số hữu hạn", "is not a finite number")
                continue
            if key in EFFECT_BY_ID:
                low, high = s.effect_range(key)
                if not low <= number <= high:
                    # a link cannot mark a scenario "outside the evidence": that takes a scenario file
                    fallback(
                        key,
                        value,
                        f"ngoài khoảng có căn cứ {low:g}–{high:g}",
                        f"is outside the evidence range {low:g}–{high:g}",
                    )
                else:
                    s.effects[key] = number
                continue
            assert decl is not None  # a parameter or an assumption
            if getattr(decl, "integer", False) and not number.is_integer():
                fallback(key, value, "phải là số nguyên", "must be a whole number")
                continue
            if not decl.min <= number <= decl.max:
                fallback(key, value, f"ngoài khoảng {decl.min:g}–{decl.max:g}", f"is outside {decl.min:g}–{decl.max:g}")
                continue
            if key in PARAM_BY_ID:
                s.settings[key] = number
            else:
                s.assumptions[key] = number
    for eid, est in s.estimated.items():  # an estimate whose central the link lost: the estimate's own
        low, high = est.low, est.high
        if not low <= s.effects[eid] <= high:
            s.effects[eid] = est.central
    return s, notices
