"""What each measure did here: the levers' effects estimated from the province's own months.

Every effect in model/levers.py is anchored on another province's figures. The province's own months
hold natural experiments: measures started in different units in different months (a register of
measures taken, model/register.py). This module turns them into an estimate per lever of its effect
on the log-odds of the online share, with the checks that say whether the estimate can be trusted.

Method (a staggered-adoption difference-in-differences, Gardner's two-stage estimator as implemented by
pyfixest's `did2s`, so the comparison is always with units not (yet) treated):
- Outcome: each unit-month's empirical log-odds log((online + ½) / (offline + ½)) (the ½ keeps a month
  with 0 or all dossiers online finite). Its binomial variance is 1/(online + ½) + 1/(offline + ½);
  months vary more than that (over-dispersion: campaigns, staff changes), so the extra variance τ² is
  estimated from the untreated months, and each month is weighted by 1 / (binomial variance + τ²).
  A unit with 4,000 dossiers a month then counts more than one with 40, but not 100 times more.
- First stage: unit and calendar-month fixed effects (each unit's level; the province-wide trend and
  seasonality, including Tết) fitted on the months no measure was in force: never-treated units and
  not-yet-treated months of the others.
- Second stage: the difference between each treated month and its imputed untreated value, regressed
  on event-time indicators per lever (months 0, 1, …, 11 since the start, then 12 and later together),
  each scaled by the measure's dose (intensity / the setting the lever's effect is stated at). The
  estimate is the mean of the event-time effects over the treated unit-months, in the units of the
  lever's effect (log-odds at full setting), so it can be set beside the assumption.
- Uncertainty: standard errors clustered by unit (pyfixest's GMM variance of the two stages), which
  holds whatever the months' correlation within a unit; intervals from Student's t with (units − 1)
  degrees of freedom and the usual G/(G − 1) small-sample factor.
- Pre-trends: on the untreated months only (Borusyak, Jaravel & Spiess's test), the months just before
  each start (1 to 6 months before) get their own indicators; their joint test (F with (leads, units −
  1) degrees of freedom) says whether treated units were already moving apart before the measure.

It refuses, saying which: with fewer than MIN_TREATED_UNITS treated units (with months before and after
the start), when no unit has months just before its start, and when the pre-trend test fails (p < 0.05):
then the event-time curve is still given, so the meeting can see why.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from model.errors import PlannerError
from model.levers import LEVER_BY_ID
from model.limits import MIN_TREATED_UNITS
from model.register import MeasureRegister, intensity_term
from model.scenario import EstimatedEffect
from model.series import ReportSeries, month_label, period_of

# Months before a start tested for pre-trends, in bins of two: each coefficient rests on only the
# treated units, and one per month (six) made the clustered test reject a true null one time in five
# in the replications of tests/test_effects.py; three bins of two keep it near its level.
LEAD_BINS = ((1, 2), (3, 4), (5, 6))
LAGS = 12  # months after a start estimated one by one; later months share one bin
PRETREND_ALPHA = 0.05  # a joint test of the leads below this refuses the estimate
CONTINUITY = 0.5  # added to online and offline counts before taking log-odds
CURVE_COLUMNS = ("event_time", "estimate", "low95", "high95", "unit_months", "bin")


class EffectsError(PlannerError):
    """The data cannot carry any estimate (no months left, nothing treated); in both languages."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(en)

    def messages(self, lang: str) -> list[str]:
        return [self.vi if lang == "vi" else self.en]


