"""Worst-case uploads for `make bench`: each in its own process, its time and peak memory (goal:
≤ 2 s and ≤ 300 MB each, the whole way to a clear rejection or an exact load, and for the largest
accepted file, its projection too)."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUN = """
import resource, sys, time
def peak_mb():
    # VmHWM: this process's own high-water mark. ru_maxrss keeps the forking parent's RSS across exec
    # (Linux), so a child of a large bench process reported the bench's memory, not its own.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
t0 = time.perf_counter()
from model.baseline import ReportError
from model.importer import import_report
t1 = time.perf_counter()
data = open(sys.argv[1], "rb").read()
try:
    report = import_report(data, sys.argv[2], "x", "2023-06", counts="ytd")
    outcome = f"loaded {len(report.units)} units"
    if sys.argv[3] == "project":
        import model
        from model.scenario import builtin_scenario
        from model.engine import compile_report
        compiled = compile_report(report)
        plan = builtin_scenario("recommendations")
        plan.plan_year = compiled.first_plan_year  # the year after the data: a plan never looks backwards
        model.project(compiled, plan, draws=512)
        outcome += ", projected"
except ReportError as err:
    outcome = "rejected: " + err.messages("en")[0][:90]
print(f"{(time.perf_counter() - t1) * 1000:.0f}|{peak_mb():.0f}|{outcome}")
"""


def _cases(folder: Path) -> list[tuple[str, Path, str]]:
    from openpyxl import load_workbook

    from model.baseline import load_report
    from model.importer import template_xlsx
    from model.limits import MAX_REPORT_ROWS

    report = load_report()
    template = template_xlsx(report)
    wb = load_workbook(io.BytesIO(template))
    wb["Đơn vị"].cell(1_048_576, 1).value = " "
    wb["Đơn vị"].cell(3, 16_000).value = " "
    stray = folder / "o-le-cuoi-trang.xlsx"
    wb.save(stray)
    bomb = folder / "bom-nen.xlsx"
    src = zipfile.ZipFile(io.BytesIO(template))
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        with out.open("xl/media/padding.bin", "w") as padding:  # streamed: the bench itself stays small
            for _ in range(1500):
                padding.write(b"\0" * 1_000_000)
    lines = (ROOT / "tests" / "fixtures" / "report_2025_communes" / "units.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    communes = [r for r in rows if ",commune," in r]
    big = [header] + [r for r in rows if ",commune," not in r]
    i = 0
    while len(big) < MAX_REPORT_ROWS:  # the most rows an upload may have, the header included
        cells = communes[i % len(communes)].split(",")
        cells[0], cells[1], cells[3] = f"xa-{i}", str(1000 + i), f"Xã {i}"
        big.append(",".join(cells))
        i += 1
    largest = folder / "lon-nhat-duoc-nhan.csv"
    largest.write_text("\n".join(big) + "\n", encoding="utf-8")
    return [
        ("a stray cell far down and far right", stray, "load"),
        ("a zip bomb (1.5 GB inside)", bomb, "load"),
        (f"the largest accepted file ({MAX_REPORT_ROWS - 1} units), then its projection", largest, "project"),
    ]


def upload_bench() -> None:
    print("Worst-case uploads, each in its own process (time from the call, peak memory of the process):")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, what in _cases(Path(tmp)):
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(path), path.name, what], cwd=ROOT, capture_output=True, text=True, timeout=120
            )
            if done.returncode != 0:
                print(f"  {label}: FAILED {done.stderr[-300:]}")
                continue
            ms, peak_mb, outcome = done.stdout.strip().split("|", 2)
            print(f"  {label:62s} {int(ms):6d} ms  peak {int(peak_mb):5d} MB  ({outcome}; goal ≤ 2,000 ms, ≤ 300 MB)")


SERIES_RUN = """
import resource, sys, time
def peak_mb():
    # VmHWM: this process's own high-water mark. ru_maxrss keeps the forking parent's RSS across exec
    # (Linux), so a child of a large bench process reported the bench's memory, not its own.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
