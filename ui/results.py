"""Model results for the pages, cached on their inputs (the data's id, the target set, the scenario)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from model.analysis import INTERACTIVE_DRAWS, contributions, grid
from model.levers import PARAM_BY_ID
from model.projection import Projection, project
from model.scenario import Scenario
from model.targets import target_set_from_json
from ui.state import active_targets, compiled, report


@st.cache_data(show_spinner=False, max_entries=512)
def _projection(report_id: str, targets_json: str, scenario_json: str, draws: int) -> Projection:
    return project(
        compiled(), Scenario.from_json(scenario_json), target_set_from_json(targets_json), draws, with_contributions=False
    )


def projection(s: Scenario, draws: int = INTERACTIVE_DRAWS) -> Projection:
    """The scenario against the active target set. The Scenario page's band uses fewer points than
    exports: a slider move must stay quick."""
    return _projection(report().id, active_targets().to_json(), s.to_json(), draws)


@st.cache_data(show_spinner=False, max_entries=256)
def _contributions(report_id: str, targets_json: str, scenario_json: str) -> pd.DataFrame:
    return contributions(compiled(), Scenario.from_json(scenario_json))


def lever_contributions(s: Scenario) -> pd.DataFrame:
    """Shapley contributions: computed only where they are shown (up to 256 runs with every lever on)."""
    return _contributions(report().id, active_targets().to_json(), s.to_json())


@st.cache_data(show_spinner=False, max_entries=64)
def _heat(
    report_id: str, targets_json: str, scenario_json: str, px: str, py: str, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = Scenario.from_json(scenario_json)
    p_x, p_y = PARAM_BY_ID[px], PARAM_BY_ID[py]
    xs, ys = np.linspace(p_x.min, p_x.max, n), np.linspace(p_y.min, p_y.max, n)
    return xs, ys, grid(compiled(), s, px, xs, py, ys)


def heat(s: Scenario, px: str, py: str, n: int = 11):
    return _heat(report().id, active_targets().to_json(), s.to_json(), px, py, n)
