"""What planners ask of a scenario, each answered with one batch through the engine:
projection (`run`), uncertainty bands, lever contributions (Shapley), goal seek, sensitivity
ranking and two-lever grids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import brentq
from scipy.stats import qmc

from model.baseline import DEFAULT_REPORT_DIR, Report, load_report
from model.engine import Batch, BatchResult, Compiled, compile_report, evaluate
from model.levers import ASSUMPTIONS, EFFECTS, LEVER_BY_ID, LEVERS, PARAM_BY_ID, PaymentShare
from model.scenario import ADOPTION_PARAMS, Scenario, build_batch, resolved_start_point
from model.segments import BLOCK_LABEL

SEED = 20230103  # the report's date; fixed so every run gives the same bands
# Scrambled Sobol points (scipy.stats.qmc) rather than independent draws: 1,024 of them place the
# P10/P90 about as precisely as 2,000 independent draws did, in half the time (see `make bench`).
DEFAULT_DRAWS = 1024
INTERACTIVE_DRAWS = 512  # the Scenario page's band, redrawn on every slider move


@lru_cache(maxsize=8)
def _compiled_for(folder: str) -> Compiled:
    return compile_report(load_report(folder))


def default_compiled() -> Compiled:
    return _compiled_for(str(DEFAULT_REPORT_DIR))


def compiled_from(report: Report) -> Compiled:
    return compile_report(report)


def block_index(c: Compiled, block: str) -> int:
    """Where `block` sits on the K axis of this data's results (the blocks come from the data)."""
    if block not in c.blocks:
        raise ValueError(f"block {block!r} is not in this data (it has {', '.join(c.blocks)})")
    return c.blocks.index(block)


# ------------------------------------------------------------------ projection


def evaluate_scenarios(c: Compiled, scenarios: list[Scenario]) -> BatchResult:
    return evaluate(c, build_batch(c, scenarios))


def status_quo_of(s: Scenario) -> Scenario:
    """Same assumptions, every lever off."""
    out = s.copy()
    for lever in LEVERS:
        out = out.lever_off(lever.id)
    return out


def fixed_baseline_of(s: Scenario) -> Scenario:
    """The starting point held flat: no lever, no momentum."""
    out = status_quo_of(s)
    out.assumptions["momentum_logodds_per_year"] = 0.0
    out.hold_flat = True
    return out


# ------------------------------------------------------------------ uncertainty


def _two_piece_triangular(low: float, central: float, high: float, u: np.ndarray) -> np.ndarray:
    """Half the probability on a triangle rising from `low` to `central`, half on one falling from
    `central` to `high` (both scipy.stats.triang). Mode and median are the central value, so the
    headline (central) run and the P50 of the band agree even when the range is skewed."""
    low, high = min(low, central), max(high, central)
    out = np.full_like(u, central)
    left, right = u < 0.5, u >= 0.5
    if central > low:  # the unfrozen ppf: freezing a distribution costs more than the draw
        out[left] = stats.triang.ppf(2 * u[left], 1.0, loc=low, scale=central - low)
    if high > central:
        out[right] = stats.triang.ppf(2 * u[right] - 1, 0.0, loc=central, scale=high - central)
    return out


@lru_cache(maxsize=64)
def _draws(
    centrals: tuple[float, ...], uncertain: tuple[float, ...], draws: int, seed: int, ranges: tuple[tuple[float, float], ...] = ()
) -> dict[str, np.ndarray]:
    """Effect-size (and momentum) draws. They depend only on the central values, the ranges (an
    estimated one replaces the declared one) and the seed, not on any lever setting, so moving a lever
    reuses them."""
    dims = len(EFFECTS) + len(ASSUMPTIONS)
    # random_base2 keeps Sobol's balance (2^m points); a count in between takes the first `draws`.
    points = qmc.Sobol(dims, scramble=True, seed=seed).random_base2(max(0, math.ceil(math.log2(max(draws, 1)))))
    uniforms = points[:draws].T
    bounds = ranges or tuple((e.low, e.high) for e in EFFECTS)
    out = {e.id: _two_piece_triangular(bounds[i][0], centrals[i], bounds[i][1], uniforms[i]) for i, e in enumerate(EFFECTS)}
    for j, a in enumerate(ASSUMPTIONS):
        if a.uncertainty > 0:
            chosen = uncertain[j]
            out[a.id] = _two_piece_triangular(chosen - a.uncertainty, chosen, chosen + a.uncertainty, uniforms[len(EFFECTS) + j])
    for v in out.values():
        v.setflags(write=False)
    return out


