"""Turn a report's units into model segments, and add segments up into blocks.

A department is one segment. A district is two: its district office, and its communes
(the including-communes counts minus the district-office counts). A commune reported on its
own (the post-7/2025 structure) is one segment.

Two kinds of zero are kept apart:
- structural zero: the communes of a district whose commune-level online services are not
  deployed (commune_services_deployed = false). Nobody *can* submit online there, so the share
  stays exactly 0 until the "enable commune services" lever switches them on; no other lever
  and no momentum moves it.
- plain zero: deployed but nobody submitted online (Bắc Yên's communes: 0 of 33,076). Every
  behavioural lever acts on it, from a small floor share (assumption `responsive_floor_pct`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Block -> which segments it adds up. "district_incl_communes" is the report's "khối huyện".
BLOCKS = ("province", "department", "district_incl_communes", "district_offices", "communes")
BLOCK_LABEL = {
    "province": ("Toàn tỉnh", "Province"),
    "department": ("Khối sở, ban, ngành", "Department block"),
    "district_incl_communes": ("Khối huyện (gồm cấp xã)", "District block (incl. communes)"),
    "district_offices": ("UBND cấp huyện (trụ sở)", "District offices"),
    "communes": ("Cấp xã", "Commune level"),
}


def build_segments(units: pd.DataFrame) -> pd.DataFrame:
    """One row per segment with integer counts; units with missing dossier counts get has_data=False."""
    rows = []
    for u in units.sort_values(
        ["kind", "order"], key=lambda s: s.map({"department": 0, "district": 1, "commune": 2}) if s.name == "kind" else s
    ).itertuples():
        ministry = bool(u.ministry_systems_unconnected) if not pd.isna(u.ministry_systems_unconnected) else False
        base = dict(unit_id=u.unit_id, ministry_unconnected=ministry)
        if u.kind == "department":
            rows.append(_segment(base, "department", u.unit_id, u.name, u.name_en, u.dossiers, u.dossiers_online, None, False))
        elif u.kind == "district":
            rows.append(
                _segment(
                    base,
                    "district_office",
                    f"{u.unit_id}:office",
                    u.name,
                    u.name_en,
                    u.dossiers,
                    u.dossiers_online,
                    u.unit_id,
                    False,
                )
            )
            deployed = u.commune_services_deployed
            structural = (not pd.isna(deployed)) and not bool(deployed)
            vol = online = None
            if not any(
                pd.isna(x) for x in (u.dossiers, u.dossiers_online, u.dossiers_incl_communes, u.dossiers_online_incl_communes)
            ):
                vol = int(u.dossiers_incl_communes) - int(u.dossiers)
                online = int(u.dossiers_online_incl_communes) - int(u.dossiers_online)
            rows.append(
                _segment(
                    base,
                    "commune",
                    f"{u.unit_id}:communes",
                    _commune_name_vi(u.name),
                    _commune_name_en(u.name_en),
                    vol,
                    online,
                    u.unit_id,
                    structural,
                )
            )
        else:
            # a commune reported on its own (after 7/2025): not deployed when the report says so, or, when
            # it is silent, when it had dossiers but not one online
            deployed = u.commune_services_deployed
            if pd.isna(deployed):
                structural = not pd.isna(u.dossiers_online) and int(u.dossiers_online) == 0 and _positive(u.dossiers)
            else:
                structural = not bool(deployed)
            rows.append(_segment(base, "commune", u.unit_id, u.name, u.name_en, u.dossiers, u.dossiers_online, None, structural))
    seg = pd.DataFrame(rows)
    seg["share"] = np.where(seg.volume > 0, seg.online / seg.volume.where(seg.volume > 0, 1), 0.0)
    return seg.reset_index(drop=True)


def _positive(value) -> bool:
    return not pd.isna(value) and int(value) > 0


def _segment(base, kind, seg_id, name_vi, name_en, volume, online, district_id, structural_zero):
    has_data = not (volume is None or pd.isna(volume) or online is None or pd.isna(online))
    return dict(
        base,
        seg_id=seg_id,
        kind=kind,
        name_vi=name_vi,
        name_en=name_en or name_vi,
        district_id=district_id,
        structural_zero=structural_zero,
        has_data=has_data,
        volume=int(volume) if has_data else 0,
        online=int(online) if has_data else 0,
    )


def _commune_name_vi(district_name: str) -> str:
    return "Cấp xã " + district_name.replace("UBND ", "")


def _commune_name_en(district_name_en: str | None) -> str:
    return "Communes of " + (district_name_en or "").replace(" People's Committee", "")


def blocks_present(seg: pd.DataFrame) -> tuple[str, ...]:
    """The blocks this data has, in BLOCKS order: a report after 7/2025 (departments and communes,
    no districts) has no district block and no district offices, so none is shown or weighted."""
    return tuple(b for b, mask in block_masks(seg).items() if b == "province" or mask.any())


def top_level_blocks(blocks: tuple[str, ...]) -> tuple[str, ...]:
    """The blocks that split the province without overlap: departments and the district block
    (which holds the district offices and their communes), or, with no districts, departments and
    communes."""
    second = "district_incl_communes" if "district_incl_communes" in blocks else "communes"
    return tuple(b for b in ("department", second) if b in blocks)


def block_masks(seg: pd.DataFrame) -> dict[str, np.ndarray]:
    kind = seg.kind.to_numpy()
    in_district = seg.district_id.notna().to_numpy()
    return {
        "province": np.ones(len(seg), dtype=bool),
        "department": kind == "department",
        "district_incl_communes": (kind == "district_office") | ((kind == "commune") & in_district),
        "district_offices": kind == "district_office",
        "communes": kind == "commune",
    }


def block_totals(seg: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Block -> (online, volume) as exact integers."""
    online, volume = seg.online.to_numpy(), seg.volume.to_numpy()
    return {b: (int(online[m].sum()), int(volume[m].sum())) for b, m in block_masks(seg).items()}


def block_totals_from_units(units: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return block_totals(build_segments(units))
