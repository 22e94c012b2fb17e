"""Command line. Every error is one message in the chosen language (`--lang vi|en`, Vietnamese by
default) with exit code 2, never a traceback. `python -m model --help` shows an example of each
subcommand; `run` and `baseline` print one JSON schema (`--json`) or CSV (`--format csv`)."""

from __future__ import annotations

import argparse
import contextlib
import csv
import difflib
import errno
import io
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from model.register import MeasureRegister

SCHEMA_VERSION = 1
MEASUREMENT_UNITS = {"*_pct": "percent (0–100)", "*_pts": "percentage points", "dossiers, online_dossiers": "dossiers"}
EXAMPLES = """examples:
  python -m model baseline --json
  python -m model baseline --format csv > goc.csv
  python -m model run data/scenarios/03_report_recommendations.json --json --targets national_2024
  python -m model run data/scenarios/01_status_quo_momentum.json --format csv --draws 256
  python -m model run data/scenarios/03_report_recommendations.json --json --indicators chi_so_766.csv
  python -m model export --out ke-hoach.xlsx data/scenarios/03_report_recommendations.json
  python -m model export --out ke-hoach.xlsx --plan "Khuyến nghị của báo cáo"
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


# argparse's own words (usage, help, its errors), in Vietnamese when the command line speaks Vietnamese
ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số vị trí",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không phải %(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (có: %(choices)s)",
}
TYPE_VI = {"int": "số nguyên", "float": "số"}


@contextlib.contextmanager
def _argparse_language(lang: str):
    """argparse looks its words up through gettext when it needs them; for Vietnamese they come from
    ARGPARSE_VI for the time of one parse."""
    if lang != "vi":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def vi(message: str) -> str:
        return ARGPARSE_VI.get(message, message)

    argparse._ = vi  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: vi(one if n == 1 else many)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line in the user's language and exit code 2."""

    lang = "vi"

    def error(self, message: str):
        # the subcommand's argument has no name a user would know
        message = message.replace("argument command: ", "").replace("tham số command: ", "")
        if self.lang == "vi":
            for name, vi in TYPE_VI.items():
                message = message.replace(f"không phải {name}", f"không phải {vi}")
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
    if not Path(arg).exists() and not arg.lower().endswith(".json"):
        # not a file and not a shipped id: most likely a mistyped id, not a missing file
        close = difflib.get_close_matches(arg, list(SHIPPED_BY_ID), n=1)
        hint_vi = f" Có phải “{close[0]}”?" if close else ""
        hint_en = f" Did you mean “{close[0]}”?" if close else ""
        ids = ", ".join(SHIPPED_BY_ID)
        raise CliError(
            f"--targets: không có bộ chỉ tiêu “{arg}”.{hint_vi} Bộ có sẵn: {ids}; hoặc đường dẫn tới một tệp .json.",
            f"--targets: there is no target set “{arg}”.{hint_en} Shipped: {ids}; or the path of a .json file.",
        )
    # a file's unit codes are checked against the data it is used with: an unknown one is listed, not ignored
    known = None if report is None else set(build_segments(report.units).seg_id)
    return load_target_file(arg, known)


