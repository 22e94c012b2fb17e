"""Target values in force (NOTES.md, "Targets in force or cited")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TargetSet:
    id: str
    name_vi: str
    name_en: str
    year: int
    source: str
    block_pct: dict  # block id -> target share in percent (None = not set)


DECISION_1434 = TargetSet(
    "qd1434_2022", "Quyết định 1434/QĐ-UBND (2022)", "Decision 1434/QĐ-UBND (2022)", 2022,
    "Quyết định 1434/QĐ-UBND ngày 18/7/2022 của UBND tỉnh Sơn La: sở, ban, ngành 80%; huyện 50%.",
    {"department": 80.0, "district_incl_communes": 50.0, "district_offices": 50.0, "communes": 50.0},
)


def province_target_implied(target: TargetSet, block_volumes: dict[str, float]) -> float | None:
    """A province target the decision implies: block targets weighted by block volume."""
    dep, dist = target.block_pct.get("department"), target.block_pct.get("district_incl_communes")
    vd, vh = block_volumes.get("department", 0), block_volumes.get("district_incl_communes", 0)
    if dep is None or dist is None or vd + vh == 0:
        return None
    return (dep * vd + dist * vh) / (vd + vh)


def target_for(target: TargetSet, block: str, block_volumes: dict[str, float]) -> float | None:
    if block == "province":
        return province_target_implied(target, block_volumes)
    return target.block_pct.get(block)
