"""Model results for the pages, cached on their inputs (the data's id, the target set, the scenario)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from model import fmt
from model.allocation import METHODS, Allocation, allocate
from model.analysis import INTERACTIVE_DRAWS, contributions, grid
from model.calibration import BACKTEST_HOLDOUT, BACKTEST_HORIZONS, Backtest, backtest, coverage_table
from model.levers import PARAM_BY_ID
from model.limits import MIN_CALIBRATION_MONTHS
from model.projection import Projection, project
from model.register import register_steps
from model.scenario import Scenario
from model.series import ReportSeries
from model.targets import TargetSet
from model.views import Standing, standing
from ui.charts import show_table, status_text
from ui.i18n import lang
from ui.state import active_data, active_targets, compiled, presenting, report_month, results_version

# The scenario and the target set are the cache's key as their JSON text (hash_funcs); the function
# gets the objects themselves, so a slider value is never parsed back from JSON on its way to the screen.
_BY_CONTENT = {Scenario: Scenario.to_json, TargetSet: TargetSet.to_json}


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_BY_CONTENT)
def _projection(report_id: str, targets: TargetSet, scenario: Scenario, draws: int) -> Projection:
    return project(compiled(), scenario, targets, draws, with_contributions=False)


def projection(s: Scenario, draws: int = INTERACTIVE_DRAWS) -> Projection:
    """The scenario against the active target set. The Scenario page's band uses fewer points than
    exports: a slider move must stay quick."""
    return _projection(results_version(), active_targets(), s, draws)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_CONTENT)
def _contributions(report_id: str, targets: TargetSet, scenario: Scenario) -> pd.DataFrame:
    return contributions(compiled(), scenario)


def lever_contributions(s: Scenario) -> pd.DataFrame:
    """Shapley contributions: computed only where they are shown (up to 256 runs with every lever on)."""
    return _contributions(results_version(), active_targets(), s)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_BY_CONTENT)
def _heat(
    report_id: str, targets: TargetSet, scenario: Scenario, px: str, py: str, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p_x, p_y = PARAM_BY_ID[px], PARAM_BY_ID[py]
    xs, ys = np.linspace(p_x.min, p_x.max, n), np.linspace(p_y.min, p_y.max, n)
    return xs, ys, grid(compiled(), scenario, px, xs, py, ys)


def heat(s: Scenario, px: str, py: str, n: int = 11):
    return _heat(results_version(), active_targets(), s, px, py, n)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={ReportSeries: lambda s: s.obs.to_json()})
def _backtest(series: ReportSeries, holdout: int, register_csv: str | None) -> Backtest:
    return backtest(series, holdout=holdout, register=register_steps(register_csv, set(series.segments.seg_id)))


def backtest_of(series: ReportSeries, holdout: int = BACKTEST_HOLDOUT) -> Backtest:
    """The series' backtest over its last `holdout` months (ValueError when it has too few months),
    with the register kept with the dataset as the calibration uses it (measures as level shifts)."""
    return _backtest(series, holdout, active_data().register_csv)


def export_coverage() -> Callable[[], pd.DataFrame | None]:
    """For a workbook built on a download's click (which runs without the session): a function of no
    arguments that gives the active series' backtest coverage, the kept register's measures as level
    shifts as in the calibration; None without a series long enough."""
    data = active_data()
    series = data.series
    if series is None or series.n_months < MIN_CALIBRATION_MONTHS:
        return lambda: None
    register_csv, units = data.register_csv, set(series.segments.seg_id)
    return lambda: coverage_table(series, register=register_steps(register_csv, units))


def coverage_of(series: ReportSeries) -> pd.DataFrame:
    """The coverage table (holdout × level × id × band → coverage_pct, n) over every held-out span the
    series is long enough for (3 and 6 months); empty when it is too short for any."""
    frames = []
    for holdout in BACKTEST_HORIZONS:
        try:
            frames.append(backtest_of(series, holdout).coverage())
        except ValueError:  # too few months for this span
            continue
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_BY_CONTENT)
def _allocations(
    version: str, targets: TargetSet, scenario: Scenario, goal_pct: float, block: str, caps: tuple[tuple[str, float], ...]
) -> dict[str, Allocation]:
    proj = project(compiled(), scenario, targets, INTERACTIVE_DRAWS, with_contributions=False)
    return {m: allocate(proj, goal_pct, block, m, dict(caps)) for m in METHODS}


def allocations(s: Scenario, goal_pct: float, block: str, caps: dict[str, float]) -> dict[str, Allocation]:
    """Every allocation method's answer, cached on its inputs (a visit to the Targets page does not
    recompute three optimisations)."""
    return _allocations(results_version(), active_targets(), s, float(goal_pct), block, tuple(sorted(caps.items())))


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=_BY_CONTENT)
def _standing(version: str, targets: TargetSet) -> Standing:
    return standing(active_data().compiled, active_data().series, targets)


def data_standing() -> Standing:
    """Where each block stands at the data's last month (the Overview's headline), once per dataset
    and target set: with 400 units and 36 months it is a pandas pass over every month."""
    return _standing(results_version(), active_targets())


STATUS_COLOUR = {"green": "#1a7f37", "red": "#b42318", "gray": "#555"}


def unit_status_table(s: Scenario) -> None:
    """Each unit with dossiers in the report: its actual share, the scenario's December, its target and
    its status written out (✓ Đạt / ✗ Chưa đạt, the colour only repeats it), as a sortable grid (an
    HTML table in presentation mode). Drawn once for each data, target set, scenario, language and
    mode; a later visit replays the element drawn then (st.cache_data keeps what a cached function
    drew). The grid's figures are written by pandas' Styler, the one way to the Vietnamese decimal
    comma that still sorts by number, and at 400 units the Styler alone costs ≈ 20 ms per visit."""
    _unit_status_table(results_version(), active_targets(), s, INTERACTIVE_DRAWS, lang(), presenting())


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=_BY_CONTENT)
def _unit_status_table(
    version: str, targets: TargetSet, scenario: Scenario, draws: int, language: str, on_projector: bool
) -> None:
    # `language` and `on_projector` are the key's: the function reads them again through the session
    # (show_table reads the mode), which within one key always gives the same
    vi = language == "vi"
    units = _projection(version, targets, scenario, draws).units
    units = units[units.has_data & (units.report_dossiers > 0)]
    month = report_month()
    name, actual, december, target, status = (
        ("Đơn vị", "Unit"),
        (f"Thực tế đến {month} (%)", f"Actual to {month} (%)"),
        (f"Kịch bản T12/{scenario.plan_year} (%)", f"Scenario Dec {scenario.plan_year} (%)"),
        ("Chỉ tiêu (%)", "Target (%)"),
        ("Trạng thái", "Status"),
    )
    columns = [pair[0 if vi else 1] for pair in (name, actual, december, target, status)]
    goals = [None if g != g else g for g in units.target_pct.tolist()]
    texts = [status_text(v, g, language=language) for v, g in zip(units.december_pct.tolist(), goals)]
    table = pd.DataFrame(
        {
            columns[0]: (units.name_vi if vi else units.name_en).tolist(),
            columns[1]: units.report_share_pct.tolist(),
            columns[2]: units.december_pct.tolist(),
            columns[3]: units.target_pct.tolist(),  # no target: NaN, shown "—"
            columns[4]: [text for text, _ in texts],
        }
    )
    colours = [f"color: {STATUS_COLOUR[colour]}; font-weight: 600" for _, colour in texts]
    styled = table.style.format(
        {column: (lambda v: "—" if v is None or v != v else fmt.fixed(v, language)) for column in columns[1:4]}
    ).apply(lambda _col: colours, subset=[columns[4]])
    show_table(styled, height=300)
