"""Command line: `python -m model baseline --json`, `python -m model run SCENARIO.json --json`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from model.analysis import DEFAULT_DRAWS
from model.baseline import DEFAULT_REPORT_DIR, ReportError, load_report
from model.calibration import backtest, calibrate
from model.engine import compile_report
from model.limits import MIN_CALIBRATION_MONTHS
from model.segments import BLOCKS, block_totals, build_segments
from model.series import ReportSeries, SeriesError, series_from_long_csv, series_from_reports
from model.targets import DEFAULT_TARGET_SET, SHIPPED, SHIPPED_BY_ID, TargetError, TargetSet, load_target_file


def baseline_payload(report) -> dict:
    seg = build_segments(report.units)
    totals = {}
    for block, (online, volume) in block_totals(seg).items():
        totals[block] = {
            "dossiers": volume,
            "online_dossiers": online,
            "share_pct": round(100 * online / volume, 4) if volume else None,
        }
    units = []
    for u in report.units.itertuples():
        item = {"unit_id": u.unit_id, "name": u.name, "kind": u.kind}
        for col in (
            "services_online_l34",
            "services_with_dossiers",
            "dossiers",
            "dossiers_online",
            "dossiers_incl_communes",
            "dossiers_online_incl_communes",
        ):
            v = getattr(u, col)
            item[col] = None if pd.isna(v) else int(v)
        if u.kind == "district":
            item["commune_services_deployed"] = bool(u.commune_services_deployed)
        units.append(item)
    return {
        "report": {"id": report.id, "label_vi": report.label_vi, "period": report.period},
        "totals": {b: totals[b] for b in BLOCKS},
        "units": units,
    }


TARGETS_HELP = (
    "target set: a shipped id (" + ", ".join(t.id for t in SHIPPED) + ") or a target-set JSON file (default: qd1434_2022)"
)


def _target_set(arg: str | None) -> TargetSet:
    if arg is None:
        return DEFAULT_TARGET_SET
    if arg in SHIPPED_BY_ID:
        return SHIPPED_BY_ID[arg]
    return load_target_file(arg)


def _series(args, report) -> ReportSeries | None:
    if args.reports:
        return series_from_reports([load_report(d) for d in args.reports])
    if args.series:
        try:
            data = Path(args.series).read_bytes()
        except OSError as exc:
            raise SeriesError(
                [(f"không đọc được tệp ({exc.strerror})", f"cannot read the file ({exc.strerror})")], Path(args.series).name
            ) from None
        return series_from_long_csv(data, Path(args.series).name, report)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model")
    parser.add_argument("--data", default=str(DEFAULT_REPORT_DIR), help="report folder (default: the built-in report)")
    parser.add_argument(
        "--series", help="a long CSV of monthly counts (unit, month, dossiers, online_dossiers) for --data's units"
    )
    parser.add_argument("--reports", nargs="+", metavar="DIR", help="several report folders, one per month, as a series")
    sub = parser.add_subparsers(dest="command", required=True)
    p_back = sub.add_parser("backtest", help="fit on all but the last months of the series and compare the forecast")
    p_back.add_argument("--holdout", type=int, default=3, help="months held out (default 3)")
    p_back.add_argument("--json", action="store_true")
    p_base = sub.add_parser("baseline", help="print the validated baseline")
    p_base.add_argument("--json", action="store_true", help="print JSON")
    p_run = sub.add_parser("run", help="run one scenario file")
    p_run.add_argument("scenario")
    p_run.add_argument("--json", action="store_true")
    p_run.add_argument("--draws", type=int, default=DEFAULT_DRAWS)
    p_run.add_argument("--targets", help=TARGETS_HELP)
    p_export = sub.add_parser("export", help="write the Excel workbook")
    p_export.add_argument("--out", required=True, help="FILE.xlsx")
    p_export.add_argument("scenarios", nargs="*", help="scenario JSON files (default: the built-in ones)")
    p_export.add_argument(
        "--annex-target", type=float, default=None, help="province target for the annex, in %%(default: the target set's)"
    )
    p_export.add_argument("--targets", help=TARGETS_HELP)
    args = parser.parse_args(argv)

    try:
        report = load_report(args.data)
        targets = _target_set(getattr(args, "targets", None))
        series = _series(args, report)
    except ReportError as err:
        for p in err.problems:
            print(p.message_en, file=sys.stderr)
        return 2
    except (TargetError, SeriesError) as err:
        for line in err.messages("en"):
            print(line, file=sys.stderr)
        return 2
    compiled = compile_report(report)
    if series is not None and series.n_months >= MIN_CALIBRATION_MONTHS:
        compiled = compiled.with_calibration(calibrate(series))
    if args.command == "backtest":
        if series is None:
            print("backtest needs a series: --series FILE.csv or --reports DIR DIR ...", file=sys.stderr)
            return 2
        try:
            bt = backtest(series, holdout=args.holdout)
        except ValueError as err:
            print(f"backtest: {err}", file=sys.stderr)
            return 2
        if args.json:
            print(
                json.dumps(
                    {
                        "holdout": bt.holdout,
                        "first_forecast": bt.first_forecast,
                        "coverage_pct": round(bt.coverage_pct, 2),
                        "summary": json.loads(bt.summary.to_json(orient="records")),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            print(f"held out {bt.holdout} months from {bt.first_forecast}; actual inside P10–P90: {bt.coverage_pct:.1f}%")
            for r in bt.summary[bt.summary.level == "block"].itertuples():
                print(f"  {r.id:24s} mean |error| {r.mean_abs_error_pts:6.2f} pts over {r.n} months")
        return 0
    if args.command == "baseline":
        payload = baseline_payload(report)
        if args.json:
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for block, t in payload["totals"].items():
                print(f"{block:24s} {t['online_dossiers']:>8} / {t['dossiers']:>8} = {t['share_pct']}%")
        return 0
    if args.command == "export":
        from model.excel import build_workbook
        from model.scenario import ScenarioError, builtin_scenarios, load_scenario_file

        try:
            scenarios = [load_scenario_file(f) for f in args.scenarios] or builtin_scenarios()
        except ScenarioError as err:
            print(str(err), file=sys.stderr)
            return 2
        data = build_workbook(compiled, scenarios, targets, annex_target_pct=args.annex_target)
        with open(args.out, "wb") as f:
            f.write(data)
        print(f"wrote {args.out}: {len(scenarios)} scenario(s)")
        return 0
    if args.command == "run":
        from model.api import run_payload
        from model.scenario import ScenarioError, load_scenario_file

        try:
            scenario = load_scenario_file(args.scenario)
        except ScenarioError as err:
            print(str(err), file=sys.stderr)
            return 2
        payload = run_payload(compiled, scenario, targets, draws=args.draws)
        if args.json:
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            print(payload["summary_en"])
        return 0
    return 1
