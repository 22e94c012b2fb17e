"""What the pages show, computed without Streamlit: each function reads model results by name
(block, line, month) and returns a small typed view the page only lays out. Tested in
tests/test_views.py; an architecture test keeps arithmetic on model arrays out of app_pages/."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.engine import Compiled
from model.projection import Projection
from model.segments import block_totals
from model.series import ReportSeries, period_of
from model.targets import TargetSet, target_for

TWIN_TOLERANCE_PTS = 0.005  # lines closer than this everywhere are drawn as one under the other


@dataclass(frozen=True)
class CompareLines:
    """Each scenario's monthly line for one block (a column per scenario, indexed by month), and for
    each scenario the earlier one it coincides with (None when it is visible on its own)."""

    lines: pd.DataFrame
    twins: list[str | None]


def compare_lines(projections: list[Projection], names: list[str], block: str) -> CompareLines:
    lines = pd.concat([p.line(block) for p in projections], axis=1)
    lines.columns = pd.Index(names)
    twins: list[str | None] = []
    for i in range(len(names)):
        twin = next(
            (names[j] for j in range(i) if float((lines.iloc[:, j] - lines.iloc[:, i]).abs().max()) < TWIN_TOLERANCE_PTS),
            None,
        )
        twins.append(twin)
    return CompareLines(lines, twins)


@dataclass(frozen=True)
class WaterfallStep:
    label_vi: str
    label_en: str
    value: float  # a share (percent) for "absolute" and "total" steps, points for "relative" ones
    measure: str  # plotly's waterfall measure: absolute, relative or total


def waterfall_steps(proj: Projection, contributions: pd.DataFrame, block: str) -> list[WaterfallStep]:
    """December of the plan year, from the flat start: the start, momentum, each behavioural lever's
    Shapley contribution, the behavioural total; then the measurement correction and the measured
    total, apart (a correction is not more citizens submitting online)."""
    from model.levers import LEVER_BY_ID

    figures = proj.block(block)
    part = (
        contributions[(contributions.period == "december") & (contributions.block == block)]
        if len(contributions)
        else contributions
    )
    steps = [
        WaterfallStep("Điểm xuất phát", "Starting point", figures.flat_december, "absolute"),
        WaterfallStep("Đà tăng tự nhiên", "Momentum", figures.status_quo_december - figures.flat_december, "relative"),
    ]
    corrections = []
    for r in part.itertuples():
        lever = LEVER_BY_ID[r.lever]
        if lever.kind == "measurement":
            corrections.append(
                WaterfallStep(
                    lever.label_vi + " (hiệu chỉnh đo lường)", lever.label_en + " (measurement correction)", r.points, "relative"
                )
            )
        else:
            steps.append(WaterfallStep(lever.label_vi, lever.label_en, float(r.points), "relative"))
    steps.append(WaterfallStep("Kịch bản T12 (dự báo)", "Scenario, Dec (projected)", figures.december, "total"))
    if corrections:
        steps += corrections
        steps.append(WaterfallStep("Kịch bản T12 (đo được)", "Scenario, Dec (measured)", figures.december_measured, "total"))
    return [WaterfallStep(s.label_vi, s.label_en, float(s.value), s.measure) for s in steps]


@dataclass(frozen=True)
class BlockStanding:
    """Where a block stands in the data: its last month alone (None when the data has no single
    month) and its year to date (January to the last month), with the counts and the target."""

    block: str
    last_month_pct: float | None
    ytd_pct: float | None
    online_ytd: int
    dossiers_ytd: int
    target: float | None


@dataclass(frozen=True)
class Standing:
    last_period: str  # YYYY-MM, the last month with data
    ytd_from: str  # YYYY-MM, the first month of the year-to-date figures
    from_series: bool  # True when the figures come from monthly data, False from one year-to-date report
    blocks: list[BlockStanding]

    def block(self, block: str) -> BlockStanding:
        return next(b for b in self.blocks if b.block == block)


def standing(c: Compiled, series: ReportSeries | None, targets: TargetSet) -> Standing:
    """The Overview's headline: the blocks the data has, at its last month. With a monthly series the
    last month is the series' (its own counts) and the year to date adds its months of that year;
    with one report it is the report's year to date."""
    blocks = [b for b in c.blocks if b != "district_offices"]
    masks = dict(zip(c.blocks, c.block_matrix.astype(bool)))
    seg_block = {b: set(c.seg.seg_id[masks[b]]) for b in blocks}
    use_series = series is not None and len(series.monthly) > 0 and series.last_month >= c.report_month
    rows = []
    if use_series:
        assert series is not None
        last = series.last_month
        year_start = last // 12 * 12
        obs = series.obs[(series.obs["first"] >= year_start) & (series.obs["last"] <= last)]
        single = series.monthly[series.monthly["first"] == last]
        volumes = {b: float(obs[obs.seg_id.isin(seg_block[b])].dossiers.sum()) for b in blocks}
        for b in blocks:
            part, month = obs[obs.seg_id.isin(seg_block[b])], single[single.seg_id.isin(seg_block[b])]
            online, dossiers = int(part.online.sum()), int(part.dossiers.sum())
            rows.append(
                BlockStanding(
                    b,
                    float(100 * month.online.sum() / month.dossiers.sum()) if month.dossiers.sum() else None,
                    100 * online / dossiers if dossiers else None,
                    online,
                    dossiers,
                    target_for(targets, b, volumes),
                )
            )
        return Standing(period_of(last), period_of(year_start), True, rows)
    totals = block_totals(c.seg)
    volumes = {b: float(totals[b][1]) for b in blocks}
    for b in blocks:
        online, dossiers = totals[b]
        rows.append(
            BlockStanding(
                b, None, 100 * online / dossiers if dossiers else None, online, dossiers, target_for(targets, b, volumes)
            )
        )
    return Standing(c.report.period, c.report.cumulative_from, False, rows)


@dataclass(frozen=True)
class Bridge:
    """How the first projected month follows on from the last actual one, for one block."""

    last_period: str  # YYYY-MM of the last month with data
    last_pct: float  # that month's share (the year to date, when the data has no single month)
    first_pct: float  # the plan year's first projected month
    reason_vi: str
    reason_en: str

    @property
    def gap_pts(self) -> float:
        return self.first_pct - self.last_pct


def bridge(proj: Projection, now: Standing, block: str, starts_from_series: bool) -> Bridge | None:
    """The step from the last actual month to the first projected one, and why it is there: seasonality
    and the trend over the months between (a series start), or a year-to-date average taken as the
    start (a report start). None when the step is under half a point (nothing to explain)."""
    figures = now.block(block)
    last = figures.last_month_pct if figures.last_month_pct is not None else figures.ytd_pct
    if last is None:
        return None
    first = float(proj.line(block).iloc[0])
    if abs(first - last) < 0.5:
        return None
    if starts_from_series:
        vi = "theo mùa vụ của từng tháng và xu hướng ước lượng qua các tháng ở giữa; một tháng cao hoặc thấp bất thường không được kéo dài"
        en = (
            "each month has its own seasonal effect and the estimated trend runs over the months between; an unusually "
            "high or low month is not carried on"
        )
    else:
        vi = "điểm xuất phát là tỷ lệ lũy kế của báo cáo (bình quân từ đầu năm), không phải riêng tháng cuối, cộng đà tăng giả định"
        en = "the start is the report's year-to-date share (an average since January), not the last month alone, plus the assumed momentum"
    return Bridge(now.last_period, float(last), first, vi, en)
