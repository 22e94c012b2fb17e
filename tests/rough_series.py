"""Monthly unit counts as rough as real administrative ones (never shown as Sơn La data).

Unlike `tests/series_support.py` (a clean binomial around a straight line), every series drawn
here has what real months have: unit-month variation beyond the binomial and one-off campaign
months, a December push and a Tết (January/February) dip in the share, province-wide and
block-wide month shocks, rollouts (a unit going from no online dossiers to some) and register
measures (a one-off step) inside the series, units with 0–20 dossiers a month and months with
none, and units with no dossiers at all.

Every magnitude is drawn from a range by the seed (`RoughSettings.draw`), and so is the kind of
extra-binomial variation (logit-normal, heavy-tailed Student t, or beta-binomial), so a test run over
many seeds covers a class of series rather than one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from model.series import ReportSeries, month_index, period_of

KINDS = ("department", "district_office", "commune")


@dataclass(frozen=True)
class RoughSettings:
    """The magnitudes of one series (log-odds unless said otherwise)."""

    block_trend: dict[str, float]  # mean trend a year per kind
    trend_sd: float  # spread of the units' trends around their block's
    december: dict[str, float]  # December push in the share, per kind
    tet: dict[str, float]  # January/February dip (negative), per kind
    province_shock_sd: float
    block_shock_sd: float
    month_noise_sd: float  # unit-month variation beyond the binomial
    noise_sd_spread: float  # units differ in their own month noise (log-normal spread of the sd)
    campaign_rate: float  # share of unit-months with a one-off campaign
    campaign_size: tuple[float, float]  # uniform range of a campaign's log-odds push
    rollout_share: float  # share of communes and district offices that go online inside the series
    step_share: float  # share of district offices with a register measure (a one-off step) inside the series
    step_size: float
    empty_units: int  # units with no dossiers in any month
    small_share: float  # share of units with 0–20 dossiers a month
    noise_kind: str = "logit_normal"  # or "student_t" (heavy tails, 3 df) or "beta_binomial" (the same sd as a share)

    @staticmethod
    def draw(rng: np.random.Generator) -> RoughSettings:
        return RoughSettings(
            block_trend={k: float(rng.uniform(-0.2, 0.9)) for k in KINDS},
            trend_sd=float(rng.uniform(0.1, 0.45)),
            december={k: float(rng.uniform(0.1, 0.5)) for k in KINDS},
            tet={k: float(rng.uniform(-0.5, -0.1)) for k in KINDS},
            province_shock_sd=float(rng.uniform(0.03, 0.15)),
            block_shock_sd=float(rng.uniform(0.03, 0.15)),
            month_noise_sd=float(rng.uniform(0.1, 0.4)),
            noise_sd_spread=float(rng.uniform(0.0, 0.4)),
            campaign_rate=float(rng.uniform(0.005, 0.03)),
            campaign_size=(0.5, float(rng.uniform(0.8, 1.6))),
            rollout_share=float(rng.uniform(0.05, 0.2)),
            step_share=float(rng.uniform(0.1, 0.4)),
            step_size=float(rng.uniform(0.4, 1.0)),
            empty_units=int(rng.integers(1, 4)),
            small_share=float(rng.uniform(0.15, 0.35)),
            noise_kind=str(rng.choice(["logit_normal", "student_t", "beta_binomial"])),
        )


def rough_series(
    seed: int = 1,
    n_units: int | None = None,
    n_months: int | None = None,
    last_period: str | None = None,
    settings: RoughSettings | None = None,
) -> tuple[ReportSeries, pd.DataFrame, pd.DataFrame, RoughSettings]:
    """(series, truth, register, settings).

    truth: one row per unit — seg_id, kind, level (log-odds at the last month, before the month's
    seasonal effect, shock and noise), trend (log-odds a year), size (mean dossiers a month),
    rollout (month index the unit goes online, or -1), step (month index of a register measure, or
    -1), empty (no dossiers at all).
    register: seg_id, month — the register measures' start months (the step-indicator input).
    """
    rng = np.random.default_rng(seed)
    s = settings or RoughSettings.draw(rng)
    n_units = n_units or int(rng.integers(120, 320))
    n_months = n_months or int(rng.integers(24, 43))
    if last_period is None:
        last_period = period_of(month_index("2025-01") + int(rng.integers(0, 24)))
    last = month_index(last_period)
    months = np.arange(last - n_months + 1, last + 1)
    t = (months - last) / 12.0
    moy = months % 12
    kinds = rng.choice(np.array(KINDS), n_units, p=[0.25, 0.2, 0.55])

    season = {}
    for k in KINDS:
        effect = rng.normal(0, 0.04, 12)
        effect[11] += s.december[k]
        effect[0] += s.tet[k]
        effect[1] += s.tet[k] * rng.uniform(0.3, 1.0)
        season[k] = effect - effect.mean()
    province_shock = rng.normal(0, s.province_shock_sd, n_months)
    block_shock = {k: rng.normal(0, s.block_shock_sd, n_months) for k in KINDS}

    level = rng.uniform(-4.0, 1.5, n_units)
    trend = np.array([s.block_trend[k] for k in kinds]) + rng.normal(0, s.trend_sd, n_units)
    small = rng.random(n_units) < s.small_share
    size = np.where(small, rng.uniform(0.3, 20, n_units), np.exp(rng.uniform(np.log(20), np.log(3000), n_units)))
    noise_sd = s.month_noise_sd * np.exp(rng.normal(0, s.noise_sd_spread, n_units))
    empty = np.zeros(n_units, bool)
    empty[rng.choice(n_units, s.empty_units, replace=False)] = True
    # a rollout: online dossiers from a month in the series' middle third on; before it, none
    can_roll = (kinds != "department") & ~empty & (size > 3)
    rollout = np.where(
        can_roll & (rng.random(n_units) < s.rollout_share),
        months[0] + rng.integers(n_months // 3, 2 * n_months // 3, n_units),
        -1,
    )
    stepped = (kinds == "district_office") & ~empty & (rollout < 0) & (rng.random(n_units) < s.step_share)
    step = np.where(stepped, months[0] + rng.integers(n_months // 3, 2 * n_months // 3, n_units), -1)

    seg_ids = [f"r{u:03d}" for u in range(n_units)]
    rows = []
    for u in range(n_units):
        k = kinds[u]
        volume_season = 1 + 0.25 * (moy == 11) - 0.2 * (moy == 0)
        n = np.zeros(n_months, int) if empty[u] else rng.poisson(size[u] * volume_season)
        eta = level[u] + trend[u] * t + season[k][moy] + province_shock + block_shock[k]
        if s.noise_kind == "student_t":
            eta = eta + noise_sd[u] * rng.standard_t(3, n_months) / np.sqrt(3)
        elif s.noise_kind == "logit_normal":
            eta = eta + rng.normal(0, noise_sd[u], n_months)
        campaign = rng.random(n_months) < s.campaign_rate
        eta = eta + campaign * rng.uniform(*s.campaign_size, n_months)
        if step[u] >= 0:
            eta = eta - s.step_size * (months < step[u])  # the level after the measure is `level`
        p = expit(eta)
        if s.noise_kind == "beta_binomial":
            # a Beta share around p whose sd matches the logit-normal's near p: sd ≈ σ p (1 − p)
            var = (noise_sd[u] * p * (1 - p)) ** 2
            strength = np.maximum(p * (1 - p) / np.maximum(var, 1e-12) - 1, 1e-3)
            p = rng.beta(np.maximum(p * strength, 1e-6), np.maximum((1 - p) * strength, 1e-6))
        if rollout[u] >= 0:
            p = np.where(months < rollout[u], 0.0, p)
        y = rng.binomial(n, p)
        rows += [
            {"seg_id": seg_ids[u], "first": int(m), "last": int(m), "dossiers": int(a), "online": int(b)}
            for m, a, b in zip(months, n, y)
        ]
    segments = pd.DataFrame(
        {
            "seg_id": seg_ids,
            "name_vi": [f"Đơn vị {u}" for u in range(n_units)],
            "name_en": [f"Unit {u}" for u in range(n_units)],
            "kind": kinds,
            "district_id": None,
        }
    )
    series = ReportSeries("communes", segments, pd.DataFrame(rows), "Chuỗi mô phỏng", "Generated series", synthetic=True)
    truth = pd.DataFrame(
        {
            "seg_id": seg_ids,
            "kind": kinds,
            "level": level,
            "trend": trend,
            "size": np.where(empty, 0.0, size),
            "rollout": rollout,
            "step": step,
            "empty": empty,
        }
    )
    # the realised month effects, for diagnosis: per kind, season[moy] + province + block shock by month
    truth.attrs["months"] = months
    truth.attrs["month_effect"] = {k: season[k][moy] + province_shock + block_shock[k] for k in KINDS}
    truth.attrs["province_shock"] = province_shock
    register = pd.DataFrame({"seg_id": np.array(seg_ids)[stepped], "month": step[stepped]})
    return series, truth, register, s