OS_VI = {
    errno.ENOENT: ("không có tệp hoặc thư mục này", "no such file or folder"),
    errno.EACCES: ("không có quyền truy cập", "permission denied"),
    errno.EPERM: ("không được phép", "not permitted"),
    errno.EISDIR: ("đây là một thư mục", "it is a folder"),
    errno.ENOTDIR: ("một phần của đường dẫn không phải thư mục", "part of the path is not a folder"),
    errno.ENOSPC: ("hết chỗ trên ổ đĩa", "no space left on the disk"),
    errno.EROFS: ("ổ đĩa chỉ đọc", "read-only disk"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """The operating system's reason in both languages (its own text is in the system's language)."""
    return OS_VI.get(exc.errno or 0, (f"lỗi hệ thống {exc.errno}", exc.strerror or f"system error {exc.errno}"))


def _series(args, report) -> ReportSeries | None:
    if args.reports:
        return series_from_reports([load_report(d) for d in args.reports])
    if args.series:
        try:
            data = Path(args.series).read_bytes()
        except OSError as exc:
            vi, en = os_reason(exc)
            raise SeriesError([(f"không đọc được tệp ({vi})", f"cannot read the file ({en})")], Path(args.series).name) from None
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
    if out.is_dir():
        raise CliError(
            f"“{out}” là một thư mục, không phải tệp; ghi rõ tên tệp, ví dụ {out / 'ke-hoach.xlsx'}",
            f"“{out}” is a folder, not a file; name the file, e.g. {out / 'ke-hoach.xlsx'}",
        )
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
    p_import.add_argument("--json", action="store_true", help="print JSON")
    p_list = data_sub.add_parser("list", help="every dataset, built-in and kept")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_attach = data_sub.add_parser(
        "attach",
        help="keep a register of measures and/or Decision 766 indicators with the dataset given by --data-id",
        epilog="example: python -m model --data-id vi-du-2025 data attach --measures bien-phap.csv --indicators chi_so_766.csv",
    )
    p_attach.add_argument("--measures", help=MEASURES_HELP)
    p_attach.add_argument("--indicators", help=INDICATORS_HELP)
    p_attach.add_argument("--json", action="store_true", help="print JSON")
    p_back = sub.add_parser(
        "backtest",
        help="fit on all but the last months of the series and compare the forecast",
        epilog="example: python -m model --series chuoi.csv backtest --holdout 3 --json",
    )
    p_back.add_argument("--holdout", type=int, default=3, help="months held out (default 3)")
    p_back.add_argument("--json", action="store_true", help="print JSON")
    p_eff = sub.add_parser(
        "effects",
        help="estimate each measure's effect from the series and a register of measures taken",
        epilog="example: python -m model effects --series chuoi.csv --measures bien-phap.csv --json",
    )
    p_eff.add_argument("--series", default=argparse.SUPPRESS, help="the long CSV of monthly counts")
    p_eff.add_argument("--measures", help=MEASURES_HELP + " (default with --data-id: the register kept with the dataset)")
    p_eff.add_argument("--json", action="store_true", help="print JSON")
    p_base = sub.add_parser("baseline", help="print the validated baseline", epilog="example: python -m model baseline --json")
    p_base.add_argument("--json", action="store_true", help="print JSON")
    p_base.add_argument("--format", choices=["text", "json", "csv"], default=None, help=FORMAT_HELP)
    p_run = sub.add_parser(
        "run",
        help="run one scenario file",
        epilog="example: python -m model run data/scenarios/03_report_recommendations.json --json",
    )
    p_run.add_argument("scenario", help="a scenario JSON file")
    p_run.add_argument("--json", action="store_true", help="print JSON")
    p_run.add_argument("--format", choices=["text", "json", "csv"], default=None, help=FORMAT_HELP)
    p_run.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help="simulation draws for the P10–P90 band (≥ 1)")
    p_run.add_argument("--targets", help=TARGETS_HELP)
    p_run.add_argument("--plan-year", type=int, help="project this plan year instead of the scenario file's")
    p_run.add_argument("--indicators", help=INDICATORS_HELP + " (default with --data-id: those kept with the dataset)")
    p_export = sub.add_parser(
        "export",
        help="write the Excel workbook",
        epilog="example: python -m model export --out ke-hoach.xlsx --plan 03_report_recommendations data/scenarios/*.json",
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
    p_export.add_argument("--plan", help=PLAN_HELP)
    p_export.add_argument("--indicators", help=INDICATORS_HELP + " (default with --data-id: those kept with the dataset)")
    p_export.add_argument("--plan-year", type=int, help="project this plan year instead of the scenario files'")
    return parser


FORMAT_HELP = "output: text, json or csv (default: text)"
MEASURES_HELP = "the register of measures: CSV, or .xlsx with a sheet “Biện pháp”"
MEASURES_HELP_VI = "sổ theo dõi biện pháp: tệp CSV, hoặc .xlsx có trang “Biện pháp”"
INDICATORS_HELP = "a CSV of the Decision 766 indicators per unit and month (its template: index_766)"
INDICATORS_HELP_VI = "tệp CSV các chỉ số theo Quyết định 766 của từng đơn vị, từng tháng (mẫu: index_766)"
PLAN_HELP = "the scenario that is the plan (its annex): its file, file name or name; needed with several scenarios"
# The help in Vietnamese, looked up by its English text (so a new option shows at least its English help).
HELP_VI = {
    "language of messages (default: vi)": "ngôn ngữ của thông báo (mặc định: vi)",
    "report folder (default: the built-in report)": "thư mục báo cáo (mặc định: báo cáo có sẵn)",
    "a long CSV of monthly counts (unit, month, dossiers, online_dossiers) for --data's units": (
        "tệp CSV số liệu theo tháng (đơn vị, tháng, số hồ sơ, hồ sơ trực tuyến) của các đơn vị trong --data"
    ),
    "several report folders, one per month, as a series: --reports D1 D2 …": (
        "nhiều thư mục báo cáo, mỗi tháng một thư mục, làm chuỗi số liệu: --reports TM1 TM2 …"
    ),
    "a dataset kept in the library (see: data list), or bc-2022-12 / vi-du-2025 (built in)": (
        "một bộ số liệu đã lưu (xem: data list), hoặc bc-2022-12 / vi-du-2025 (có sẵn)"
    ),
    "the datasets of record: import report folders, report files or a long monthly CSV; list them": (
        "các bộ số liệu: nhập thư mục báo cáo, tệp báo cáo hoặc tệp CSV số liệu theo tháng; liệt kê"
    ),
    "keep a new dataset (never overwrites one)": "lưu một bộ số liệu mới (không bao giờ ghi đè bộ đã có)",
    "report folders, .xlsx/.csv reports, one long CSV": "thư mục báo cáo, tệp báo cáo .xlsx/.csv, một tệp CSV theo tháng",
    "the dataset's name": "tên của bộ số liệu",
    "what an .xlsx/.csv report counts, when the file does not say": (
        "tệp báo cáo .xlsx/.csv đếm gì (ytd: lũy kế từ đầu năm; month: trong tháng), khi tệp không ghi rõ"
    ),
    "every dataset, built-in and kept": "mọi bộ số liệu, có sẵn và đã lưu",
    "estimate each measure's effect from the series and a register of measures taken": (
        "ước lượng tác động của từng biện pháp từ chuỗi số liệu và sổ theo dõi các biện pháp đã làm"
    ),
    "the long CSV of monthly counts": "tệp CSV số liệu theo tháng",
    MEASURES_HELP + " (default with --data-id: the register kept with the dataset)": (
        MEASURES_HELP_VI + " (mặc định khi có --data-id: sổ đã lưu cùng bộ số liệu)"
    ),
    MEASURES_HELP: MEASURES_HELP_VI,
    INDICATORS_HELP: INDICATORS_HELP_VI,
    INDICATORS_HELP + " (default with --data-id: those kept with the dataset)": (
        INDICATORS_HELP_VI + " (mặc định khi có --data-id: số liệu đã lưu cùng bộ số liệu)"
    ),
    "keep a register of measures and/or Decision 766 indicators with the dataset given by --data-id": (
        "lưu sổ biện pháp và/hoặc số liệu chỉ số 766 cùng bộ số liệu chọn bằng --data-id"
    ),
    "a scenario JSON file": "một tệp kịch bản JSON",
    FORMAT_HELP: "dạng in ra: text (văn bản), json hoặc csv (mặc định: text)",
    "project this plan year instead of the scenario file's": "dự báo cho năm kế hoạch này thay cho năm ghi trong tệp kịch bản",
    "project this plan year instead of the scenario files'": (
        "dự báo cho năm kế hoạch này thay cho năm ghi trong các tệp kịch bản"
    ),
    "fit on all but the last months of the series and compare the forecast": (
        "ước lượng trên chuỗi số liệu trừ mấy tháng cuối, rồi so dự báo với thực tế"
    ),
    "months held out (default 3)": "số tháng cuối để kiểm tra (mặc định 3)",
    "print the validated baseline": "in số liệu gốc đã kiểm tra",
    "print JSON": "in dạng JSON",
    "run one scenario file": "chạy một tệp kịch bản",
    "simulation draws for the P10–P90 band (≥ 1)": "số lần mô phỏng cho khoảng P10–P90 (≥ 1)",
    TARGETS_HELP: (
        "bộ chỉ tiêu: mã bộ có sẵn (" + ", ".join(t.id for t in SHIPPED) + ") hoặc tệp JSON bộ chỉ tiêu (mặc định: qd1434_2022)"
    ),
    "write the Excel workbook": "ghi tệp Excel",
    "FILE.xlsx (its folder must exist)": "TỆP.xlsx (thư mục phải có sẵn)",
    "overwrite an existing output file": "ghi đè tệp ra đã có",
    "scenario JSON files (default: the built-in ones)": "các tệp kịch bản JSON (mặc định: các kịch bản có sẵn)",
    "province target for the annex, in %% from 0 to 100 (default: the target set's)": (
        "chỉ tiêu toàn tỉnh cho phụ lục, tính bằng %% từ 0 đến 100 (mặc định: theo bộ chỉ tiêu)"
    ),
    PLAN_HELP: "kịch bản kế hoạch (dùng cho phụ lục): đường dẫn tệp, tên tệp hoặc tên kịch bản; bắt buộc khi có nhiều kịch bản",
}


def _in_language(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """The parser's help and examples in `lang` (they are written in English above)."""
    if lang != "vi":
        return parser
    parsers = [parser]
    for p in parsers:  # grows as it goes: a subcommand's own subcommands (data import, data list) too
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = HELP_VI.get(choice.help or "", choice.help)
                parsers += list(action.choices.values())
    for p in parsers:
        if isinstance(p, _Parser):
            p.lang = lang
        p.formatter_class = argparse.RawDescriptionHelpFormatter  # examples keep their lines
        if p.epilog:
            p.epilog = p.epilog.replace("examples:", "ví dụ:").replace("example:", "ví dụ:")
        for action in p._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                action.help = HELP_VI.get(action.help, action.help)
            if action.dest in METAVAR_VI and not action.choices:
                action.metavar = METAVAR_VI[action.dest]
    return parser


METAVAR_VI = {
    "out": "TỆP.xlsx",
    "data": "THƯ_MỤC",
    "series": "TỆP.csv",
    "reports": "THƯ_MỤC",
    "targets": "BỘ_CHỈ_TIÊU",
    "plan": "KỊCH_BẢN",
    "annex_target": "PHẦN_TRĂM",
    "holdout": "SỐ_THÁNG",
    "draws": "SỐ_LẦN",
    "scenarios": "KỊCH_BẢN.json",
    "scenario": "KỊCH_BẢN.json",
    "data_id": "MÃ_BỘ_SỐ_LIỆU",
    "plan_year": "NĂM",
    "indicators": "TỆP.csv",
    "measures": "TỆP",
    "label": "TÊN",
    "paths": "ĐƯỜNG_DẪN",
}


def _plan_of(args, scenarios) -> int:
    """The plan among the exported scenarios: named by --plan (a file as given, its name, or the
    scenario's name); with one scenario, that one. Never "the last one listed"."""
    from model.excel import scenario_name
    from model.scenario import SCENARIO_DIR

    # the built-in scenarios, when no file is given, answer to their file names too (builtin_scenarios' order)
    files = list(args.scenarios) or [str(p) for p in sorted(SCENARIO_DIR.glob("*.json"))]
    if args.plan is None:
        if len(scenarios) == 1:
            return 0
        names = "; ".join(f"“{scenario_name(s)}”" for s in scenarios)
        raise CliError(
            f"có {len(scenarios)} kịch bản: chọn kịch bản kế hoạch (dùng cho phụ lục chỉ tiêu) bằng --plan, một trong: {names}",
            f"{len(scenarios)} scenarios: choose the plan (used for the target annex) with --plan, one of: {names}",
        )
    wanted = args.plan.strip()
    for j, (s, f) in enumerate(zip(scenarios, files)):
        keys = {s.name, scenario_name(s)}
        if f is not None:
            keys |= {f, Path(f).name, Path(f).stem}
        if wanted in keys or wanted.casefold() in {k.casefold() for k in keys}:
            return j
    names = "; ".join(f"“{scenario_name(s)}”" for s in scenarios)
    raise CliError(
        f"--plan: không có kịch bản “{wanted}” trong các kịch bản xuất; có: {names}",
        f"--plan: no exported scenario is “{wanted}”; there are: {names}",
    )


def _measures(path_text: str, series):
    """The register of measures in a file, its units checked against the series'."""
    from model.register import register_from_csv, register_from_xlsx

    path = Path(path_text)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"không đọc được “{path.name}” ({exc.strerror})", f"cannot read “{path.name}” ({exc.strerror})") from None
    read = register_from_xlsx if path.suffix.lower() == ".xlsx" else register_from_csv
    return read(data, path.name, set(series.segments.seg_id))


def _kept_indicators(data_id: str | None, report):
    """The Decision 766 indicators kept with the dataset, checked again against its units."""
    if not data_id:
        return None
    kept = _store().dataset_file(data_id, "indicators_766")
    if kept is None:
        return None
    from model.indicators import read_indicators

    return read_indicators(kept[2], kept[0], known_units=set(report.units.unit_id))


def _kept_steps(data_id: str | None, series):
    """The measures of the register kept with the dataset, as the calibration's level shifts, or None."""
    if not data_id or series is None:
        return None
    kept = _store().dataset_file(data_id, "measures")
    if kept is None:
        return None
    from model.register import register_steps

    return register_steps(kept[2], set(series.segments.seg_id))


def _run_indicators(args, report):
    """--indicators' file, else those kept with --data-id's dataset, else none."""
    given = _indicators(getattr(args, "indicators", None), report)
    return given if given is not None else _kept_indicators(args.data_id, report)


def _attach(args) -> int:
    """`data attach`: check the files against the dataset, then keep them with it (both or neither)."""
    if not args.data_id:
        raise CliError("data attach cần --data-id MÃ_BỘ_SỐ_LIỆU", "data attach needs --data-id ID")
    if not (args.measures or args.indicators):
        raise CliError(
            "data attach cần --measures TỆP và/hoặc --indicators TỆP",
            "data attach needs --measures FILE and/or --indicators FILE",
        )
    opened = open_dataset(_dataset(args.data_id))
    series = opened.series if opened.series is not None else series_from_reports([opened.report])
    kept = []
    if args.measures:
        kept.append(("measures", Path(args.measures).name, _measures(args.measures, series).to_csv()))
    if args.indicators:
        kept.append(("indicators_766", Path(args.indicators).name, _indicators(args.indicators, opened.report).to_csv()))
    store = _store()
    for kind, name, text in kept:
        store.save_dataset_file(args.data_id, kind, name, text)
    if args.json:
        files = [{"kind": kind, "file": name} for kind, name, _ in kept]
        print(
            json.dumps({"schema_version": SCHEMA_VERSION, "dataset": args.data_id, "kept": files}, ensure_ascii=False, indent=2)
        )
    else:
        said = "đã lưu cùng bộ số liệu" if args.lang == "vi" else "kept with the dataset"
        print(f"{said} {args.data_id}: " + ", ".join(name for _, name, _ in kept))
    return 0


def _store():
    from model.store import ScenarioStore

    return ScenarioStore()


def _dataset(dataset_id: str) -> Dataset:
    found = builtin_dataset(dataset_id)
    return found if found is not None else _store().dataset(dataset_id)


def _data_command(args) -> int:
    if args.data_command == "attach":
        return _attach(args)
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
    registers: list[tuple[str, MeasureRegister]] = []
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
                if path.suffix.lower() == ".xlsx":  # the template's sheet "Biện pháp", filled in beside the counts
                    from model.register import register_in_workbook

                    found = register_in_workbook(content, path.name, set(reports[-1].units.unit_id))
                    registers += [] if found is None else [(path.name, found)]
        sources.append(path.name)
    if not reports:
        base = open_dataset(_dataset(args.data_id)).report if args.data_id else load_report(args.data)
        reports.append(base)
    latest = max(reports, key=lambda r: r.period)
    label = args.label.strip() or (latest.label_vi if long_csv is None else f"{latest.label_vi} + {long_csv[0]}")
    ds = make_dataset(reports, label, label, sources, long_csv=long_csv)
    if len(registers) > 1:
        raise CliError(
            f"chỉ một tệp được có trang “Biện pháp” điền sẵn ({', '.join(n for n, _ in registers)})",
            f"only one file may carry a filled “Biện pháp” sheet ({', '.join(n for n, _ in registers)})",
        )
    added = _store().save_dataset(ds)
    for name, register in registers:  # kept with the dataset, as `data attach --measures` would
        _store().save_dataset_file(ds.id, "measures", name, register.to_csv())
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
        from model.register import MeasureRegister

        if series is None:
            raise CliError(
                "effects cần một chuỗi số liệu: --series TỆP.csv hoặc --reports THƯ_MỤC …",
                "effects needs a series: --series FILE.csv or --reports DIR DIR ...",
            )
        if args.measures:
            register = _measures(args.measures, series)
        else:
            kept = _store().dataset_file(args.data_id, "measures") if args.data_id else None
            if kept is None:
                raise CliError(
                    "effects cần sổ biện pháp: --measures TỆP, hoặc --data-id của bộ số liệu đã lưu sổ "
                    "(python -m model --data-id MÃ data attach --measures TỆP)",
                    "effects needs a register of measures: --measures FILE, or the --data-id of a dataset with one kept "
                    "(python -m model --data-id ID data attach --measures FILE)",
                )
            register = MeasureRegister.from_csv(kept[2], kept[0], set(series.segments.seg_id))
        result = estimate_effects(series, register)
        if args.json:
            print(json.dumps({"schema_version": SCHEMA_VERSION, **effects_payload(result)}, ensure_ascii=False, indent=2))
        else:
            print("\n".join(effects_text(result, args.lang)))
        return 0
    compiled = compile_report(report)
    # the register kept with --data-id's dataset: its measures are level shifts in the status quo, not trends
    steps = _kept_steps(args.data_id, series)
    if series is not None and series.n_months >= MIN_CALIBRATION_MONTHS:
        compiled = compiled.with_calibration(calibrate(series, register=steps))
    fmt_ = getattr(args, "format", None) or ("json" if getattr(args, "json", False) else "text")
    if args.command == "backtest":
        if series is None:
            raise CliError(
                "backtest cần một chuỗi số liệu: --series TỆP.csv hoặc --reports THƯ_MỤC …",
                "backtest needs a series: --series FILE.csv or --reports DIR DIR ...",
            )
        try:
            bt = backtest(series, holdout=args.holdout, register=steps)
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
            if args.lang == "vi":
                print(
                    f"bỏ {bt.holdout} tháng cuối, dự báo từ {bt.first_forecast}; đơn vị-tháng nằm trong khoảng tháng "
                    f"P10–P90: {bt.coverage_pct:.1f}%".replace(".", ",")
                )
                for r in bt.summary[bt.summary.level == "block"].itertuples():
                    error = f"{r.mean_abs_error_pts:6.2f}".replace(".", ",")
                    inside = f"{r.coverage_pct:5.1f}".replace(".", ",")
                    print(
                        f"  {r.id:24s} sai số tuyệt đối bình quân {error} điểm % trên {r.n} tháng, trong khoảng tháng {inside}%"
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
        plan = _plan_of(args, scenarios)
        coverage = None
        if series is not None and series.n_months >= MIN_CALIBRATION_MONTHS:
            from model.calibration import coverage_table

            coverage = coverage_table(series, register=steps)  # by block and unit size, on the assumptions sheet
        data = build_workbook(
            compiled,
            scenarios,
            targets,
            annex_target_pct=annex,
            plan=plan,
            indicators=_run_indicators(args, report),
            coverage=coverage,
        )
        try:
            out.write_bytes(data)
        except OSError as exc:
            vi, en = os_reason(exc)
            raise CliError(f"không ghi được “{out.name}” ({vi})", f"cannot write “{out.name}” ({en})") from None
        from model.excel import scenario_name

        plan_name = scenario_name(scenarios[plan])
        print(
            f"đã ghi {out}: {len(scenarios)} kịch bản, kế hoạch “{plan_name}”"
            if args.lang == "vi"
            else f"wrote {out}: {len(scenarios)} scenario(s), plan “{plan_name}”"
        )
        return 0
    if args.command == "run":
        from model.api import run_payload
        from model.scenario import load_scenario_file

        scenario = load_scenario_file(args.scenario)
        scenario.plan_year = args.plan_year or scenario.plan_year
        payload = run_payload(compiled, scenario, targets, draws=args.draws, indicators=_run_indicators(args, report))
        if fmt_ == "json":
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif fmt_ == "csv":  # one row per block: the months with their bands are in --json
            rows = [{"block": b, **{k: x for k, x in v.items() if k != "monthly"}} for b, v in payload["blocks"].items()]
            print(_csv(rows), end="")
        else:
            print(payload["summary_vi" if args.lang == "vi" else "summary_en"])
        return 0
    return 1


# options that belong to a subcommand, not to the program: placed before it, argparse called them unknown
SUBCOMMAND_OPTIONS = (
    "--targets",
    "--out",
    "--force",
    "--plan",
    "--plan-year",
    "--annex-target",
    "--draws",
    "--json",
    "--format",
    "--holdout",
    "--indicators",
    "--measures",
    "--label",
    "--counts",
)


def _misplaced_option(argv: list[str], parser: argparse.ArgumentParser) -> None:
    commands: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands = set(action.choices)
    for i, a in enumerate(argv):
        if a in commands:
            return
        name = a.split("=", 1)[0]
        if name in SUBCOMMAND_OPTIONS:
            after = next((c for c in argv[i:] if c in commands), "run")
            raise CliError(
                f"{name} là tùy chọn của lệnh con: đặt sau tên lệnh, ví dụ: python -m model {after} {name} …",
                f"{name} belongs to a subcommand: put it after the command's name, e.g. python -m model {after} {name} ...",
            )


SUBCOMMANDS = ("data", "backtest", "effects", "baseline", "run", "export")


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
        with _argparse_language(lang):
            parser = _in_language(_parser(), lang)
            _misplaced_option(argv, parser)
            args = parser.parse_args(_one_folder_per_reports(argv))
        return _run(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, the shell's code for an interrupt
        print("đã dừng (Ctrl-C)" if lang == "vi" else "stopped (Ctrl-C)", file=sys.stderr)
        return 130
    except CliError as err:
        print(err.vi if lang == "vi" else err.en, file=sys.stderr)
    except PlannerError as err:
        for line in err.messages(lang):
            print(line, file=sys.stderr)
    except OSError as exc:
        vi, en = os_reason(exc)
        where = f" “{exc.filename}”" if exc.filename else ""
        print((f"lỗi hệ thống{where}: {vi}" if lang == "vi" else f"system error{where}: {en}"), file=sys.stderr)
    except Exception as exc:  # never a traceback on the user's screen; the detail goes to the log
        log.debug("unexpected error", exc_info=True)
        print(("lỗi không mong muốn: " if lang == "vi" else "unexpected error: ") + exc.__class__.__name__, file=sys.stderr)
    return 2
