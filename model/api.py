"""JSON payloads for the command line (and scripts), read from one `Projection`."""

from __future__ import annotations

import math

from model.analysis import DEFAULT_DRAWS
from model.baseline import Report
from model.engine import Compiled
from model.projection import project
from model.scenario import Scenario
from model.summary import summary
from model.targets import TargetSet


def run_payload(
    report: Report | Compiled, scenario: Scenario, targets: TargetSet | None = None, draws: int = DEFAULT_DRAWS
) -> dict:
    proj = project(report, scenario, targets, draws)
    out: dict = {
        "scenario": scenario.name,
        "plan_year": scenario.plan_year,
        "report": proj.report_id,
        "target_set": {
            "id": proj.target_set.id,
            "name_vi": proj.target_set.name_vi,
            "name_en": proj.target_set.name_en,
            "source": proj.target_set.source,
        },
    }
    for block in proj.blocks:
        f = proj.block(block)
        out[block] = {
            "annual": _r(f.annual),
            "december": _r(f.december),
            "december_measured": _r(f.december_measured),
            "p10": _r(f.p10),
            "p50": _r(f.p50),
            "p90": _r(f.p90),
            "target": _r(f.target),
            "gap": _r(f.gap),
        }
    out["services_receiving_online_pct"] = {"december": _r(float(proj.services_monthly[-1]))}
    contrib = proj.contributions
    out["contributions"] = (
        []
        if contrib is None
        else [
            {"lever": r.lever, "kind": r.kind, "period": r.period, "block": r.block, "points": round(r.points, 4)}
            for r in contrib.itertuples()
        ]
    )
    prov = proj.block("province")
    out["summary_vi"] = summary(scenario, prov.december, prov.p10, prov.p90, prov.target, "vi")
    out["summary_en"] = summary(scenario, prov.december, prov.p10, prov.p90, prov.target, "en")
    return out


def _r(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)
