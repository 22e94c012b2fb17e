"""Plan against actual.

A plan of record freezes a projection — the monthly trajectory per block and unit, the P10–P90
band, the targets — with the data version it came from. Editing the scenario later never changes
it; saving again makes a new version. `track(plan, series)` lays the actual months of the plan
year beside it: per block, the months as points against the band; per unit, planned against
actual year to date, a status in words, and the online dossiers a month it needs for the rest of
the year to reach its target.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from model.errors import PlannerError
from model.projection import Projection
from model.segments import BLOCKS, block_masks
from model.series import ReportSeries, month_index

SCHEMA_VERSION = 1
# A unit within this many points of its planned year-to-date share is on track (an assumption:
# about the month-to-month noise of a unit with a few hundred dossiers a month).
ON_TRACK_TOLERANCE_PTS = 2.0
BAND_NAME = {  # the band a plan froze, as its notes name it
    "month": ("dải dự báo tháng", "month band"),
    "scenario": ("khoảng của kịch bản", "scenario band"),
}
STATUS_LABEL = {
    "ahead": ("vượt", "ahead"),
    "on_track": ("đúng tiến độ", "on track"),
    "behind": ("chậm", "behind"),
    "no_data": ("chưa có số liệu", "no data yet"),
}


UNIT_FIELDS = ("seg_id", "name_vi", "name_en", "kind", "district_id", "target_pct")
SEGMENT_KINDS = ("department", "district_office", "commune")  # what a plan's units may be


class PlanError(PlannerError):
    """A stored plan that cannot be read back; (Vietnamese, English) of what is damaged."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(en)

    def messages(self, lang: str) -> list[str]:
        return [self.vi if lang == "vi" else self.en]


