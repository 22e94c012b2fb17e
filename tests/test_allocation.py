import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.allocation import METHODS, allocate, effort
from model.analysis import default_compiled
from model.projection import project
from tests.conftest import builtin

C = default_compiled()
STATUS_QUO = project(C, builtin("status_quo"), draws=1, with_contributions=False)
RECOMMENDATIONS = project(C, builtin("recommendations"), draws=1, with_contributions=False)


def weighted(table):
    return (table.volume * table.target_pct).sum() / table.volume.sum()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "block,target",
    [("province", 30.0), ("province", 50.0), ("department", 70.0), ("district_incl_communes", 40.0), ("communes", 25.0)],
)
def test_targets_reach_the_goal_within_001_points_with_floors_and_caps(method, block, target):
    out = allocate(STATUS_QUO, target, block, method)
    assert out.feasible
    assert weighted(out.table) == pytest.approx(target, abs=0.01)
    assert out.achieved_pct == pytest.approx(target, abs=0.01)
    assert (out.table.target_pct >= out.table.current_pct - 1e-9).all()  # floors
    assert (out.table.target_pct <= out.table.cap_pct + 1e-9).all()  # caps


def test_least_effort_costs_no_more_than_the_simple_rules():
    costs = {m: effort(allocate(STATUS_QUO, 40.0, "province", m).table) for m in METHODS}
    assert costs["least_effort"] <= costs["same_uplift"] + 1e-9
    assert costs["least_effort"] <= costs["same_gap_fraction"] + 1e-9


def test_infeasible_under_the_caps_names_the_binding_caps():
    caps = {sid: 20.0 for sid in C.seg.seg_id}
    out = allocate(STATUS_QUO, 50.0, "province", "least_effort", caps)
    assert not out.feasible
    assert out.message_en.startswith("Infeasible under these caps")
    assert out.message_vi.startswith("Không khả thi với các mức trần này")
    assert out.binding_caps[0] == "Cấp xã huyện Sông Mã"  # the biggest unit is named first


def test_already_reached_keeps_every_unit_at_its_current_share():
    out = allocate(RECOMMENDATIONS, 20.0, "province")
    assert out.feasible and np.allclose(out.table.target_pct, out.table.current_pct)


def test_annex_extra_dossiers_per_month():
    out = allocate(STATUS_QUO, 30.0, "province", "same_uplift")
    gtvt = out.table.set_index("seg_id").loc["so-gtvt"]
    # (target − 2022 actual) × 28,073 / 12
    assert gtvt.extra_online_per_month == pytest.approx((gtvt.target_pct - 100 * 334 / 28073) / 100 * 28073 / 12)


@settings(max_examples=30, deadline=None)
@given(st.floats(12.0, 80.0), st.sampled_from(METHODS))
def test_any_reachable_target_is_hit_exactly(target, method):
    out = allocate(STATUS_QUO, target, "province", method)
    if out.feasible:
        assert weighted(out.table) == pytest.approx(target, abs=0.01)
