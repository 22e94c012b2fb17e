"""A scenario is data: JSON with a schema version, name, description, plan year, lever settings
and assumption overrides. It is validated whole (a bad file loads nothing) and round-trips exactly.

{
  "schema_version": 1, "name": "...", "description": "...", "plan_year": 2023,
  "levers": {"fee_cut": {"cut_pct": 50.0, "start_month": 3, "ramp_months": 2}, ...,
             "commune_enable": {"adoption": "peer", "adoption_pct": 0.0, "districts": null, ...}},
  "assumptions": {"start_point": "latest", "momentum_logodds_per_year": 0.2, ...},
  "effects": {"fee_cut.logodds_full_cut": 1.0, ...},    # central values; only overrides need be given
  "outside_evidence": false,   # true allows effect values outside their declared low–high range
  "estimated_effects": [{"effect": "fee_cut.logodds_full_cut", "lever": "fee_cut", "central": 0.8,
                         "low": 0.6, "high": 1.0, "dataset": "<dataset id>"}]   # ranges learned from the data
}

Keys of earlier versions (levers.RETIRED_KEYS) are read and dropped with a notice; paper-stop
compliance given as an effect (0.8) becomes the setting (80%).
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.baseline import default_plan_year
from model.engine import Batch, Compiled, default_row
from model.errors import PlannerError
from model.levers import (
    ASSUMPTION_BY_ID,
    ASSUMPTIONS,
    EFFECT_BY_ID,
    EFFECTS,
    LEVER_BY_ID,
    LEVERS,
    PARAM_BY_ID,
    RETIRED_KEYS,
    START_POINTS,
    StructuralSwitch,
)
from model.limits import MAX_DESCRIPTION, MAX_NAME
from model.limits import MAX_SCENARIO_FILE_BYTES as MAX_IMPORT_BYTES
from model.text import clean_text

SCHEMA_VERSION = 1
# a dataset id as the library makes them (a digest, "bc-2022-12"): what an estimate names its source by
DATASET_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PLAN_YEARS = (2000, 2100)  # what a scenario file may name; the pages offer the years after the data
ADOPTION_MODES = ("custom", "peer", "best")


@dataclass(frozen=True)
class EstimatedEffect:
    """An effect's central value and range taken from the data instead of the assumption: the estimate
    and its 80% interval (the bands are P10–P90, so the range the Monte Carlo draws on is the interval
    that holds the effect 8 times in 10), with the dataset it was learned from (model.effects)."""

    effect_id: str
    lever: str
    central: float
    low: float
    high: float
    dataset_id: str

    def label(self, lang: str) -> str:
        return f"ước lượng từ bộ số liệu {self.dataset_id}" if lang == "vi" else f"estimated from dataset {self.dataset_id}"

    def to_dict(self) -> dict:
        """As a scenario, a link or a workbook would carry it."""
        return {
            "effect": self.effect_id,
            "lever": self.lever,
            "central": self.central,
            "low": self.low,
            "high": self.high,
            "dataset": self.dataset_id,
        }

    @staticmethod
    def from_dict(data: dict) -> EstimatedEffect:
        return EstimatedEffect(
            effect_id=str(data["effect"]),
            lever=str(data["lever"]),
            central=float(data["central"]),
            low=float(data["low"]),
            high=float(data["high"]),
            dataset_id=str(data["dataset"]),
        )


class ScenarioError(PlannerError):
    def __init__(self, problems: list[tuple[str, str, str]], source: str = ""):
        # problems: (path in the JSON, Vietnamese message, English message)
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(f"{prefix}{p}: {en}" for p, _, en in problems))

    @property
    def messages_vi(self) -> list[str]:
        return self.messages("vi")

    def messages(self, lang: str) -> list[str]:
        """Every problem in the user's language, each naming the file and the place in it."""
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + (f"{p}: " if p else "") + (vi if lang == "vi" else en) for p, vi, en in self.problems]


