"""Where a slider move's browser time goes: the renderer's JavaScript CPU profile (Chrome DevTools
Protocol) over a few moves, for the Scenario page and for the bare page, summed per script file.
Not part of `make bench` (it is for finding the next thing to make lighter):

    .venv/bin/python bench/browser_profile.py [moves]
"""

from __future__ import annotations

import collections
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser_bench import BARE, OURS, _one_move  # noqa: E402
from tests.browser_support import CHROMIUM_ARGS, open_app_page, streamlit_server, wait_idle  # noqa: E402
from tests.conftest import CHROMIUM  # noqa: E402


def per_file_ms(profile: dict) -> collections.Counter:
    """Self time per script file (or per native function such as getBoundingClientRect)."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    totals: collections.Counter = collections.Counter()
    for node_id, delta_us in zip(profile["samples"], profile["timeDeltas"][1:] + [0]):
        frame = nodes[node_id]
        totals[frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(anonymous)"] += delta_us / 1000
    return totals


def profile_moves(page, steps, moves: int) -> collections.Counter:
    _one_move(page, *steps)  # warm
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    cdp.send("Profiler.start")
    for _ in range(moves):
        _one_move(page, *steps)
    totals = per_file_ms(cdp.send("Profiler.stop")["profile"])
    return collections.Counter({k: v / moves for k, v in totals.items()})


def report(name: str, totals: collections.Counter) -> None:
    busy = sum(v for k, v in totals.items() if k != "(idle)")
    print(
        f"{name}: renderer busy {busy:.0f} ms per move (JavaScript + '(program)': style, layout, paint; "
        "for the Scenario page including the address-bar write after each move)"
    )
    for key, ms in totals.most_common(12):
        if key != "(idle)":
            print(f"    {ms:7.1f} ms  {key}")


def main() -> None:
    moves = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, streamlit_server(ROOT / "app.py") as app_url:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        app = browser.new_page(viewport={"width": 1920, "height": 1080})
        open_app_page(app, app_url, "kich-ban")
        n = app.locator('input[type="range"]').count()
        report("Scenario page", profile_moves(app, OURS, moves))
        with streamlit_server(ROOT / "bench" / "bare_page.py", env={**os.environ, "BARE_SLIDERS": str(n)}) as bare_url:
            bare = browser.new_page(viewport={"width": 1920, "height": 1080})
            bare.goto(bare_url)
            wait_idle(bare)
            report(f"bare page ({n} sliders + one plotly chart)", profile_moves(bare, BARE, moves))
        browser.close()


if __name__ == "__main__":
    main()