def draw_batch(c: Compiled, s: Scenario, draws: int = DEFAULT_DRAWS, seed: int = SEED) -> Batch:
    """`draws` copies of the scenario, with every effect size (and momentum) drawn on its
    low–high range from a two-piece triangular distribution centred on its central value."""
    batch = build_batch(c, [s]).take(np.zeros(draws, dtype=int))
    centrals = tuple(s.effects[e.id] for e in EFFECTS)
    uncertain = tuple(s.assumptions.get(a.id, 0.0) if a.uncertainty > 0 else 0.0 for a in ASSUMPTIONS)
    ranges = tuple(s.effect_range(e.id) for e in EFFECTS)
    batch.columns.update(_draws(centrals, uncertain, draws, seed, ranges))
    if c.series_level is not None and resolved_start_point(c, s) == "series_estimate":
        # the estimated levels and trends are uncertain too: normal draws from their covariance
        batch.series_z = _series_draws(draws, c.n_seg, seed)
    return batch


@lru_cache(maxsize=8)
def _series_draws(draws: int, n_seg: int, seed: int) -> np.ndarray:
    z = np.random.default_rng(seed).standard_normal((draws, n_seg, 2))
    z.setflags(write=False)
    return z


@dataclass
class Bands:
    monthly: np.ndarray  # (3, M, K) P10, P50, P90 of monthly shares
    december: np.ndarray  # (3, K)
    annual: np.ndarray  # (3, K)
    services: np.ndarray  # (3, M)
    # one value per draw, for what is computed from the draws afterwards (Decision 766 points):
    # "december_share" (D, K) and the December lifts "services" and "payment" (D,)
    draws: dict[str, np.ndarray] = field(default_factory=dict)


def monte_carlo(c: Compiled, s: Scenario, draws: int = DEFAULT_DRAWS, seed: int = SEED) -> Bands:
    # The draws are evaluated on the caller's thread. Halves on two threads were once faster (10 → 5 ms
    # for 512 points), but measured in the app's server on this laptop they are not: the threads wait for
    # the interpreter lock while Streamlit's event loop and the browser want the same two cores
    # (`make bench`, 2022 report, slider round trip 1,27–1,34× with two threads, 1,16–1,22× with one; the
    # 400-unit dataset the same within noise). On the page's 512 points, one thread took 3,4–3,8 ms, two 4,7–5,4.
    res = evaluate(c, draw_batch(c, s, draws, seed), dtype=np.float32)
    q = np.array([10, 50, 90])
    # A block with no dossiers (e.g. no districts after 7/2025) is NaN in every draw; the
    # percentile of the rest is what matters, and np.percentile is much faster than nanpercentile.
    monthly = np.percentile(np.nan_to_num(res.agg_share, nan=-1.0), q, axis=0).astype(float)
    annual = np.percentile(np.nan_to_num(res.annual_share, nan=-1.0), q, axis=0).astype(float)
    monthly[monthly < 0], annual[annual < 0] = np.nan, np.nan
    services = np.percentile(res.services_kpi, q, axis=0).astype(float)
    per_draw = {"december_share": res.agg_share[:, -1, :].astype(float)}
    per_draw.update({name: lift[:, -1].astype(float) for name, lift in res.lifts.items()})
    return Bands(monthly=monthly, december=monthly[:, -1, :], annual=annual, services=services, draws=per_draw)