@dataclass
class Scenario:
    name: str
    description: str = ""
    plan_year: int = field(default_factory=default_plan_year)
    settings: dict[str, float] = field(default_factory=dict)  # param id -> value (all params)
    adoption_mode: str = "custom"
    districts: list[str] | None = None  # None = the districts the report marks as not deployed
    start_point: str = "latest"
    assumptions: dict[str, float] = field(default_factory=dict)  # numeric assumption id -> value
    effects: dict[str, float] = field(default_factory=dict)  # effect id -> central value
    outside_evidence: bool = False  # effect values outside their declared range are allowed (and shown)
    # (vi, en) notes from reading the file: retired keys dropped or migrated. Not part of the scenario.
    notices: list[tuple[str, str]] = field(default_factory=list, compare=False)
    # The "held flat" reference line: no momentum and no estimated trend. Never saved.
    hold_flat: bool = field(default=False, compare=False)
    # effect id -> the range learned from a dataset, drawn on instead of the declared one (and named so)
    estimated: dict[str, EstimatedEffect] = field(default_factory=dict)

    def __post_init__(self):
        self.settings = {pid: float(self.settings.get(pid, p.default)) for pid, p in PARAM_BY_ID.items()}
        self.assumptions = {a.id: float(self.assumptions.get(a.id, a.default)) for a in ASSUMPTIONS if a.id != "start_point"}
        self.effects = {e.id: float(self.effects.get(e.id, e.central)) for e in EFFECTS}

    # ------------------------------------------------------------ lever state

    def lever_is_on(self, lever_id: str) -> bool:
        """A lever is on when one of its switching settings differs from its default. A structural
        switch is also on when its adoption is a reference value, and off with no district chosen."""
        lever = LEVER_BY_ID[lever_id]
        on = any(self.settings[p.id] != p.default for p in lever.params if p.switches)
        if lever.terms_of(StructuralSwitch):
            on = (on or self.adoption_mode != "custom") and (self.districts is None or len(self.districts) > 0)
        return on

    def effect_range(self, effect_id: str) -> tuple[float, float]:
        """The low–high range the effect is drawn on: the one estimated from a dataset when the scenario
        uses an estimate, else the declared one."""
        if effect_id in self.estimated:
            return self.estimated[effect_id].low, self.estimated[effect_id].high
        e = EFFECT_BY_ID[effect_id]
        return e.low, e.high

    def effects_outside_evidence(self) -> list[str]:
        """Effect ids whose value lies outside its range (the estimated one, else the declared one)."""
        out = []
        for e in EFFECTS:
            low, high = self.effect_range(e.id)
            if not low <= self.effects[e.id] <= high:
                out.append(e.id)
        return out

    def active_levers(self) -> list[str]:
        return [lv.id for lv in LEVERS if self.lever_is_on(lv.id)]

    def with_settings(self, **changes) -> Scenario:
        """A copy with some param values changed (keys are param ids with '.' written as '__')."""
        s = self.copy()
        for key, value in changes.items():
            s.settings[key.replace("__", ".")] = float(value)
        return s

    def copy(self) -> Scenario:
        return Scenario(
            self.name,
            self.description,
            self.plan_year,
            dict(self.settings),
            self.adoption_mode,
            None if self.districts is None else list(self.districts),
            self.start_point,
            dict(self.assumptions),
            dict(self.effects),
            self.outside_evidence,
            list(self.notices),
            self.hold_flat,
            dict(self.estimated),
        )

    def lever_off(self, lever_id: str) -> Scenario:
        s = self.copy()
        lever = LEVER_BY_ID[lever_id]
        for p in lever.params:
            s.settings[p.id] = float(p.default)
        if lever.terms_of(StructuralSwitch):
            s.adoption_mode = "custom"
        return s

    # ------------------------------------------------------------ JSON

    def to_dict(self) -> dict:
        levers: dict[str, dict] = {}
        for lever in LEVERS:
            entry: dict = {}
            structural = bool(lever.terms_of(StructuralSwitch))
            if structural:
                entry["adoption"] = self.adoption_mode
            for p in lever.all_params():
                short = p.id.split(".", 1)[1]
                value = self.settings[p.id]
                entry[short] = int(value) if p.integer else value
            if structural:
                entry["districts"] = None if self.districts is None else list(self.districts)
            levers[lever.id] = entry
        assumptions = {"start_point": self.start_point, **self.assumptions}
        out = {
            "schema_version": SCHEMA_VERSION,
            "name": self.name,
            "description": self.description,
            "plan_year": self.plan_year,
            "levers": levers,
            "assumptions": assumptions,
            "effects": dict(self.effects),
        }
        if self.outside_evidence:
            out["outside_evidence"] = True
        if self.estimated:
            out["estimated_effects"] = [self.estimated[e.id].to_dict() for e in EFFECTS if e.id in self.estimated]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @staticmethod
    def from_dict(data, source: str = "") -> Scenario:
        return _parse(data, source)

    @staticmethod
    def from_json(text: str, source: str = "") -> Scenario:
        return _parse(_loads(text, source), source)

    def __eq__(self, other) -> bool:
        return isinstance(other, Scenario) and self.to_dict() == other.to_dict()


