"""What the province is scored on: Decision 766's online-services (12) and online-payment (10) points.

The formulas are data (`data/index_766/<version>.json`, one file per formula version, like the
target sets): each group has parts, each part a ratio (a product of count fractions, the counts
being the indicator columns of model/indicators.py) and

    points = min(max_points, max_points × ratio / full_at)

so a linear part has full_at = 1 and "full marks at 80%" is full_at = 0.8 (2 × r / 0.8 = 2,5 × r).

A missing count, or a fraction whose denominator is 0, gives no ratio and no points: "chưa có số
liệu", never 0. A group's points are the sum of its parts, and missing when any part is.

The projection moves three of the ratios (`MOVED_BY`); the others stay at the indicators' last
month. Everything here is a pure function of numbers or numpy arrays (one value per Monte Carlo
draw), so P10–P90 of the points come from the same draws as the share's band.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from babel.numbers import format_decimal

from model import fmt
from model.errors import FileProblems
from model.fmt import MINUS_SIGN
from model.indicators import COUNT_COLUMNS, Indicators
from model.limits import MAX_TARGET_FILE_BYTES

FORMULA_DIR = Path(__file__).resolve().parent.parent / "data" / "index_766"
SCHEMA_VERSION = 1
GROUP_IDS = ("online_services", "online_payment")
NO_DATA = fmt.MISSING
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")

# Which fraction of a ratio each projected quantity replaces (the rest stay at their last value):
# - the online-dossier fraction becomes the projected online share × the counted (e-result) rate of
#   online dossiers at the last month;
# - the services fraction and the payment fraction close the gap to 1 by the engine's lift
#   (ServicesShare: the catalogue lever; PaymentShare: the online-payment lever).
MOVED_BY: dict[tuple[str, str], str] = {
    ("dossiers_online_counted", "dossiers"): "online_share",
    ("services_with_online_dossier", "services_online"): "services_lift",
    ("dossiers_paid_online", "dossiers_with_fee"): "payment_lift",
}


class FormulaError(FileProblems):
    """A formula file that cannot be used; every problem as (Vietnamese, English)."""


@dataclass(frozen=True)
class Part:
    id: str
    name_vi: str
    name_en: str
    max_points: float
    full_at: float  # the ratio at which the part earns its full points (1 = linear)
    ratio: tuple[tuple[str, str], ...]  # (numerator, denominator) count columns, multiplied together

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    @property
    def saturates(self) -> bool:
        return self.full_at < 1


@dataclass(frozen=True)
class Group:
    id: str
    name_vi: str
    name_en: str
    max_points: float
    checked: bool  # checked against the portal's published scores
    caveat_vi: str
    caveat_en: str
    parts: tuple[Part, ...]

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def caveat(self, lang: str) -> str:
        return self.caveat_vi if lang == "vi" else self.caveat_en


@dataclass(frozen=True)
class Formula:
    version: str
    version_date: str
    name_vi: str
    name_en: str
    authoritative_vi: str
    authoritative_en: str
    reference: dict[str, str]
    groups: tuple[Group, ...]

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    def part(self, part_id: str) -> Part:
        return next(p for g in self.groups for p in g.parts if p.id == part_id)

    def authoritative(self, lang: str) -> str:
        return self.authoritative_vi if lang == "vi" else self.authoritative_en


# ------------------------------------------------------------------ the loader


def _text(data: dict, key: str, where: str, problems: list[tuple[str, str]]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append((f"{where}thiếu “{key}” (chuỗi không rỗng)", f"{where}“{key}” is missing (a non-empty string)"))
        return ""
    return value.strip()


def _number(data: dict, key: str, where: str, low: float, high: float, problems: list[tuple[str, str]]) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not low < value <= high:
        problems.append(
            (
                f"{where}“{key}”: {value!r} phải là số lớn hơn {low:g} và không quá {high:g}",
                f"{where}“{key}”: {value!r} must be a number above {low:g} and at most {high:g}",
            )
        )
        return float("nan")
    return float(value)


def _part(data, where: str, problems: list[tuple[str, str]]) -> Part | None:
    if not isinstance(data, dict):
        problems.append((f"{where}mỗi phần phải là một đối tượng", f"{where}each part must be an object"))
        return None
    ratio = data.get("ratio")
    fractions: list[tuple[str, str]] = []
    if not isinstance(ratio, list) or not ratio:
        problems.append(
            (
                f"{where}“ratio” phải là danh sách các cặp [tử số, mẫu số]",
                f"{where}“ratio” must be a list of [numerator, denominator] pairs",
            )
        )
    else:
        for pair in ratio:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(c, str) for c in pair)):
                problems.append(
                    (f"{where}“ratio”: {pair!r} không phải cặp [tử số, mẫu số]", f"{where}“ratio”: {pair!r} is not a pair")
                )
                continue
            for column in pair:
                if column not in COUNT_COLUMNS:
                    problems.append(
                        (
                            f"{where}“ratio”: chỉ số “{column}” không có trong mẫu số liệu",
                            f"{where}“ratio”: indicator “{column}” is not a column of the template",
                        )
                    )
            fractions.append((pair[0], pair[1]))
    return Part(
        _text(data, "id", where, problems),
        _text(data, "name_vi", where, problems),
        _text(data, "name_en", where, problems),
        _number(data, "max_points", where, 0, 100, problems),
        _number(data, "full_at", where, 0, 1, problems),
        tuple(fractions),
    )


def formula_from_json(text: str | bytes, source: str = "") -> Formula:
    """A formula version, or FormulaError naming every problem (nothing half-loaded)."""
    if isinstance(text, bytes):
        if len(text) > MAX_TARGET_FILE_BYTES:
            raise FormulaError(
                [(f"tệp lớn hơn {MAX_TARGET_FILE_BYTES // 1000} kB", f"file larger than {MAX_TARGET_FILE_BYTES // 1000} kB")],
                source,
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormulaError([("tệp không phải văn bản UTF-8", "the file is not UTF-8 text")], source) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        line = getattr(exc, "lineno", "?")
        raise FormulaError([(f"JSON không hợp lệ (dòng {line})", f"invalid JSON (line {line})")], source) from None
    if not isinstance(data, dict):
        raise FormulaError([("công thức phải là một đối tượng JSON", "a formula must be a JSON object")], source)
    problems: list[tuple[str, str]] = []
    if data.get("schema_version") != SCHEMA_VERSION:
        problems.append((f"schema_version phải là {SCHEMA_VERSION}", f"schema_version must be {SCHEMA_VERSION}"))
    version = _text(data, "version", "", problems)
    if version and not _VERSION.match(version):
        problems.append(
            (
                f"“version” “{version[:70]}” chỉ gồm chữ, số, dấu chấm, gạch (tối đa 64 ký tự)",
                f"“version” “{version[:70]}” may hold letters, digits, dots and dashes only (at most 64)",
            )
        )
    version_date = _text(data, "version_date", "", problems)
    if version_date:
        try:
            datetime.date.fromisoformat(version_date)
        except ValueError:
            problems.append(
                (
                    f"“version_date” “{version_date[:40]}” không phải ngày YYYY-MM-DD",
                    f"“version_date” “{version_date[:40]}” is not a date YYYY-MM-DD",
                )
            )
    texts = {key: _text(data, key, "", problems) for key in ("name_vi", "name_en", "authoritative_vi", "authoritative_en")}
    reference = data.get("reference")
    if not isinstance(reference, dict) or not reference or not all(isinstance(v, str) for v in reference.values()):
        problems.append(
            ("“reference” phải là đối tượng gồm các chuỗi (nguồn)", "“reference” must be an object of strings (the sources)")
        )
        reference = {}
    groups: list[Group] = []
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list):
        problems.append(("“groups” phải là danh sách nhóm", "“groups” must be a list of groups"))
        raw_groups = []
    for i, g in enumerate(raw_groups):
        where = f"groups[{i}]: "
        if not isinstance(g, dict):
            problems.append((f"{where}mỗi nhóm phải là một đối tượng", f"{where}each group must be an object"))
            continue
        gid = _text(g, "id", where, problems)
        if gid and gid not in GROUP_IDS:
            problems.append(
                (
                    f"{where}nhóm “{gid}” không tồn tại (chỉ nhận: {', '.join(GROUP_IDS)})",
                    f"{where}unknown group “{gid}” (one of: {', '.join(GROUP_IDS)})",
                )
            )
        checked = g.get("checked_against_published_scores")
        if not isinstance(checked, bool):
            problems.append(
                (
                    f"{where}“checked_against_published_scores” phải là true hoặc false",
                    f"{where}“checked_against_published_scores” must be true or false",
                )
            )
        raw_parts = g.get("parts")
        if not isinstance(raw_parts, list) or not raw_parts:
            problems.append((f"{where}“parts” phải là danh sách phần", f"{where}“parts” must be a list of parts"))
            raw_parts = []
        read = [_part(raw, f"{where}parts[{j}]: ", problems) for j, raw in enumerate(raw_parts)]
        parts = [p for p in read if p is not None]
        max_points = _number(g, "max_points", where, 0, 100, problems)
        total = sum(p.max_points for p in parts)
        if parts and math.isfinite(total) and math.isfinite(max_points) and abs(total - max_points) > 1e-9:
            problems.append(
                (
                    f"{where}các phần cộng lại {total:g} điểm, khác điểm tối đa của nhóm {max_points:g}",
                    f"{where}the parts add up to {total:g} points, not the group's {max_points:g}",
                )
            )
        groups.append(
            Group(
                gid,
                _text(g, "name_vi", where, problems),
                _text(g, "name_en", where, problems),
                max_points,
                bool(checked),
                _text(g, "caveat_vi", where, problems),
                _text(g, "caveat_en", where, problems),
                tuple(parts),
            )
        )
    ids = [g.id for g in groups]
    if sorted(ids) != sorted(GROUP_IDS):
        problems.append(
            (
                f"phải có đúng các nhóm {', '.join(GROUP_IDS)}, mỗi nhóm một lần (có: {', '.join(ids) or 'không'})",
                f"the groups must be {', '.join(GROUP_IDS)}, once each (found: {', '.join(ids) or 'none'})",
            )
        )
    part_ids = [p.id for g in groups for p in g.parts]
    for pid in sorted({p for p in part_ids if part_ids.count(p) > 1}):
        problems.append((f"phần “{pid}” bị lặp lại", f"part “{pid}” appears twice"))
    if problems:
        raise FormulaError(problems, source)
    return Formula(
        version,
        version_date,
        texts["name_vi"],
        texts["name_en"],
        texts["authoritative_vi"],
        texts["authoritative_en"],
        dict(reference),
        tuple(sorted(groups, key=lambda g: GROUP_IDS.index(g.id))),
    )


def load_formula_file(path: str | Path) -> Formula:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormulaError(
            [(f"không đọc được tệp ({exc.strerror})", f"cannot read the file ({exc.strerror})")], path.name
        ) from None
    formula = formula_from_json(data, path.name)
    if path.stem != formula.version:
        # one file per version, named for it: a new version is a new file, never an edit
        raise FormulaError(
            [
                (
                    f"tên tệp phải là phiên bản “{formula.version}.json”",
                    f"the file must be named for its version, “{formula.version}.json”",
                )
            ],
            path.name,
        )
    return formula


def shipped_formulas() -> tuple[Formula, ...]:
    """Every shipped version, oldest first (by version date)."""
    return tuple(sorted((load_formula_file(p) for p in FORMULA_DIR.glob("*.json")), key=lambda f: (f.version_date, f.version)))


SHIPPED = shipped_formulas()
SHIPPED_BY_VERSION = {f.version: f for f in SHIPPED}
CURRENT = SHIPPED[-1]


# ------------------------------------------------------------------ scoring: pure functions

Value = float | np.ndarray


def part_points(part: Part, ratio: Value) -> Value:
    """min(max, max × ratio / full_at), element-wise for draws."""
    return (
        np.minimum(part.max_points, part.max_points * np.asarray(ratio, dtype=float) / part.full_at)
        if isinstance(ratio, np.ndarray)
        else min(part.max_points, part.max_points * float(ratio) / part.full_at)
    )


def fraction(values: Mapping[str, float | None], numerator: str, denominator: str) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    num, den = values.get(numerator), values.get(denominator)
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


def missing_columns(part: Part, values: Mapping[str, float | None], movers: Movers | None = None) -> tuple[str, ...]:
    """The part's count columns that are missing (a zero denominator counts as missing data), with
    those the projection needs to move it (the online dossiers behind the counted rate)."""
    out = []
    for num, den in part.ratio:
        pairs = [(num, den)]
        if movers is not None and movers.online_share is not None and MOVED_BY.get((num, den)) == "online_share":
            pairs.append((num, "dossiers_online"))
        for a, b in pairs:
            for column in (a, b):
                if values.get(column) is None and column not in out:
                    out.append(column)
            if values.get(b) == 0 and b not in out:
                out.append(b)
    return tuple(out)


@dataclass(frozen=True)
class Movers:
    """What the projection moves, at the month scored: the online-dossier share (fraction), and the
    lifts (the fraction of the gap to 1 closed) of the services and payment shares. Each a number
    or one value per draw; None = not projected (the last month's value is kept)."""

    online_share: Value | None = None
    services_lift: Value | None = None
    payment_lift: Value | None = None


def part_ratio(part: Part, values: Mapping[str, float | None], movers: Movers | None = None) -> Value | None:
    """The part's ratio from the counts, moved by the projection where `MOVED_BY` says so."""
    movers = movers or Movers()
    out: Value = 1.0
    for num, den in part.ratio:
        found = fraction(values, num, den)
        if found is None:
            return None
        r: Value = found
        mover = MOVED_BY.get((num, den))
        if mover == "online_share" and movers.online_share is not None:
            # the counted (e-result) rate of online dossiers stays at its last value
            counted_rate = fraction(values, num, "dossiers_online")
            if counted_rate is None:
                return None
            r = np.asarray(movers.online_share, dtype=float) * counted_rate
        elif mover == "services_lift" and movers.services_lift is not None:
            r = r + (1 - r) * np.asarray(movers.services_lift, dtype=float)
        elif mover == "payment_lift" and movers.payment_lift is not None:
            r = r + (1 - r) * np.asarray(movers.payment_lift, dtype=float)
        out = out * r
    return out if isinstance(out, np.ndarray) and out.ndim else float(out)


@dataclass(frozen=True)
class PartScore:
    part: Part
    ratio: float | None  # central, 0–1
    points: float | None
    p10: float | None  # points
    p90: float | None
    missing: tuple[str, ...]  # count columns with no data

    @property
    def has_data(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class GroupScore:
    group: Group
    parts: tuple[PartScore, ...]
    points: float | None  # None = "chưa có số liệu"
    p10: float | None
    p90: float | None

    @property
    def has_data(self) -> bool:
        return self.points is not None

    def points_text(self, lang: str) -> str:
        return points_text(self.points, lang)


@dataclass(frozen=True)
class IndexScore:
    """Both groups' points under one formula version, for one month (`month`, e.g. "2023-12")."""

    formula: Formula
    month: str | None
    indicators_month: str | None  # the month the counts were read from
    groups: tuple[GroupScore, ...]

    def group(self, group_id: str) -> GroupScore:
        return next(g for g in self.groups if g.group.id == group_id)


def points_text(x: float | None, lang: str) -> str:
    """Points with two decimals in the user's locale (7,24 / 7.24); "chưa có số liệu" when missing."""
    if x is None or not math.isfinite(x):
        return NO_DATA[lang]
    # rounded first: −0,004 reads 0,00, not −0,00 (and −0.0 + 0.0 is 0.0)
    return format_decimal(round(x, 2) + 0.0, format="#,##0.00", locale=lang).replace("-", MINUS_SIGN)


def _quantiles(x: Value | None) -> tuple[float | None, float | None]:
    if x is None or not isinstance(x, np.ndarray) or x.ndim == 0:
        return (None, None) if x is None else (float(x), float(x))
    p10, p90 = np.percentile(x, [10, 90])
    return float(p10), float(p90)


def score(
    formula: Formula,
    values: Mapping[str, float | None],
    central: Movers | None = None,
    draws: Movers | None = None,
    *,
    month: str | None = None,
    indicators_month: str | None = None,
) -> IndexScore:
    """Each part's ratio and points from the counts (moved by `central`), with P10–P90 of the points
    from `draws` (arrays of one value per draw) when given."""
    groups = []
    for group in formula.groups:
        part_scores, total, total_draws = [], 0.0, np.zeros(1)
        complete = True
        for part in group.parts:
            ratio = part_ratio(part, values, central)
            drawn = part_ratio(part, values, draws) if draws is not None else None
            if ratio is None:
                complete = False
                part_scores.append(PartScore(part, None, None, None, None, missing_columns(part, values, central)))
                continue
            ratio_c = float(np.asarray(ratio))
            points = float(part_points(part, ratio_c))
            drawn_points = None if drawn is None else part_points(part, np.atleast_1d(np.asarray(drawn, dtype=float)))
            p10, p90 = _quantiles(drawn_points) if drawn_points is not None else (None, None)
            part_scores.append(PartScore(part, ratio_c, points, p10, p90, ()))
            total += points
            if drawn_points is not None:
                total_draws = total_draws + drawn_points
        if complete:
            p10, p90 = _quantiles(total_draws) if draws is not None else (None, None)
            groups.append(GroupScore(group, tuple(part_scores), total, p10, p90))
        else:
            groups.append(GroupScore(group, tuple(part_scores), None, None, None))
    return IndexScore(formula, month, indicators_month, tuple(groups))


def score_indicators(
    formula: Formula,
    indicators: Indicators | None,
    central: Movers | None = None,
    draws: Movers | None = None,
    month: str | None = None,
) -> IndexScore:
    """The points for the province's figures at the indicators' last month (none: every part "no
    data"), moved by the projection when movers are given."""
    figures = None if indicators is None else indicators.province()
    values = {} if figures is None else figures.values
    return score(formula, values, central, draws, month=month, indicators_month=None if figures is None else figures.month)


def threshold_pct(part: Part) -> float | None:
    """The share (in percent) above which the part earns no more points; None for a linear part."""
    return 100 * part.full_at if part.saturates else None


def points_per_share_point(part: Part, ratio: float) -> float:
    """Index points one more percentage point of the ratio is worth at `ratio`: max/full_at/100
    below the threshold, 0 at or above it (6/0,5/100 = 0,12 for online dossiers; 6/100 = 0,06 for payment)."""
    return 0.0 if ratio >= part.full_at else part.max_points / part.full_at / 100


def payload(result: IndexScore) -> dict:
    """The JSON the command line prints: each group with its points and parts (ratio in percent)."""

    def r(x: float | None, digits: int = 4) -> float | None:
        return None if x is None else round(x, digits)

    out: dict = {
        "formula_version": result.formula.version,
        "formula_date": result.formula.version_date,
        "authoritative_vi": result.formula.authoritative_vi,
        "authoritative_en": result.formula.authoritative_en,
        "month": result.month,
        "indicators_month": result.indicators_month,
    }
    for g in result.groups:
        out[g.group.id] = {
            "points": r(g.points),
            "p10": r(g.p10),
            "p90": r(g.p90),
            "max_points": g.group.max_points,
            "status_vi": "có số liệu" if g.has_data else NO_DATA["vi"],
            "status_en": "has data" if g.has_data else NO_DATA["en"],
            "checked_against_published_scores": g.group.checked,
            "caveat_vi": g.group.caveat_vi,
            "caveat_en": g.group.caveat_en,
            "parts": {
                p.part.id: {
                    "ratio_pct": None if p.ratio is None else r(100 * p.ratio),
                    "points": r(p.points),
                    "p10": r(p.p10),
                    "p90": r(p.p90),
                    "max_points": p.part.max_points,
                    "full_at_pct": round(100 * p.part.full_at, 4),
                    "missing": list(p.missing),
                }
                for p in g.parts
            },
        }
    return out