# ------------------------------------------------------------------ contributions


def contributions(c: Compiled, s: Scenario) -> pd.DataFrame:
    """Each active lever's contribution, in percentage points, for every block and for the December
    and plan-year shares.

    Behavioural levers: exact Shapley values over all 2^k subsets of the active ones (k ≤ 8: 256
    rows in one batch), on the behavioural share, so they do not depend on the order levers are
    applied in and add up to the total behavioural change. A measurement correction (kind
    "measurement") is reported apart: measured − behavioural share of the whole scenario."""
    columns = ["lever", "kind", "period", "block", "points"]
    active = s.active_levers()
    behavioural = [lv for lv in active if LEVER_BY_ID[lv].kind != "measurement"]
    measurement = [lv for lv in active if LEVER_BY_ID[lv].kind == "measurement"]
    # A lever that moves no share (online payment: only the Decision 766 payment points) adds exactly 0
    # to every subset, and Shapley values do not change when such a lever is left out: it gets its
    # zeros without doubling the subsets.
    no_share = [lv for lv in behavioural if not moves_shares(LEVER_BY_ID[lv])]
    behavioural = [lv for lv in behavioural if lv not in no_share]
    rows = [
        {"lever": lever_id, "kind": LEVER_BY_ID[lever_id].kind, "period": period, "block": block, "points": 0.0}
        for lever_id in no_share
        for period in ("december", "annual")
        for block in c.blocks
    ]
    k = len(behavioural)
    if k:
        subsets, res = _subset_results(c, s, behavioural)
        values = {"december": res.december_share * 100, "annual": res.annual_share * 100}  # (2^k, K)
        for i, lever_id in enumerate(behavioural):
            for period, v in values.items():
                phi = shapley_value(subsets, i, np.nan_to_num(v))
                rows += [
                    {
                        "lever": lever_id,
                        "kind": LEVER_BY_ID[lever_id].kind,
                        "period": period,
                        "block": block,
                        "points": float(phi[b]),
                    }
                    for b, block in enumerate(c.blocks)
                ]
    rows.sort(key=lambda r: active.index(r["lever"]))  # in declaration order, as before
    if measurement:
        full = evaluate_scenarios(c, [s])
        with np.errstate(invalid="ignore", divide="ignore"):
            measured = {
                "december": full.agg_share_measured[0, -1],
                "annual": full.agg_online_measured[0].sum(axis=0) / full.agg_volume[0].sum(axis=0),
            }
        behaviour = {"december": full.december_share[0], "annual": full.annual_share[0]}
        # one row per correction lever; with several, the whole correction goes to the first (there is one)
        for period in ("december", "annual"):
            points = np.nan_to_num(100 * (measured[period] - behaviour[period]))
            rows += [
                {"lever": measurement[0], "kind": "measurement", "period": period, "block": block, "points": float(points[b])}
                for b, block in enumerate(c.blocks)
            ]
    return pd.DataFrame(rows, columns=columns)


def moves_shares(lever) -> bool:
    """Whether a lever moves any dossier share (the online-payment lever moves only an indicator)."""
    return not all(isinstance(t, PaymentShare) for t in lever.terms)


def _subset_results(c: Compiled, s: Scenario, lever_ids: list[str]) -> tuple[np.ndarray, BatchResult]:
    """Every subset of `lever_ids` switched on (the rest of `s` as it is), in one batch: (2^k, k) bool
    membership and the batch's result."""
    k = len(lever_ids)
    subsets = np.array([[(mask >> i) & 1 for i in range(k)] for mask in range(2**k)], dtype=bool)
    scenarios = []
    for members in subsets:
        sub = s.copy()
        for i, lever_id in enumerate(lever_ids):
            if not members[i]:
                sub = sub.lever_off(lever_id)
        scenarios.append(sub)
    return subsets, evaluate_scenarios(c, scenarios)


