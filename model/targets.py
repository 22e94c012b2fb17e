"""Target sets: named, dated, sourced targets for two measures — the online-dossier share and the
share of services receiving online dossiers — for the province, the blocks and single units.

Target sets are data (`data/targets/*.json`, the way PolicyEngine keeps parameters): a label, the
unit, a reference (document, date, figure, link) and the values. The active set drives every page,
the Excel export and the command line (`--targets`), and the unit-target lever aims at it.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import FileProblems
from model.limits import MAX_NAME, MAX_TARGET_FILE_BYTES
from model.parse import shown
from model.segments import top_level_blocks
from model.text import clean_text

TARGET_DIR = Path(__file__).resolve().parent.parent / "data" / "targets"
SCHEMA_VERSION = 1
TARGET_BLOCKS = ("province", "department", "district_incl_communes", "district_offices", "communes")
MEASURE_LABEL = {
    "online_pct": ("Tỷ lệ hồ sơ trực tuyến (%)", "Online dossier share (%)"),
    "services_pct": ("Tỷ lệ DVCTT có hồ sơ trực tuyến (%)", "Services receiving online dossiers (%)"),
}
_UNIT_BLOCK = {"department": "department", "district_office": "district_offices", "commune": "communes"}


class TargetError(FileProblems):
    """A target file that cannot be used; every problem as (Vietnamese, English)."""


@dataclass
class TargetSet:
    id: str
    name_vi: str
    name_en: str
    year: int
    block_pct: dict[str, float]  # block -> online-share target in percent
    services_pct: dict[str, float] = field(default_factory=dict)  # block -> services-share target in percent
    unit_pct: dict[str, float] = field(default_factory=dict)  # seg_id -> online-share target (overrides the block)
    unit_services_pct: dict[str, float] = field(default_factory=dict)  # seg_id -> services-share target
    unit: str = "%"
    reference: dict[str, str] = field(default_factory=dict)  # document, date, figure (figure_en), link

    @property
    def source(self) -> str:
        """One line naming the reference, for captions and the workbook."""
        ref = self.reference
        parts = [ref.get("document", ""), ref.get("date", ""), ref.get("figure", "")]
        return "; ".join(p for p in parts if p) or self.name_vi

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def copy(self, new_id: str, name_vi: str, name_en: str) -> TargetSet:
        return TargetSet(
            new_id,
            name_vi,
            name_en,
            self.year,
            dict(self.block_pct),
            dict(self.services_pct),
            dict(self.unit_pct),
            dict(self.unit_services_pct),
            self.unit,
            dict(self.reference),
        )

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "year": self.year,
            "unit": self.unit,
            "reference": dict(self.reference),
            "block_pct": dict(self.block_pct),
            "services_pct": dict(self.services_pct),
            "unit_pct": dict(self.unit_pct),
            "unit_services_pct": dict(self.unit_services_pct),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


# every key a target-set file may have; anything else is refused by name (a misspelt "unit_pct" would
# otherwise drop its targets without a word)
TOP_KEYS = (
    "schema_version",
    "id",
    "name_vi",
    "name_en",
    "year",
    "unit",
    "reference",
    "block_pct",
    "services_pct",
    "unit_pct",
    "unit_services_pct",
)
REFERENCE_KEYS = ("document", "date", "figure", "figure_en", "link")  # figure_en: the figure on an English page
# the unit: percent ("%", or a description starting with it, as the shipped files write), or fractions
# (0.8 = 80%) converted on purpose; any other unit is refused
FRACTION_UNITS = ("fraction", "phân số", "tỷ lệ thập phân")


def _percent_map(data: dict, key: str, problems: list[tuple[str, str]], scale: float = 1.0) -> dict[str, float]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append((f"“{key}” phải là một đối tượng", f"“{key}” must be an object"))
        return {}
    out = {}
    top = 100 / scale
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= top:
            problems.append(
                (
                    f"{key}.{shown(k)}: {shown(repr(v))} phải là số từ 0 đến {top:g}",
                    f"{key}.{shown(k)}: {shown(repr(v))} must be a number from 0 to {top:g}",
                )
            )
        else:
            out[str(k)] = float(v) * scale
    return out


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    """json.loads keeps the last of two equal keys without a word: here a repeat is refused."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


class _RepeatedKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unknown(keys, allowed: tuple[str, ...], where: str) -> list[tuple[str, str]]:
    problems = []
    for key in keys:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint_vi, hint_en = (f" (có phải “{close[0]}”?)", f" (did you mean “{close[0]}”?)") if close else ("", "")
        listed = ", ".join(allowed)
        problems.append(
            (
                f"{where}khóa “{shown(key)}” không có trong lược đồ{hint_vi}; chỉ nhận: {listed}",
                f"{where}the key “{shown(key)}” is not in the schema{hint_en}; allowed: {listed}",
            )
        )
    return problems


