"""The short cuts that keep a slider move quick at 400 units give the same figures as the long way:
- a group's month count is drawn whole (its binomials' sum), not unit by unit;
- a Monte Carlo batch's start (no lever yet) is kept between moves of other levers."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import model.engine as engine
from model.analysis import default_compiled
from model.calibration import _group_month_counts, calibrate
from model.datasets import builtin_dataset, open_dataset
from model.engine import compile_report
from model.levers import ASSUMPTIONS, LEVERS, PARAM_BY_ID
from model.projection import project
from model.scenario import builtin_scenario


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_units=st.integers(1, 12),
    size=st.sampled_from([2, 15, 60, 400, 3000]),
    share=st.floats(0.01, 0.99),
)
def test_a_group_s_month_count_has_the_quantiles_of_its_units_binomials_summed(seed, n_units, size, share):
    """Groups thin and thick (total n·p·(1 − p) below and above 25), shares near 0, 1 and between: the
    P10, P50 and P90 of the drawn group count are those of the per-unit binomials summed, at the
    same drawn shares, within the sampling error of 4.000 draws."""
    rng = np.random.default_rng(seed)
    draws, H, S = 4000, 2, n_units
    n_int = np.maximum(rng.poisson(size, (H, S)), 1).astype(np.int64)
    centre = np.clip(share + rng.normal(0, 0.05, (H, S)), 0.005, 0.995)
    p_month = np.clip(centre[None] + rng.normal(0, 0.02, (draws, H, S)), 0.001, 0.999).astype(np.float32)
    counted = np.ones((H, S), bool)
    member = np.stack([np.ones(S), (np.arange(S) == 0).astype(float)], -1)  # every unit; the first alone
    counts = _group_month_counts(np.random.default_rng(seed + 1), n_int, centre, p_month, counted, member)
    brute = np.random.default_rng(seed + 2).binomial(np.broadcast_to(n_int, p_month.shape), p_month)
    summed = np.stack([brute.sum(-1), brute[:, :, 0]], -1).astype(float)
    assert counts.shape == summed.shape == (draws, H, 2)
    assert (counts >= 0).all() and (counts <= (n_int @ member)[None] + 1e-6).all()
    for q in (0.1, 0.5, 0.9):
        ours, theirs = np.quantile(counts, q, axis=0), np.quantile(summed, q, axis=0)
        sd = np.sqrt(np.maximum(summed.var(axis=0), 0.25))
        # the P10/P90 of 4.000 draws move by about 0,03 standard deviations; a count is whole (± 1)
        assert (np.abs(ours - theirs) <= 0.12 * sd + 1.0).all(), (q, ours, theirs)


def _example():
    opened = open_dataset(builtin_dataset("vi-du-2025"))
    return compile_report(opened.report).with_calibration(calibrate(opened.series))


# the post-7/2025 example started from its months (series draws in the start), and the 2022 report
# (the commune-services lever, which changes the start, has communes to switch on)
COMPILED = {"vi-du-2025": (_example(), 2027, "latest"), "2022": (default_compiled(), 2023, "december_run_rate")}
RANGES = {p.id: (p.min, p.max) for lever in LEVERS for p in lever.params} | {
    a.id: (a.min, a.max) for a in ASSUMPTIONS if a.id != "start_point"
}


@settings(max_examples=16, deadline=None)
@given(
    data=st.sampled_from(sorted(COMPILED)),
    moves=st.lists(st.tuples(st.sampled_from(sorted(RANGES)), st.floats(0, 1)), min_size=1, max_size=4),
    adoption=st.floats(0.05, 1),
    floor=st.floats(0.05, 1),
    momentum=st.floats(0.05, 1),
)
def test_a_kept_start_gives_the_same_bands_as_a_fresh_one_after_any_moves(data, moves, adoption, floor, momentum):
    """Moves of any levers and assumptions, the commune-services lever and the responsive floor (which
    change the start) included: every band of each projection equals the one computed with nothing kept."""
    c, plan_year, start = COMPILED[data]
    s = replace(builtin_scenario("status_quo"), plan_year=plan_year, start_point=start)
    project(c, s, draws=128, with_contributions=False)  # kept: the start before the moves
    first = [
        ("fee_cut.cut_pct", 1.0),
        ("commune_enable.adoption_pct", adoption),
        ("responsive_floor_pct", floor),
        ("momentum_logodds_per_year", momentum),
    ]
    for pid, where in [*first, *moves]:
        low, high = RANGES[pid]
        (s.settings if pid in PARAM_BY_ID else s.assumptions)[pid] = low + where * (high - low)
        kept = project(c, s, draws=128, with_contributions=False)
        engine._STARTS.clear()
        fresh = project(c, s, draws=128, with_contributions=False)
        for name in ("band_monthly", "band_annual", "services_band", "monthly", "trend_band_monthly", "month_band_monthly"):
            np.testing.assert_array_equal(getattr(kept, name), getattr(fresh, name), err_msg=f"{pid}: {name}")


@settings(max_examples=8, deadline=None)
@given(scale=st.floats(0.2, 3.0).filter(lambda x: abs(x - 1) > 0.05), draws=st.sampled_from([16, 64, 128]))
def test_series_draws_changed_in_place_are_never_taken_for_the_kept_ones(scale, draws):
    """The kept start knows the Monte Carlo's own series draws (read-only) by identity, without hashing
    3 MB on every move; draws that can be changed in place are known by their content, so changing
    them gives the start a fresh computation gives, never the one kept for the old values."""
    from model.analysis import SEED, draw_batch
    from model.engine import evaluate

    c, plan_year, start = COMPILED["vi-du-2025"]
    s = replace(builtin_scenario("recommendations"), plan_year=plan_year, start_point=start)
    batch = draw_batch(c, s, draws, SEED)
    assert batch.series_z is not None and not batch.series_z.flags.writeable  # the kept, read-only draws
    kept_before = evaluate(c, batch, dtype=np.float32).agg_share
    batch.series_z = batch.series_z.copy()  # the same values, writeable
    np.testing.assert_array_equal(evaluate(c, batch, dtype=np.float32).agg_share, kept_before)
    batch.series_z *= scale  # changed in place
    changed = evaluate(c, batch, dtype=np.float32).agg_share
    engine._STARTS.clear()
    np.testing.assert_array_equal(changed, evaluate(c, batch, dtype=np.float32).agg_share)
    assert not np.array_equal(changed, kept_before)
