"""The status quo estimated from the province's own months, and where its months should fall.

Model, per unit u of block k (departments, district offices, communes) with monthly counts
(n_ut dossiers, y_ut online), t in years from the last month (t = 0 there, negative before),
m(t) the month of the year:

    η_ut = a_u + b_u·t + g_u·d_ut + c_k,t               (log-odds of the share)
    c_k,t = s_k,m(t) + e_t + e_k,t                      (season, province shock, block shock)
    logit p_ut = η_ut + ε_ut,   ε_ut ~ Normal(0, σ_k²)  (unit-month variation beyond the binomial)
    y_ut ~ Binomial(n_ut, p_ut)

- d_ut is a step indicator (1 before a known event, 0 after): a measure's start month from a register
  (`register`), so a past measure is a level shift, never a trend. A unit going from no online
  dossiers to some (a rollout) is the limit of such a step: its months before the rollout say nothing
  about the level after, so they are left out of its fit.
- Priors (a penalised likelihood; they also settle separation — a unit online or on paper every
  month gets a finite level, not ±20): a_u ~ N(0, 3²), g_u ~ N(0, 3²), b_u ~ N(β_k, τ_k²) — partial
  pooling of the trends. β_k and τ_k are the mode of the marginal likelihood of the units' unpooled
  trends, b̂_u ~ N(β_k, τ_k² + v_u), times a Gamma(2, rate 2) prior on τ_k (mode 0.5 log-odds a year,
  density 0 at τ = 0: a real prior that keeps the spread off the boundary, not a floor).
- The unit-month variation is fitted by quasi-likelihood (the penalised quasi-likelihood of a
  logit-normal GLMM): the estimating equations are Σ_t x_ut (y_ut − n_ut p_ut)/(1 + v_ut σ_k²) = prior
  terms, with v = n p (1 − p), i.e. Var(y) = v (1 + v σ²). σ_k² solves the Paule–Mandel equation
  Σ ψ(r²) = E[ψ(z²)]·df on the Pearson residuals r² = (y − n p)²/(v (1 + v σ²)), with ψ(x) = min(x, 2.5²)
  so that one-off campaign months do not inflate the noise of every month.
- c_k,t is a free effect per block and month (the months of a block are informed by all its units),
  held orthogonal to a constant and a line; the month-of-year means of c are the seasonal effects
  s_k,m (not shrunk toward 0: that would pull December's push, the largest, down the most; their
  sampling error goes into the bands), the rest are the month shocks,
  whose variances are moments: the province's is the mean covariance between blocks, each block's
  the remainder.
- Fisher scoring, vectorised over units (numpy), alternates with the block-month and σ² updates until
  nothing moves; scipy gives the scalar solvers (brentq, minimize_scalar). Convergence is checked
  and reported per unit.

Units without dossiers in any month get no share ("no_dossiers"); units with fewer than
`min_months` months with dossiers are not fitted ("không đủ số liệu") and are held at their observed
share. The forecast bands (`forecast_bands`) draw from all of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar
from scipy.special import expit, logit
from scipy.stats import norm

from model.kept import keep_arrays, kept_arrays
from model.limits import MIN_CALIBRATION_MONTHS
from model.series import ReportSeries, month_label, period_of

BLOCK_OF_KIND = {"department": "department", "district_office": "district_offices", "commune": "communes"}
BACKTEST_HOLDOUT = 3  # months held out by default
BACKTEST_HORIZONS = (3, 6)  # the coverage table's held-out spans

LEVEL_PRIOR_SD = 3.0  # log-odds: weak; settles separation
STEP_PRIOR_SD = 3.0
FREE_TREND_PRIOR_SD = 5.0  # the unpooled first pass
TAU_PRIOR_RATE = 2.0  # Gamma(2, rate) prior on the spread of trends: mode 0.5 log-odds a year
HUBER_Z = 2.5  # residuals beyond 2.5 standard deviations count as 2.5 in the noise estimate
ROLLOUT_EXPECTED_ONLINE = 5.0  # zero online dossiers where ≥ 5 were expected at the later share: a rollout
MIN_SEASON_MONTHS = 18  # fewer months in a block: no month-of-year effects (they would be the shocks)
JUMP_Z = 3.0  # a unit-month this many standard deviations from its fit is a one-off (a campaign)
NOISE_PRIOR_MONTHS = 6.0  # pseudo-months at the block's noise when a unit's own is estimated
# E[min(z², c²)] for a standard normal z: what a clipped squared residual averages when nothing is amiss
_HUBER_EXPECTED = float(2 * (norm.cdf(HUBER_Z) - 0.5 - HUBER_Z * norm.pdf(HUBER_Z)) + HUBER_Z**2 * 2 * norm.sf(HUBER_Z))
_MAX_ITER = 200
_TOL = 1e-7

STATUS_LABEL = {
    "fitted": ("đã ước lượng", "estimated"),
    "not_enough_data": ("không đủ số liệu", "not enough data"),
    "no_dossiers": ("không có hồ sơ", "no dossiers"),
    "not_converged": ("ước lượng không hội tụ", "the fit did not converge"),
}
BAND_LABEL = {
    "trend": ("dải của xu hướng", "trend band"),
    "month": ("dải dự báo tháng", "month band"),
}
SIZE_CLASSES = ((0.0, 20.0, "0-20"), (20.0, 100.0, "20-100"), (100.0, 300.0, "100-300"), (300.0, np.inf, "300+"))


def size_class(dossiers_per_month: float) -> str:
    """The size class of a unit by its mean dossiers a month: 0-20, 20-100, 100-300, 300+."""
    for low, high, name in SIZE_CLASSES:
        if low <= dossiers_per_month < high:
            return name
    return SIZE_CLASSES[-1][2]


@dataclass(frozen=True)
class Calibration:
    """Per segment (aligned with `seg_ids`): level a (log-odds at the last month, before the month's
    seasonal effect and shocks), trend b (log-odds a year), their 2×2 covariance; NaN where the
    segment is not fitted (see `status`)."""

    seg_ids: tuple[str, ...]
    level: np.ndarray  # (S,)
    trend: np.ndarray  # (S,)
    cov: np.ndarray  # (S, 2, 2)
    months: np.ndarray  # (S,) months with dossiers
    last_month: int  # month index of t = 0
    block_trend: dict[str, float]
    block_tau: dict[str, float]
    min_months: int
    block_of: tuple[str, ...] = ()  # (S,) calibration block of each segment
    status: tuple[str, ...] = ()  # (S,) a key of STATUS_LABEL
    converged: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # (S,)
    observed_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) over the months fitted; NaN = none
    observed_dossiers: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) dossiers behind it
    dossiers_per_month: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) mean over the series' months
    last_dossiers: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) at the last month
    last_online: np.ndarray = field(default_factory=lambda: np.zeros(0))
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # (S,) online dossiers in some month
    step_month: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # (S,) rollout or register month, -1 = none
    step_kind: tuple[str, ...] = ()  # (S,) "rollout", "register" or ""
    pool_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) weight of the unit's own trend (1 = unpooled)
    unit_dispersion: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) binomial Pearson χ²/df
    unit_noise_sd: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (S,) σ_u: the block's σ_k scaled to the unit
    # one-off months (campaigns) beyond the noise: per block, how often a unit-month has one, and the
    # log-odds jumps seen in the fitted months (drawn from in the month band)
    jump_rate: dict[str, float] = field(default_factory=dict)
    jumps: dict[str, np.ndarray] = field(default_factory=dict)
    block_trend_se: dict[str, float] = field(default_factory=dict)
    season: dict[str, np.ndarray] = field(default_factory=dict)  # block -> (12,) log-odds, January first
    season_sd: dict[str, np.ndarray] = field(default_factory=dict)  # block -> (12,) their standard errors
    month_noise_sd: dict[str, float] = field(default_factory=dict)  # block -> σ_k
    dispersion: dict[str, float] = field(default_factory=dict)  # block -> binomial Pearson χ²/df
    shock_sd_province: float = 0.0
    shock_sd_block: dict[str, float] = field(default_factory=dict)
    # block -> (2, 2) (AᵀA)⁻¹ of the line [1, t] over the block's months: the shocks' own level and
    # trend over the fitted months land in every unit of the block (the month effects are held off a
    # line), so a shock variance times this is a common error of the block's units' levels and trends
    shock_line: dict[str, np.ndarray] = field(default_factory=dict)
    # block -> degrees of freedom behind its shock variance: the bands draw the variance from its
    # scaled inverse-χ² (a Student-t predictive), as a variance from 10 months is not known exactly
    shock_df: dict[str, float] = field(default_factory=dict)

    @property
    def calibrated(self) -> np.ndarray:
        return ~np.isnan(self.level)

    @property
    def last_period(self) -> str:
        return period_of(self.last_month)

    def season_of_segments(self) -> np.ndarray:
        """(S, 12) seasonal log-odds of each fitted segment's block (0 elsewhere)."""
        out = np.zeros((len(self.seg_ids), 12))
        for i, block in enumerate(self.block_of):
            if self.calibrated[i] and block in self.season:
                out[i] = self.season[block]
        return out

    def notes(self, lang: str = "vi") -> list[str]:
        """One line per segment that is not fitted, in the user's language."""
        j = 0 if lang == "vi" else 1
        return [f"{sid}: {STATUS_LABEL[s][j]}" for sid, s in zip(self.seg_ids, self.status) if s != "fitted"]

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
                "status": list(self.status) or None,
                "converged": self.converged if len(self.converged) else None,
                "observed_pct": 100 * self.observed_share if len(self.observed_share) else None,
                "dispersion": self.unit_dispersion if len(self.unit_dispersion) else None,
            }
        )