def _brief(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {str(exc)[:60]}"


@dataclass(frozen=True)
class PlanOfRecord:
    name: str
    version: int
    plan_year: int
    created_at: str
    data_version: str
    scenario_json: str
    target_set_json: str
    target_set_name_vi: str
    target_set_name_en: str
    blocks: tuple[str, ...]
    monthly: np.ndarray  # (M, K) percent
    band: np.ndarray  # (3, M, K) percent
    targets: np.ndarray  # (K,) percent, NaN = none
    units: pd.DataFrame  # seg_id, name_vi, name_en, kind, district_id, target_pct
    unit_monthly: np.ndarray  # (M, S) percent
    unit_dossiers: np.ndarray  # (M, S) planned dossiers
    # which band `band` is: "month" — the month band ("dải dự báo tháng", where an observed month should
    # fall; frozen when the series estimate was the start point) — or "scenario" (the P10–P90 of the
    # scenario's effect sizes, the only band a report-based start has; plans saved before this field)
    band_kind: str = "scenario"

    def line(self, block: str, line: str = "plan") -> pd.Series:
        """One block's planned monthly line (percent), by name: "plan", "p10" or "p90", indexed by month."""
        k = self.blocks.index(block)
        values = {"plan": self.monthly[:, k], "p10": self.band[0, :, k], "p90": self.band[2, :, k]}[line]
        return pd.Series(values, index=pd.Index(range(1, len(values) + 1), name="month"), name=line)

    def target(self, block: str) -> float | None:
        value = float(self.targets[self.blocks.index(block)])
        return None if value != value else value

    def to_json(self) -> str:
        return json.dumps(
            {
                "schema_version": SCHEMA_VERSION,
                "name": self.name,
                "version": self.version,
                "plan_year": self.plan_year,
                "created_at": self.created_at,
                "data_version": self.data_version,
                "scenario": json.loads(self.scenario_json),
                "target_set": json.loads(self.target_set_json),
                "target_set_name_vi": self.target_set_name_vi,
                "target_set_name_en": self.target_set_name_en,
                "blocks": list(self.blocks),
                "monthly": self.monthly.tolist(),
                "band": self.band.tolist(),
                "targets": [None if np.isnan(v) else float(v) for v in self.targets],
                "units": json.loads(self.units.to_json(orient="records")),
                "unit_monthly": self.unit_monthly.tolist(),
                "unit_dossiers": self.unit_dossiers.tolist(),
                "band_kind": self.band_kind,
            },
            ensure_ascii=False,
        )

    @staticmethod
    def from_json(text: str) -> PlanOfRecord:
        """The plan, or PlanError saying what is damaged: every field, and every array's shape against
        the plan's blocks and units, is checked before anything is used (a damaged row must not break
        the page that lists the others)."""
        try:
            d = json.loads(text)
            if not isinstance(d, dict):
                raise TypeError("not an object")
            units = pd.DataFrame(d["units"])
            missing = [c for c in UNIT_FIELDS if c not in units.columns]
            if missing:
                raise KeyError(", ".join(missing))
            blocks = tuple(str(b) for b in d["blocks"])
            plan = PlanOfRecord(
                str(d["name"]),
                int(d["version"]),
                int(d["plan_year"]),
                str(d["created_at"]),
                str(d["data_version"]),
                json.dumps(d["scenario"], ensure_ascii=False),
                json.dumps(d["target_set"], ensure_ascii=False),
                str(d["target_set_name_vi"]),
                str(d["target_set_name_en"]),
                blocks,
                np.array(d["monthly"], float),
                np.array(d["band"], float),
                np.array([np.nan if v is None else v for v in d["targets"]], float),
                units,
                np.array(d["unit_monthly"], float),
                np.array(d["unit_dossiers"], float),
                str(d.get("band_kind", "scenario")),
            )
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
            raise PlanError(f"thiếu hoặc sai trường ({_brief(exc)})", f"a field is missing or wrong ({_brief(exc)})") from None
        K, S = len(plan.blocks), len(plan.units)
        shapes = {
            "monthly": (plan.monthly.shape, (12, K)),
            "band": (plan.band.shape, (3, 12, K)),
            "targets": (plan.targets.shape, (K,)),
            "unit_monthly": (plan.unit_monthly.shape, (12, S)),
            "unit_dossiers": (plan.unit_dossiers.shape, (12, S)),
        }
        for field_name, (got, wanted) in shapes.items():
            if got != wanted:
                raise PlanError(
                    f"“{field_name}” có kích thước {got}, cần {wanted}", f"“{field_name}” has the shape {got}, not {wanted}"
                )
        for field_name in ("monthly", "band", "unit_monthly", "unit_dossiers"):
            values = getattr(plan, field_name)
            if not np.isfinite(values).all() or (values < 0).any():
                raise PlanError(f"“{field_name}” có giá trị không hợp lệ", f"“{field_name}” holds values that are not valid")
        if set(plan.units.kind) - set(SEGMENT_KINDS) or len(set(plan.blocks)) != K:
            raise PlanError("danh sách đơn vị hoặc khối không hợp lệ", "the list of units or blocks is not valid")
        known_blocks = set(
            block_masks(plan.units.assign(district_id=plan.units.district_id.where(plan.units.district_id.notna(), None)))
        )
        unknown = [b for b in plan.blocks if b not in known_blocks]
        if unknown:
            raise PlanError(f"khối không biết: {', '.join(unknown)}", f"unknown block(s): {', '.join(unknown)}")
        return plan

    def with_version(self, version: int) -> PlanOfRecord:
        from dataclasses import replace

        return replace(self, version=version)


def freeze(proj: Projection, name: str, data_version: str) -> PlanOfRecord:
    """A plan of record from a projection: copies of every array, nothing shared with the scenario."""
    units = proj.units[["seg_id", "name_vi", "name_en", "kind", "district_id", "target_pct"]].copy()
    return PlanOfRecord(
        name=name,
        version=1,
        plan_year=proj.plan_year,
        created_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        data_version=data_version,
        scenario_json=proj.scenario.to_json(),
        target_set_json=proj.target_set.to_json(),
        target_set_name_vi=proj.target_set.name_vi,
        target_set_name_en=proj.target_set.name_en,
        blocks=tuple(proj.blocks),
        monthly=np.array(proj.monthly, copy=True),
        band=np.array(proj.band_monthly if proj.month_band_monthly is None else proj.month_band_monthly, copy=True),
        targets=np.array(proj.targets, copy=True),
        units=units.reset_index(drop=True),
        unit_monthly=np.array(proj.unit_monthly, copy=True),
        unit_dossiers=np.array(proj.unit_dossiers_monthly, copy=True),
        band_kind="scenario" if proj.month_band_monthly is None else "month",
    )


@dataclass(frozen=True)
class Tracking:
    plan: PlanOfRecord
    months_with_data: tuple[int, ...]  # plan-year months (1–12) with actual figures
    block_actual: pd.DataFrame  # block, month, dossiers, online, share_pct, p10_pct, p90_pct, plan_pct, status
    units: pd.DataFrame  # seg_id, name_vi, name_en, plan_ytd_pct, actual_ytd_pct, gap_pts, status, target_pct,
    #                      actual_dossiers_ytd, actual_online_ytd, needed_online_per_month
    note_vi: str
    note_en: str


def _status(gap: float) -> str:
    if np.isnan(gap):
        return "no_data"
    if gap > ON_TRACK_TOLERANCE_PTS:
        return "ahead"
    if gap < -ON_TRACK_TOLERANCE_PTS:
        return "behind"
    return "on_track"


def track(plan: PlanOfRecord, series: ReportSeries) -> Tracking:
    year0 = month_index(f"{plan.plan_year}-01")
    monthly = series.monthly
    in_year = monthly[(monthly["first"] >= year0) & (monthly["first"] < year0 + 12)]
    units = plan.units
    position = {sid: i for i, sid in enumerate(units.seg_id)}
    in_year = in_year[in_year.seg_id.isin(position)]
    months = tuple(sorted({int(m) - year0 + 1 for m in in_year["first"]}))
    S, M = len(units), 12
    actual_n, actual_y = np.zeros((M, S)), np.zeros((M, S))
    has = np.zeros((M, S), bool)
    for r in in_year.itertuples():
        m, i = int(r.first) - year0, position[r.seg_id]
        actual_n[m, i], actual_y[m, i], has[m, i] = r.dossiers, r.online, True
    masks = block_masks(units.assign(district_id=units.district_id.where(units.district_id.notna(), None)))
    block_rows = []
    for k, block in enumerate(plan.blocks):
        mask = masks[block]
        for m in months:
            n, y = actual_n[m - 1, mask].sum(), actual_y[m - 1, mask].sum()
            if n == 0:
                continue
            share = 100 * y / n
            lo, hi = plan.band[0, m - 1, k], plan.band[2, m - 1, k]
            status = "behind" if share < lo else "ahead" if share > hi else "on_track"
            block_rows.append(
                {
                    "block": block,
                    "month": m,
                    "dossiers": n,
                    "online": y,
                    "share_pct": share,
                    "p10_pct": lo,
                    "p90_pct": hi,
                    "plan_pct": plan.monthly[m - 1, k],
                    "status": status,
                }
            )
    seen = np.array([m - 1 for m in months], dtype=int)
    planned_online = plan.unit_monthly / 100 * plan.unit_dossiers
    rows = []
    remaining = [m for m in range(1, 13) if m not in months and m > (max(months) if months else 0)]
    for i, u in units.iterrows():
        n_ytd, y_ytd = actual_n[seen, i].sum(), actual_y[seen, i].sum()
        plan_n, plan_y = plan.unit_dossiers[seen, i].sum(), planned_online[seen, i].sum()
        plan_ytd = 100 * plan_y / plan_n if plan_n > 0 else np.nan
        actual_ytd = 100 * y_ytd / n_ytd if n_ytd > 0 else np.nan
        gap = actual_ytd - plan_ytd
        target = u.target_pct
        needed = np.nan
        if remaining and target == target and n_ytd > 0:
            rest_n = plan.unit_dossiers[[m - 1 for m in remaining], i].sum()
            needed = max(0.0, (target / 100 * (n_ytd + rest_n) - y_ytd) / len(remaining))
        rows.append(
            {
                "seg_id": u.seg_id,
                "name_vi": u.name_vi,
                "name_en": u.name_en,
                "plan_ytd_pct": plan_ytd,
                "actual_ytd_pct": actual_ytd,
                "gap_pts": gap,
                "status": _status(gap),
                "target_pct": target,
                "actual_dossiers_ytd": n_ytd,
                "actual_online_ytd": y_ytd,
                "needed_online_per_month": needed,
            }
        )
    band_vi, band_en = BAND_NAME.get(plan.band_kind, BAND_NAME["scenario"])
    if months:
        note_vi = (
            f"Số liệu thực tế năm {plan.plan_year}: tháng {months[0]}–{months[-1]}. Trạng thái đơn vị: lệch quá "
            f"±{ON_TRACK_TOLERANCE_PTS:g} điểm % so với kế hoạch lũy kế là vượt/chậm; khối: ngoài {band_vi} (P10–P90)."
        )
        note_en = (
            f"Actual figures for {plan.plan_year}: months {months[0]}–{months[-1]}. Unit status: more than "
            f"±{ON_TRACK_TOLERANCE_PTS:g} points from the plan's year to date is ahead/behind; blocks: outside the {band_en} (P10–P90)."
        )
    else:
        last = series.last_period
        note_vi = (
            f"Chưa có số liệu thực tế của năm {plan.plan_year}: chuỗi số liệu đang dùng kết thúc ở "
            f"{last[5:]}/{last[:4]}. Nạp chuỗi số liệu theo tháng ở trang Giả định & dữ liệu."
        )
        note_en = (
            f"No actual figures for {plan.plan_year} yet: the active series ends in {last}. Load a monthly series "
            "on the Assumptions & data page."
        )
    return Tracking(
        plan,
        months,
        pd.DataFrame(
            block_rows, columns=["block", "month", "dossiers", "online", "share_pct", "p10_pct", "p90_pct", "plan_pct", "status"]
        ),
        pd.DataFrame(rows),
        note_vi,
        note_en,
    )


__all__ = ["BLOCKS", "PlanOfRecord", "Tracking", "freeze", "track", "STATUS_LABEL", "ON_TRACK_TOLERANCE_PTS"]
