"""The batch engine: every scenario, Monte Carlo draw, Shapley subset or heat-map cell is one row
of a batch, and the whole batch is evaluated in one vectorised numpy pass.

Shapes: B rows × M = 12 months × S segments.

The levers' terms are declared in levers.py; this module applies each kind of term, in a fixed
order, per segment and month (documented on the Assumptions page):
1. start share p_start (the report's year-to-date share, its last-month run-rate, or the estimate
   from a monthly series), drifted by status-quo momentum (or each unit's estimated trend) in
   log-odds: p0 = logistic(logit(p_start) + momentum × month/12). Shares of exactly 0 or 1 stay.
   Structural zeros (communes without services) take the structural switch's adoption level.
2. log-odds shifts (every `LogOddsShift` of every lever, summed into one Δ). To let a deployed
   unit at ~0% respond, the shift acts on max(p0, floor) and the *increment* is added to p0:
   p = p0 + logistic(logit(max(p0, floor)) + Δ) − max(p0, floor). That is ≥ p0, ≤ 1, continuous,
   and exactly p0 when Δ = 0.
3. gap closing (unit targets): p + g × max(0, target − p), in share points, with each segment's
   target from the active target set. Linear in the target: no cliff at 100%.
4. channel switch (paper stop): p + (1 − p) × covered × compliance.
5. structural zeros are multiplied by the fraction switched on: 0 until the enabling lever
   starts, then its ramp.
6. measurement correction (ministry systems): p + max(0, true − p) × connected. This gives the
   *measured* share; the *behavioural* share (steps 1–5) is kept beside it and is the headline.
Each step is non-decreasing in its input and in every lever setting, so no share falls when a
lever rises, and every share stays in [0, 1].
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit

from model.baseline import Report
from model.kept import keep_arrays, kept_arrays
from model.levers import (
    ASSUMPTIONS,
    EFFECTS,
    LEVERS,
    MONTHS,
    PARAM_BY_ID,
    ChannelSwitch,
    GapClosing,
    LogOddsShift,
    MeasurementCorrection,
    PaymentShare,
    ServicesShare,
    StructuralSwitch,
)
from model.segments import block_masks, blocks_present, build_segments
from model.targets import DECISION_1434, TargetSet, segment_targets

if TYPE_CHECKING:  # the engine never needs the fitting code at run time
    from model.calibration import Calibration

MONTH_ARRAY = np.array(MONTHS, dtype=float)
N_MONTHS = len(MONTHS)
_EPS = 1e-12


def _logistic(x: np.ndarray) -> np.ndarray:
    """scipy's expit in float64 (the exact baseline path). For the float32 Monte Carlo arrays the
    identity expit(x) = (1 + tanh(x/2))/2 through numpy's vectorised tanh is 5× faster (0.16 vs
    0.83 ms per 512×12×41 pass on this machine) and differs by at most 1.2e-7."""
    if x.dtype == np.float32:
        return 0.5 * np.tanh(0.5 * x) + 0.5
    return expit(x)


def _increment(x_resp: np.ndarray, delta: np.ndarray, p_resp: np.ndarray) -> np.ndarray:
    """expit(x_resp + delta) − p_resp where the shift raises the log-odds, else 0. For the float32
    Monte Carlo arrays the same arithmetic in one buffer (the engine's costliest pass at 400 units)."""
    x = x_resp + delta
    if x.dtype != np.float32:
        return np.where(x > x_resp, _logistic(x) - p_resp, 0.0)
    raised = x > x_resp
    x *= np.float32(0.5)
    np.tanh(x, out=x)
    x *= np.float32(0.5)
    x += np.float32(0.5)
    x -= p_resp
    x *= raised
    return x


def _safe_logit(p, eps: float = _EPS):
    return logit(np.clip(p, eps, 1 - eps))


@dataclass(frozen=True)
class RunRate:
    """The December run-rate of one block, derived from two year-to-date shares."""

    block: str
    months_elapsed: int
    ytd_previous_pct: float
    ytd_current_pct: float
    month_only_pct: float
    logodds_shift: float


@dataclass
class Compiled:
    """A report turned into arrays the engine needs; built once per report."""

    report: Report
    seg: pd.DataFrame
    volume: np.ndarray  # (S,) annual dossiers
    p_annual: np.ndarray  # (S,)
    p_run_rate: np.ndarray | None  # (S,) or None when the report cannot give one
    run_rates: dict[str, RunRate]
    structural: np.ndarray  # (S,) bool
    ministry: np.ndarray  # (S,) bool
    is_department: np.ndarray
    is_office: np.ndarray
    is_commune: np.ndarray
    blocks: tuple[str, ...]  # the blocks this data has (segments.blocks_present), the K axis of every result
    block_matrix: np.ndarray  # (K, S) float
    seg_district: np.ndarray  # (S,) district unit id or ""
    not_deployed_districts: tuple[str, ...]
    peer_commune_pct: float | None
    best_commune_pct: float | None
    best_commune_name: str | None
    services_kpi0: float | None  # 0.6737
    # the status quo estimated from a monthly series (model/calibration.py), aligned with `seg`
    series_level: np.ndarray | None = None  # (S,) log-odds at the series' last month (0 where not calibrated)
    series_trend: np.ndarray | None = None  # (S,) log-odds a year
    series_chol: np.ndarray | None = None  # (S, 2, 2) Cholesky factor of their covariance
    series_mask: np.ndarray | None = None  # (S,) bool: calibrated
    series_last_month: int | None = None  # month index (year × 12 + month − 1) of the last month
    series_season: np.ndarray | None = None  # (S, 12) month-of-year log-odds of each calibrated segment, January first
    calibration: Calibration | None = None  # the model.calibration.Calibration behind the series fields (for the bands)
    target_set: TargetSet = field(default_factory=lambda: DECISION_1434)  # drives the unit-target lever (`with_targets`)
    unit_target: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) fraction, NaN = none

    def __post_init__(self):
        if self.unit_target.shape != (len(self.seg),):
            self.unit_target = segment_targets(self.target_set, self.seg)

    def with_calibration(self, cal: Calibration | None) -> Compiled:
        """The same report, with the status quo estimated from a series (None = none). Segments the
        calibration does not know, or did not fit, keep the report's shares. The data overrides the
        report's 2022 flags: a segment with online dossiers in the series is not a structural zero,
        and the rollout lever's peer rate is the data's deployed communes' share at its last month."""
        report_structural = self.seg.structural_zero.to_numpy(bool)
        peer, best, best_name = _peers(self.seg, report_structural, self.volume, self.p_annual)
        structural = report_structural
        series: dict = dict.fromkeys(
            ("series_level", "series_trend", "series_chol", "series_mask", "series_last_month", "series_season", "calibration")
        )
        if cal is not None:
            position = {sid: i for i, sid in enumerate(cal.seg_ids)}
            rows = np.array([position.get(sid, -1) for sid in self.seg.seg_id])
            known = rows >= 0
            at = np.maximum(rows, 0)
            live = known & (cal.live[at] if len(cal.live) else False)
            structural = report_structural & ~live
            mask = known & np.where(known, cal.calibrated[at], False) & ~structural
            cov = np.where(mask[:, None, None], cal.cov[at], np.eye(2) * 1e-12)
            series = {
                "series_level": np.where(mask, cal.level[at], 0.0),
                "series_trend": np.where(mask, cal.trend[at], 0.0),
                "series_chol": np.linalg.cholesky(cov + np.eye(2) * 1e-12),
                "series_mask": mask,
                "series_last_month": cal.last_month,
                "series_season": np.where(mask[:, None], cal.season_of_segments()[at], 0.0),
                "calibration": cal,
            }
            deployed = self.is_commune & live & (cal.last_dossiers[at] > 0 if len(cal.last_dossiers) else False)
            if deployed.any():
                peer = 100 * float(cal.last_online[at][deployed].sum() / cal.last_dossiers[at][deployed].sum())
        return replace(
            self,
            **series,
            structural=structural,
            not_deployed_districts=_not_deployed(structural, self.seg_district),
            peer_commune_pct=peer,
            best_commune_pct=best,
            best_commune_name=best_name,
        )

    def with_targets(self, target_set: TargetSet) -> Compiled:
        """The same report, with the unit-target lever aiming at another target set (cheap: no recompile)."""
        if target_set is self.target_set:
            return self
        return replace(self, target_set=target_set, unit_target=segment_targets(target_set, self.seg))

    @property
    def report_month(self) -> int:
        """Month index (year × 12 + month − 1) of the report's month."""
        y, m = map(int, self.report.period.split("-"))
        return y * 12 + m - 1

    @property
    def data_last_month(self) -> int:
        """Month index of the last month with data: the report's, or the series' when it is later."""
        return max(self.report_month, self.series_last_month if self.series_last_month is not None else -1)

    @property
    def first_plan_year(self) -> int:
        """The earliest plan year this data can project: the year after its last month (never backwards)."""
        return self.data_last_month // 12 + 1

    @property
    def n_seg(self) -> int:
        return len(self.seg)

    def enable_mask_for(self, districts: list[str] | None) -> np.ndarray:
        """Structural segments of the chosen districts (None = the ones the report marks); communes
        reported on their own (after 7/2025, no district to choose) are always included."""
        chosen = self.not_deployed_districts if districts is None else tuple(districts)
        return self.structural & (np.isin(self.seg_district, chosen) | (self.seg_district == ""))


