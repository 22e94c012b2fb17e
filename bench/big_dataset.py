"""A generated dataset of 400 units (20 departments, 380 communes and wards, the structure after
7/2025) with 36 months of counts, kept in a library file, for `make bench`: the pages must stay quick
with a dataset the size of a province's real one active. Made-up numbers, never shown as Sơn La's."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from model.baseline import load_report
from model.datasets import make_dataset
from model.store import ScenarioStore

UNITS_HEADER = (
    "unit_id,order,kind,name,name_en,services_online_l34,services_with_dossiers,services_share_printed_pct,dossiers,"
    "dossiers_online,online_share_printed_pct,dossiers_incl_communes,dossiers_online_incl_communes,"
    "online_share_incl_communes_printed_pct,commune_services_deployed,ministry_systems_unconnected"
)


def keep_big_dataset(db: Path, n_departments: int = 20, n_communes: int = 380, n_months: int = 36, seed: int = 400) -> str:
    """Write the dataset into the library at `db`; its id."""
    rng = np.random.default_rng(seed)
    rows, long = [UNITS_HEADER], ["unit,month,dossiers,online_dossiers"]
    units = [("department", f"so-{i:02d}", f"Sở mẫu {i:02d}", f"Sample department {i:02d}") for i in range(n_departments)]
    units += [("commune", f"xa-{i:03d}", f"Xã mẫu {i:03d}", f"Sample commune {i:03d}") for i in range(n_communes)]
    months = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(12 - n_months % 12, 12 - n_months % 12 + n_months)]
    for order, (kind, code, name, name_en) in enumerate(units, start=1):
        per_month = float(np.exp(rng.uniform(np.log(20), np.log(3000))))
        level, trend = rng.normal(-1.0 if kind == "commune" else 1.0, 1.0), rng.normal(0.4, 0.2)
        total = online = 0
        for i, month in enumerate(months):
            n = int(rng.poisson(per_month))
            y = int(rng.binomial(n, 1 / (1 + np.exp(-(level + trend * (i - n_months) / 12 + rng.normal(0, 0.1))))))
            long.append(f"{code},{month},{n},{y}")
            if month.startswith(months[-1][:4]):
                total, online = total + n, online + y
        share = f"{100 * online / total:.2f}" if total else ""
        deployed = "true" if kind == "commune" else ""
        rows.append(f"{code},{order},{kind},{name},{name_en},,,,{total},{online},{share},,,,{deployed},false")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        (folder / "province.csv").write_text("metric,scope,period,value,unit,source_text\n", encoding="utf-8")
        (folder / "provenance.csv").write_text("unit_id,column,raw_ocr,value,action,reason\n", encoding="utf-8")
        (folder / "report.toml").write_text(
            f'id = "bench-400"\nlabel_vi = "Số liệu sinh cho bench: 400 đơn vị"\nlabel_en = "Generated for the bench: 400 units"\n'
            f'period = "{months[-1]}"\ncumulative_from = "{months[-1][:4]}-01"\nsource = "bench/big_dataset.py"\nsynthetic = true\n',
            encoding="utf-8",
        )
        report = load_report(folder)
    ds = make_dataset(
        [report], report.label_vi, report.label_en, ["bench"], long_csv=("bench.csv", ("\n".join(long) + "\n").encode())
    )
    ScenarioStore(db).save_dataset(ds)
    return ds.id
