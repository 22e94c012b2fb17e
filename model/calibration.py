"""The status quo estimated from the province's own months: each unit's level and trend in
log-odds, fitted to its monthly counts, with the trend partially pooled toward its block's.

Model, per segment u with monthly counts (n_ut dossiers, y_ut online), t in years before the
last month (t = 0 at the last month, negative before):
    y_ut ~ Binomial(n_ut, expit(a_u + b_u · t))
    b_u ~ Normal(β_k, τ_k²)            (k: the segment's block — departments, district offices, communes)
β_k and τ_k are estimated from the units' own fits (empirical Bayes: the spread of the unpooled
trends less their sampling variance), so a unit with 40 dossiers a month is pulled toward its
block and a unit with 4,000 keeps its own slope. The likelihood is scipy.stats.binom's and the
optimiser scipy.optimize's (L-BFGS-B, one joint fit of all units); the parameters' covariance is
the inverse of each unit's 2×2 Hessian and feeds the Monte Carlo band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, logit
from scipy.stats import binom

from model.limits import MIN_CALIBRATION_MONTHS
from model.series import ReportSeries, month_label, period_of

BLOCK_OF_KIND = {"department": "department", "district_office": "district_offices", "commune": "communes"}
BACKTEST_HOLDOUT = 3  # months held out by default
_TAU2_FLOOR = 0.01  # (0.1 log-odds a year)²: no block is assumed to move in perfect lockstep


@dataclass(frozen=True)
class Calibration:
    """Per segment (aligned with `seg_ids`): level a (log-odds at the last month), trend b (log-odds
    a year), their 2×2 covariance; NaN where the segment has fewer than `min_months` months."""

    seg_ids: tuple[str, ...]
    level: np.ndarray  # (S,)
    trend: np.ndarray  # (S,)
    cov: np.ndarray  # (S, 2, 2)
    months: np.ndarray  # (S,) single months used
    last_month: int  # month index of t = 0
    block_trend: dict[str, float]
    block_tau: dict[str, float]
    min_months: int

    @property
    def calibrated(self) -> np.ndarray:
        return ~np.isnan(self.level)

    @property
    def last_period(self) -> str:
        return period_of(self.last_month)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "seg_id": self.seg_ids,
                "months": self.months,
                "level_logodds": self.level,
                "trend_logodds_per_year": self.trend,
                "level_pct": 100 * expit(self.level),
                "level_se": np.sqrt(self.cov[:, 0, 0]),
                "trend_se": np.sqrt(self.cov[:, 1, 1]),
            }
        )


def _fit(
    t: np.ndarray,
    n: np.ndarray,
    y: np.ndarray,
    unit: np.ndarray,
    n_units: int,
    prior_mean: np.ndarray,
    prior_prec: np.ndarray,
    start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Joint penalised maximum likelihood of all units' (a, b); returns params (U, 2) and covariances."""

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = theta[:n_units], theta[n_units:]
        p = expit(a[unit] + b[unit] * t)
        loglik = binom.logpmf(y, n, p).sum()
        penalty = 0.5 * (prior_prec * (b - prior_mean) ** 2).sum()
        score = y - n * p  # d loglik / d eta for the binomial in log-odds
        grad_a = -np.bincount(unit, weights=score, minlength=n_units)
        grad_b = -np.bincount(unit, weights=score * t, minlength=n_units) + prior_prec * (b - prior_mean)
        return -loglik + penalty, np.concatenate([grad_a, grad_b])

    def hessp(theta: np.ndarray, v: np.ndarray) -> np.ndarray:
        # The Hessian is block-diagonal (one 2×2 block per unit): its product with v, without forming it.
        a, b = theta[:n_units], theta[n_units:]
        p = expit(a[unit] + b[unit] * t)
        w = n * p * (1 - p)
        h_aa = np.bincount(unit, weights=w, minlength=n_units)
        h_ab = np.bincount(unit, weights=w * t, minlength=n_units)
        h_bb = np.bincount(unit, weights=w * t * t, minlength=n_units) + prior_prec
        va, vb = v[:n_units], v[n_units:]
        return np.concatenate([h_aa * va + h_ab * vb, h_ab * va + h_bb * vb])

    # Newton-CG (scipy): the problem is smooth and convex, so a handful of Newton steps converge
    # where a quasi-Newton method needed hundreds of iterations for 600 parameters.
    res = minimize(
        objective, start.T.reshape(-1), jac=True, hessp=hessp, method="Newton-CG", options={"maxiter": 200, "xtol": 1e-9}
    )
    a, b = res.x[:n_units], res.x[n_units:]
    w = n * expit(a[unit] + b[unit] * t) * (1 - expit(a[unit] + b[unit] * t))
    h_aa = np.bincount(unit, weights=w, minlength=n_units)
    h_ab = np.bincount(unit, weights=w * t, minlength=n_units)
    h_bb = np.bincount(unit, weights=w * t * t, minlength=n_units) + prior_prec
    hess = np.stack([np.stack([h_aa, h_ab], -1), np.stack([h_ab, h_bb], -1)], -2)
    hess += np.eye(2) * 1e-9  # a unit at 0% or 100% every month has a flat direction
    return np.stack([a, b], -1), np.linalg.inv(hess)


