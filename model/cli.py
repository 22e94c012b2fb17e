"""Command line. Every error is one message in the chosen language (`--lang vi|en`, Vietnamese by
default) with exit code 2, never a traceback. `python -m model --help` shows an example of each
subcommand; `run` and `baseline` print one JSON schema (`--json`) or CSV (`--format csv`)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from pathlib import Path

import pandas as pd

from model.analysis import DEFAULT_DRAWS
from model.baseline import DEFAULT_REPORT_DIR, load_report
from model.calibration import backtest, calibrate
from model.datasets import Dataset, builtin_dataset, builtin_datasets, make_dataset, open_dataset
from model.engine import compile_report
from model.errors import PlannerError
from model.limits import MIN_CALIBRATION_MONTHS
from model.segments import block_totals, blocks_present, build_segments
from model.series import ReportSeries, SeriesError, series_from_long_csv, series_from_reports
from model.targets import DEFAULT_TARGET_SET, SHIPPED, SHIPPED_BY_ID, TargetSet, load_target_file

SCHEMA_VERSION = 1
MEASUREMENT_UNITS = {"*_pct": "percent (0–100)", "*_pts": "percentage points", "dossiers, online_dossiers": "dossiers"}
EXAMPLES = """examples:
  python -m model baseline --json
  python -m model baseline --format csv > goc.csv
  python -m model run data/scenarios/03_report_recommendations.json --json --targets national_2024
  python -m model run data/scenarios/01_status_quo_momentum.json --format csv --draws 256
  python -m model run data/scenarios/03_report_recommendations.json --json --indicators chi_so_766.csv
  python -m model export --out ke-hoach.xlsx data/scenarios/03_report_recommendations.json
  python -m model --series chuoi.csv backtest --holdout 3
  python -m model data import bao-cao-thang/ chuoi.csv --label "Chuỗi 2023"
  python -m model data list --json
  python -m model --data-id vi-du-2025 run data/scenarios/01_status_quo_momentum.json --plan-year 2027 --json
  python -m model effects --series chuoi.csv --measures bien-phap.csv --json
"""
log = logging.getLogger("sonla.cli")


class CliError(Exception):
    """A refusal of the command line's own, with its message in both languages."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi, self.en = vi, en


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line in the user's language and exit code 2."""

    def error(self, message: str):
        raise CliError(f"lệnh không hợp lệ: {message} (xem --help)", f"invalid command: {message} (see --help)")


