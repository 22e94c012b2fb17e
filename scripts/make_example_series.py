"""Writes data/examples/2025_communes/monthly.csv: MADE-UP monthly counts (10/2025–11/2026) for the
example in the structure after 7/2025, so that the example shows a living series. Every number is
invented (a fixed seed), and the app labels the example as made-up on every screen.

    .venv/bin/python scripts/make_example_series.py
"""

import csv
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).resolve().parent.parent / "data" / "examples" / "2025_communes"
MONTHS = [f"{2025 + (9 + i) // 12}-{(9 + i) % 12 + 1:02d}" for i in range(14)]  # 2025-10 … 2026-11


def main() -> None:
    rng = np.random.default_rng(20250701)
    rows = list(csv.DictReader(open(FOLDER / "units.csv", encoding="utf-8")))
    out = [("unit", "month", "dossiers", "online_dossiers")]
    for r in rows:
        if not r["dossiers"]:
            continue
        per_month = int(r["dossiers"]) / 3  # the report is July–September
        share = (int(r["dossiers_online"]) + 0.5) / (int(r["dossiers"]) + 1)
        level = np.log(share / (1 - share))
        trend = rng.normal(0.35, 0.15)  # log-odds a year: made up
        for i, month in enumerate(MONTHS):
            season = 0.15 if month.endswith("-12") else (-0.2 if month.endswith(("-01", "-02")) else 0.0)
            n = int(rng.poisson(per_month * (0.85 if month.endswith("-02") else 1.0)))
            p = 1 / (1 + np.exp(-(level + trend * (i + 1) / 12 + season + rng.normal(0, 0.08))))
            out.append((r["unit_id"], month, n, int(rng.binomial(n, p))))
    with open(FOLDER / "monthly.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(out)


if __name__ == "__main__":
    main()
