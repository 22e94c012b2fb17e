"""Panels the effect tests generate with known effects and staggered starts (never shown as Sơn La data).

Each unit-month: online ~ Binomial(dossiers, expit(log-odds)), with
    log-odds = unit level + the unit's own small trend + province trend + seasonality (a Tết dip)
               + AR(1) over-dispersion (months vary more than binomial, and a bad month is followed
                 by another)
               + Σ over measures in force: true effect × dose
               (+ a differential trend of the units that take a measure, when parallel trends are broken)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from model.levers import LEVER_BY_ID
from model.register import Measure, MeasureRegister, intensity_term
from model.series import ReportSeries, month_index, period_of


def measured_series(
    effects: dict[str, float],
    n_units: int = 40,
    n_months: int = 24,
    seed: int = 0,
    share_treated: float = 0.5,
    overdispersion: float = 0.15,
    ar: float = 0.5,
    seasonality: float = 0.25,
    unit_trend_sd: float = 0.1,
    pretrend_per_year: float = 0.0,
    first_period: str = "2023-01",
    unit_codes: list[str] | None = None,
) -> tuple[ReportSeries, MeasureRegister]:
    """`effects`: lever id -> true effect in the lever's effect units (log-odds at full setting).
    Each lever is taken by about `share_treated` of the units, from a start month drawn over the
    panel's middle (some starts fall after its end: those units are not-yet-treated throughout),
    with an intensity drawn over the upper half of the lever's setting range. `unit_codes`: the units'
    codes (default u000, u001, …), e.g. the built-in report's segment codes for a CSV the CLI reads."""
    codes = unit_codes or [f"u{u:03d}" for u in range(n_units)]
    n_units = len(codes)
    rng = np.random.default_rng(seed)
    first = month_index(first_period)
    months = np.arange(first, first + n_months)
    t = np.arange(n_months)
    calendar = months % 12
    season = seasonality * np.cos(2 * np.pi * calendar / 12) - 0.3 * seasonality * np.isin(calendar, (0, 1))
    province = 0.3 * t / 12
    level = rng.uniform(-3.0, 1.0, n_units)
    own_trend = rng.normal(0, unit_trend_sd, n_units) / 12  # log-odds a year -> a month
    size = np.exp(rng.uniform(np.log(30), np.log(3000), n_units))
    noise = np.zeros((n_units, n_months))
    noise[:, 0] = rng.normal(0, overdispersion, n_units)
    for j in range(1, n_months):
        noise[:, j] = ar * noise[:, j - 1] + np.sqrt(1 - ar**2) * rng.normal(0, overdispersion, n_units)
    logodds = level[:, None] + own_trend[:, None] * t + province + season + noise
    measures = []
    for lever_id, effect in effects.items():
        term = intensity_term(LEVER_BY_ID[lever_id])
        takers = np.flatnonzero(rng.random(n_units) < share_treated)
        for u in takers:
            start = int(rng.integers(n_months // 4, n_months + 3))  # month offset; beyond the end: not yet
            intensity = None
            dose = 1.0
            if term is not None:
                intensity = float(rng.integers(term.full_at // 2, term.full_at + 1))
                dose = intensity / term.full_at
            logodds[u] += effect * dose * (t >= start) + pretrend_per_year * (t - start) / 12
            measures.append(Measure(codes[u], lever_id, period_of(first + start), intensity))
    n = np.maximum(rng.poisson(size[:, None], (n_units, n_months)), 1)
    y = rng.binomial(n, expit(logodds))
    obs = pd.DataFrame(
        {
            "seg_id": np.repeat(codes, n_months),
            "first": np.tile(months, n_units),
            "last": np.tile(months, n_units),
            "dossiers": n.ravel(),
            "online": y.ravel(),
        }
    )
    segments = pd.DataFrame(
        {
            "seg_id": codes,
            "name_vi": [f"Đơn vị {u}" for u in range(n_units)],
            "name_en": [f"Unit {u}" for u in range(n_units)],
            "kind": "commune",
            "district_id": None,
        }
    )
    series = ReportSeries(
        structure="communes",
        segments=segments,
        obs=obs,
        label_vi="Chuỗi mô phỏng có biện pháp",
        label_en="Generated series with measures",
        synthetic=True,
    )
    return series, MeasureRegister(tuple(measures))


def long_csv(series: ReportSeries) -> bytes:
    """The series as the long monthly CSV the command line reads."""
    from model.series import LONG_COLUMNS, period_of

    rows = [",".join(LONG_COLUMNS)]
    for r in series.obs.itertuples():
        rows.append(f"{r.seg_id},{period_of(r.first)},{r.dossiers},{r.online}")
    return ("\n".join(rows) + "\n").encode()
