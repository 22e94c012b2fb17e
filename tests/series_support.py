"""Series the tests generate from chosen levels and trends (never shown as Sơn La data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from model.series import ReportSeries, month_index


def generated_series(
    n_units: int = 300,
    n_months: int = 24,
    seed: int = 7,
    last_period: str = "2026-10",
    block_trends: dict[str, float] | None = None,
    tau: float = 0.3,
) -> tuple[ReportSeries, pd.DataFrame]:
    """(series, truth): units in three blocks with levels spread over 2–80% and trends drawn around
    their block's trend; dossiers per month from 20 to 4,000."""
    rng = np.random.default_rng(seed)
    block_trends = block_trends or {"department": 0.6, "district_office": 0.3, "commune": 0.9}
    kinds = np.array(list(block_trends))[rng.integers(0, len(block_trends), n_units)]
    level = rng.uniform(-4.0, 1.4, n_units)  # at the last month
    trend = np.array([block_trends[k] for k in kinds]) + rng.normal(0, tau, n_units)
    size = np.exp(rng.uniform(np.log(20), np.log(4000), n_units))
    last = month_index(last_period)
    months = np.arange(last - n_months + 1, last + 1)
    rows = []
    for u in range(n_units):
        t = (months - last) / 12.0
        n = rng.poisson(size[u], len(months)).clip(1)
        y = rng.binomial(n, expit(level[u] + trend[u] * t))
        rows += [
            {"seg_id": f"u{u:03d}", "first": m, "last": m, "dossiers": int(a), "online": int(b)} for m, a, b in zip(months, n, y)
        ]
    segments = pd.DataFrame(
        {
            "seg_id": [f"u{u:03d}" for u in range(n_units)],
            "name_vi": [f"Đơn vị {u}" for u in range(n_units)],
            "name_en": [f"Unit {u}" for u in range(n_units)],
            "kind": kinds,
            "district_id": None,
        }
    )
    series = ReportSeries("communes", segments, pd.DataFrame(rows), "Chuỗi mô phỏng", "Generated series", synthetic=True)
    truth = pd.DataFrame({"seg_id": segments.seg_id, "kind": kinds, "level": level, "trend": trend, "size": size})
    return series, truth


def long_csv_for(
    report,
    n_months: int = 12,
    last_period: str | None = None,
    trend: float = 0.5,
    seed: int = 11,
    extra_rows: list[str] | None = None,
) -> bytes:
    """A long CSV (unit, month, dossiers, online_dossiers) for the active report's segments: each
    segment's monthly counts around its report share, rising by `trend` log-odds a year."""
    from scipy.special import logit

    from model.segments import build_segments
    from model.series import month_index, period_of

    rng = np.random.default_rng(seed)
    seg = build_segments(report.units)
    last = month_index(last_period or report.period)
    lines = ["unit,month,dossiers,online_dossiers"]
    for s in seg.itertuples():
        if not s.has_data or s.volume == 0:
            continue
        level = logit(np.clip(s.share, 0.005, 0.995))
        for m in range(last - n_months + 1, last + 1):
            n = max(1, int(rng.poisson(s.volume / 12)))
            p = 0.0 if s.structural_zero else expit(level + trend * (m - last) / 12)
            lines.append(f"{s.seg_id},{period_of(m)},{n},{int(rng.binomial(n, p))}")
    lines += extra_rows or []
    return ("\n".join(lines) + "\n").encode("utf-8")


def keep_series_dataset(long_csv: bytes, report, name: str = "chuoi.csv") -> str:
    """Keep a long CSV on `report` as a dataset in the test's library (the per-test database of
    conftest.scenario_database) and return its id: a page opens it as `session_state["dataset"]`."""
    from model.datasets import make_dataset
    from model.store import ScenarioStore

    ds = make_dataset([report], report.label_vi, report.label_en, [name], long_csv=(name, long_csv))
    ScenarioStore().save_dataset(ds)
    return ds.id


def long_csv_of(series: ReportSeries) -> bytes:
    """A series' single months as the long CSV a user would upload (unit, month, dossiers, online)."""
    from model.series import period_of

    lines = ["unit,month,dossiers,online_dossiers"]
    lines += [f"{r.seg_id},{period_of(int(r.first))},{int(r.dossiers)},{int(r.online)}" for r in series.monthly.itertuples()]
    return ("\n".join(lines) + "\n").encode("utf-8")
