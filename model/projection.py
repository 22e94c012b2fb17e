"""The one public entry point: `project(report, scenario, targets, draws) -> Projection`.

Like PySD's `model.run`, one call returns one typed result that every reader uses — the pages,
the command line, the Excel workbook and the target allocation — so nobody reshapes the engine's
arrays by index. Shares are in percent (0–100), counts in dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.analysis import DEFAULT_DRAWS, contributions, evaluate_scenarios, fixed_baseline_of, monte_carlo, status_quo_of
from model.baseline import Report
from model.engine import Compiled, compile_report
from model.index766 import CURRENT as CURRENT_FORMULA
from model.index766 import Formula, IndexScore, Movers, score_indicators
from model.indicators import Indicators
from model.levers import MONTHS
from model.scenario import Scenario, resolved_start_point
from model.segments import BLOCK_LABEL
from model.targets import DEFAULT_TARGET_SET, TargetSet, target_for


@dataclass(frozen=True)
class BlockFigures:
    """One block's headline numbers (percent; `target` and `gap` None when the target set has none)."""

    block: str
    december: float  # behavioural ("thực tế"): the headline
    december_measured: float  # with measurement corrections ("đo được")
    annual: float
    p10: float
    p50: float
    p90: float
    target: float | None
    gap: float | None  # december − target, in points
    status_quo_december: float
    flat_december: float
    plan_year_dossiers: float
    report_share: float

    @property
    def reached(self) -> bool | None:
        return None if self.gap is None else self.gap >= 0


