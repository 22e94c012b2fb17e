"""Target sets: named, dated, sourced targets for two measures — the online-dossier share and the
share of services receiving online dossiers — for the province, the blocks and single units."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

TARGET_BLOCKS = ("province", "department", "district_incl_communes", "district_offices", "communes")
MEASURES = ("online_pct", "services_pct")
MEASURE_LABEL = {"online_pct": ("Tỷ lệ hồ sơ trực tuyến (%)", "Online dossier share (%)"),
                 "services_pct": ("Tỷ lệ DVCTT có hồ sơ trực tuyến (%)", "Services receiving online dossiers (%)")}


@dataclass
class TargetSet:
    id: str
    name_vi: str
    name_en: str
    year: int
    source: str
    block_pct: dict  # block -> online-share target in percent
    services_pct: dict = field(default_factory=dict)  # block -> services-share target in percent
    unit_pct: dict = field(default_factory=dict)  # seg_id -> online-share target in percent (overrides the block)
    unit_services_pct: dict = field(default_factory=dict)  # seg_id -> services-share target in percent

    def copy(self, new_id: str, name_vi: str, name_en: str) -> "TargetSet":
        return TargetSet(new_id, name_vi, name_en, self.year, self.source, dict(self.block_pct),
                         dict(self.services_pct), dict(self.unit_pct), dict(self.unit_services_pct))


DECISION_1434 = TargetSet(
    "qd1434_2022", "Quyết định 1434/QĐ-UBND (2022)", "Decision 1434/QĐ-UBND (2022)", 2022,
    "Quyết định 1434/QĐ-UBND ngày 18/7/2022 của UBND tỉnh Sơn La: sở, ban, ngành 80%; huyện 50%.",
    {"department": 80.0, "district_incl_communes": 50.0, "district_offices": 50.0, "communes": 50.0},
)
NATIONAL_2024 = TargetSet(
    "national_2024", "Chỉ tiêu quốc gia 2024 cho các tỉnh", "National 2024 target for provinces", 2024,
    "Chỉ tiêu năm 2024: hồ sơ trực tuyến toàn trình trên tổng số hồ sơ — các tỉnh 30% (kinhtedothi.vn, NOTES.md).",
    {"province": 30.0},
)
SHIPPED = (DECISION_1434, NATIONAL_2024)

_UNIT_BLOCK = {"department": "department", "district_office": "district_offices", "commune": "communes"}


def province_target_implied(target: TargetSet, block_volumes: dict[str, float]) -> float | None:
    """A province target the decision implies: block targets weighted by block volume."""
    dep, dist = target.block_pct.get("department"), target.block_pct.get("district_incl_communes")
    vd, vh = block_volumes.get("department", 0), block_volumes.get("district_incl_communes", 0)
    if dep is None or dist is None or vd + vh == 0:
        return None
    return (dep * vd + dist * vh) / (vd + vh)


def target_for(target: TargetSet, block: str, block_volumes: dict[str, float]) -> float | None:
    if block in target.block_pct:
        return target.block_pct[block]
    if block == "province":
        return province_target_implied(target, block_volumes)
    return None


def unit_target(target: TargetSet, seg_id: str, kind: str) -> float | None:
    """A unit's own target, else its block's (a district office or commune falls back to the district block)."""
    if seg_id in target.unit_pct:
        return target.unit_pct[seg_id]
    block = _UNIT_BLOCK[kind]
    value = target.block_pct.get(block)
    if value is None and kind != "department":
        value = target.block_pct.get("district_incl_communes")
    return value


def validate_table(df: pd.DataFrame, columns: tuple[str, ...], label_col: str) -> list[str]:
    """Vietnamese messages for every cell that is not a number from 0 to 100 (blank = no target)."""
    problems = []
    for i, (_, row) in enumerate(df.iterrows(), start=1):
        label = row[label_col]
        for col in columns:
            value = row[col]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(f"Dòng {i} ({label}), cột “{col}”: “{value}” không phải là số.")
                continue
            if not 0 <= number <= 100:
                problems.append(f"Dòng {i} ({label}), cột “{col}”: {number:g} phải nằm trong khoảng 0–100.")
    return problems