def _clean_name(data: dict, key: str, problems: list[tuple[str, str]]) -> str:
    """A name as scenario names are: NFC, trimmed, without control or bidi characters (they break the
    workbook: openpyxl cannot open again a file with a control character in a cell)."""
    value = data.get(key)
    if not isinstance(value, str):
        problems.append((f"thiếu “{key}”", f"“{key}” is missing"))
        return ""
    cleaned, _removed = clean_text(value)
    if not cleaned:
        problems.append((f"thiếu “{key}”", f"“{key}” is missing"))
    elif len(cleaned) > MAX_NAME:
        problems.append(
            (f"“{key}” dài quá {MAX_NAME} ký tự", f"“{key}” is longer than {MAX_NAME} characters"),
        )
    return cleaned


def target_set_from_json(text: str | bytes, source: str = "", known_units: Collection[str] | None = None) -> TargetSet:
    """A target set, or TargetError naming every problem: repeated or unknown keys, a unit other than
    percent (fractions are converted on purpose), values outside 0–100 and, given the active data's unit
    codes, every unit code it does not have."""
    if isinstance(text, bytes):
        if len(text) > MAX_TARGET_FILE_BYTES:
            raise TargetError(
                [(f"tệp lớn hơn {MAX_TARGET_FILE_BYTES // 1000} kB", f"file larger than {MAX_TARGET_FILE_BYTES // 1000} kB")],
                source,
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TargetError([("tệp không phải văn bản UTF-8", "the file is not UTF-8 text")], source) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_repeated_keys)
    except _RepeatedKey as repeated:
        raise TargetError(
            [
                (
                    f"khóa “{shown(repeated.key)}” xuất hiện hai lần; JSON chỉ giữ giá trị sau — hãy giữ đúng một",
                    f"the key “{shown(repeated.key)}” appears twice; JSON would keep only the last — keep exactly one",
                )
            ],
            source,
        ) from None
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        line = getattr(exc, "lineno", "?")
        raise TargetError([(f"JSON không hợp lệ (dòng {line})", f"invalid JSON (line {line})")], source) from None
    if not isinstance(data, dict):
        raise TargetError([("bộ chỉ tiêu phải là một đối tượng JSON", "a target set must be a JSON object")], source)
    problems: list[tuple[str, str]] = _unknown(data, TOP_KEYS, "")
    if isinstance(data.get("schema_version"), bool) or data.get("schema_version") != SCHEMA_VERSION:
        problems.append((f"schema_version phải là {SCHEMA_VERSION}", f"schema_version must be {SCHEMA_VERSION}"))
    names = {key: _clean_name(data, key, problems) for key in ("id", "name_vi", "name_en")}
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(("“year” phải là năm (2000–2100)", "“year” must be a year (2000–2100)"))
    unit = data.get("unit", "%")
    scale = 1.0
    if not isinstance(unit, str):
        problems.append(("“unit” phải là một chuỗi", "“unit” must be a string"))
        unit = "%"
    elif unit.strip().casefold() in FRACTION_UNITS:
        scale, unit = 100.0, "%"  # on purpose: 0.8 is 80%, and the set is kept in percent
    elif not unit.strip().startswith("%"):
        problems.append(
            (
                f"đơn vị “{shown(unit)}” không dùng được: chỉ nhận “%” (80 là 80%) hoặc “fraction” (0,8 là 80%)",
                f"the unit “{shown(unit)}” cannot be used: only “%” (80 means 80%) or “fraction” (0.8 means 80%)",
            )
        )
    maps = {k: _percent_map(data, k, problems, scale) for k in ("block_pct", "services_pct", "unit_pct", "unit_services_pct")}
    for block in list(maps["block_pct"]) + list(maps["services_pct"]):
        if block not in TARGET_BLOCKS:
            problems.append(
                (
                    f"khối “{shown(block)}” không tồn tại (chỉ có: {', '.join(TARGET_BLOCKS)})",
                    f"unknown block “{shown(block)}” (the blocks: {', '.join(TARGET_BLOCKS)})",
                )
            )
    if known_units is not None:
        unknown = sorted({u for key in ("unit_pct", "unit_services_pct") for u in maps[key] if u not in known_units})
        if unknown:
            listed = ", ".join(shown(u) for u in unknown[:20]) + (" …" if len(unknown) > 20 else "")
            problems.append(
                (
                    f"{len(unknown)} mã đơn vị không có trong bộ số liệu đang dùng: {listed}",
                    f"{len(unknown)} unit code(s) not in the active data: {listed}",
                )
            )
    reference = data.get("reference", {})
    if not isinstance(reference, dict) or not all(isinstance(v, str) for v in reference.values()):
        problems.append(("“reference” phải là đối tượng gồm các chuỗi", "“reference” must be an object of strings"))
        reference = {}
    problems += _unknown(reference, REFERENCE_KEYS, "reference: ")
    if problems:
        raise TargetError(problems, source)
    assert isinstance(year, int)  # checked above
    return TargetSet(
        names["id"],
        names["name_vi"],
        names["name_en"],
        int(year),
        maps["block_pct"],
        maps["services_pct"],
        maps["unit_pct"],
        maps["unit_services_pct"],
        unit.strip(),
        {k: clean_text(v)[0] for k, v in reference.items()},
    )