MAX_JSON_DEPTH = 20  # a scenario file is four levels deep; a thousand nested brackets is an attack


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    pass


def _depth(text: str) -> int:
    """How deeply brackets nest (strings ignored): checked before parsing, so no recursion limit is met."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped = not escaped and ch == "\\"
            if ch == '"' and not escaped:
                in_string = False
            elif ch != "\\":
                escaped = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _loads(text: str, source: str):
    """JSON, strictly: no repeated key, bounded nesting, numbers Python can hold — each refusal a
    message in both languages, never a library's exception."""
    if _depth(text) > MAX_JSON_DEPTH:
        raise ScenarioError(
            [("", f"JSON lồng nhau quá {MAX_JSON_DEPTH} cấp", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")], source
        )
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise ScenarioError(
            [(str(exc), "khóa bị lặp lại trong cùng một đối tượng", "the key appears twice in one object")], source
        ) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [(f"dòng {exc.lineno}", f"JSON không hợp lệ: {exc.msg}", f"invalid JSON: {exc.msg} (line {exc.lineno})")], source
        ) from None
    except (ValueError, RecursionError):  # e.g. an integer beyond Python's digit limit
        raise ScenarioError(
            [("", "JSON có số quá dài hoặc cấu trúc quá sâu", "the JSON has a number too long or nesting too deep")], source
        ) from None


def _short(value: object) -> str:
    """A value as a message shows it: at most 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _is_number(x) -> bool:
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an integer too large for a float
        return False


def _parse(data, source: str) -> Scenario:
    problems: list[tuple[str, str, str]] = []

    def bad(path, vi, en):
        problems.append((path, vi, en))

    if not isinstance(data, dict):
        raise ScenarioError([("(gốc)", "kịch bản phải là một đối tượng JSON", "a scenario must be a JSON object")], source)
    known_top = {
        "schema_version",
        "name",
        "description",
        "plan_year",
        "levers",
        "assumptions",
        "effects",
        "outside_evidence",
        "estimated_effects",
    }
    for key in data:
        if key not in known_top:
            bad(key, "trường không được hỗ trợ", "unknown field")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        bad(
            "schema_version",
            f"phiên bản {version!r} không được hỗ trợ (cần {SCHEMA_VERSION})",
            f"version {version!r} is not supported (expected {SCHEMA_VERSION})",
        )
    notices: list[tuple[str, str]] = []
    name = data.get("name")
    if isinstance(name, str):
        name, removed = clean_text(name)
        if removed:
            notices.append(
                (
                    f"Đã bỏ ký tự điều khiển ({', '.join(removed[:5])}) khỏi tên kịch bản.",
                    f"Control characters ({', '.join(removed[:5])}) were removed from the scenario name.",
                )
            )
    if not isinstance(name, str) or not name.strip():
        bad("name", "thiếu tên kịch bản", "the scenario needs a name")
    elif len(name) > MAX_NAME:
        bad("name", f"tên dài quá {MAX_NAME} ký tự", f"name longer than {MAX_NAME} characters")
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        bad(
            "description",
            f"mô tả phải là văn bản, tối đa {MAX_DESCRIPTION} ký tự",
            f"description must be text of at most {MAX_DESCRIPTION} characters",
        )
    plan_year = data["plan_year"] if "plan_year" in data else default_plan_year()
    if not isinstance(plan_year, int) or isinstance(plan_year, bool) or not PLAN_YEARS[0] <= plan_year <= PLAN_YEARS[1]:
        bad(
            "plan_year",
            f"năm kế hoạch phải là số nguyên từ {PLAN_YEARS[0]} đến {PLAN_YEARS[1]}",
            f"plan year must be a whole number {PLAN_YEARS[0]}–{PLAN_YEARS[1]}",
        )

    outside_evidence = data.get("outside_evidence", False)
    if not isinstance(outside_evidence, bool):
        bad("outside_evidence", "phải là true hoặc false", "must be true or false")
        outside_evidence = False

    def retired(path: str) -> None:
        vi, en = RETIRED_KEYS[path]
        notices.append((f"Bỏ qua “{path}”: {vi}.", f"Ignored “{path}”: {en}."))

    settings: dict[str, float] = {}
    adoption_mode, districts = "custom", None

    def section(key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            bad(key, "phải là một đối tượng", "must be an object")
            return {}
        return value

    levers = section("levers")
    for lever_id, entry in levers.items():
        if lever_id not in LEVER_BY_ID:
            bad(f"levers.{lever_id}", "biện pháp không tồn tại", "unknown lever")
            continue
        if not isinstance(entry, dict):
            bad(f"levers.{lever_id}", "phải là một đối tượng", "must be an object")
            continue
        lever = LEVER_BY_ID[lever_id]
        structural = bool(lever.terms_of(StructuralSwitch))
        shorts = {p.id.split(".", 1)[1]: p for p in lever.all_params()}
        for key, value in entry.items():
            path = f"levers.{lever_id}.{key}"
            if f"{lever_id}.{key}" in RETIRED_KEYS:
                retired(f"{lever_id}.{key}")
                continue
            if structural and key == "adoption":
                if value not in ADOPTION_MODES:
                    bad(path, f"phải là một trong {', '.join(ADOPTION_MODES)}", f"must be one of {', '.join(ADOPTION_MODES)}")
                else:
                    adoption_mode = value
                continue
            if structural and key == "districts":
                if value is not None and (not isinstance(value, list) or not all(isinstance(d, str) for d in value)):
                    bad(path, "phải là null hoặc danh sách mã huyện", "must be null or a list of district ids")
                else:
                    districts = value
                continue
            if key not in shorts:
                bad(path, "tham số không tồn tại", "unknown parameter")
                continue
            _check_value(path, value, shorts[key], bad)
            if _is_number(value):
                settings[shorts[key].id] = float(value)

    start_point, assumptions = "latest", {}
    given = section("assumptions")
    for key, value in given.items():
        path = f"assumptions.{key}"
        if key == "start_point":
            if value not in START_POINTS:
                bad(path, f"phải là một trong {', '.join(START_POINTS)}", f"must be one of {', '.join(START_POINTS)}")
            else:
                start_point = value
        elif key in ASSUMPTION_BY_ID:
            _check_value(path, value, ASSUMPTION_BY_ID[key], bad)
            if _is_number(value):
                assumptions[key] = float(value)
        else:
            bad(path, "giả định không tồn tại", "unknown assumption")

    estimated = _estimated_effects(data.get("estimated_effects", []), bad)
    effects = {}
    given = section("effects")
    for key, value in given.items():
        path = f"effects.{key}"
        if key == "paper_stop.compliance" and _is_number(value) and 0 <= value <= 1:
            settings.setdefault("paper_stop.compliance_pct", round(100 * float(value), 6))  # the setting wins
            notices.append(
                (
                    f"“effects.paper_stop.compliance” được chuyển thành thiết lập “mức tuân thủ” {100 * value:g}%.",
                    f"“effects.paper_stop.compliance” became the compliance setting, {100 * value:g}%.",
                )
            )
        elif key in RETIRED_KEYS:
            retired(key)
        elif key not in EFFECT_BY_ID:
            bad(path, "hệ số tác động không tồn tại", "unknown effect")
        elif not _is_number(value) or value < 0:
            bad(path, f"{_short(value)} phải là số không âm", f"{_short(value)} must be a non-negative number")
        elif not outside_evidence and not _range_of(key, estimated)[0] <= value <= _range_of(key, estimated)[1]:
            low, high = _range_of(key, estimated)
            bad(
                path,
                f"{value:g} ngoài khoảng có căn cứ {low:g}–{high:g}; muốn dùng thì đặt "
                '"outside_evidence": true (sẽ được ghi rõ trên mọi trang)',
                f"{value:g} is outside the evidence range {low:g}–{high:g}; to use it, set "
                '"outside_evidence": true (it is then shown on every page)',
            )
        else:
            effects[key] = float(value)

    if problems:
        raise ScenarioError(problems, source)
    assert isinstance(name, str)  # checked above
    return Scenario(
        name.strip(),
        description,
        plan_year,
        settings,
        adoption_mode,
        districts,
        start_point,
        assumptions,
        effects,
        outside_evidence,
        notices,
        estimated=estimated,
    )


def _range_of(effect_id: str, estimated: dict[str, EstimatedEffect]) -> tuple[float, float]:
    if effect_id in estimated:
        return estimated[effect_id].low, estimated[effect_id].high
    return EFFECT_BY_ID[effect_id].low, EFFECT_BY_ID[effect_id].high


def _estimated_effects(given, bad) -> dict[str, EstimatedEffect]:
    """The ranges learned from a dataset, each checked whole: a known effect of its lever, finite
    numbers with 0 ≤ low ≤ central ≤ high, a dataset named."""
    if not isinstance(given, list):
        bad("estimated_effects", "phải là một danh sách", "must be a list")
        return {}
    out: dict[str, EstimatedEffect] = {}
    for i, entry in enumerate(given):
        path = f"estimated_effects[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"effect", "lever", "central", "low", "high", "dataset"}:
            bad(
                path,
                "phải có đúng các trường effect, lever, central, low, high, dataset",
                "must have exactly the fields effect, lever, central, low, high, dataset",
            )
            continue
        effect = EFFECT_BY_ID.get(entry["effect"]) if isinstance(entry["effect"], str) else None
        numbers = [entry[k] for k in ("low", "central", "high")]
        if effect is None or entry["lever"] != next((lv.id for lv in LEVERS if effect in lv.effects), None):
            bad(path, "hệ số tác động không tồn tại hoặc không thuộc biện pháp này", "unknown effect, or not of this lever")
        elif not all(_is_number(x) and math.isfinite(x) for x in numbers) or not 0 <= numbers[0] <= numbers[1] <= numbers[2]:
            bad(path, "cần 0 ≤ low ≤ central ≤ high, đều là số", "needs numbers with 0 ≤ low ≤ central ≤ high")
        elif not isinstance(entry["dataset"], str) or not DATASET_ID.fullmatch(entry["dataset"]):
            bad(
                path,
                "cần mã bộ số liệu: chữ không dấu, số, “.”, “_”, “-”, tối đa 64 ký tự",
                "needs a dataset id: letters without marks, digits, “.”, “_”, “-”, at most 64 characters",
            )
        elif effect.id in out:
            bad(path, "hệ số này đã có ước lượng ở trên", "this effect already has an estimate above")
        else:
            out[effect.id] = EstimatedEffect.from_dict(entry)
    return out


def _check_value(path, value, decl, bad) -> None:
    if not _is_number(value):
        bad(path, f"{_short(value)} không phải là số", f"{_short(value)} is not a number")
    elif getattr(decl, "integer", False) and float(value) != int(value):
        bad(path, f"{value:g} phải là số nguyên", f"{value:g} must be a whole number")
    elif not decl.min <= value <= decl.max:
        bad(
            path,
            f"{value:g} ngoài khoảng cho phép {decl.min:g}–{decl.max:g}",
            f"{value:g} is outside the allowed range {decl.min:g}–{decl.max:g}",
        )


def load_scenario_file(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([("", "không có tệp này", "no such file")], path.name) from None
    except UnicodeDecodeError:
        raise ScenarioError([("", "tệp không phải văn bản UTF-8", "the file is not UTF-8 text")], path.name) from None
    except OSError as exc:
        raise ScenarioError(
            [("", f"không đọc được tệp (mã lỗi {exc.errno})", f"cannot read the file ({exc.strerror})")], path.name
        ) from None
    return Scenario.from_json(text, source=path.name)


def scenarios_to_json(scenarios: list[Scenario]) -> str:
    """One scenario as itself; several as {"schema_version": 1, "scenarios": [...]}."""
    if len(scenarios) == 1:
        return scenarios[0].to_json()
    return (
        json.dumps(
            {"schema_version": SCHEMA_VERSION, "scenarios": [s.to_dict() for s in scenarios]}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


def scenarios_from_json(data: bytes | str, source: str = "") -> list[Scenario]:
    """Every scenario in the file, or ScenarioError naming every problem: a bad file loads nothing."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise ScenarioError(
                [
                    (
                        "",
                        f"tệp lớn hơn giới hạn {MAX_IMPORT_BYTES // 1000} kB",
                        f"file is larger than the {MAX_IMPORT_BYTES // 1000} kB limit",
                    )
                ],
                source,
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError([("", "tệp không phải văn bản UTF-8", "file is not UTF-8 text")], source) from None
    parsed = _loads(data, source)
    if isinstance(parsed, dict) and "scenarios" in parsed:
        items = parsed["scenarios"]
        if parsed.get("schema_version") != SCHEMA_VERSION or not isinstance(items, list) or not items:
            raise ScenarioError(
                [
                    (
                        "scenarios",
                        "cần schema_version 1 và một danh sách kịch bản không rỗng",
                        "needs schema_version 1 and a non-empty list of scenarios",
                    )
                ],
                source,
            )
    else:
        items = [parsed]
    out, problems = [], []
    for i, item in enumerate(items):
        try:
            out.append(Scenario.from_dict(item))
        except ScenarioError as err:
            where = f"scenarios[{i}]." if len(items) > 1 else ""
            problems += [(where + path, vi, en) for path, vi, en in err.problems]
    names = [s.name for s in out]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(("name", f"tên “{name}” xuất hiện nhiều lần trong tệp", f"the name “{name}” appears more than once"))
    if problems:
        raise ScenarioError(problems, source)
    return out


SCENARIO_DIR = Path(__file__).resolve().parent.parent / "data" / "scenarios"


BUILTIN_FILES = {
    "status_quo": "01_status_quo_momentum.json",
    "flat": "02_flat_2022.json",
    "recommendations": "03_report_recommendations.json",
}


@functools.lru_cache(maxsize=16)
def _parsed_builtin(path: Path, modified_ns: int) -> Scenario:
    return load_scenario_file(path)


def _builtin_file(path: Path) -> Scenario:
    """A built-in file parsed once (and again only if it changes on disk); each caller gets its own copy,
    since a Scenario's settings are a mutable dict. A page visit used to parse it several times (≈ 6 ms each)."""
    return copy.deepcopy(_parsed_builtin(path, path.stat().st_mtime_ns))


def builtin_scenarios() -> list[Scenario]:
    return [_builtin_file(p) for p in sorted(SCENARIO_DIR.glob("*.json"))]


# What the built-in scenarios are called on screen, in one language at a time (their files keep one
# name, which is their identity in links and in the library).
BUILTIN_LABELS = {
    "status_quo": ("Hiện trạng, đà tăng giả định", "Status quo, assumed momentum"),
    "flat": ("Giữ nguyên mức của báo cáo", "Flat at the report's level"),
    "recommendations": ("Khuyến nghị của báo cáo", "The report's recommendations"),
}
BUILTIN_DESCRIPTIONS = {
    "status_quo": (
        "Không có biện pháp mới; các đơn vị vẫn tăng theo đà tăng giả định (trang Giả định).",
        "No new measure; units still rise with the assumed momentum (Assumptions page).",
    ),
    "flat": (
        "Không có biện pháp mới và không có đà tăng: mọi đơn vị giữ nguyên tỷ lệ của báo cáo.",
        "No new measure and no momentum: every unit keeps the report's share.",
    ),
    "recommendations": (
        "Mọi giải pháp ở mục 4 của Báo cáo 01/CĐS, ở mức có căn cứ.",
        "Every measure of section 4 of report 01/CĐS, at levels with a basis.",
    ),
}


def builtin_kind(name: str) -> str | None:
    """Which built-in scenario carries this name, if any."""
    for kind, file in BUILTIN_FILES.items():
        if load_scenario_file(SCENARIO_DIR / file).name == name:
            return kind
    return None


def builtin_scenario(kind: str) -> Scenario:
    """A built-in scenario by what it is: "status_quo" (assumed momentum), "flat" or "recommendations"."""
    return _builtin_file(SCENARIO_DIR / BUILTIN_FILES[kind])


# ------------------------------------------------------------ to engine rows


ADOPTION_PARAMS = tuple(t.adoption for lever in LEVERS for t in lever.terms_of(StructuralSwitch))


def resolved_adoption_pct(c: Compiled, s: Scenario, param_id: str | None = None) -> float:
    """The structural switch's adoption: the setting, or the reference value measured from the data."""
    param_id = param_id or ADOPTION_PARAMS[0]
    if s.adoption_mode == "peer" and c.peer_commune_pct is not None:
        return c.peer_commune_pct
    if s.adoption_mode == "best" and c.best_commune_pct is not None:
        return c.best_commune_pct
    return s.settings[param_id]


def resolved_start_point(c: Compiled, s: Scenario) -> str:
    """The starting point in force: "latest" is the series estimate when the data has one (the
    province's own latest months), else the report's year-to-date shares."""
    if s.start_point == "latest":
        return "series_estimate" if c.series_level is not None else "annual_2022"
    return s.start_point


def scenario_row(c: Compiled, s: Scenario) -> dict[str, float]:
    row = default_row()
    row.update(s.settings)
    row.update(s.assumptions)
    row.update(s.effects)
    for pid in ADOPTION_PARAMS:
        row[pid] = resolved_adoption_pct(c, s, pid)
    row["start_point"] = float(START_POINTS.index(resolved_start_point(c, s)))
    row["momentum_offset_months"] = float(s.plan_year * 12 - 1 - c.report_month)
    if c.series_last_month is not None:
        # months from the series' last month to the December before the plan year
        row["series_offset_months"] = float(s.plan_year * 12 - 1 - c.series_last_month)
    row["series_trend_on"] = 0.0 if s.hold_flat else 1.0
    return row


class PlanYearError(PlannerError):
    """A plan year the data has already passed: it is refused, never projected backwards."""

    def __init__(self, plan_year: int, last_month: int, first_year: int):
        period = f"{last_month % 12 + 1:02d}/{last_month // 12}"
        self.vi = (
            f"Năm kế hoạch {plan_year} không dự báo được: số liệu đã có đến tháng {period}, "
            f"nên năm kế hoạch phải từ {first_year} trở đi (không dự báo ngược về quá khứ)."
        )
        self.en = (
            f"Plan year {plan_year} cannot be projected: the data runs to {period}, so the plan year must be "
            f"{first_year} or later (the model never projects backwards)."
        )
        super().__init__(self.en)

    def messages(self, lang: str) -> list[str]:
        return [self.vi if lang == "vi" else self.en]


def check_plan_year(c: Compiled, s: Scenario) -> None:
    if s.plan_year < c.first_plan_year:
        raise PlanYearError(s.plan_year, c.data_last_month, c.first_plan_year)


def build_batch(c: Compiled, scenarios: list[Scenario]) -> Batch:
    for s in scenarios:
        check_plan_year(c, s)
    rows = [scenario_row(c, s) for s in scenarios]
    columns = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
    mask = np.array([c.enable_mask_for(s.districts) for s in scenarios], dtype=bool).reshape(len(scenarios), c.n_seg)
    return Batch(columns, mask)