@dataclass(frozen=True, kw_only=True)
class Projection:
    """A scenario projected over the plan year, with its band, contributions and targets.

    Arrays are indexed by `months` (M = 12) and `blocks` (K); `units` has one row per segment
    (department, district office, communes of a district, or commune)."""

    scenario: Scenario
    report_id: str
    report_period: str
    plan_year: int
    target_set: TargetSet
    draws: int
    blocks: tuple[str, ...]
    months: tuple[int, ...]
    monthly: np.ndarray  # (M, K) behavioural share
    monthly_measured: np.ndarray  # (M, K) with measurement corrections
    status_quo_monthly: np.ndarray  # (M, K) same assumptions, no lever
    flat_monthly: np.ndarray  # (M, K) the starting point held flat
    annual: np.ndarray  # (K,)
    annual_measured: np.ndarray  # (K,)
    band_monthly: np.ndarray  # (3, M, K) P10, P50, P90
    band_december: np.ndarray  # (3, K)
    band_annual: np.ndarray  # (3, K)
    services_monthly: np.ndarray  # (M,) services receiving online dossiers
    services_band: np.ndarray  # (3, M)
    block_dossiers: np.ndarray  # (K,) plan-year dossiers
    block_online: np.ndarray  # (K,) plan-year online dossiers (behavioural)
    block_share_report: np.ndarray  # (K,) the report's year-to-date share
    targets: np.ndarray  # (K,) percent, NaN = no target
    units: pd.DataFrame  # one row per segment; see `_units`
    unit_monthly: np.ndarray  # (M, S) behavioural share per segment
    unit_dossiers_monthly: np.ndarray  # (M, S) projected dossiers per segment and month
    contributions: pd.DataFrame | None = field(default=None)  # lever, kind, period, block, points
    # the two bands of model/calibration.py, only when the series estimate is the start point (else None):
    # where the expected share lies ("dải của xu hướng") and where an observed month should fall ("dải dự báo tháng")
    trend_band_monthly: np.ndarray | None = field(default=None)  # (3, M, K) P10, P50, P90
    month_band_monthly: np.ndarray | None = field(default=None)  # (3, M, K)
    # Decision 766 points in December of the plan year (model/index766.py); every part "no data"
    # when no indicators were given
    index_766: IndexScore | None = field(default=None)
    # what the projection moves in the Decision 766 indicators, central and per draw, so the points for
    # other indicator counts are a cheap `score_indicators(formula, indicators, *index_766_movers)`
    index_766_movers: tuple[Movers, Movers] | None = field(default=None)

    def index(self, block: str) -> int:
        if block not in self.blocks:
            raise KeyError(f"block {block!r} is not in this data (it has {', '.join(self.blocks)})")
        return self.blocks.index(block)

    # Readers take figures by name (block, line, month), never by an axis position: the blocks come
    # from the data (no district block after 7/2025), so a position means different things per dataset.
    LINES = ("scenario", "measured", "status_quo", "flat", "p10", "p50", "p90")

    def line(self, block: str, line: str = "scenario") -> pd.Series:
        """One block's monthly line over the plan year, in percent, indexed by month (1–12): the
        scenario, its measured share, the status quo, the flat start, or the band's P10/P50/P90."""
        b = self.index(block)
        values = {
            "scenario": self.monthly,
            "measured": self.monthly_measured,
            "status_quo": self.status_quo_monthly,
            "flat": self.flat_monthly,
            "p10": self.band_monthly[0],
            "p50": self.band_monthly[1],
            "p90": self.band_monthly[2],
        }[line][:, b]
        return pd.Series(values, index=pd.Index(self.months, name="month"), name=line)

    def lines(self, block: str) -> pd.DataFrame:
        """Every line of one block, one column each, indexed by month."""
        return pd.concat([self.line(block, name) for name in self.LINES], axis=1)

    def services(self, month: int = 12) -> float:
        """The share of services receiving online dossiers in a plan-year month, in percent."""
        return float(self.services_monthly[self.months.index(month)])

    def block_volumes(self) -> dict[str, float]:
        """Plan-year dossiers per block, by name."""
        return {b: float(v) for b, v in zip(self.blocks, self.block_dossiers)}

    @property
    def december(self) -> np.ndarray:  # (K,)
        return self.monthly[-1]

    @property
    def december_measured(self) -> np.ndarray:  # (K,)
        return self.monthly_measured[-1]

    def target(self, block: str) -> float | None:
        value = self.targets[self.index(block)]
        return None if np.isnan(value) else float(value)

    def block(self, block: str) -> BlockFigures:
        b = self.index(block)
        target = self.target(block)
        dec = float(self.monthly[-1, b])
        return BlockFigures(
            block,
            dec,
            float(self.monthly_measured[-1, b]),
            float(self.annual[b]),
            float(self.band_december[0, b]),
            float(self.band_december[1, b]),
            float(self.band_december[2, b]),
            target,
            None if target is None else dec - target,
            float(self.status_quo_monthly[-1, b]),
            float(self.flat_monthly[-1, b]),
            float(self.block_dossiers[b]),
            float(self.block_share_report[b]),
        )

    def has_measurement_correction(self) -> bool:
        return bool(np.nanmax(np.abs(self.monthly_measured - self.monthly), initial=0.0) > 1e-9)

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per level × unit × month × measure (value in percent or dossiers)."""
        frames = []
        for name, values in (
            ("share_pct", self.monthly),
            ("share_measured_pct", self.monthly_measured),
            ("status_quo_pct", self.status_quo_monthly),
            ("flat_pct", self.flat_monthly),
            ("p10_pct", self.band_monthly[0]),
            ("p50_pct", self.band_monthly[1]),
            ("p90_pct", self.band_monthly[2]),
        ):
            frames.append(
                pd.DataFrame(
                    {
                        "level": "block",
                        "id": np.tile(np.array(self.blocks), len(self.months)),
                        "name_vi": np.tile([BLOCK_LABEL[b][0] for b in self.blocks], len(self.months)),
                        "name_en": np.tile([BLOCK_LABEL[b][1] for b in self.blocks], len(self.months)),
                        "month": np.repeat(np.array(self.months), len(self.blocks)),
                        "measure": name,
                        "value": values.reshape(-1),
                    }
                )
            )
        u = self.units
        frames.append(
            pd.DataFrame(
                {
                    "level": "unit",
                    "id": np.tile(u.seg_id.to_numpy(), len(self.months)),
                    "name_vi": np.tile(u.name_vi.to_numpy(), len(self.months)),
                    "name_en": np.tile(u.name_en.to_numpy(), len(self.months)),
                    "month": np.repeat(np.array(self.months), len(u)),
                    "measure": "share_pct",
                    "value": self.unit_monthly.reshape(-1),
                }
            )
        )
        out = pd.concat(frames, ignore_index=True)
        out.insert(0, "scenario", self.scenario.name)
        out.insert(1, "plan_year", self.plan_year)
        return out


def _compiled(report: Report | Compiled) -> Compiled:
    return report if isinstance(report, Compiled) else compile_report(report)


def project(
    report: Report | Compiled,
    scenario: Scenario,
    targets: TargetSet | None = None,
    draws: int = DEFAULT_DRAWS,
    *,
    with_contributions: bool = True,
    indicators: Indicators | None = None,
    formula: Formula | None = None,
) -> Projection:
    """Project `scenario` on `report` (or its compiled form) against `targets` (default: Decision
    1434), with a P10–P90 band from `draws` Sobol points."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    target_set = targets or DEFAULT_TARGET_SET
    c = _compiled(report).with_targets(target_set)
    res = evaluate_scenarios(c, [scenario, status_quo_of(scenario), fixed_baseline_of(scenario)])
    bands = monte_carlo(c, scenario, draws=draws)
    with np.errstate(invalid="ignore", divide="ignore"):
        annual_measured = res.agg_online_measured[0].sum(axis=0) / res.agg_volume[0].sum(axis=0)
    dossiers = res.agg_volume[0].sum(axis=0)
    volumes = dict(zip(c.blocks, dossiers))
    block_targets = np.array([np.nan if (t := target_for(target_set, b, volumes)) is None else t for b in c.blocks])
    seg = c.seg
    report_online, report_volume = c.block_matrix @ (c.p_annual * c.volume), c.block_matrix @ c.volume
    with np.errstate(invalid="ignore", divide="ignore"):
        report_share = 100 * report_online / report_volume
    december = 100 * res.share[0, -1, :]
    trend_band = month_band = None
    if resolved_start_point(c, scenario) == "series_estimate" and c.calibration is not None:
        from model.calibration import plan_year_bands

        trend_band, month_band = plan_year_bands(
            c.calibration, list(seg.seg_id), scenario.plan_year, res.share[0], res.volume[0], c.block_matrix, draws=draws
        )
    movers = _index_766_movers(res, bands, c.blocks)
    unit_target = 100 * c.unit_target
    units = pd.DataFrame(
        {
            "seg_id": seg.seg_id,
            "unit_id": seg.unit_id,
            "name_vi": seg.name_vi,
            "name_en": seg.name_en,
            "kind": seg.kind,
            "district_id": seg.district_id,
            "has_data": seg.has_data,
            "structural_zero": seg.structural_zero,
            "report_dossiers": c.volume,
            "report_share_pct": 100 * c.p_annual,
            "december_pct": december,
            "annual_pct": 100 * res.online[0].sum(axis=0) / np.where(c.volume > 0, res.volume[0].sum(axis=0), np.nan),
            "december_dossiers": res.volume[0, -1, :],
            "december_online": res.online[0, -1, :],
            "target_pct": unit_target,
            "gap_pts": december - unit_target,
        }
    )
    return Projection(
        scenario=scenario,
        report_id=c.report.id,
        report_period=c.report.period,
        plan_year=scenario.plan_year,
        target_set=target_set,
        draws=draws,
        blocks=c.blocks,
        months=MONTHS,
        monthly=100 * res.agg_share[0],
        monthly_measured=100 * res.agg_share_measured[0],
        status_quo_monthly=100 * res.agg_share[1],
        flat_monthly=100 * res.agg_share[2],
        annual=100 * res.annual_share[0],
        annual_measured=100 * annual_measured,
        band_monthly=100 * bands.monthly,
        band_december=100 * bands.december,
        band_annual=100 * bands.annual,
        services_monthly=100 * res.services_kpi[0],
        services_band=100 * bands.services,
        block_dossiers=dossiers,
        block_online=res.agg_online[0].sum(axis=0),
        block_share_report=report_share,
        targets=block_targets,
        units=units,
        unit_monthly=100 * res.share[0],
        unit_dossiers_monthly=res.volume[0],
        contributions=contributions(c, scenario) if with_contributions else None,
        trend_band_monthly=trend_band,
        month_band_monthly=month_band,
        index_766=score_indicators(formula or CURRENT_FORMULA, indicators, *movers, month=f"{scenario.plan_year}-12"),
        index_766_movers=movers,
    )


def _index_766_movers(res, bands, blocks: tuple[str, ...]) -> tuple[Movers, Movers]:
    """December's movers of the Decision 766 indicators: the province's behavioural share (the
    headline) and the lifts of the scenario, then the same from every Monte Carlo draw for P10–P90."""
    prov = blocks.index("province")
    central = Movers(
        online_share=float(res.agg_share[0, -1, prov]),
        services_lift=float(res.lifts["services"][0, -1]),
        payment_lift=float(res.lifts["payment"][0, -1]),
    )
    drawn = Movers(
        online_share=bands.draws["december_share"][:, prov],
        services_lift=bands.draws["services"],
        payment_lift=bands.draws["payment"],
    )
    return central, drawn
