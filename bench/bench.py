"""`make bench`: medians on this machine. Model timings always; the browser comparison
(scenario page vs a bare Streamlit page) when Debian's chromium is present."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.analysis import DEFAULT_DRAWS, _draws, contributions, default_compiled, goal_seek, monte_carlo  # noqa: E402
from model.analysis import INTERACTIVE_DRAWS as APP_DRAWS  # noqa: E402
from model.calibration import calibrate  # noqa: E402
from model.effects import estimate_effects  # noqa: E402
from model.engine import evaluate  # noqa: E402
from model.excel import build_workbook  # noqa: E402
from model.projection import project  # noqa: E402
from model.scenario import build_batch, builtin_scenario, builtin_scenarios  # noqa: E402
from tests.effects_support import measured_series  # noqa: E402
from tests.rough_series import rough_series  # noqa: E402
from tests.series_support import generated_series  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _big_slider_move_ms() -> float:
    """What a slider move asks of the model with the bench's 400-unit dataset active: a projection with
    a new fee-cut setting each time (nothing of the scenario's own is cached; the draws are)."""
    import tempfile

    from bench.big_dataset import keep_big_dataset
    from model.datasets import open_dataset
    from model.engine import compile_report
    from model.scenario import Scenario
    from model.store import ScenarioStore

    with tempfile.TemporaryDirectory(prefix="sonla-bench-") as folder:
        db = Path(folder) / "scenarios.sqlite3"
        opened = open_dataset(ScenarioStore(db).dataset(keep_big_dataset(db)))
    c = compile_report(opened.report).with_calibration(calibrate(opened.series))
    s = Scenario("bench", plan_year=opened.last_month // 12 + 1)
    settings = iter(range(1, 10_000))

    def move() -> None:
        s.settings["fee_cut.cut_pct"] = float(next(settings) % 100)
        project(c, s, draws=APP_DRAWS, with_contributions=False)

    return median_ms(move, 15)


def model_bench() -> list[tuple[str, float, float]]:
    c = default_compiled()
    rec = builtin_scenario("recommendations")
    batch = build_batch(c, [rec])
    sq = builtin_scenario("status_quo")
    series_300x36, _truth = generated_series(n_units=300, n_months=36)
    rough_300x36, _truth, register, _settings = rough_series(seed=2, n_units=300, n_months=36)
    measured_300x36 = measured_series({"fee_cut": 0.5, "processing_time": 0.2, "unit_targets": 0.0}, n_units=300, n_months=36)
    return [
        ("one deterministic run (engine, all segments × 12 months)", median_ms(lambda: evaluate(c, batch), 200), 2),
        (
            "one deterministic run incl. building the batch from a Scenario",
            median_ms(lambda: evaluate(c, build_batch(c, [rec])), 200),
            2,
        ),
        (
            f"Monte Carlo, {APP_DRAWS} Sobol points (the Scenario page; draws cached, as when a lever moves)",
            median_ms(lambda: monte_carlo(c, rec, draws=APP_DRAWS), 15),
            100,
        ),
        (
            f"Monte Carlo, {DEFAULT_DRAWS} Sobol points (exports; draws cached)",
            median_ms(lambda: monte_carlo(c, rec, draws=DEFAULT_DRAWS), 15),
            100,
        ),
        (
            f"Monte Carlo, {DEFAULT_DRAWS} Sobol points (cold: new effect draws each time)",
            median_ms(lambda: (_draws.cache_clear(), monte_carlo(c, rec, draws=DEFAULT_DRAWS)), 15),
            100,
        ),
        (
            "Monte Carlo, 2,000 draws (the earlier setting, for comparison)",
            median_ms(lambda: monte_carlo(c, rec, draws=2000), 15),
            100,
        ),
        (
            f"model.project: 3 runs + {APP_DRAWS}-point band, no contributions (the Scenario page's one call)",
            median_ms(lambda: project(c, rec, draws=APP_DRAWS, with_contributions=False), 15),
            100,
        ),
        (
            f"model.project at 400 units × 36 months from the data's months ({APP_DRAWS}-point band + both named bands),"
            " one lever moved each time (bench/big_dataset.py)",
            _big_slider_move_ms(),
            100,
        ),
        (
            "contributions, all 8 levers active (128 behavioural subsets + the correction)",
            median_ms(lambda: contributions(c, rec), 15),
            50,
        ),
        (
            "calibrating a generated series of 300 units × 36 months (level and pooled trend per unit)",
            median_ms(lambda: calibrate(series_300x36), 5),
            1000,
        ),
        (
            "calibrating 300 units × 36 rough months (over-dispersed, seasonal, shocks, rollouts; tests/rough_series.py)",
            median_ms(lambda: calibrate(rough_300x36, register=register), 5),
            1000,
        ),
        (
            "effects of 3 levers from 300 units × 36 months (did2s event study, pre-trend tests, clustered SEs)",
            median_ms(lambda: estimate_effects(*measured_300x36), 7),
            2000,
        ),
        (
            "the Excel workbook of the 3 built-in scenarios (projections, 1,024-point bands, every sheet)",
            median_ms(lambda: build_workbook(c, builtin_scenarios(), plan=2), 7),
            1000,
        ),
        ("goal seek (fee cut to 14% province December)", median_ms(lambda: goal_seek(c, sq, "fee_cut.cut_pct", 14.0), 15), 100),
    ]


def main() -> int:
    print("Model (median of repeated runs, ms):")
    for name, ms, target in model_bench():
        flag = "ok" if ms <= target else f"MISSES target by {ms / target:.1f}x"
        print(f"  {name:65s} {ms:8.2f} ms  (target ≤ {target} ms: {flag})")
    from bench.upload_bench import series_bench

    series_bench()  # no browser needed
    try:
        from bench.browser_bench import browser_bench
    except ImportError:
        return 0
    browser_bench()
    from bench.browser_bench import last_change_bench, navigation_bench, tracking_load_bench
    from bench.upload_bench import upload_bench

    upload_bench()
    last_change_bench()
    navigation_bench()
    # the province's real size: 400 units and 36 months of data, active through ?data=<id>
    last_change_bench(big=True)
    navigation_bench(big=True)
    tracking_load_bench()
    return 0


if __name__ == "__main__":
    sys.exit(main())