def shapley_value(subsets: np.ndarray, i: int, values: np.ndarray) -> np.ndarray:
    """Player i's exact Shapley value, from `values` (2^k, ...) of every subset in `subsets` (2^k, k)."""
    k = subsets.shape[1]
    size = subsets.sum(axis=1)
    weight_by_size = np.array([math.factorial(m) * math.factorial(k - m - 1) / math.factorial(k) for m in range(k)])
    index = {tuple(row): n for n, row in enumerate(subsets)}
    without = np.where(~subsets[:, i])[0]
    with_i = [index[tuple(np.where(np.arange(k) == i, True, subsets[n]))] for n in without]
    w = weight_by_size[size[without]].reshape((-1,) + (1,) * (values.ndim - 1))
    return (w * (values[with_i] - values[without])).sum(axis=0)


def index_contributions(c: Compiled, s: Scenario, indicators=None, formula=None) -> pd.DataFrame:
    """The Decision 766 points each active lever adds in December, per group: exact Shapley values
    on the points (the caps at 50% and 80% make the points non-additive, so a lever's points depend
    on what else is on). Columns lever, group, points; points NaN where the group has no data."""
    from model.index766 import CURRENT, Movers, score

    formula = formula or CURRENT
    # a measurement correction changes the counted share, not the behavioural one the points use: 0
    active = [lv for lv in s.active_levers() if LEVER_BY_ID[lv].kind != "measurement"]
    columns = ["lever", "group", "points"]
    if not active:
        return pd.DataFrame([], columns=columns)
    subsets, res = _subset_results(c, s, active)
    prov = c.blocks.index("province")
    figures = None if indicators is None else indicators.province()  # read once: a pandas pass per call
    counts = {} if figures is None else figures.values
    points = np.array(
        [
            [
                np.nan if (g.points is None) else g.points
                for g in score(
                    formula,
                    counts,
                    Movers(
                        online_share=float(res.agg_share[n, -1, prov]),
                        services_lift=float(res.lifts["services"][n, -1]),
                        payment_lift=float(res.lifts["payment"][n, -1]),
                    ),
                ).groups
            ]
            for n in range(len(subsets))
        ]
    )  # (2^k, groups)
    rows = []
    for i, lever_id in enumerate(active):
        phi = shapley_value(subsets, i, points)
        rows += [{"lever": lever_id, "group": g.id, "points": float(phi[j])} for j, g in enumerate(formula.groups)]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------ goal seek


@dataclass
class GoalSeekResult:
    param: str
    block: str
    period: str
    target_pct: float
    reachable: bool
    setting: float | None  # smallest setting that reaches the target
    achieved_pct: float  # what that setting (or, if unreachable, the maximum) gives
    at_max_pct: float
    message_vi: str
    message_en: str


def _metric(c: Compiled, res: BatchResult, block: str, period: str) -> np.ndarray:
    values = res.december_share if period == "december" else res.annual_share
    return 100 * values[:, block_index(c, block)]