@dataclass(frozen=True)
class EffectEstimate:
    """One lever's estimate, or its refusal (status other than "estimated", with the reason)."""

    lever: str
    status: str  # estimated | too_few_units | no_pretest | pretrend_failed
    n_treated_units: int
    n_treated_unit_months: int
    estimate: float | None = None
    se: float | None = None
    ci80: tuple[float, float] | None = None
    ci95: tuple[float, float] | None = None
    pretrend_f: float | None = None
    pretrend_p: float | None = None
    pretrend_df: tuple[int, int] | None = None
    # event_time (months since the start; a lead bin at its middle, e.g. -1.5), estimate, low95, high95, unit_months, bin
    curve: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CURVE_COLUMNS)))
    effect_id: str | None = None  # the lever's Effect the estimate is in units of, when it is one
    reason_vi: str = ""
    reason_en: str = ""

    @property
    def estimated(self) -> bool:
        return self.status == "estimated"

    def reported(self, level: float = 0.80) -> bool:
        """An effect is reported at `level` when that interval leaves out zero."""
        ci = self.ci80 if level == 0.80 else self.ci95
        return ci is not None and (ci[0] > 0 or ci[1] < 0)

    def reason(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


@dataclass(frozen=True)
class EffectsResult:
    estimates: dict[str, EffectEstimate]  # lever id -> estimate, in the model's lever order
    n_units: int
    first_month: int
    last_month: int
    overdispersion_tau2: float  # extra variance of a month's log-odds beyond the binomial
    notes: tuple[tuple[str, str], ...] = ()  # (vi, en): units or months left out, and why

    @property
    def period_label(self) -> str:
        return f"{month_label(period_of(self.first_month))}–{month_label(period_of(self.last_month))}"


def _panel(series: ReportSeries) -> pd.DataFrame:
    months = series.monthly
    months = months[months["dossiers"] > 0]
    online = months["online"].to_numpy(float)
    dossiers = months["dossiers"].to_numpy(float)
    offline = dossiers - online
    # The binomial variance is taken at the unit's share over all its months, not the month's own:
    # a weight computed from the month's own count would lean toward months with more online dossiers.
    totals = months.groupby("seg_id")[["online", "dossiers"]].transform("sum")
    share = ((totals["online"] + CONTINUITY) / (totals["dossiers"] + 2 * CONTINUITY)).to_numpy(float)
    return pd.DataFrame(
        {
            "unit": months["seg_id"].astype(str).to_numpy(),
            "month": months["first"].to_numpy(int),
            "y": np.log((online + CONTINUITY) / (offline + CONTINUITY)),
            "var_binomial": 1 / ((dossiers + 2 * CONTINUITY) * share * (1 - share)),
        }
    )


def _t_interval(est: float, se: float, df: int, level: float) -> tuple[float, float]:
    q = float(stats.t.ppf(0.5 + level / 2, df))
    return (est - q * se, est + q * se)


def estimate_effects(
    series: ReportSeries, register: MeasureRegister, *, min_treated_units: int = MIN_TREATED_UNITS
) -> EffectsResult:
    """Every lever in the register, estimated together (a unit may take several measures; each lever's
    indicators then take out the others' effects)."""
    import pyfixest as pf  # imported here: a second of import time that only this page pays

    panel = _panel(series)
    if panel.empty:
        raise EffectsError("chuỗi số liệu không có tháng nào có hồ sơ", "the series has no month with dossiers")
    levers = [lever_id for lever_id in register.levers if lever_id in LEVER_BY_ID]
    if not levers:
        raise EffectsError("sổ biện pháp không có biện pháp nào", "the register has no measure")
    unit_codes = panel["unit"].to_numpy()
    month = panel["month"].to_numpy()
    treated_any = np.zeros(len(panel), bool)
    rel: dict[str, np.ndarray] = {}
    dose: dict[str, np.ndarray] = {}
    for lever_id in levers:
        starts = {m.unit: m.start_index for m in register.of(lever_id)}
        doses = {m.unit: m.dose for m in register.of(lever_id)}
        start = np.array([starts.get(u, np.nan) for u in unit_codes], float)
        rel[lever_id] = month - start  # NaN: the unit never took the measure
        active = np.nan_to_num(rel[lever_id], nan=-1) >= 0
        dose[lever_id] = np.where(active, [doses.get(u, 0.0) for u in unit_codes], 0.0)
        treated_any |= active
    panel["treated"] = treated_any

    # The first stage needs every unit and every month to have untreated months to fix its level:
    # a unit under a measure from its first month on (or a month when every unit is) cannot be compared.
    notes: list[tuple[str, str]] = []
    keep = np.ones(len(panel), bool)
    for _ in range(3):
        untreated = keep & ~treated_any
        per_unit = pd.Series(untreated).groupby(unit_codes).sum()
        per_month = pd.Series(untreated).groupby(month).sum()
        bad_units = set(per_unit.index[per_unit < 2])
        bad_months = set(per_month.index[per_month < 2])
        drop = keep & (np.isin(unit_codes, list(bad_units)) | np.isin(month, list(bad_months)))
        if not drop.any():
            break
        keep &= ~drop
    dropped_units = sorted(set(unit_codes) - set(unit_codes[keep]))
    if dropped_units:
        listed = ", ".join(dropped_units[:8]) + (" …" if len(dropped_units) > 8 else "")
        notes.append(
            (
                f"{len(dropped_units)} đơn vị bị bỏ vì có ít hơn 2 tháng chưa áp dụng biện pháp nào (không có mốc so sánh): {listed}",
                f"{len(dropped_units)} unit(s) left out: fewer than 2 months without any measure (nothing to compare with): {listed}",
            )
        )
    dropped_months = sorted(set(month) - set(month[keep]))
    if dropped_months:
        listed = ", ".join(month_label(period_of(m)) for m in dropped_months[:8])
        notes.append(
            (
                f"bỏ các tháng mà gần như mọi đơn vị đã áp dụng biện pháp: {listed}",
                f"months left out because almost every unit was under a measure: {listed}",
            )
        )
    panel = panel[keep].reset_index(drop=True)
    if panel.empty or not panel["treated"].any():
        raise EffectsError(
            "không còn tháng nào có biện pháp đang áp dụng để so sánh",
            "no month under a measure is left to compare",
        )
    rel = {k: v[keep] for k, v in rel.items()}
    dose = {k: v[keep] for k, v in dose.items()}
    n_clusters = int(panel["unit"].nunique())

    # Indicators: leads (untreated months just before a start) and dose-scaled lags, per lever.
    lead_cols: dict[str, list[tuple[float, str, str]]] = {}
    lag_cols: dict[str, list[tuple[int, str]]] = {}
    for i, lever_id in enumerate(levers):
        r = np.nan_to_num(rel[lever_id], nan=-10_000)
        lead_cols[lever_id], lag_cols[lever_id] = [], []
        for k, months_before in enumerate(LEAD_BINS):
            col = f"lead{i}_{k}"
            values = np.isin(r, [-m for m in months_before]).astype(float)
            if values[~panel["treated"].to_numpy()].any():
                panel[col] = values
                lead_cols[lever_id].append((-float(np.mean(months_before)), col, f"{-max(months_before)}…{-min(months_before)}"))
        for e in range(LAGS + 1):
            col = f"lag{i}_{e}"
            values = dose[lever_id] * ((r == e) if e < LAGS else (r >= LAGS))
            if values.any():
                panel[col] = values
                lag_cols[lever_id].append((e, col))

    untreated = panel[~panel["treated"]].copy()
    leads = [c for cols in lead_cols.values() for _, c, _ in cols]
    rhs = " + ".join(leads) if leads else "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest's notes on dropped singletons and collinear columns
        # τ²: what the months' spread around the fixed effects has beyond the binomial variance
        plain = pf.feols(f"y ~ {rhs} | unit + month", data=untreated, vcov="iid")
        resid = np.asarray(plain.resid())
        dof = max(len(resid) - n_clusters - untreated["month"].nunique() - len(leads), 1)
        tau2 = max(0.0, float(resid @ resid) / dof - float(untreated["var_binomial"].mean()))
        panel["weight"] = 1 / (panel["var_binomial"] + tau2)
        untreated["weight"] = 1 / (untreated["var_binomial"] + tau2)
        pre = pf.feols(f"y ~ {rhs} | unit + month", data=untreated, vcov={"CRV1": "unit"}, weights="weight") if leads else None
        lags = [c for cols in lag_cols.values() for _, c in cols]
        fit = pf.did2s(
            panel,
            yname="y",
            first_stage="~ 0 | unit + month",
            second_stage="~ " + " + ".join(lags),
            treatment="treated",
            cluster="unit",
            weights="weight",
        )
    small_sample = n_clusters / (n_clusters - 1) if n_clusters > 1 else 1.0
    beta = pd.Series(np.asarray(fit._beta_hat), index=[str(c) for c in fit._coefnames])
    vcov = pd.DataFrame(np.asarray(fit._vcov) * small_sample, index=beta.index, columns=beta.index)
    df_t = max(n_clusters - 1, 1)
    if pre is not None:
        pre_beta = pd.Series(np.asarray(pre._beta_hat), index=[str(c) for c in pre._coefnames])
        pre_vcov = pd.DataFrame(np.asarray(pre._vcov), index=pre_beta.index, columns=pre_beta.index)

    estimates: dict[str, EffectEstimate] = {}
    for lever_id in levers:
        lever = LEVER_BY_ID[lever_id]
        term = intensity_term(lever)
        r = rel[lever_id]
        active = np.nan_to_num(r, nan=-1) >= 0
        n_units = int(panel.loc[active, "unit"].nunique())
        n_months = int(active.sum())
        curve_rows = []
        pre_names = [c for _, c, _ in lead_cols[lever_id] if pre is not None and c in pre_beta.index]
        for middle, col, label in lead_cols[lever_id]:
            if col in pre_names:
                se = float(np.sqrt(max(pre_vcov.loc[col, col], 0.0)))
                lo, hi = _t_interval(float(pre_beta[col]), se, df_t, 0.95)
                curve_rows.append((middle, float(pre_beta[col]), lo, hi, int(panel[col].sum()), label))
        lag_names = [(e, c) for e, c in lag_cols[lever_id] if c in beta.index]
        for e, col in lag_names:
            se = float(np.sqrt(max(vcov.loc[col, col], 0.0)))
            lo, hi = _t_interval(float(beta[col]), se, df_t, 0.95)
            count = int((panel[col] != 0).sum())
            curve_rows.append((e, float(beta[col]), lo, hi, count, f"{e}" if e < LAGS else f"{LAGS}+"))
        curve = pd.DataFrame(curve_rows, columns=list(CURVE_COLUMNS)).sort_values("event_time").reset_index(drop=True)
        common = EffectEstimate(
            lever=lever_id,
            status="",
            n_treated_units=n_units,
            n_treated_unit_months=n_months,
            curve=curve,
            effect_id=term.effect if term is not None else None,
        )
        name_vi, name_en = lever.label_vi, lever.label_en
        if n_units < min_treated_units:
            estimates[lever_id] = replace(
                common,
                status="too_few_units",
                reason_vi=f"“{name_vi}”: chỉ {n_units} đơn vị áp dụng có số liệu cả trước và sau khi bắt đầu; "
                f"cần ít nhất {min_treated_units} đơn vị để ước lượng.",
                reason_en=f"“{name_en}”: only {n_units} unit(s) took it with months both before and after the start; "
                f"at least {min_treated_units} are needed for an estimate.",
            )
            continue
        if not pre_names:
            estimates[lever_id] = replace(
                common,
                status="no_pretest",
                reason_vi=f"“{name_vi}”: không đơn vị nào có số liệu các tháng ngay trước khi bắt đầu, nên không kiểm "
                "định được xu hướng trước; không ước lượng.",
                reason_en=f"“{name_en}”: no unit has months just before its start, so pre-trends cannot be tested; no estimate.",
            )
            continue
        b = pre_beta[pre_names].to_numpy()
        v = pre_vcov.loc[pre_names, pre_names].to_numpy()
        q = len(pre_names)
        f_stat = float(b @ np.linalg.pinv(v) @ b) / q
        p_value = float(stats.f.sf(f_stat, q, df_t))
        if p_value < PRETREND_ALPHA:
            p_vi = f"{p_value:.3f}".replace(".", ",")
            estimates[lever_id] = replace(
                common,
                status="pretrend_failed",
                reason_vi=f"“{name_vi}”: trước khi bắt đầu, tỷ lệ của các đơn vị áp dụng đã đi khác các đơn vị còn lại "
                f"(kiểm định xu hướng trước: p = {p_vi} < 0,05), nên chênh lệch sau đó không thể quy cho biện pháp; "
                "không ước lượng.",
                reason_en=f"“{name_en}”: before the start, the share of the units that took it was already moving apart "
                f"from the others (pre-trend test: p = {p_value:.3f} < 0.05), so the later difference cannot be put down "
                "to the measure; no estimate.",
                pretrend_f=f_stat,
                pretrend_p=p_value,
                pretrend_df=(q, df_t),
            )
            continue
        names = [c for _, c in lag_names]
        weights = np.array([(panel[c] != 0).sum() for c in names], float)
        weights /= weights.sum()
        est = float(weights @ beta[names].to_numpy())
        se = float(np.sqrt(max(weights @ vcov.loc[names, names].to_numpy() @ weights, 0.0)))
        estimates[lever_id] = replace(
            common,
            status="estimated",
            estimate=est,
            se=se,
            ci80=_t_interval(est, se, df_t, 0.80),
            ci95=_t_interval(est, se, df_t, 0.95),
            pretrend_f=f_stat,
            pretrend_p=p_value,
            pretrend_df=(q, df_t),
        )
    return EffectsResult(
        estimates=estimates,
        n_units=n_clusters,
        first_month=int(panel["month"].min()),
        last_month=int(panel["month"].max()),
        overdispersion_tau2=tau2,
        notes=tuple(notes),
    )


def estimated_effect(estimate: EffectEstimate, dataset_id: str) -> EstimatedEffect | None:
    """The estimate as the lever's effect, when it can be one: an estimate was made (not refused) and
    the lever's effect is a log-odds shift scaled by the setting the register's intensity measures.
    Levers whose effect is of another kind (a gap closed, a channel switched) keep their assumption;
    the estimate is then shown beside it for comparison only."""
    if not estimate.estimated or estimate.effect_id is None or estimate.estimate is None or estimate.ci80 is None:
        return None
    # an effect size is not negative (a lever never lowers a share): an interval reaching below 0 is
    # cut at 0, and an estimate below 0 is used as 0, the lever doing nothing
    # four decimals: what a scenario file and a link carry, and far below what the interval resolves
    low, high = round(max(0.0, estimate.ci80[0]), 4), round(max(0.0, estimate.ci80[1]), 4)
    return EstimatedEffect(
        effect_id=estimate.effect_id,
        lever=estimate.lever,
        central=min(max(round(estimate.estimate, 4), low), high),
        low=low,
        high=high,
        dataset_id=dataset_id,
    )


def _rounded(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(float(x), digits)


def effects_payload(result: EffectsResult) -> dict:
    """The estimates as JSON-ready data (the command line's --json; a stored dataset's effects)."""
    levers = {}
    for lever_id, e in result.estimates.items():
        levers[lever_id] = {
            "status": e.status,
            "effect_id": e.effect_id,
            "estimate_logodds": _rounded(e.estimate),
            "se": _rounded(e.se),
            "ci80": None if e.ci80 is None else [_rounded(x) for x in e.ci80],
            "ci95": None if e.ci95 is None else [_rounded(x) for x in e.ci95],
            "treated_units": e.n_treated_units,
            "treated_unit_months": e.n_treated_unit_months,
            "pretrend": None
            if e.pretrend_p is None
            else {"f": _rounded(e.pretrend_f), "p": _rounded(e.pretrend_p), "df": list(e.pretrend_df or ())},
            "reason_vi": e.reason_vi,
            "reason_en": e.reason_en,
            "event_time": [
                {
                    "event_time": float(r.event_time),
                    "bin": r.bin,
                    "estimate": _rounded(r.estimate),
                    "ci95": [_rounded(r.low95), _rounded(r.high95)],
                    "unit_months": int(r.unit_months),
                }
                for r in e.curve.itertuples()
            ],
        }
    return {
        "period": result.period_label,
        "units": result.n_units,
        "overdispersion_tau2": _rounded(result.overdispersion_tau2, 5),
        "min_treated_units": MIN_TREATED_UNITS,
        "pretrend_alpha": PRETREND_ALPHA,
        "notes": [{"vi": vi, "en": en} for vi, en in result.notes],
        "levers": levers,
    }


def effects_text(result: EffectsResult, lang: str = "vi") -> list[str]:
    """One line per lever, in the user's language, for the command line."""
    from model.fmt import count, number

    vi = lang == "vi"
    lines = [
        (f"Tác động ước lượng từ {count(result.n_units, lang)} đơn vị, {result.period_label} (log-odds ở mức đầy đủ):")
        if vi
        else f"Effects estimated from {count(result.n_units, lang)} units, {result.period_label} (log-odds at full setting):"
    ]
    for e in result.estimates.values():
        lever = LEVER_BY_ID[e.lever]
        name = lever.label_vi if vi else lever.label_en
        if not e.estimated or e.estimate is None or e.ci80 is None or e.ci95 is None:
            lines.append(f"  {e.lever}: {e.reason(lang)}")
            continue
        n = lambda x: number(x, lang, 2)  # noqa: E731
        lines.append(
            f"  {e.lever} ({name}): {n(e.estimate)}; 80%: [{n(e.ci80[0])}; {n(e.ci80[1])}]; "
            f"95%: [{n(e.ci95[0])}; {n(e.ci95[1])}]; "
            + (
                f"{count(e.n_treated_units, lang)} đơn vị, {count(e.n_treated_unit_months, lang)} đơn vị-tháng áp dụng; "
                f"xu hướng trước: p = {number(e.pretrend_p, lang, 3)}"
                if vi
                else f"{count(e.n_treated_units, lang)} units, {count(e.n_treated_unit_months, lang)} treated unit-months; "
                f"pre-trend p = {number(e.pretrend_p, lang, 3)}"
            )
        )
    lines += ["  " + (v if vi else en) for v, en in result.notes]
    return lines