def compile_report(report: Report) -> Compiled:
    seg = build_segments(report.units)
    volume = seg.volume.to_numpy(float)
    p_annual = seg.share.to_numpy(float)
    kind = seg.kind.to_numpy()
    masks = block_masks(seg)
    blocks = blocks_present(seg)
    structural = seg.structural_zero.to_numpy(bool)
    seg_district = seg.district_id.fillna("").to_numpy(str)

    peer, best, best_name = _peers(seg, structural, volume, p_annual)
    run_rates, p_rr = _run_rate(report, seg, p_annual, volume, masks)
    kpi0 = report.province_value("services_receiving_online_share_pct")
    not_deployed = _not_deployed(structural, seg_district)
    return Compiled(
        report=report,
        seg=seg,
        volume=volume,
        p_annual=p_annual,
        p_run_rate=p_rr,
        run_rates=run_rates,
        structural=structural,
        ministry=seg.ministry_unconnected.to_numpy(bool),
        is_department=kind == "department",
        is_office=kind == "district_office",
        is_commune=kind == "commune",
        blocks=blocks,
        block_matrix=np.array([masks[b] for b in blocks], dtype=float),
        seg_district=seg_district,
        not_deployed_districts=not_deployed,
        peer_commune_pct=peer,
        best_commune_pct=best,
        best_commune_name=best_name,
        services_kpi0=None if kpi0 is None else kpi0 / 100,
    )