def _lang_of(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "vi"
    return "vi"


def baseline_payload(report) -> dict:
    seg = build_segments(report.units)
    blocks = {}
    for block, (online, volume) in block_totals(seg).items():
        blocks[block] = {
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
        "schema_version": SCHEMA_VERSION,
        "measurement_units": MEASUREMENT_UNITS,
        "report": {"id": report.id, "label_vi": report.label_vi, "period": report.period},
        "blocks": {b: blocks[b] for b in blocks_present(seg)},
        "units": units,
    }


TARGETS_HELP = (
    "target set: a shipped id (" + ", ".join(t.id for t in SHIPPED) + ") or a target-set JSON file (default: qd1434_2022)"
)


def _target_set(arg: str | None, report=None) -> TargetSet:
    if arg is None:
        return DEFAULT_TARGET_SET
    if arg in SHIPPED_BY_ID:
        return SHIPPED_BY_ID[arg]
    # a file's unit codes are checked against the data it is used with: an unknown one is listed, not ignored
    known = None if report is None else set(build_segments(report.units).seg_id)
    return load_target_file(arg, known)


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


def _indicators(path: str | None, report):
    """The Decision 766 indicators file given with --indicators, its unit ids checked against the data."""
    if path is None:
        return None
    from model.baseline import Problem
    from model.indicators import IndicatorError, read_indicators

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IndicatorError(
            [
                Problem(
                    Path(path).name,
                    None,
                    None,
                    "unreadable",
                    f"không đọc được tệp ({exc.strerror})",
                    f"cannot read the file ({exc.strerror})",
                )
            ]
        ) from None
    return read_indicators(data, Path(path).name, known_units=set(report.units.unit_id))


def _check_out(args) -> Path:
    """The output file: an .xlsx in a folder that exists, never one of the inputs, never an existing
    file unless --force."""
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"tệp ra “{out.name}” phải có đuôi .xlsx", f"the output “{out.name}” must end in .xlsx")
    if not out.parent.exists() or not out.parent.is_dir():
        raise CliError(f"thư mục “{out.parent}” không tồn tại", f"the folder “{out.parent}” does not exist")
    inputs = {Path(f).resolve() for f in args.scenarios}
    if out.resolve() in inputs:
        raise CliError(f"tệp ra “{out.name}” là một tệp đầu vào; chọn tên khác", f"the output “{out.name}” is one of the inputs")
    if out.exists() and not args.force:
        raise CliError(f"tệp “{out.name}” đã có; thêm --force để ghi đè", f"“{out.name}” exists; add --force to overwrite it")
    return out


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (default: vi)")
    parser.add_argument("--data", default=str(DEFAULT_REPORT_DIR), help="report folder (default: the built-in report)")
    parser.add_argument(
        "--series", help="a long CSV of monthly counts (unit, month, dossiers, online_dossiers) for --data's units"
    )
    parser.add_argument(
        "--reports", action="append", metavar="DIR", help="several report folders, one per month, as a series: --reports D1 D2 …"
    )
    parser.add_argument("--data-id", help="a dataset kept in the library (see: data list), or bc-2022-12 / vi-du-2025 (built in)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_data = sub.add_parser(
        "data",
        help="the datasets of record: import report folders, report files or a long monthly CSV; list them",
        epilog="examples: python -m model data import thang01/ thang02/ --label 'Hai tháng'; python -m model data list --json",
    )
    data_sub = p_data.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    p_import = data_sub.add_parser("import", help="keep a new dataset (never overwrites one)")
    p_import.add_argument("paths", nargs="+", metavar="PATH", help="report folders, .xlsx/.csv reports, one long CSV")
    p_import.add_argument("--label", default="", help="the dataset's name")
    p_import.add_argument(
        "--counts", choices=["ytd", "month"], default="", help="what an .xlsx/.csv report counts, when the file does not say"
    )
    p_import.add_argument("--json", action="store_true")
    p_list = data_sub.add_parser("list", help="every dataset, built-in and kept")
    p_list.add_argument("--json", action="store_true")
    p_back = sub.add_parser(
        "backtest",
        help="fit on all but the last months of the series and compare the forecast",
        epilog="example: python -m model --series chuoi.csv backtest --holdout 3 --json",
    )
    p_back.add_argument("--holdout", type=int, default=3, help="months held out (default 3)")
    p_back.add_argument("--json", action="store_true")
    p_eff = sub.add_parser(
        "effects",
        help="estimate each measure's effect from the series and a register of measures taken",
        epilog="example: python -m model effects --series chuoi.csv --measures bien-phap.csv --json",
    )
    p_eff.add_argument("--series", default=argparse.SUPPRESS, help="the long CSV of monthly counts")
    p_eff.add_argument("--measures", required=True, help="the register of measures: CSV, or .xlsx with a sheet “Biện pháp”")
    p_eff.add_argument("--json", action="store_true")
    p_base = sub.add_parser("baseline", help="print the validated baseline", epilog="example: python -m model baseline --json")
    p_base.add_argument("--json", action="store_true", help="print JSON")
    p_base.add_argument("--format", choices=["text", "json", "csv"], default=None)
    p_run = sub.add_parser(
        "run",
        help="run one scenario file",
        epilog="example: python -m model run data/scenarios/03_report_recommendations.json --json",
    )
    p_run.add_argument("scenario")
    p_run.add_argument("--json", action="store_true")
    p_run.add_argument("--format", choices=["text", "json", "csv"], default=None)
    p_run.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help="Monte Carlo points for the band (≥ 1)")
    p_run.add_argument("--targets", help=TARGETS_HELP)
    p_run.add_argument("--plan-year", type=int, help="project this plan year instead of the scenario file's")
    p_run.add_argument("--indicators", help="a CSV of the Decision 766 indicators per unit and month (its template: index_766)")
    p_export = sub.add_parser(
        "export",
        help="write the Excel workbook",
        epilog="example: python -m model export --out ke-hoach.xlsx data/scenarios/*.json",
    )
    p_export.add_argument("--out", required=True, help="FILE.xlsx (its folder must exist)")
    p_export.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p_export.add_argument("scenarios", nargs="*", help="scenario JSON files (default: the built-in ones)")
    p_export.add_argument(
        "--annex-target",
        type=float,
        default=None,
        help="province target for the annex, in %% from 0 to 100 (default: the target set's)",
    )
    p_export.add_argument("--targets", help=TARGETS_HELP)
    p_export.add_argument("--plan-year", type=int, help="project this plan year instead of the scenario files'")
    return parser


def _store():
    from model.store import ScenarioStore

    return ScenarioStore()


def _dataset(dataset_id: str) -> Dataset:
    found = builtin_dataset(dataset_id)
    return found if found is not None else _store().dataset(dataset_id)


