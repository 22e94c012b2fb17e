"""JSON payloads for the command line (and scripts), read from one `Projection`."""

from __future__ import annotations

import math

from model.analysis import DEFAULT_DRAWS, index_contributions
from model.baseline import Report
from model.engine import Compiled, compile_report
from model.index766 import payload as index_766_payload
from model.indicators import Indicators
from model.projection import Projection, project
from model.scenario import Scenario
from model.summary import summary
from model.targets import TargetSet


def run_payload(
    report: Report | Compiled,
    scenario: Scenario,
    targets: TargetSet | None = None,
    draws: int = DEFAULT_DRAWS,
    indicators: Indicators | None = None,
) -> dict:
    from model.cli import MEASUREMENT_UNITS, SCHEMA_VERSION

    proj = project(report, scenario, targets, draws, indicators=indicators)
    out: dict = {
        "schema_version": SCHEMA_VERSION,
        "measurement_units": MEASUREMENT_UNITS,
        "scenario": scenario.name,
        "plan_year": scenario.plan_year,
        "report": {"id": proj.report_id, "period": proj.report_period},
        "target_set": {
            "id": proj.target_set.id,
            "name_vi": proj.target_set.name_vi,
            "name_en": proj.target_set.name_en,
            "source": proj.target_set.source,
        },
        "blocks": {},
        # effects taken from a dataset instead of the assumption: central, 80% range and the dataset's id
        "estimated_effects": [
            {**est.to_dict(), "label_vi": est.label("vi"), "label_en": est.label("en")} for est in scenario.estimated.values()
        ],
    }
    for block in proj.blocks:
        f = proj.block(block)
        out["blocks"][block] = {
            "dossiers": _r(f.plan_year_dossiers),
            "december_pct": _r(f.december),
            "december_measured_pct": _r(f.december_measured),
            "annual_pct": _r(f.annual),
            "p10_pct": _r(f.p10),
            "p50_pct": _r(f.p50),
            "p90_pct": _r(f.p90),
            "target_pct": _r(f.target),
            "gap_pts": _r(f.gap),
            "monthly": _monthly(proj, block),
        }
    out["services_receiving_online_pct"] = {"december_pct": _r(float(proj.services_monthly[-1]))}
    contrib = proj.contributions
    out["contributions"] = (
        []
        if contrib is None
        else [
            {"lever": r.lever, "kind": r.kind, "period": r.period, "block": r.block, "points_pts": round(r.points, 4)}
            for r in contrib.itertuples()
        ]
    )
    if proj.index_766 is not None:
        out["index_766"] = index_766_payload(proj.index_766)
        if indicators is not None:  # the points each lever adds (Shapley, December); none to split without counts
            per_lever = index_contributions(
                report if isinstance(report, Compiled) else compile_report(report), scenario, indicators
            )
            out["index_766"]["levers"] = [
                {"lever": r.lever, "group": r.group, "points": _r(r.points)} for r in per_lever.itertuples()
            ]
    prov = proj.block("province")
    out["summary_vi"] = summary(scenario, prov.december, prov.p10, prov.p90, prov.target, "vi")
    out["summary_en"] = summary(scenario, prov.december, prov.p10, prov.p90, prov.target, "en")
    return out


def _monthly(proj: Projection, block: str) -> list[dict]:
    """The plan-year months with both bands (P10–P90, percent): with the series estimate as the start
    point, the trend band ("dải của xu hướng") and the month band ("dải dự báo tháng"); otherwise the
    scenario band stands for the trend band and there is no month band (null)."""
    b = proj.index(block)
    trend = proj.trend_band_monthly if proj.trend_band_monthly is not None else proj.band_monthly
    month = proj.month_band_monthly
    return [
        {
            "month": f"{proj.plan_year}-{m:02d}",
            "pct": _r(float(proj.monthly[i, b])),
            "trend_p10_pct": _r(float(trend[0, i, b])),
            "trend_p90_pct": _r(float(trend[2, i, b])),
            "month_p10_pct": None if month is None else _r(float(month[0, i, b])),
            "month_p90_pct": None if month is None else _r(float(month[2, i, b])),
        }
        for i, m in enumerate(proj.months)
    ]


def _r(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)