def _peers(seg: pd.DataFrame, structural: np.ndarray, volume: np.ndarray, p_annual: np.ndarray):
    """(peer %, best %, best name) of the report's deployed communes of a district; None when there are none."""
    deployed = (seg.kind.to_numpy() == "commune") & ~structural & (volume > 0) & seg.district_id.notna().to_numpy()
    if not deployed.any():
        return None, None, None
    peer = 100 * float(seg.online.to_numpy()[deployed].sum() / volume[deployed].sum())
    shares = np.where(deployed, p_annual, -1)
    return peer, 100 * float(shares.max()), str(seg.name_vi.iloc[int(shares.argmax())])


def _not_deployed(structural: np.ndarray, seg_district: np.ndarray) -> tuple[str, ...]:
    return tuple(sorted(set(seg_district[structural & (seg_district != "")])))


def _months_elapsed(report: Report) -> int:
    y0, m0 = map(int, report.cumulative_from.split("-"))
    y1, m1 = map(int, report.period.split("-"))
    return (y1 - y0) * 12 + (m1 - m0) + 1


def _run_rate(report, seg, p_annual, volume, masks):
    """Month-only share from two year-to-date shares, assuming equal monthly volumes:
    YTD_n = ((n−1)·YTD_{n−1} + month_n) / n  ⇒  month_n = n·YTD_n − (n−1)·YTD_{n−1}.
    Each block's segments are then shifted by one common log-odds δ (scipy brentq) so that the
    block's volume-weighted share equals that month-only share. Zeros (structural or not) stay 0."""
    prev = report.previous_period
    if prev is None:
        return {}, None
    n = _months_elapsed(report)
    p_rr = p_annual.copy()
    out = {}
    for scope, block in (("department", "department"), ("district", "district_incl_communes")):
        s_prev = report.province_value("online_share_pct", scope, prev)
        s_cur = report.province_value("online_share_pct", scope)
        mask = masks[block] & (volume > 0)
        if s_prev is None or s_cur is None or not mask.any():
            return {}, None
        month_only = (n * s_cur - (n - 1) * s_prev) / 100
        if not 0 < month_only < 1:
            return {}, None
        p, v = p_annual[mask], volume[mask]
        movable = (p > 0) & (p < 1)

        def gap(delta, p=p, v=v, movable=movable, month_only=month_only):
            shifted = np.where(movable, expit(_safe_logit(p) + delta), p)
            return (shifted * v).sum() / v.sum() - month_only

        delta = brentq(gap, -30, 30, xtol=1e-12)
        p_rr[mask] = np.where(movable, expit(_safe_logit(p) + delta), p)
        out[block] = RunRate(block, n, s_prev, s_cur, 100 * month_only, float(delta))
    return out, p_rr


