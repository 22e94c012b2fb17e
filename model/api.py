"""JSON payloads for the command line (and scripts)."""

from __future__ import annotations

from model.analysis import DEFAULT_DRAWS, compiled_from, contributions, evaluate_scenarios, monte_carlo
from model.segments import BLOCKS
from model.summary import summary
from model.targets import DECISION_1434, target_for


def run_payload(report, scenario, draws: int = DEFAULT_DRAWS) -> dict:
    c = compiled_from(report)
    res = evaluate_scenarios(c, [scenario])
    bands = monte_carlo(c, scenario, draws=draws)
    volumes = dict(zip(BLOCKS, res.agg_volume[0].sum(axis=0)))
    out = {"scenario": scenario.name, "plan_year": scenario.plan_year, "report": report.id}
    for b, block in enumerate(BLOCKS):
        out[block] = {
            "annual": _r(100 * res.annual_share[0, b]),
            "december": _r(100 * res.december_share[0, b]),
            "p10": _r(100 * bands.december[0, b]), "p50": _r(100 * bands.december[1, b]),
            "p90": _r(100 * bands.december[2, b]),
            "target": _r(target_for(DECISION_1434, block, volumes)),
        }
    out["services_receiving_online_pct"] = {"december": _r(100 * res.services_kpi[0, -1])}
    contrib = contributions(c, scenario)
    out["contributions"] = [
        {"lever": r.lever, "kind": r.kind, "period": r.period, "block": r.block, "points": round(r.points, 4)}
        for r in contrib.itertuples()]
    prov, t = out["province"], out["province"]["target"]
    out["summary_vi"] = summary(scenario, prov["december"], prov["p10"], prov["p90"], t, "vi")
    out["summary_en"] = summary(scenario, prov["december"], prov["p10"], prov["p90"], t, "en")
    return out


def _r(x):
    return None if x is None or x != x else round(float(x), 4)