def load_target_file(path: str | Path, known_units: Collection[str] | None = None) -> TargetSet:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TargetError(
            [(f"không đọc được tệp ({exc.strerror})", f"cannot read the file ({exc.strerror})")], path.name
        ) from None
    return target_set_from_json(data, path.name, known_units)


def shipped_target_sets() -> tuple[TargetSet, ...]:
    return tuple(load_target_file(p) for p in sorted(TARGET_DIR.glob("*.json")))


SHIPPED = shipped_target_sets()
SHIPPED_BY_ID = {t.id: t for t in SHIPPED}
DECISION_1434 = SHIPPED_BY_ID["qd1434_2022"]
DEFAULT_TARGET_SET = DECISION_1434


def province_target_implied(target: TargetSet, block_volumes: dict[str, float]) -> float | None:
    """A province target the decision implies: the targets of the blocks that split the province
    (departments and the district block; with no districts, departments and communes), weighted
    by their volume. A block the data does not have (no volume) carries no weight."""
    parts = [b for b in top_level_blocks(tuple(b for b, v in block_volumes.items() if v > 0))]
    values = [(target_for(target, b, block_volumes), block_volumes[b]) for b in parts]
    if not values or any(t is None for t, _ in values):
        return None
    return sum(t * v for t, v in values if t is not None) / sum(v for _, v in values)


def target_for(target: TargetSet, block: str, block_volumes: dict[str, float]) -> float | None:
    if block in target.block_pct:
        return target.block_pct[block]
    if block == "province":
        return province_target_implied(target, block_volumes)
    if block in ("district_offices", "communes"):
        return target.block_pct.get("district_incl_communes")
    return None


def unit_target(target: TargetSet, seg_id: str, kind: str) -> float | None:
    """A unit's own target, else its block's (a district office or commune falls back to the district
    block), else the province's."""
    if seg_id in target.unit_pct:
        return target.unit_pct[seg_id]
    value = target.block_pct.get(_UNIT_BLOCK[kind])
    if value is None and kind != "department":
        value = target.block_pct.get("district_incl_communes")
    if value is None:
        value = target.block_pct.get("province")
    return value


def segment_targets(target: TargetSet, seg: pd.DataFrame) -> np.ndarray:
    """(S,) each segment's online-share target as a fraction; NaN where the set gives none."""
    values = [unit_target(target, sid, kind) for sid, kind in zip(seg.seg_id, seg.kind)]
    return np.array([np.nan if v is None else v / 100 for v in values], dtype=float)


_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def validate_table(df: pd.DataFrame, columns: tuple[str, ...], label_col: str) -> list[tuple[str, str]]:
    """(Vietnamese, English) messages for every cell that is not a number from 0 to 100 (blank = no target)."""
    problems = []
    # by column, not df.iterrows(): a row Series per unit cost ≈ 3 ms a visit to the Targets page
    labels = df[label_col].tolist()
    cells = {col: df[col].tolist() for col in columns}
    for i, label in enumerate(labels, start=1):
        for col in columns:
            value = cells[col][i - 1]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            try:
                # a cell typed as text is read only as a plain decimal: float() alone would take "5_0" as 50
                if isinstance(value, bool) or (isinstance(value, str) and not _PLAIN_DECIMAL.fullmatch(value.strip())):
                    raise ValueError(value)
                number = float(value)
            except (TypeError, ValueError):
                problems.append(
                    (
                        f"Dòng {i} ({shown(label)}), cột “{col}”: “{shown(value)}” không phải là số.",
                        f"Row {i} ({shown(label)}), column “{col}”: “{shown(value)}” is not a number.",
                    )
                )
                continue
            if not 0 <= number <= 100:
                problems.append(
                    (
                        f"Dòng {i} ({label}), cột “{col}”: {number:g} phải nằm trong khoảng 0–100.",
                        f"Row {i} ({label}), column “{col}”: {number:g} must be between 0 and 100.",
                    )
                )
    return problems