# ---------------------------------------------------------------- batches


@dataclass
class Batch:
    """Column arrays of length B, one per parameter / effect / assumption id, plus the
    (B, S) mask of structural segments each row switches on."""

    columns: dict[str, np.ndarray]
    enable_mask: np.ndarray
    # (B, S, 2) standard normal draws of each segment's estimated level and trend (Monte Carlo of the
    # series estimate); None = the estimates themselves
    series_z: np.ndarray | None = None

    @property
    def size(self) -> int:
        return self.enable_mask.shape[0]

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key]

    def take(self, index) -> Batch:
        index = np.asarray(index)
        z = None if self.series_z is None else self.series_z[index]
        return Batch({k: v[index] for k, v in self.columns.items()}, self.enable_mask[index], z)


def default_row() -> dict[str, float]:
    row: dict[str, float] = {pid: float(p.default) for pid, p in PARAM_BY_ID.items()}
    row.update({e.id: e.central for e in EFFECTS})
    row.update({a.id: float(a.default) for a in ASSUMPTIONS})
    row["series_offset_months"] = 0.0  # months from the series' last month to the December before the plan year
    row["momentum_offset_months"] = 0.0  # months from the report's month to the December before the plan year
    row["series_trend_on"] = 1.0  # 0 for the "held flat" reference line
    return row