def calibrate(series: ReportSeries, upto_month: int | None = None, min_months: int = MIN_CALIBRATION_MONTHS) -> Calibration:
    """Fit every segment with at least `min_months` single months (up to and including `upto_month`)."""
    monthly = series.monthly
    if upto_month is not None:
        monthly = monthly[monthly["last"] <= upto_month]
    seg_ids = tuple(series.segments.seg_id)
    S = len(seg_ids)
    level, trend = np.full(S, np.nan), np.full(S, np.nan)
    cov = np.full((S, 2, 2), np.nan)
    months = monthly.groupby("seg_id").size().reindex(seg_ids, fill_value=0).to_numpy()
    last = int(monthly["last"].max()) if len(monthly) else (upto_month or 0)
    kinds = series.segments.set_index("seg_id").kind
    block_trend: dict[str, float] = {}
    block_tau: dict[str, float] = {}
    index = {sid: i for i, sid in enumerate(seg_ids)}
    for block in sorted(set(BLOCK_OF_KIND.values())):
        members = [sid for sid in seg_ids if BLOCK_OF_KIND[kinds[sid]] == block and months[index[sid]] >= min_months]
        if not members:
            continue
        part = monthly[monthly.seg_id.isin(members) & (monthly.dossiers > 0)]
        if part.empty:
            continue  # every month of the block is 0 dossiers: nothing to estimate, as with too few months
        local = {sid: i for i, sid in enumerate(members)}
        unit = part.seg_id.map(local).to_numpy()
        t = (part["last"].to_numpy() - last) / 12.0
        n, y = part.dossiers.to_numpy(float), part.online.to_numpy(float)
        U = len(members)
        shares = (np.bincount(unit, weights=y, minlength=U) + 0.5) / (np.bincount(unit, weights=n, minlength=U) + 1.0)
        start = np.stack([logit(shares), np.zeros(U)], -1)
        # 1. each unit on its own (no pooling), 2. the block's mean trend and spread, 3. pooled fit
        free, free_cov = _fit(t, n, y, unit, U, np.zeros(U), np.zeros(U), start)
        slope, slope_var = free[:, 1], free_cov[:, 1, 1]
        tau2 = max(float(np.var(slope) - np.mean(np.minimum(slope_var, 100.0))), _TAU2_FLOOR) if U > 1 else 1.0
        weights = 1.0 / (tau2 + slope_var)
        beta = float((weights * slope).sum() / weights.sum())
        pooled, pooled_cov = _fit(t, n, y, unit, U, np.full(U, beta), np.full(U, 1.0 / tau2), free)
        rows = [index[sid] for sid in members]
        level[rows], trend[rows], cov[rows] = pooled[:, 0], pooled[:, 1], pooled_cov
        block_trend[block], block_tau[block] = beta, float(np.sqrt(tau2))
    return Calibration(seg_ids, level, trend, cov, months, last, block_trend, block_tau, min_months)


# ---------------------------------------------------------------- backtest


@dataclass(frozen=True)
class Backtest:
    holdout: int  # months held out
    first_forecast: str
    blocks: pd.DataFrame  # block, month, actual_pct, forecast_pct, p10_pct, p90_pct, error_pts, inside
    units: pd.DataFrame  # seg_id, month, actual_pct, forecast_pct, p10_pct, p90_pct, error_pts, inside
    summary: pd.DataFrame  # level (block/unit), id, mean_abs_error_pts, coverage_pct, n

    @property
    def coverage_pct(self) -> float:
        return float(100 * self.units.inside.mean()) if len(self.units) else float("nan")