def goal_seek(
    c: Compiled, s: Scenario, param_id: str, target_pct: float, block: str = "province", period: str = "december"
) -> GoalSeekResult:
    """Smallest value of one lever setting that brings `block`'s `period` share to `target_pct`.
    The projection is non-decreasing in every setting, so scipy's brentq on [min, max] finds it."""
    from model import fmt

    p = PARAM_BY_ID[param_id]
    base = s.copy()
    if param_id in ADOPTION_PARAMS:  # a reference adoption (peer, best) is replaced by the sought value
        base.adoption_mode = "custom"

    def value_at(x: float) -> float:
        trial = base.copy()
        trial.settings[param_id] = float(x)
        return float(_metric(c, evaluate_scenarios(c, [trial]), block, period)[0])

    ends = base.copy(), base.copy()
    ends[0].settings[param_id], ends[1].settings[param_id] = float(p.min), float(p.max)
    lo_val, hi_val = _metric(c, evaluate_scenarios(c, list(ends)), block, period)
    label_vi, label_en = BLOCK_LABEL[block]
    if hi_val < target_pct:
        return GoalSeekResult(
            param_id,
            block,
            period,
            target_pct,
            False,
            None,
            float(hi_val),
            float(hi_val),
            f"Không đạt được chỉ với biện pháp này; mức tối đa cho {fmt.pct(hi_val, 'vi')}.",
            f"Not reachable with this lever alone; its maximum gives {fmt.pct(hi_val, 'en')}.",
        )
    if lo_val >= target_pct:
        x = float(p.min)
    else:
        x = brentq(lambda v: value_at(v) - target_pct, p.min, p.max, xtol=1e-7)
        while value_at(x) < target_pct and x < p.max:  # land on the reaching side of the root
            x = min(p.max, x + 1e-6)
    achieved = value_at(x)
    return GoalSeekResult(
        param_id,
        block,
        period,
        target_pct,
        True,
        x,
        achieved,
        float(hi_val),
        f"Cần {p.label_vi.lower()} tối thiểu {fmt.quantity(x, p.unit, 'vi')} để {label_vi.lower()} "
        f"đạt {fmt.pct(target_pct, 'vi')}.",
        f"{p.label_en} of at least {fmt.quantity(x, p.unit, 'en')} brings the {label_en.lower()} to {fmt.pct(target_pct, 'en')}.",
    )


# ------------------------------------------------------------------ sensitivity


def sensitivity(c: Compiled, s: Scenario, block: str = "province") -> pd.DataFrame:
    """Swing in the December share when each uncertain input goes from its low to its high value,
    all others held at their central values; largest swing first."""
    items = [(e.id, e.label_vi, e.label_en, e.low, e.high, "effect") for e in EFFECTS]
    for a in ASSUMPTIONS:
        if a.sensitivity_range is not None:
            items.append((a.id, a.label_vi, a.label_en, *a.sensitivity_range, "assumption"))
    rows = []
    for item_id, *_rest, low, high, _kind in items:
        for value in (low, high):
            trial = s.copy()
            (trial.effects if _kind == "effect" else trial.assumptions)[item_id] = float(value)
            rows.append(trial)
    res = evaluate_scenarios(c, [s] + rows)
    dec = 100 * res.december_share[:, block_index(c, block)]
    out = []
    for n, (item_id, label_vi, label_en, low, high, kind) in enumerate(items):
        at_low, at_high = dec[1 + 2 * n], dec[2 + 2 * n]
        out.append(
            {
                "id": item_id,
                "label_vi": label_vi,
                "label_en": label_en,
                "kind": kind,
                "low": low,
                "high": high,
                "at_low_pct": at_low,
                "at_high_pct": at_high,
                "central_pct": dec[0],
                "swing_pts": abs(at_high - at_low),
            }
        )
    return pd.DataFrame(out).sort_values("swing_pts", ascending=False, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ two-lever grid


def grid(
    c: Compiled, s: Scenario, param_x: str, values_x, param_y: str, values_y, block: str = "province", period: str = "december"
) -> np.ndarray:
    """(len(values_y), len(values_x)) matrix of the block's share, Excel's two-variable data table."""
    values_x, values_y = np.asarray(values_x, float), np.asarray(values_y, float)
    base = build_batch(c, [s])
    batch = base.take(np.zeros(len(values_x) * len(values_y), dtype=int))
    gx, gy = np.meshgrid(values_x, values_y)
    batch.columns[param_x] = gx.reshape(-1).copy()
    batch.columns[param_y] = gy.reshape(-1).copy()
    return _metric(c, evaluate(c, batch), block, period).reshape(len(values_y), len(values_x))