@dataclass
class BatchResult:
    share: np.ndarray  # (B, M, S)
    volume_factor: np.ndarray  # (B, M): monthly volume = factor × annual volume / 12
    annual_volume: np.ndarray  # (S,)
    agg_online: np.ndarray  # (B, M, K) behavioural: what the province's own system counts before any correction
    agg_volume: np.ndarray  # (B, M, K)
    services_kpi: np.ndarray  # (B, M)
    agg_online_measured: np.ndarray  # (B, M, K) after measurement corrections ("đo được")
    # (B, M) fraction of the gap to 1 closed, by what it moves: "services" (ServicesShare terms) and
    # "payment" (PaymentShare terms); model/index766.py applies them to the Decision 766 indicators
    lifts: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def volume(self) -> np.ndarray:  # (B, M, S), built only when asked for
        return self.volume_factor[:, :, None] * (self.annual_volume / 12)[None, None, :]

    @property
    def online(self) -> np.ndarray:
        return self.share * self.volume

    @property
    def agg_share(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.agg_online / self.agg_volume

    @property
    def annual_share(self) -> np.ndarray:  # (B, K), volume-weighted over the plan year
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.agg_online.sum(axis=1) / self.agg_volume.sum(axis=1)

    @property
    def december_share(self) -> np.ndarray:  # (B, K)
        return self.agg_share[:, -1, :]

    @property
    def agg_share_measured(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.agg_online_measured / self.agg_volume


def _ramp(col: dict[str, np.ndarray], lever_id: str) -> np.ndarray:
    """(B, M): 0 before the start month, then (m − start + 1)/ramp up to 1, in the columns' dtype."""
    start = col[f"{lever_id}.start_month"][:, None]
    ramp = np.maximum(col[f"{lever_id}.ramp_months"], 1)[:, None]
    return np.clip((MONTH_ARRAY.astype(start.dtype)[None, :] - start + 1) / ramp, 0.0, 1.0)


# The start of a Monte Carlo batch's months before any lever's log-odds shift (step 1 and the
# responsive floor): it reads only the start point, momentum, series draws, floor and the
# structural switch's adoption, so a slider move on any other lever finds it here. At 400 units
# this is half of a move's Monte Carlo. Keyed by the bytes of what it reads.
_STARTS: dict[tuple, tuple] = {}
_START_COLUMNS = (
    "start_point",
    "momentum_offset_months",
    "momentum_logodds_per_year",
    "series_trend_on",
    "series_offset_months",
    "responsive_floor_pct",
)


def _responsive_start(
    c: Compiled, col: dict[str, np.ndarray], batch: Batch, dtype, eps: float, structural_terms: list
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p0, p_resp, x_resp), each (B, M, S): the share each segment would have with no lever, that
    share raised to the responsive floor, and the latter's log-odds."""
    read = [col[name] for name in _START_COLUMNS]
    read += [col[name] for _lever, term in structural_terms for name in (term.adoption, term.realisation)]
    digest = hashlib.blake2b(digest_size=16)
    for values in read:
        digest.update(np.ascontiguousarray(values).tobytes())
    # The series draws (draws × segments × 2; 3,3 MB at 400 units, ≈ 3 ms to hash on every move) are
    # the Monte Carlo's kept, read-only array: known by identity, checked with the rest of `inputs`.
    # Draws that could be changed in place (writeable, or a view of another array) are hashed.
    series = batch.series_z
    series_kept = series if series is not None and series.base is None and not series.flags.writeable else None
    if series is not None and series_kept is None:
        digest.update(np.ascontiguousarray(series).tobytes())
    # what it reads of the compiled report (shared, not copied, by `with_targets`: another target set
    # still finds its start)
    inputs = (
        series_kept,
        c.p_annual,
        c.p_run_rate,
        c.series_level,
        c.series_trend,
        c.series_chol,
        c.series_mask,
        c.series_season,
        c.structural,
    )
    key = (tuple(id(x) for x in inputs), np.dtype(dtype).str, batch.size, batch.series_z is None, digest.digest())
    hit = kept_arrays(_STARTS, key, inputs)
    if hit is not None:
        return hit[0], hit[1], hit[2]
    p0, p_resp, x_resp = keep_arrays(
        _STARTS, key, inputs, _compute_responsive_start(c, col, batch, dtype, eps, structural_terms), 6
    )
    return p0, p_resp, x_resp


def _compute_responsive_start(c, col, batch, dtype, eps, structural_terms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    B = batch.size
    p_annual = c.p_annual.astype(dtype)
    p_run_rate = None if c.p_run_rate is None else c.p_run_rate.astype(dtype)
    # 1. start point and momentum
    use_rr = (np.abs(col["start_point"] - 1) < 0.5) & (p_run_rate is not None)
    p_start = np.where(use_rr[:, None], p_run_rate if p_run_rate is not None else p_annual, p_annual[None, :])
    movable = (p_start > 0) & (p_start < 1)
    x_start = _safe_logit(p_start, eps)  # (B, S): cheap; the (B, M, S) passes below avoid logit where they can
    # momentum runs from the report's month: a plan year two years after it carries two more years
    t_report = (MONTH_ARRAY[None, :].astype(dtype) + col["momentum_offset_months"][:, None]) / 12.0  # (B, M)
    drift = col["momentum_logodds_per_year"][:, None, None] * t_report[:, :, None]
    use_series = (col["start_point"] >= 1.5) & (c.series_level is not None)
    if (
        c.series_level is not None
        and c.series_trend is not None
        and c.series_chol is not None
        and c.series_mask is not None
        and np.any(use_series)
    ):
        # The series estimate: each calibrated segment starts at its fitted level at the series' last
        # month and follows its own fitted trend (drawn from their covariance in Monte Carlo rows);
        # the rest keep the report's shares and the momentum assumption.
        level = np.broadcast_to(c.series_level, (B, c.n_seg)).astype(dtype)
        trend = np.broadcast_to(c.series_trend, (B, c.n_seg)).astype(dtype) * col["series_trend_on"][:, None]
        if batch.series_z is not None:
            z = batch.series_z.astype(dtype)
            chol = c.series_chol.astype(dtype)
            level = level + chol[None, :, 0, 0] * z[:, :, 0]
            trend = (
                trend + (chol[None, :, 1, 0] * z[:, :, 0] + chol[None, :, 1, 1] * z[:, :, 1]) * col["series_trend_on"][:, None]
            )
        chosen = use_series[:, None] & c.series_mask[None, :]  # (B, S)
        x_start = np.where(chosen, np.clip(level, float(logit(eps)), float(logit(1 - eps))), x_start)
        p_start = np.where(chosen, _logistic(x_start), p_start)
        movable = np.where(chosen, True, movable)
        t_series = (MONTH_ARRAY[None, :].astype(dtype) + col["series_offset_months"][:, None]) / 12.0  # (B, M)
        path = trend[:, None, :] * t_series[:, :, None]
        if c.series_season is not None:
            # the plan year's months are January–December: each segment's block's month-of-year effect
            # (a December push, a Tết dip), off with the trend for the "held flat" line
            path = path + c.series_season.T.astype(dtype)[None, :, :] * col["series_trend_on"][:, None, None]
        drift = np.where(chosen[:, None, :], path, drift)
    x0 = x_start[:, None, :] + drift
    # Only where the drift is non-zero: expit(logit(p)) is not bit-identical to p, and the
    # baseline must be reproduced exactly.
    drifting = movable[:, None, :] & (drift != 0)
    p0 = (
        np.where(drifting, _logistic(x0), p_start[:, None, :])
        if np.any(drift)
        else np.broadcast_to(p_start[:, None, :], x0.shape)
    )
    adoption = np.zeros(B, dtype=dtype)
    for _lever, term in structural_terms:  # one lever of this kind in practice; several would add up
        adoption = adoption + col[term.adoption] / 100 * col[term.realisation]
    adoption = np.clip(adoption, 0, 1 - eps)
    p0 = np.where(c.structural[None, None, :], adoption[:, None, None], p0)

    floor = np.clip(col["responsive_floor_pct"] / 100, eps, 1 - eps)[:, None, None]
    p_resp = np.clip(np.maximum(p0, floor), eps, 1 - eps)
    # logit(max(p0, floor)) without a second pass of logs: p0 = expit(x0) where it drifted,
    # p_start (logit known) where it did not, the adoption level for structural segments.
    x_resp = np.where(drifting, x0, x_start[:, None, :])
    x_resp = np.where(c.structural[None, None, :], _safe_logit(adoption, eps)[:, None, None], x_resp)
    x_resp = np.where(p0 >= floor, x_resp, _safe_logit(floor, eps))
    x_resp = np.clip(x_resp, float(logit(eps)), float(logit(1 - eps)))  # python floats keep float32 arrays float32
    return p0, p_resp, x_resp


def evaluate(c: Compiled, batch: Batch, dtype=np.float64) -> BatchResult:
    """float64 by default (exact baseline); Monte Carlo passes float32, which halves the memory
    traffic of the (B, M, S) passes and is far finer than the 0.01 points results are shown at."""
    col = {k: v.astype(dtype, copy=False) for k, v in batch.columns.items()}
    B = batch.size
    eps = _EPS if np.dtype(dtype) == np.float64 else 1e-6  # 1 − 1e-12 is 1.0 in float32

    # 1. start point and momentum, and the responsive floor (unchanged by most lever moves: cached)
    t = (MONTH_ARRAY / 12.0).astype(dtype)
    structural_terms = [(lever, term) for lever in LEVERS for term in lever.terms_of(StructuralSwitch)]
    p0, p_resp, x_resp = _responsive_start(c, col, batch, dtype, eps, structural_terms)

    # 2. log-odds shifts, the same for every segment with services
    ramps = {lever.id: _ramp(col, lever.id) for lever in LEVERS}  # (B, M) each; computed once
    delta = np.zeros((B, N_MONTHS), dtype=dtype)
    for lever in LEVERS:
        for shift in lever.terms_of(LogOddsShift):
            delta = delta + ramps[lever.id] * (col[shift.effect] * col[shift.setting] / shift.full_at)[:, None]
    delta = delta[:, :, None]
    p = _increment(x_resp, delta, p_resp)
    p += p0  # a new array: p0 may be kept for the next move (read-only)
    np.clip(p, 0.0, 1.0, out=p)

    # 3. gap closing: each segment closes a fraction of its gap to its own target, in share points
    has_target = ~np.isnan(c.unit_target)
    target = np.nan_to_num(c.unit_target).astype(dtype)
    for lever in LEVERS:
        for closing in lever.terms_of(GapClosing):
            fraction = ramps[lever.id] * (col[closing.setting] / 100)[:, None]  # (B, M)
            if np.any(fraction) and has_target.any():  # skip the (B, M, S) pass when the lever is off
                p = p + fraction[:, :, None] * np.where(has_target, np.maximum(0.0, target - p), 0.0)

    # 4. channel switch: a mandatory share of the remaining paper dossiers moves online
    kind_masks = {"department": c.is_department, "district_office": c.is_office, "commune": c.is_commune}
    for lever in LEVERS:
        for channel in lever.terms_of(ChannelSwitch):
            covered = np.zeros((B, c.n_seg), dtype=dtype)
            for seg_kind, pid in channel.covered:
                covered = np.where(kind_masks[seg_kind][None, :], (col[pid] / 100)[:, None], covered)
            moved = covered[:, None, :] * ((col[channel.compliance] / 100)[:, None] * ramps[lever.id])[:, :, None]
            if np.any(moved):
                p = p + (1 - p) * moved

    # 5. structural zeros: only the switched-on fraction of the chosen districts' communes
    if c.structural.any():  # only those few segments are touched
        switched_on = np.zeros((B, N_MONTHS), dtype=dtype)
        for lever, term in structural_terms:
            switched_on = np.maximum(switched_on, ramps[lever.id] * (col[term.adoption] > 0)[:, None])
        p[:, :, c.structural] *= batch.enable_mask[:, None, c.structural] * switched_on[:, :, None]
    np.clip(p, 0.0, 1.0, out=p)

    # volumes: 1/12 of the year, optional growth and seasonality; never materialised as (B, M, S)
    growth = 1 + col["volume_growth_pct"][:, None] / 100 * t[None, :]
    season = (
        1 - col["seasonality_amplitude_pct"][:, None] / 100 * np.cos(2 * np.pi * (MONTH_ARRAY - 2) / 12).astype(dtype)[None, :]
    )
    factor = growth * season  # (B, M)
    monthly = (c.volume / 12).astype(dtype)
    block = c.block_matrix.astype(dtype)
    agg_online = ((p * monthly) @ block.T) * factor[:, :, None]
    agg_volume = factor[:, :, None] * (block @ monthly)[None, None, :]

    # 6. measurement corrections: what the province's system would count (only the flagged segments)
    agg_measured = agg_online
    corrections = [(lever, term) for lever in LEVERS for term in lever.terms_of(MeasurementCorrection)]
    if c.ministry.any() and corrections:
        flagged = p[:, :, c.ministry]
        corrected = flagged
        for lever, term in corrections:
            connect = (col[term.connected] / 100)[:, None] * ramps[lever.id]
            corrected = corrected + np.maximum(0.0, col[term.true_share][:, None, None] - corrected) * connect[:, :, None]
        corrected = np.clip(corrected, 0.0, 1.0)
        if np.any(corrected != flagged):
            extra = (corrected - flagged) * monthly[c.ministry]
            agg_measured = agg_online + (extra @ block[:, c.ministry].T) * factor[:, :, None]

    lifts = {}
    for name, kind in (("services", ServicesShare), ("payment", PaymentShare)):
        built = np.zeros((B, N_MONTHS), dtype=dtype)
        for lever in LEVERS:
            for term in lever.terms_of(kind):
                built = built + (col[term.setting] / 100 * col[term.effect])[:, None] * ramps[lever.id]
        lifts[name] = np.clip(built, 0.0, 1.0)
    if c.services_kpi0 is None:
        kpi = np.full((B, N_MONTHS), np.nan)
    else:
        kpi = c.services_kpi0 + (1 - c.services_kpi0) * lifts["services"]
    return BatchResult(p, factor, c.volume, agg_online, agg_volume, kpi, agg_measured, lifts)