def _data_command(args) -> int:
    if args.data_command == "list":
        records = [d.record() for d in builtin_datasets()] + [{**r, "builtin": False} for r in _store().dataset_records()]
        if args.json:
            print(json.dumps({"schema_version": SCHEMA_VERSION, "datasets": records}, ensure_ascii=False, indent=2))
        else:
            for r in records:
                label = r["label_vi"] if args.lang == "vi" else r["label_en"]
                print(f"{r['id']:14s} {r['first_month']}–{r['last_month']}  {r['structure']:9s} {label}")
        return 0
    from model.importer import import_report
    from model.series import LONG_COLUMNS

    reports, long_csv, sources = [], None, []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            reports.append(load_report(path))
        else:
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise CliError(
                    f"không đọc được “{path.name}” ({exc.strerror})", f"cannot read “{path.name}” ({exc.strerror})"
                ) from None
            head = content[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
            is_long = path.suffix.lower() == ".csv" and head and all(c in head[0].lower() for c in LONG_COLUMNS)
            if is_long:
                if long_csv is not None:
                    raise CliError("chỉ nhận một tệp CSV dạng dài", "only one long CSV can be imported at a time")
                long_csv = (path.name, content)
            else:
                reports.append(import_report(content, path.name, args.label, "", args.counts))
        sources.append(path.name)
    if not reports:
        base = open_dataset(_dataset(args.data_id)).report if args.data_id else load_report(args.data)
        reports.append(base)
    latest = max(reports, key=lambda r: r.period)
    label = args.label.strip() or (latest.label_vi if long_csv is None else f"{latest.label_vi} + {long_csv[0]}")
    ds = make_dataset(reports, label, label, sources, long_csv=long_csv)
    added = _store().save_dataset(ds)
    if args.json:
        print(
            json.dumps({"schema_version": SCHEMA_VERSION, "added": added, "dataset": ds.record()}, ensure_ascii=False, indent=2)
        )
    else:
        said = (
            ("đã lưu bộ số liệu" if added else "bộ số liệu đã có")
            if args.lang == "vi"
            else ("kept dataset" if added else "already kept")
        )
        print(f"{said}: {ds.id} ({ds.first_month}–{ds.last_month}, {ds.structure})")
    return 0


def _run(args) -> int:
    if getattr(args, "draws", 1) < 1:
        raise CliError("--draws phải là số nguyên từ 1 trở lên", "--draws must be a whole number of at least 1")
    annex = getattr(args, "annex_target", None)
    if annex is not None and not 0 <= annex <= 100:
        raise CliError("--annex-target phải nằm trong khoảng 0–100", "--annex-target must be between 0 and 100")
    if args.command == "export":
        _check_out(args)
    if args.command == "data":
        return _data_command(args)
    if args.data_id:
        if args.reports or args.series or args.data != str(DEFAULT_REPORT_DIR):
            raise CliError(
                "--data-id không dùng cùng --data, --series hoặc --reports",
                "--data-id cannot be combined with --data, --series or --reports",
            )
        opened = open_dataset(_dataset(args.data_id))
        report, series = opened.report, opened.series
    else:
        report = load_report(args.data)
        series = _series(args, report)
    targets = _target_set(getattr(args, "targets", None), report)
    if args.command == "effects":
        from model.effects import effects_payload, effects_text, estimate_effects
        from model.register import register_from_csv, register_from_xlsx

        if series is None:
            raise CliError(
                "effects cần một chuỗi số liệu: --series TỆP.csv hoặc --reports THƯ_MỤC …",
                "effects needs a series: --series FILE.csv or --reports DIR DIR ...",
            )
        path = Path(args.measures)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CliError(
                f"không đọc được “{path.name}” ({exc.strerror})", f"cannot read “{path.name}” ({exc.strerror})"
            ) from None
        read = register_from_xlsx if path.suffix.lower() == ".xlsx" else register_from_csv
        result = estimate_effects(series, read(data, path.name, set(series.segments.seg_id)))
        if args.json:
            print(json.dumps({"schema_version": SCHEMA_VERSION, **effects_payload(result)}, ensure_ascii=False, indent=2))
        else:
            print("\n".join(effects_text(result, args.lang)))
        return 0
    compiled = compile_report(report)
    if series is not None and series.n_months >= MIN_CALIBRATION_MONTHS:
        compiled = compiled.with_calibration(calibrate(series))
    fmt_ = getattr(args, "format", None) or ("json" if getattr(args, "json", False) else "text")
    if args.command == "backtest":
        if series is None:
            raise CliError(
                "backtest cần một chuỗi số liệu: --series TỆP.csv hoặc --reports THƯ_MỤC …",
                "backtest needs a series: --series FILE.csv or --reports DIR DIR ...",
            )
        try:
            bt = backtest(series, holdout=args.holdout)
        except ValueError as err:
            raise CliError(f"không kiểm định được: {err}", f"cannot backtest: {err}") from None
        if args.json:
            print(
                json.dumps(
                    {
                        "schema_version": SCHEMA_VERSION,
                        "holdout": bt.holdout,
                        "first_forecast": bt.first_forecast,
                        "coverage_pct": round(bt.coverage_pct, 2),
                        "band": "month",
                        "blocks": {block: {"coverage_pct": round(pct, 2)} for block, pct in bt.block_coverage_pct().items()},
                        "summary": json.loads(bt.summary.to_json(orient="records")),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            print(
                f"held out {bt.holdout} months from {bt.first_forecast}; unit-months inside the month band P10–P90: "
                f"{bt.coverage_pct:.1f}%"
            )
            for r in bt.summary[bt.summary.level == "block"].itertuples():
                print(
                    f"  {r.id:24s} mean |error| {r.mean_abs_error_pts:6.2f} pts over {r.n} months, "
                    f"inside the month band {r.coverage_pct:5.1f}%"
                )
        return 0
    if args.command == "baseline":
        payload = baseline_payload(report)
        if fmt_ == "json":
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif fmt_ == "csv":
            print(_csv([{"block": b, **v} for b, v in payload["blocks"].items()]), end="")
        else:
            for block, t in payload["blocks"].items():
                print(f"{block:24s} {t['online_dossiers']:>8} / {t['dossiers']:>8} = {t['share_pct']}%")
        return 0
    if args.command == "export":
        from model.excel import build_workbook
        from model.scenario import builtin_scenarios, load_scenario_file

        out = _check_out(args)
        scenarios = [load_scenario_file(f) for f in args.scenarios] or builtin_scenarios()
        for s in scenarios:
            s.plan_year = args.plan_year or (s.plan_year if args.scenarios else compiled.first_plan_year)
        data = build_workbook(compiled, scenarios, targets, annex_target_pct=annex)
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CliError(
                f"không ghi được “{out.name}” ({exc.strerror})", f"cannot write “{out.name}” ({exc.strerror})"
            ) from None
        print(f"wrote {out}: {len(scenarios)} scenario(s)")
        return 0
    if args.command == "run":
        from model.api import run_payload
        from model.scenario import load_scenario_file

        scenario = load_scenario_file(args.scenario)
        scenario.plan_year = args.plan_year or scenario.plan_year
        payload = run_payload(compiled, scenario, targets, draws=args.draws, indicators=_indicators(args.indicators, report))
        if fmt_ == "json":
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif fmt_ == "csv":  # one row per block: the months with their bands are in --json
            rows = [{"block": b, **{k: x for k, x in v.items() if k != "monthly"}} for b, v in payload["blocks"].items()]
            print(_csv(rows), end="")
        else:
            print(payload["summary_vi" if args.lang == "vi" else "summary_en"])
        return 0
    return 1


SUBCOMMANDS = ("backtest", "baseline", "run", "export")


def _one_folder_per_reports(argv: list[str]) -> list[str]:
    """`--reports D1 D2 … run S.json` as argparse can read it (`--reports D1 --reports D2 … run S.json`):
    an option taking several values before a subcommand would swallow the subcommand and its file."""
    out: list[str] = []
    taking, taken = False, 0
    for arg in argv:
        if arg == "--reports":
            if taking and not taken:
                out.append("--reports")
            taking, taken = True, 0
            continue
        if taking and not arg.startswith("-") and arg not in SUBCOMMANDS:
            out += ["--reports", arg]
            taken += 1
            continue
        if taking and not taken:
            out.append("--reports")  # no folder after it: argparse says so, in the user's language
        taking = False
        out.append(arg)
    if taking and not taken:
        out.append("--reports")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = _lang_of(argv)
    try:
        args = _parser().parse_args(_one_folder_per_reports(argv))
        return _run(args)
    except CliError as err:
        print(err.vi if lang == "vi" else err.en, file=sys.stderr)
    except PlannerError as err:
        for line in err.messages(lang):
            print(line, file=sys.stderr)
    except Exception as exc:  # never a traceback on the user's screen; the detail goes to the log
        log.debug("unexpected error", exc_info=True)
        print(("lỗi không mong muốn: " if lang == "vi" else "unexpected error: ") + exc.__class__.__name__, file=sys.stderr)
    return 2