def backtest(
    series: ReportSeries, holdout: int = 3, draws: int = 400, seed: int = 20230103, min_months: int = MIN_CALIBRATION_MONTHS
) -> Backtest:
    """Fit on all but the last `holdout` months, forecast those months, and compare: the error in
    points per block and per unit, and how often the actual month fell inside the P10–P90 band
    (parameter uncertainty and binomial sampling of the month's actual dossiers)."""
    monthly = series.monthly
    months = sorted(monthly["first"].unique())
    if len(months) < holdout + min_months:
        raise ValueError(f"needs at least {holdout + min_months} months, the series has {len(months)}")
    cutoff = int(months[-holdout - 1])
    cal = calibrate(series, upto_month=cutoff, min_months=min_months)
    test = monthly[monthly["first"] > cutoff]
    index = {sid: i for i, sid in enumerate(cal.seg_ids)}
    rng = np.random.default_rng(seed)
    rows = []
    kinds = series.segments.set_index("seg_id").kind
    for r in test.itertuples():
        i = index[r.seg_id]
        if not cal.calibrated[i] or r.dossiers == 0:
            continue
        t = (r.last - cutoff) / 12.0
        mean = cal.level[i] + cal.trend[i] * t
        chol = np.linalg.cholesky(cal.cov[i] + np.eye(2) * 1e-12)
        ab = np.array([cal.level[i], cal.trend[i]]) + rng.standard_normal((draws, 2)) @ chol.T
        p = expit(ab[:, 0] + ab[:, 1] * t)
        simulated = rng.binomial(int(r.dossiers), p) / r.dossiers
        lo, hi = np.percentile(simulated, [10, 90])
        actual = r.online / r.dossiers
        rows.append(
            {
                "seg_id": r.seg_id,
                "block": BLOCK_OF_KIND[kinds[r.seg_id]],
                "month": month_label(period_of(r.last)),
                "dossiers": r.dossiers,
                "online": r.online,
                "forecast_online": r.dossiers * expit(mean),
                "actual_pct": 100 * actual,
                "forecast_pct": 100 * expit(mean),
                "p10_pct": 100 * lo,
                "p90_pct": 100 * hi,
                "inside": bool(lo <= actual <= hi),
            }
        )
    units = pd.DataFrame(rows)
    if units.empty:
        raise ValueError("no unit has enough months before the held-out ones")
    units["error_pts"] = units.forecast_pct - units.actual_pct
    blocks = units.groupby(["block", "month"], as_index=False).agg(
        dossiers=("dossiers", "sum"), online=("online", "sum"), forecast_online=("forecast_online", "sum")
    )
    province = units.groupby("month", as_index=False).agg(
        dossiers=("dossiers", "sum"), online=("online", "sum"), forecast_online=("forecast_online", "sum")
    )
    province.insert(0, "block", "province")
    blocks = pd.concat([province, blocks], ignore_index=True)
    blocks["actual_pct"] = 100 * blocks.online / blocks.dossiers
    blocks["forecast_pct"] = 100 * blocks.forecast_online / blocks.dossiers
    blocks["error_pts"] = blocks.forecast_pct - blocks.actual_pct
    summary = pd.concat(
        [
            blocks.groupby("block", as_index=False)
            .agg(mean_abs_error_pts=("error_pts", lambda e: float(np.abs(e).mean())), n=("month", "size"))
            .assign(level="block", coverage_pct=np.nan)
            .rename(columns={"block": "id"}),
            units.groupby("seg_id", as_index=False)
            .agg(
                mean_abs_error_pts=("error_pts", lambda e: float(np.abs(e).mean())),
                coverage_pct=("inside", lambda v: float(100 * v.mean())),
                n=("month", "size"),
            )
            .assign(level="unit")
            .rename(columns={"seg_id": "id"}),
        ],
        ignore_index=True,
    )[["level", "id", "mean_abs_error_pts", "coverage_pct", "n"]]
    return Backtest(holdout, month_label(period_of(cutoff + 1)), blocks, units, summary)