# ---------------------------------------------------------------- the fit


@dataclass
class _Data:
    unit: np.ndarray  # (N,) unit of each observation
    cell: np.ndarray  # (N,) block × month cell
    X: np.ndarray  # (N, 3): 1, t, step indicator
    n: np.ndarray
    y: np.ndarray
    block_obs: np.ndarray  # (N,) block of each observation
    U: int
    K: int
    T: int
    t_month: np.ndarray  # (T,) years from the last month of each month of the grid


def _quasi(eta: np.ndarray, d: _Data, s2_obs: np.ndarray):
    p = expit(eta)
    v = d.n * p * (1 - p)
    denom = 1 + v * s2_obs
    return p, v, (d.y - d.n * p) / denom, v / denom


def _unit_sums(d: _Data, r: np.ndarray, w: np.ndarray, prior_prec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.stack([np.bincount(d.unit, r * d.X[:, j], d.U) for j in range(3)], -1)
    H = np.empty((d.U, 3, 3))
    for j in range(3):
        for k in range(j, 3):
            H[:, j, k] = H[:, k, j] = np.bincount(d.unit, w * d.X[:, j] * d.X[:, k], d.U)
    H[:, [0, 1, 2], [0, 1, 2]] += prior_prec
    return g, H


def _project_out_line(c: np.ndarray, present: np.ndarray, t_month: np.ndarray) -> np.ndarray:
    """Each block's month effects minus their least-squares line (over its months with data)."""
    out = np.zeros_like(c)
    for k in range(c.shape[0]):
        m = present[k]
        if m.sum() >= 2:
            A = np.stack([np.ones(m.sum()), t_month[m]], -1)
            coef = np.linalg.lstsq(A, c[k, m], rcond=None)[0]
            out[k, m] = c[k, m] - A @ coef
    return out


def _robust_noise(d: _Data, p: np.ndarray, v: np.ndarray, leverage: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """σ_k² per block: Σ min(r², 2.5²) = E[min(z², 2.5²)]·Σ(1 − leverage) (Paule–Mandel with Huber's ψ)."""
    expected = _HUBER_EXPECTED
    resid2 = (d.y - d.n * p) ** 2
    out = s2.copy()
    for k in range(d.K):
        sel = (d.block_obs == k) & (v > 0)
        # months with a few dossiers are far from normal; the large ones carry the information anyway
        big = sel & (v >= 3)
        sel = big if big.sum() >= 20 else sel
        target = expected * float((1 - leverage[sel]).sum())
        if sel.sum() < 5 or target <= 0:
            out[k] = 0.0
            continue
        r2, vk = resid2[sel], v[sel]

        def excess(s2k, r2=r2, vk=vk, target=target):
            return float(np.minimum(r2 / (vk * (1 + vk * s2k)), HUBER_Z**2).sum() - target)

        if excess(0.0) <= 0:
            out[k] = 0.0
            continue
        hi = 1.0
        while excess(hi) > 0 and hi < 1e3:
            hi *= 4
        out[k] = brentq(excess, 0.0, hi, xtol=1e-8)
    return out


def _one_off_months(d: _Data, p: np.ndarray, v: np.ndarray, unit_s2: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """(rate, jumps) of block k: unit-months more than JUMP_Z standard deviations from their fit, in
    excess of what the normal noise would give, and their log-odds distance from it. The robust noise
    leaves such months out on purpose; the month band adds them back as jumps, so that a campaign
    month in a large unit moves its block's band as it moves the block."""
    sel = (d.block_obs == k) & (v >= 3)
    if sel.sum() < 20:
        return 0.0, np.zeros(0)
    s2_obs = unit_s2[d.unit[sel]]
    z = (d.y[sel] - d.n[sel] * p[sel]) / np.sqrt(v[sel] * (1 + v[sel] * s2_obs))
    far = np.abs(z) > JUMP_Z
    rate = max(float(far.mean()) - 2 * float(norm.sf(JUMP_Z)), 0.0)
    if rate == 0.0:
        return 0.0, np.zeros(0)
    n, y = d.n[sel][far], d.y[sel][far]
    jump = logit((y + 0.5) / (n + 1)) - logit(p[sel][far])
    return rate, jump[:500]


def _noise_multiplier(d: _Data, p: np.ndarray, v: np.ndarray, s2: np.ndarray, leverage: np.ndarray) -> np.ndarray:
    """σ_u²/σ_k² per unit: units differ in how noisy their months are. From the months where the
    extra-binomial variation dominates (v σ_k² ≥ 1, so a standardised residual measures σ_u/σ_k), the
    clipped squared residuals over their expectation (on Σ (1 − leverage) degrees of freedom), shrunk
    toward 1 with NOISE_PRIOR_MONTHS pseudo-months (a unit with a few such months keeps about its
    block's noise)."""
    s2_obs = s2[d.block_obs]
    informative = v * s2_obs >= 1
    z2 = np.minimum((d.y - d.n * p) ** 2 / np.maximum(v * (1 + v * s2_obs), 1e-12), HUBER_Z**2) / _HUBER_EXPECTED
    effective = np.bincount(d.unit[informative], 1 - leverage[informative], d.U)
    total = np.bincount(d.unit[informative], z2[informative], d.U)
    return (NOISE_PRIOR_MONTHS + total) / (NOISE_PRIOR_MONTHS + effective)


def _fit(
    d: _Data,
    theta: np.ndarray,
    c: np.ndarray,
    s2: np.ndarray,
    prior_mean: np.ndarray,
    prior_prec: np.ndarray,
    present: np.ndarray,
):
    """Alternate Fisher-scoring steps of every unit's (a, b, g), the block-month effects and σ²."""
    for _ in range(_MAX_ITER):
        eta = (theta[d.unit] * d.X).sum(1) + c.reshape(-1)[d.cell]
        p, v, r, w = _quasi(eta, d, s2[d.block_obs])
        g, H = _unit_sums(d, r, w, prior_prec)
        g = g - prior_prec * (theta - prior_mean)
        step = np.linalg.solve(H, g[..., None])[..., 0]
        size = np.abs(step).max(1)
        step *= np.minimum(1.0, 3.0 / np.maximum(size, 1e-300))[:, None]  # damped: no wild first steps
        theta = theta + step
        # block-month effects: one scoring step each, then held off the units' levels and trends
        eta = (theta[d.unit] * d.X).sum(1) + c.reshape(-1)[d.cell]
        p, v, r, w = _quasi(eta, d, s2[d.block_obs])
        score = np.bincount(d.cell, r, d.K * d.T)
        info = np.bincount(d.cell, w, d.K * d.T) + 1e-6
        c_new = _project_out_line(c + (score / info).reshape(d.K, d.T), present, d.t_month)
        dc = np.abs(c_new - c).max(initial=0.0)
        c = c_new
        s2_new = _robust_noise(d, p, v, _leverage(d, w, H, info), s2)
        ds = np.abs(np.sqrt(s2_new) - np.sqrt(s2)).max(initial=0.0)
        s2 = s2_new
        if size.max(initial=0.0) < _TOL and dc < _TOL and ds < 1e-6:
            break
    eta = (theta[d.unit] * d.X).sum(1) + c.reshape(-1)[d.cell]
    p, v, r, w = _quasi(eta, d, s2[d.block_obs])
    g, H = _unit_sums(d, r, w, prior_prec)
    g = g - prior_prec * (theta - prior_mean)
    cov = np.linalg.inv(H)
    # converged: every estimating equation at zero, within a thousandth of a standard error
    z = np.abs(g) * np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    ok = np.isfinite(theta).all(1) & (z.max(1) < 1e-3)
    cell_info = np.bincount(d.cell, w, d.K * d.T)
    leverage = _leverage(d, w, H, cell_info + 1e-6)
    return theta, cov, c, s2, ok, p, v, cell_info.reshape(d.K, d.T), leverage


def _leverage(d: _Data, w: np.ndarray, H: np.ndarray, cell_info: np.ndarray) -> np.ndarray:
    """Each month's leverage: how much of its own residual its unit's (a, b, g) and its block-month
    effect absorb (w xᵀ H⁻¹ x + w / Σ_cell w). A fitted residual's variance is (1 − leverage) times a
    new month's, so the noise is estimated on Σ (1 − leverage) degrees of freedom."""
    Hinv = np.linalg.inv(H)[d.unit]
    own = w * np.einsum("ni,nij,nj->n", d.X, Hinv, d.X)
    return np.clip(own + w / cell_info[d.cell], 0.0, 0.99)


def _pool(slope: np.ndarray, var: np.ndarray) -> tuple[float, float, float]:
    """(β, τ, se β): mode of the marginal likelihood of the unpooled trends × Gamma(2, rate) on τ."""
    var = np.minimum(var, FREE_TREND_PRIOR_SD**2)

    def neg_log_post(log_tau: float) -> float:
        tau2 = np.exp(2 * log_tau)
        wts = 1 / (tau2 + var)
        beta = (wts * slope).sum() / wts.sum()
        loglik = -0.5 * (np.log(tau2 + var) + wts * (slope - beta) ** 2).sum()
        tau = np.exp(log_tau)
        # Gamma(2, rate) density ∝ τ e^(−rate τ); the Jacobian of log τ adds another log τ
        return -(loglik + 2 * log_tau - TAU_PRIOR_RATE * tau)

    res = minimize_scalar(neg_log_post, bounds=(np.log(1e-3), np.log(10.0)), method="bounded", options={"xatol": 1e-6})
    tau2 = float(np.exp(2 * res.x))
    wts = 1 / (tau2 + var)
    return float((wts * slope).sum() / wts.sum()), float(np.sqrt(tau2)), float(1 / np.sqrt(wts.sum()))


def calibrate(
    series: ReportSeries,
    upto_month: int | None = None,
    min_months: int = MIN_CALIBRATION_MONTHS,
    register: pd.DataFrame | None = None,
) -> Calibration:
    """Fit every segment with at least `min_months` months with dossiers (up to and including
    `upto_month`). `register`: seg_id, month — the start months of known measures (level shifts)."""
    monthly = series.monthly
    if upto_month is not None:
        monthly = monthly[monthly["last"] <= upto_month]
    seg_ids = tuple(series.segments.seg_id)
    S = len(seg_ids)
    index = {sid: i for i, sid in enumerate(seg_ids)}
    kinds = series.segments.kind.to_numpy()
    block_of = tuple(BLOCK_OF_KIND.get(k, str(k)) for k in kinds)
    last = int(monthly["last"].max()) if len(monthly) else (upto_month or 0)
    first = int(monthly["first"].min()) if len(monthly) else last
    n_series_months = last - first + 1

    seg = monthly.seg_id.map(index).to_numpy()
    keep = ~pd.isna(seg)
    monthly, seg = monthly[keep], seg[keep].astype(int)
    m_all = monthly["first"].to_numpy().astype(int)
    n_all = monthly.dossiers.to_numpy(float)
    y_all = monthly.online.to_numpy(float)
    total_n = np.bincount(seg, n_all, S)
    live = np.bincount(seg, y_all, S) > 0
    at_last = m_all == last
    last_n, last_y = np.bincount(seg[at_last], n_all[at_last], S), np.bincount(seg[at_last], y_all[at_last], S)

    # rollouts: zero online dossiers before a unit's first online month, where its later share
    # would have given at least a few; those months are another regime, left out of its fit
    use = n_all > 0
    step_month = np.full(S, -1)
    step_kind = [""] * S
    first_online = np.full(S, np.iinfo(np.int64).max)
    np.minimum.at(first_online, seg[y_all > 0], m_all[y_all > 0])
    before = use & (m_all < first_online[seg])
    after = use & ~before
    n_before = np.bincount(seg[before], n_all[before], S)
    share_after = (np.bincount(seg[after], y_all[after], S) + 0.5) / (np.bincount(seg[after], n_all[after], S) + 1)
    rollout = live & (n_before * share_after >= ROLLOUT_EXPECTED_ONLINE)
    for i in np.flatnonzero(rollout):
        step_month[i], step_kind[i] = int(first_online[i]), "rollout"
    use &= ~(rollout[seg] & before)
    months_with = np.bincount(seg[use], minlength=S)
    obs_n, obs_y = np.bincount(seg[use], n_all[use], S), np.bincount(seg[use], y_all[use], S)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.where(obs_n > 0, obs_y / obs_n, np.nan)

    status = np.where(total_n == 0, "no_dossiers", np.where(months_with < min_months, "not_enough_data", "fitted")).astype(object)
    fitted = status == "fitted"
    # register measures: a step where the unit has fitted months on both sides
    if register is not None and len(register):
        for r in register.itertuples():
            at = index.get(str(r.seg_id))
            if at is None or not fitted[at] or step_kind[at] == "rollout":
                continue
            mine = use & (seg == at)
            if (m_all[mine] < r.month).any() and (m_all[mine] >= r.month).any():
                step_month[at], step_kind[at] = int(r.month), "register"

    level, trend = np.full(S, np.nan), np.full(S, np.nan)
    cov = np.full((S, 2, 2), np.nan)
    converged = np.zeros(S, bool)
    pool_weight = np.full(S, np.nan)
    unit_disp = np.full(S, np.nan)
    unit_noise = np.full(S, np.nan)
    jump_rate: dict[str, float] = {}
    jumps: dict[str, np.ndarray] = {}
    block_trend: dict[str, float] = {}
    block_tau: dict[str, float] = {}
    block_trend_se: dict[str, float] = {}
    season: dict[str, np.ndarray] = {}
    season_sd: dict[str, np.ndarray] = {}
    noise_sd: dict[str, float] = {}
    dispersion: dict[str, float] = {}
    shock_block: dict[str, float] = {}
    shock_line: dict[str, np.ndarray] = {}
    shock_df: dict[str, float] = {}
    shock_prov = 0.0

    units = np.flatnonzero(fitted)
    blocks = sorted({block_of[i] for i in units})
    if len(units):
        local = np.full(S, -1)
        local[units] = np.arange(len(units))
        bidx = {b: k for k, b in enumerate(blocks)}
        unit_block = np.array([bidx[block_of[i]] for i in units])
        sel = use & fitted[seg]
        u_obs = local[seg[sel]]
        tau_idx = m_all[sel] - first
        t_obs = (m_all[sel] - last) / 12.0
        step_ind = ((step_month[seg[sel]] >= 0) & (m_all[sel] < step_month[seg[sel]])).astype(float)
        K, T = len(blocks), n_series_months
        d = _Data(
            unit=u_obs,
            cell=unit_block[u_obs] * T + tau_idx,
            X=np.stack([np.ones(sel.sum()), t_obs, step_ind], -1),
            n=n_all[sel],
            y=y_all[sel],
            block_obs=unit_block[u_obs],
            U=len(units),
            K=K,
            T=T,
            t_month=(np.arange(T) + first - last) / 12.0,
        )
        present = np.bincount(d.cell, d.n, K * T).reshape(K, T) > 0
        U = d.U
        share0 = (obs_y[units] + 0.5) / (obs_n[units] + 1.0)
        theta = np.stack([logit(share0), np.zeros(U), np.zeros(U)], -1)
        prior_mean = np.zeros((U, 3))
        prior_prec = np.tile([1 / LEVEL_PRIOR_SD**2, 1 / FREE_TREND_PRIOR_SD**2, 1 / STEP_PRIOR_SD**2], (U, 1))
        c, s2 = np.zeros((K, T)), np.zeros(K)
        # 1. each unit's own trend (weak prior), 2. the block's mean trend and spread, 3. pooled fit
        theta, cov3, c, s2, ok, p, v, info, leverage = _fit(d, theta, c, s2, prior_mean, prior_prec, present)
        lam = np.ones(U)
        for k, block in enumerate(blocks):
            mine = unit_block == k
            beta, tau, se_beta = _pool(theta[mine, 1], cov3[mine, 1, 1])
            block_trend[block], block_tau[block], block_trend_se[block] = beta, tau, se_beta
            prior_mean[mine, 1], prior_prec[mine, 1] = beta, 1 / tau**2
            lam[mine] = tau**2 / (tau**2 + np.minimum(cov3[mine, 1, 1], FREE_TREND_PRIOR_SD**2))
        theta, cov3, c, s2, ok, p, v, info, leverage = _fit(d, theta, c, s2, prior_mean, prior_prec, present)

        # the block-month effects: month-of-year means and the shocks around them
        moy = (np.arange(T) + first) % 12
        shocks = np.zeros((K, T))
        total_var = np.zeros(K)
        df_of = np.ones(K)
        with np.errstate(divide="ignore"):
            samp = np.where(present, 1 / np.maximum(info, 1e-12), np.nan)
        for k, block in enumerate(blocks):
            m = present[k]
            ck, mean_samp = c[k], float(np.nanmean(samp[k])) if m.any() else 0.0
            s = np.zeros(12)
            sd = np.zeros(12)
            if m.sum() >= MIN_SEASON_MONTHS:
                counts = np.bincount(moy[m], minlength=12)
                raw = np.bincount(moy[m], ck[m], 12) / np.maximum(counts, 1)
                raw = raw - raw[counts > 0].mean()
                resid = ck[m] - raw[moy[m]]
                df = max(int(m.sum()) - int((counts > 0).sum()) - 2, 1)
                shock_var = max(float((resid**2).sum() / df) - mean_samp, 0.0)
                noise = (shock_var + mean_samp) / np.maximum(counts, 1)
                # the month-of-year means, unshrunk: shrinking them toward 0 would pull the largest one —
                # December's push, the month the headline is read from — down the most. Their sampling
                # error goes into the bands instead; a month of the year without data gets the spread
                # of the others as its uncertainty.
                seen = counts > 0
                s = np.where(seen, raw, 0.0)
                sd = np.where(seen, np.sqrt(noise), np.sqrt(float((raw[seen] ** 2).mean()) + float(noise[seen].mean())))
            r = np.where(m, ck - s[moy], 0.0)
            # whatever constant and line the seasonal effects left in r belongs to the units' levels and trends
            if m.sum() >= 2:
                A = np.stack([np.ones(m.sum()), d.t_month[m]], -1)
                alpha, delta = np.linalg.lstsq(A, r[m], rcond=None)[0]
                r[m] -= A @ np.array([alpha, delta])
                mine = unit_block == k
                theta[mine, 0] += alpha
                theta[mine, 1] += delta
                block_trend[block] += float(delta)
            shocks[k] = r
            if m.sum() >= 2:
                shock_line[block] = np.linalg.inv(A.T @ A)
            df_shock = max(int(m.sum()) - (int((np.bincount(moy[m], minlength=12) > 0).sum()) if s.any() else 0) - 2, 1)
            df_of[k] = df_shock
            total_var[k] = max(float((r[m] ** 2).sum() / df_shock) - mean_samp, 0.0)
            season[block], season_sd[block] = s, sd
            noise_sd[block] = float(np.sqrt(s2[k]))
            sel_k = d.block_obs == k
            pearson = ((d.y - d.n * p) ** 2 / np.maximum(v, 1e-12))[sel_k]
            dispersion[block] = float(pearson.sum() / max(sel_k.sum() - 2 * (unit_block == k).sum() - m.sum(), 1))
        if K >= 2:
            # each block's shock variance leans on the others' (a few months give a handful of degrees
            # of freedom each): shrunk toward their pooled value with the blocks' mean degrees of freedom
            raw_df = df_of.copy()
            pooled = float((df_of * total_var).sum() / df_of.sum())
            prior_df = float(df_of.mean())
            total_var = (df_of * total_var + prior_df * pooled) / (df_of + prior_df)
            df_of = df_of + prior_df
            # the province's part: from the spread of the dossier-weighted mean of the blocks' shocks,
            # σ²_prov (1 − Σω²) + Σ ω² σ²_k (what the province's own share feels, so its band is right)
            weight = np.bincount(unit_block, obs_n[units], K)
            weight = weight / weight.sum()
            both = present.all(0)
            if both.sum() >= 4:
                mean_shock = (weight[:, None] * shocks[:, both]).sum(0)
                spread = float((mean_shock**2).sum() / max(float(np.mean(raw_df)) * both.sum() / present.sum(1).mean(), 1.0))
                samp_part = float((weight**2 * np.array([np.nanmean(samp[k]) for k in range(K)])).sum())
                w2 = float((weight**2).sum())
                shock_prov = (spread - samp_part - float((weight**2 * total_var).sum())) / max(1 - w2, 1e-6)
                shock_prov = float(min(max(shock_prov, 0.0), total_var.min()))
        for k, block in enumerate(blocks):
            shock_block[block] = float(np.sqrt(max(total_var[k] - shock_prov, 0.0)))
            shock_df[block] = float(df_of[k])
        shock_prov = float(np.sqrt(shock_prov))

        unit_noise[units] = np.sqrt(s2[unit_block] * _noise_multiplier(d, p, v, s2, leverage))
        for k, block in enumerate(blocks):
            jump_rate[block], jumps[block] = _one_off_months(d, p, v, unit_noise[units] ** 2, k)
        pearson_obs = (d.y - d.n * p) ** 2 / np.maximum(v, 1e-12)
        n_obs = np.bincount(d.unit, minlength=U)
        unit_disp[units] = np.bincount(d.unit, pearson_obs, U) / np.maximum(n_obs - 2, 1)
        level[units], trend[units] = theta[:, 0], theta[:, 1]
        cov[units] = cov3[:, :2, :2]
        converged[units] = ok
        pool_weight[units] = lam
        bad = units[~ok]
        status[bad] = "not_converged"
        level[bad], trend[bad] = np.nan, np.nan
    return Calibration(
        seg_ids,
        level,
        trend,
        cov,
        months_with,
        last,
        block_trend,
        block_tau,
        min_months,
        block_of=block_of,
        status=tuple(str(s) for s in status),
        converged=converged,
        observed_share=observed,
        observed_dossiers=obs_n,
        dossiers_per_month=total_n / max(n_series_months, 1),
        last_dossiers=last_n,
        last_online=last_y,
        live=live,
        step_month=step_month,
        step_kind=tuple(step_kind),
        pool_weight=pool_weight,
        unit_dispersion=unit_disp,
        unit_noise_sd=unit_noise,
        jump_rate=jump_rate,
        jumps=jumps,
        block_trend_se=block_trend_se,
        season=season,
        season_sd=season_sd,
        month_noise_sd=noise_sd,
        dispersion=dispersion,
        shock_sd_province=shock_prov,
        shock_sd_block=shock_block,
        shock_line=shock_line,
        shock_df=shock_df,
    )


# ---------------------------------------------------------------- the two bands


@dataclass(frozen=True)
class ForecastBands:
    """Quantiles (P10, P50, P90 by default) of the two bands, as shares in [0, 1]:
    - trend ("dải của xu hướng"): where the expected share lies — the uncertainty of the levels,
      trends (with the block's mean trend shared by its units) and seasonal effects;
    - month ("dải dự báo tháng"): where an observed month should fall — that, plus the month's
      province and block shocks, the unit-month variation and the binomial at the month's volume.
    NaN where a unit has no share (no dossiers, or no volume that month)."""

    months: tuple[int, ...]
    seg_ids: tuple[str, ...]
    groups: tuple[str, ...]
    unit_center: np.ndarray  # (H, S)
    unit_trend: np.ndarray  # (3, H, S)
    unit_month: np.ndarray  # (3, H, S)
    group_center: np.ndarray  # (H, G)
    group_trend: np.ndarray  # (3, H, G)
    group_month: np.ndarray  # (3, H, G)


def default_groups(cal: Calibration) -> dict[str, np.ndarray]:
    """The province (every segment) and each calibration block."""
    blocks = np.array(cal.block_of)
    out = {"province": np.ones(len(cal.seg_ids), bool)}
    for block in sorted(set(cal.block_of)):
        out[block] = blocks == block
    return out


def _expit32_of_sum(base32: np.ndarray, deviations: np.ndarray) -> np.ndarray:
    """The logistic function of `base32` (H, S) + `deviations` (draws, H, S), float32, through
    numpy's tanh (as the engine's Monte Carlo does), in one buffer: a new array per step would cost
    as much as the arithmetic at 400 units."""
    out = np.add(base32[None], deviations)
    out *= np.float32(0.5)
    np.tanh(out, out=out)
    out *= np.float32(0.5)
    out += np.float32(0.5)
    return out


def _group_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ_s values[d, h, s] · weights[h, s, g], (draws, H, G), as one float32 matrix product per month."""
    return np.matmul(values.transpose(1, 0, 2), weights.astype(np.float32)).transpose(1, 0, 2).astype(float)


def _unit_month_quantiles(rng, n_int, pc, p_month, z_binomial, uniform, counted, q) -> np.ndarray:
    """Each counted unit-month's month band (len(q), count): the binomial at the month's volume,
    exact where the month has few dossiers, its normal limit where n·p·(1 − p) ≥ 25 (numpy's
    binomial sampler is the slowest step), spread over each count's unit interval (mid-p), so that
    a unit with a few dossiers gets a P10–P90 band that holds about 80%, not all its mass."""
    draws = p_month.shape[0]
    large = n_int * pc * (1 - pc) >= 25
    small = ~large & (n_int > 0)
    y = np.zeros(p_month.shape, dtype=np.float32)
    if small.any():
        y[:, small] = rng.binomial(np.broadcast_to(n_int[small], (draws, int(small.sum()))), p_month[:, small])
    if large.any():
        pl, nl = p_month[:, large], n_int[large][None, :].astype(np.float32)
        y[:, large] = np.clip(nl * pl + np.sqrt(nl * pl * (1 - pl)) * z_binomial[:, large], 0, nl)
    spread = y[:, counted] + uniform[:, counted]
    return np.quantile(np.clip(spread / n_int[counted][None, :], 0.0, 1.0), q, axis=0)


def _group_month_counts(rng, n_int, pc, p_month, counted, member) -> np.ndarray:
    """Each group's online dossiers in each draw and month (draws, H, G): the sum of its units'
    binomials at their month's volume. A sum of independent binomials is drawn whole, from its
    normal limit (mean Σ n·p, variance Σ n·p·(1 − p), clipped to [0, Σ n]) where the group's
    variance is ≥ 25, the rule a single unit's count follows; the units of a group below that are
    drawn exactly. One normal per group and month instead of one binomial per unit: at 400 units
    the per-unit sampler was most of a slider move's time."""
    draws, H, _ = p_month.shape
    n = np.where(counted, n_int, 0).astype(float)
    thin = (n * pc * (1 - pc)) @ member < 25  # (H, G)
    exact = counted & ((thin.astype(float) @ member.T) > 0)  # units of a thin group: (H, S)
    pooled = np.where(exact, 0.0, n)
    weights = pooled[:, :, None] * member[None]  # (H, S, G)
    z = rng.standard_normal((draws, H, member.shape[1]), dtype=np.float32)
    mean = _group_sums(p_month, weights)
    spread = np.square(p_month)
    np.subtract(p_month, spread, out=spread)  # p·(1 − p), summed directly (not Σnp − Σnp², which cancels)
    variance = _group_sums(spread, weights)
    total = (pooled @ member)[None]
    counts = np.clip(mean + np.sqrt(np.maximum(variance, 0.0)) * z, 0.0, total)
    if exact.any():
        y = np.zeros(p_month.shape, dtype=np.float32)
        y[:, exact] = rng.binomial(np.broadcast_to(n_int[exact], (draws, int(exact.sum()))), p_month[:, exact])
        counts += _group_sums(y, np.broadcast_to(member[None], (H, *member.shape)))
    return counts


def forecast_bands(
    cal: Calibration,
    months: Sequence[int],
    volumes: np.ndarray,
    *,
    center: np.ndarray | None = None,
    groups: dict[str, np.ndarray] | None = None,
    draws: int = 1000,
    seed: int = 20230103,
    quantiles: tuple[float, float, float] = (0.1, 0.5, 0.9),
    unit_bands: bool = True,
) -> ForecastBands:
    """Both bands for `months` (month indexes) at `volumes` (H, S) dossiers a month per segment of
    `cal`, per segment and per group of segments (boolean masks over `cal.seg_ids`; default: the
    province and the calibration blocks). `center` (H, S) shares replaces the status quo's path
    (e.g. a scenario's projection); the uncertainty around it is the same. Segments without a fit
    but with dossiers are held at their observed share (with its sampling error); segments without
    dossiers, or without volume in a month, have no share and add nothing to a group. Pure: the same
    inputs give the same bands. `unit_bands=False` leaves the per-unit quantiles NaN (a projection
    needs only its blocks')."""
    months_arr = np.asarray(months, dtype=int)
    H, S = len(months_arr), len(cal.seg_ids)
    volumes = np.asarray(volumes, dtype=float).reshape(H, S)
    groups = default_groups(cal) if groups is None else groups
    rng = np.random.default_rng(seed + 1)  # the exact binomial of small months (the rest is cached)
    h = (months_arr - cal.last_month) / 12.0
    moy = months_arr % 12
    fitted = cal.calibrated
    obs = cal.observed_share
    held = ~fitted & np.isfinite(obs)
    has_share = fitted | held
    blocks = sorted(set(cal.block_of))
    bidx = np.array([blocks.index(b) for b in cal.block_of])
    K = len(blocks)

    season = np.stack([cal.season.get(b, np.zeros(12)) for b in blocks]) if K else np.zeros((0, 12))
    base = np.where(fitted, np.nan_to_num(cal.level)[None, :] + np.nan_to_num(cal.trend)[None, :] * h[:, None], np.nan)
    base = base + (season[bidx][:, moy].T if K else 0.0)
    held_logit = logit(np.clip(np.nan_to_num(obs), 1e-6, 1 - 1e-6))
    base = np.where(held[None, :], held_logit[None, :], base)
    if center is not None:
        centre = np.asarray(center, dtype=float).reshape(H, S)
        base = np.where(np.isfinite(centre), logit(np.clip(centre, 1e-6, 1 - 1e-6)), base)
    base = np.where(has_share[None, :], base, np.nan)

    dev_trend, dev_month, z_binomial, uniform = _deviations(cal, tuple(int(m) for m in months_arr), draws, seed)
    base32 = np.nan_to_num(base).astype(np.float32)
    n_int = np.where(has_share[None, :], np.round(volumes), 0).astype(np.int64)
    q = np.asarray(quantiles)
    shown = has_share[None, :] & (volumes > 0)
    counted = shown & (n_int > 0)
    p_trend = _expit32_of_sum(base32, dev_trend)
    p_month = _expit32_of_sum(base32, dev_month)
    pc = np.nan_to_num(expit(base))
    unit_trend = np.full((3, H, S), np.nan)
    unit_month = np.full((3, H, S), np.nan)
    if unit_bands:
        unit_trend = np.where(shown[None], np.quantile(p_trend, q, axis=0), np.nan)
        unit_month[:, counted] = _unit_month_quantiles(rng, n_int, pc, p_month, z_binomial, uniform, counted, q)
    unit_center = np.where(shown, expit(base), np.nan)

    names = tuple(groups)
    G = len(names)
    group_center = np.full((H, G), np.nan)
    group_trend = np.full((3, H, G), np.nan)
    group_month = np.full((3, H, G), np.nan)
    weights = np.where(shown, volumes, 0.0)
    member = np.stack([np.asarray(groups[name], bool) & has_share for name in names], -1).astype(float)  # (S, G)
    wsum = weights @ member  # (H, G)
    nsum = np.where(counted, n_int, 0) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        # one batched matrix product per month and band ((H, draws, S) @ (H, S, G)), with the month's
        # weights folded into the member matrix: no elementwise pass over the draws
        pt = _group_sums(p_trend, weights[:, :, None] * member[None]) / wsum[None]
        pm = _group_month_counts(rng, n_int, pc, p_month, counted, member) / nsum[None]
        centre_g = (weights * pc) @ member / wsum
    ok, okm = wsum > 0, nsum > 0
    group_center[ok] = centre_g[ok]
    if ok.any():
        group_trend[:, ok] = np.quantile(pt[:, ok], q, axis=0)
    if okm.any():
        group_month[:, okm] = np.quantile(pm[:, okm], q, axis=0)
    return ForecastBands(
        tuple(int(m) for m in months_arr),
        cal.seg_ids,
        names,
        unit_center,
        unit_trend,
        unit_month,
        group_center,
        group_trend,
        group_month,
    )


_DEVIATIONS: dict[tuple, tuple] = {}


def _deviations(cal: Calibration, months: tuple[int, ...], draws: int, seed: int) -> tuple[np.ndarray, ...]:
    """The draws around the centre, in log-odds, (draws, H, S) each: for the trend band (levels,
    trends with the block's mean trend shared by its units, seasonal effects) and for the month band
    (that, plus the province and block shocks and the unit-month variation); and the standard normals
    and uniforms of the binomial step. They do not depend on the centre, so a projection whose levers
    move reuses them (a few entries are kept)."""
    key = (id(cal), months, draws, seed)
    hit = kept_arrays(_DEVIATIONS, key, cal)
    if hit is not None:
        return hit
    rng = np.random.default_rng(seed)
    months_arr = np.array(months, dtype=int)
    H, S = len(months_arr), len(cal.seg_ids)
    h = (months_arr - cal.last_month) / 12.0
    moy = months_arr % 12
    fitted = cal.calibrated
    obs = cal.observed_share
    held = ~fitted & np.isfinite(obs)
    blocks = sorted(set(cal.block_of))
    bidx = np.array([blocks.index(b) for b in cal.block_of])
    K = len(blocks)
    season_sd = np.stack([cal.season_sd.get(b, np.zeros(12)) for b in blocks]) if K else np.zeros((0, 12))
    # parameter draws: each unit's level and trend, the block's mean trend (shared), the seasonal effects
    cov = np.where(fitted[:, None, None], np.nan_to_num(cal.cov), 0.0)
    chol = np.linalg.cholesky(cov + np.eye(2) * 1e-12)
    z = rng.standard_normal((draws, S, 2))
    da = chol[None, :, 0, 0] * z[:, :, 0]
    db = chol[None, :, 1, 0] * z[:, :, 0] + chol[None, :, 1, 1] * z[:, :, 1]
    se_beta = np.array([cal.block_trend_se.get(b, 0.0) for b in blocks]) if K else np.zeros(0)
    shared = 1 - np.nan_to_num(cal.pool_weight, nan=1.0)
    db = db + (shared * fitted)[None, :] * (rng.standard_normal((draws, K)) * se_beta[None, :])[:, bidx]
    held_se = np.where(
        held, 1 / np.sqrt(np.maximum(cal.observed_dossiers * np.clip(np.nan_to_num(obs), 0.01, 0.99) * 0.99, 1.0)), 0
    )
    da = da + held_se[None, :] * rng.standard_normal((draws, S))
    ds = rng.standard_normal((draws, K, 12)) * season_sd[None] if K else np.zeros((draws, 0, 12))
    # the shocks' line over the fitted months: a level and trend error common to a block's units
    # (its province part common to every block)
    z_province = rng.standard_normal((draws, 2))
    for k, block in enumerate(blocks):
        line = cal.shock_line.get(block)
        if line is None:
            continue
        chol_line = np.linalg.cholesky(line + np.eye(2) * 1e-12)
        common = (
            cal.shock_sd_province * z_province + cal.shock_sd_block.get(block, 0.0) * rng.standard_normal((draws, 2))
        ) @ chol_line.T
        mine = fitted & (bidx == k)
        da[:, mine] += common[:, :1]
        db[:, mine] += common[:, 1:]
    x_trend = da[:, None, :] + db[:, None, :] * (h[None, :, None] * fitted[None, None, :])
    if K:
        x_trend = x_trend + ds[:, bidx][:, :, moy].transpose(0, 2, 1) * fitted[None, None, :]

    # month: shocks (their variances drawn from what their degrees of freedom allow), unit-month
    # variation, binomial at the month's volume
    df = np.array([cal.shock_df.get(b, np.inf) for b in blocks]) if K else np.zeros(0)
    scale = np.where(np.isfinite(df), np.sqrt(np.maximum(df, 1) / rng.chisquare(np.maximum(df, 1), (draws, K))), 1.0)
    prov_scale = np.sqrt(np.maximum(df.min(initial=np.inf), 1) / rng.chisquare(np.maximum(df.min(initial=1e6), 1), draws))
    prov = rng.standard_normal((draws, H)) * cal.shock_sd_province * prov_scale[:, None]
    block_sd = np.array([cal.shock_sd_block.get(b, 0.0) for b in blocks]) if K else np.zeros(0)
    blk = rng.standard_normal((draws, H, K)) * block_sd[None, None, :] * scale[:, None, :]
    noise_sd = np.array([cal.month_noise_sd.get(b, 0.0) for b in blocks])[bidx] if K else np.zeros(S)
    if len(cal.unit_noise_sd):
        noise_sd = np.where(np.isfinite(cal.unit_noise_sd), cal.unit_noise_sd, noise_sd)
    x_month = x_trend + prov[:, :, None] + (blk[:, :, bidx] if K else 0.0)
    x_month = x_month + rng.standard_normal((draws, H, S)) * noise_sd[None, None, :]
    for k, block in enumerate(blocks):  # one-off months, at the rate and of the sizes seen
        pool = cal.jumps.get(block, np.zeros(0))
        mine = np.flatnonzero(bidx == k)
        if len(pool) and len(mine):
            jumped = rng.random((draws, H, len(mine))) < cal.jump_rate[block]
            x_month[:, :, mine] += np.where(jumped, rng.choice(pool, jumped.shape), 0.0)
    # float32: the bands are read to 0.01 points, and half the memory traffic halves a projection's cost
    out = tuple(
        a.astype(np.float32)
        for a in (x_trend, x_month, rng.standard_normal((draws, H, S)), rng.uniform(-0.5, 0.5, (draws, H, S)))
    )
    return keep_arrays(_DEVIATIONS, key, cal, out, 4)


# ---------------------------------------------------------------- backtest


@dataclass(frozen=True)
class Backtest:
    holdout: int  # months held out
    first_forecast: str
    blocks: (
        pd.DataFrame
    )  # block, month, actual_pct, forecast_pct, trend_p10/p90_pct, p10_pct, p90_pct (month band), error_pts, inside
    units: pd.DataFrame  # seg_id, block, size_class, month, actual_pct, forecast_pct, ..., inside (month band)
    summary: pd.DataFrame  # level (block/unit/size), id, mean_abs_error_pts, coverage_pct (month band), n

    @property
    def coverage_pct(self) -> float:
        """Unit-months inside their month band."""
        return float(100 * self.units.inside.mean()) if len(self.units) else float("nan")

    def block_coverage_pct(self) -> dict[str, float]:
        """Per block (and the province): block-months inside the month band, in percent."""
        return {b: float(100 * g.inside.mean()) for b, g in self.blocks.groupby("block")}

    def coverage(self) -> pd.DataFrame:
        """level (block/size), id, band (trend/month), coverage_pct, n: the coverage table of this holdout."""
        rows = []
        for level, frame, key in (("block", self.blocks, "block"), ("size", self.units, "size_class")):
            for ident, g in frame.groupby(key):
                for band, col in (("trend", "inside_trend"), ("month", "inside")):
                    rows.append(
                        {
                            "holdout": self.holdout,
                            "level": level,
                            "id": ident,
                            "band": band,
                            "coverage_pct": float(100 * g[col].mean()),
                            "n": len(g),
                        }
                    )
        return pd.DataFrame(rows)


def _compared(actual: float, centre: float, trend: np.ndarray, month: np.ndarray) -> dict:
    """A held-out month against its forecast and both bands (P10, P50, P90 shares), in percent."""
    return {
        "actual_pct": 100 * actual,
        "forecast_pct": 100 * centre,
        "trend_p10_pct": 100 * trend[0],
        "trend_p90_pct": 100 * trend[2],
        "p10_pct": 100 * month[0],
        "p90_pct": 100 * month[2],
        "inside": bool(month[0] <= actual <= month[2]),
        "inside_trend": bool(trend[0] <= actual <= trend[2]),
    }


def backtest(
    series: ReportSeries,
    holdout: int = 3,
    draws: int = 1000,
    seed: int = 20230103,
    min_months: int = MIN_CALIBRATION_MONTHS,
    register: pd.DataFrame | None = None,
) -> Backtest:
    """Fit on all but the last `holdout` months, forecast those months at their actual volumes, and
    compare: the error in points per block and per unit, and how often the actual month fell inside
    each band (P10–P90)."""
    monthly = series.monthly
    months = sorted(monthly["first"].unique())
    if len(months) < holdout + min_months:
        raise ValueError(f"needs at least {holdout + min_months} months, the series has {len(months)}")
    cutoff = int(months[-holdout - 1])
    cal = calibrate(series, upto_month=cutoff, min_months=min_months, register=register)
    test = monthly[monthly["first"] > cutoff]
    test_months = sorted(int(m) for m in test["first"].unique())
    index = {sid: i for i, sid in enumerate(cal.seg_ids)}
    H, S = len(test_months), len(cal.seg_ids)
    n = np.zeros((H, S))
    y = np.zeros((H, S))
    hpos = {m: j for j, m in enumerate(test_months)}
    for r in test.itertuples():
        if r.seg_id in index:
            n[hpos[int(r.first)], index[r.seg_id]] += r.dossiers
            y[hpos[int(r.first)], index[r.seg_id]] += r.online
    fb = forecast_bands(cal, test_months, n, draws=draws, seed=seed)
    sizes = [size_class(v) for v in cal.dossiers_per_month]
    rows = []
    for j, m in enumerate(test_months):
        for i in np.flatnonzero((n[j] > 0) & np.isfinite(fb.unit_month[0, j])):
            actual = y[j, i] / n[j, i]
            rows.append(
                {
                    "seg_id": cal.seg_ids[i],
                    "block": cal.block_of[i],
                    "size_class": sizes[i],
                    "fitted": bool(cal.calibrated[i]),
                    "month": month_label(period_of(m)),
                    "dossiers": n[j, i],
                    "online": y[j, i],
                    "forecast_online": n[j, i] * fb.unit_center[j, i],
                    **_compared(actual, fb.unit_center[j, i], fb.unit_trend[:, j, i], fb.unit_month[:, j, i]),
                }
            )
    units = pd.DataFrame(rows)
    if units.empty:
        raise ValueError("no unit has enough months before the held-out ones")
    units["error_pts"] = units.forecast_pct - units.actual_pct
    block_rows = []
    for g, name in enumerate(fb.groups):
        mask = default_groups(cal)[name] & np.isfinite(fb.unit_month[0]).any(0)
        for j, m in enumerate(test_months):
            nn = n[j, mask].sum()
            if nn <= 0 or not np.isfinite(fb.group_month[0, j, g]):
                continue
            actual = y[j, mask].sum() / nn
            block_rows.append(
                {
                    "block": name,
                    "month": month_label(period_of(m)),
                    "dossiers": nn,
                    "online": y[j, mask].sum(),
                    **_compared(actual, fb.group_center[j, g], fb.group_trend[:, j, g], fb.group_month[:, j, g]),
                }
            )
    blocks = pd.DataFrame(block_rows)
    blocks["error_pts"] = blocks.forecast_pct - blocks.actual_pct

    def _mae(e):
        return float(np.abs(e).mean())

    def _cov(v):
        return float(100 * v.mean())

    summary = pd.concat(
        [
            blocks.groupby("block", as_index=False)
            .agg(mean_abs_error_pts=("error_pts", _mae), coverage_pct=("inside", _cov), n=("month", "size"))
            .assign(level="block")
            .rename(columns={"block": "id"}),
            units.groupby("size_class", as_index=False)
            .agg(mean_abs_error_pts=("error_pts", _mae), coverage_pct=("inside", _cov), n=("month", "size"))
            .assign(level="size")
            .rename(columns={"size_class": "id"}),
            units.groupby("seg_id", as_index=False)
            .agg(mean_abs_error_pts=("error_pts", _mae), coverage_pct=("inside", _cov), n=("month", "size"))
            .assign(level="unit")
            .rename(columns={"seg_id": "id"}),
        ],
        ignore_index=True,
    )[["level", "id", "mean_abs_error_pts", "coverage_pct", "n"]]
    return Backtest(holdout, month_label(period_of(cutoff + 1)), blocks, units, summary)


def coverage_table(series: ReportSeries, horizons: Sequence[int] = BACKTEST_HORIZONS, **kwargs) -> pd.DataFrame:
    """holdout × level (block/size) × id × band → coverage_pct, n: one backtest per held-out span the
    series is long enough for (empty when it is too short for any)."""
    frames = []
    for h in horizons:
        try:
            frames.append(backtest(series, holdout=h, **kwargs).coverage())
        except ValueError:  # too few months to hold this span back
            continue
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def plan_year_bands(
    cal: Calibration,
    seg_ids: Sequence[str],
    plan_year: int,
    shares: np.ndarray,
    volumes: np.ndarray,
    block_matrix: np.ndarray,
    draws: int = 1000,
    seed: int = 20230103,
) -> tuple[np.ndarray, np.ndarray]:
    """(trend band, month band), each (3, 12, K) in percent, for a projection's plan year: the
    projection's own shares (12, S) and monthly dossiers (12, S) per segment `seg_ids`, and its blocks
    as rows of `block_matrix` (K, S). Segments the calibration does not know are left out."""
    position = {sid: i for i, sid in enumerate(cal.seg_ids)}
    rows = np.array([position.get(sid, -1) for sid in seg_ids])
    known = rows >= 0
    S = len(cal.seg_ids)
    centre = np.full((12, S), np.nan)
    vol = np.zeros((12, S))
    centre[:, rows[known]] = np.asarray(shares)[:, known]
    vol[:, rows[known]] = np.asarray(volumes)[:, known]
    groups = {}
    for k in range(block_matrix.shape[0]):
        mask = np.zeros(S, bool)
        mask[rows[known & (block_matrix[k] > 0)]] = True
        groups[str(k)] = mask
    months = [plan_year * 12 + m for m in range(12)]
    fb = forecast_bands(cal, months, vol, center=centre, groups=groups, draws=draws, seed=seed, unit_bands=False)
    return 100 * fb.group_trend, 100 * fb.group_month