from model.baseline import load_report
from model.calibration import calibrate
from model.series import series_from_long_csv
report = load_report(sys.argv[1])
data = open(sys.argv[2], "rb").read()
t0 = time.perf_counter()
series = series_from_long_csv(data, "chuoi.csv", report)
t1 = time.perf_counter()
calibrate(series)
t2 = time.perf_counter()
peak = peak_mb()
print(f"{(t1 - t0) * 1000:.0f}|{(t2 - t0) * 1000:.0f}|{peak:.0f}|{len(series.obs)}")
"""


def _series_case(folder: Path, n_units: int = 400, n_months: int = 120) -> tuple[Path, Path]:
    """A report folder of `n_units` units (departments and communes, the structure after 7/2025) and a
    long CSV of `n_months` months for each, every count written the Vietnamese way above 999."""
    import numpy as np

    fixture = ROOT / "tests" / "fixtures" / "report_2025_communes"
    lines = (fixture / "units.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    communes = [r for r in rows if ",commune," in r]
    units = [r for r in rows if ",commune," not in r]
    i = 0
    while len(units) < n_units:
        cells = communes[i % len(communes)].split(",")
        cells[0], cells[1], cells[3], cells[4] = f"xa-{i}", str(1000 + i), f"Xã {i}", f"Commune {i}"
        units.append(",".join(cells))
        i += 1
    report = folder / "bao-cao-400"
    report.mkdir()
    (report / "units.csv").write_text("\n".join([header, *units]) + "\n", encoding="utf-8")
    (report / "province.csv").write_text("metric,scope,period,value,unit,source_text\n", encoding="utf-8")
    (report / "provenance.csv").write_text("unit_id,column,raw_ocr,value,action,reason\n", encoding="utf-8")
    (report / "report.toml").write_text((fixture / "report.toml").read_text(encoding="utf-8"), encoding="utf-8")
    from model.baseline import load_report
    from model.segments import build_segments

    seg_ids = list(build_segments(load_report(report).units).seg_id)
    rng = np.random.default_rng(3)
    out = ["unit;month;dossiers;online_dossiers"]
    for sid in seg_ids:
        n = rng.integers(20, 5000, n_months)
        y = rng.binomial(n, 0.4)
        for m in range(n_months):
            year, month = 2015 + m // 12, m % 12 + 1
            out.append(f"{sid};{year}-{month:02d};{n[m]:,};{y[m]:,}".replace(",", "."))
    series = folder / "chuoi-400x120.csv"
    series.write_text("\n".join(out) + "\n", encoding="utf-8")
    return report, series


def series_bench(runs: int = 5) -> None:
    """A 400-unit × 120-month long CSV: load (parse and check every cell), then calibrate; each run in
    its own process, so its peak memory is its own. Goal: load ≤ 2 s and ≤ 300 MB."""
    import statistics

    with tempfile.TemporaryDirectory() as tmp:
        report, series = _series_case(Path(tmp))
        size_mb = series.stat().st_size / 1e6
        results = []
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", SERIES_RUN, str(report), str(series)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0:
                print(f"  400 units × 120 months: FAILED {done.stderr[-300:]}")
                return
            results.append([int(x) for x in done.stdout.strip().split("|")])
    load_ms = statistics.median(r[0] for r in results)
    with_fit = statistics.median(r[1] for r in results)
    peak = statistics.median(r[2] for r in results)
    print(
        f"Long CSV, 400 units × 120 months ({results[0][3]:,} rows, {size_mb:.1f} MB; median of {runs} processes):\n"
        f"  load {load_ms:,.0f} ms (goal ≤ 2,000 ms), load + calibration {with_fit:,.0f} ms, "
        f"peak memory {peak:,.0f} MB (goal ≤ 300 MB)"
    )


if __name__ == "__main__":
    upload_bench()
    series_bench()
