"""Load and validate one monthly report: a folder with report.toml, units.csv, province.csv
and provenance.csv.

The loader reads every file as text, checks every rule, and only then builds typed tables.
If any rule is broken nothing is returned: a report either loads whole or not at all.
Nothing here assumes 17 departments and 12 districts; the unit list comes from the file.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from model.errors import PlannerError
from model.parse import ValueProblem, parse_count, parse_month
from model.segments import block_totals_from_units
from model.text import same_name_key, unsafe_characters

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_REPORT_DIR = DATA_DIR / "baseline_2022_12"


@functools.cache  # the built-in report's manifest: read once (every scenario parsed asked for it)
def default_plan_year() -> int:
    """The year after the built-in report's month: the plan year a new scenario starts with."""
    manifest = tomllib.loads((DEFAULT_REPORT_DIR / "report.toml").read_text(encoding="utf-8"))
    return int(str(manifest["period"])[:4]) + 1


UNIT_KINDS = ("department", "district", "commune")
REPORT_FILES = ("report.toml", "units.csv", "province.csv", "provenance.csv")

# Column -> (type, required-in-header). Counts are whole, non-negative numbers or blank (missing).
UNIT_COLUMNS: dict[str, str] = {
    "unit_id": "id",
    "order": "int",
    "kind": "kind",
    "name": "text",
    "name_en": "text",
    "services_online_l34": "count",
    "services_with_dossiers": "count",
    "services_share_printed_pct": "pct",
    "dossiers": "count",
    "dossiers_online": "count",
    "online_share_printed_pct": "pct",
    "dossiers_incl_communes": "count",
    "dossiers_online_incl_communes": "count",
    "online_share_incl_communes_printed_pct": "pct",
    "commune_services_deployed": "bool",
    "ministry_systems_unconnected": "bool",
}
PROVINCE_COLUMNS = ("metric", "scope", "period", "value", "unit", "source_text")
PROVENANCE_COLUMNS = ("unit_id", "column", "raw_ocr", "value", "action", "reason")
# the reason in Vietnamese, for the screen (blank or absent: the English reason is shown)
PROVENANCE_OPTIONAL = ("reason_vi",)
PROVENANCE_ACTIONS = ("reconstructed", "missing", "kept_counts_over_printed_share")
PROVINCE_SCOPES = ("province", "department", "district")

# Printed share column -> (numerator, denominator) count columns it is checked against.
SHARE_CHECKS = {
    "services_share_printed_pct": ("services_with_dossiers", "services_online_l34"),
    "online_share_printed_pct": ("dossiers_online", "dossiers"),
    "online_share_incl_communes_printed_pct": ("dossiers_online_incl_communes", "dossiers_incl_communes"),
}
# (smaller, larger): the first may never exceed the second.
ORDER_CHECKS = (
    ("dossiers_online", "dossiers", "online_gt_total"),
    ("dossiers_online_incl_communes", "dossiers_incl_communes", "online_gt_total"),
    ("services_with_dossiers", "services_online_l34", "services_with_dossiers_gt_services"),
    ("dossiers", "dossiers_incl_communes", "office_gt_district_total"),
    ("dossiers_online", "dossiers_online_incl_communes", "office_gt_district_total"),
)

COLUMN_LABEL_VI = {
    "services_online_l34": "số DVCTT mức độ 3, 4",
    "services_with_dossiers": "số DVC phát sinh hồ sơ",
    "dossiers": "tổng số hồ sơ phát sinh",
    "dossiers_online": "số hồ sơ trực tuyến",
    "dossiers_incl_communes": "tổng số hồ sơ (bao gồm cả cấp xã)",
    "dossiers_online_incl_communes": "số hồ sơ trực tuyến (bao gồm cả cấp xã)",
    "services_share_printed_pct": "tỷ lệ DVC phát sinh hồ sơ in trong báo cáo",
    "online_share_printed_pct": "tỷ lệ hồ sơ trực tuyến in trong báo cáo",
    "online_share_incl_communes_printed_pct": "tỷ lệ hồ sơ trực tuyến (bao gồm cả cấp xã) in trong báo cáo",
}
COLUMN_LABEL_EN = {
    "services_online_l34": "online services at levels 3–4",
    "services_with_dossiers": "services receiving dossiers",
    "dossiers": "dossiers received",
    "dossiers_online": "dossiers submitted online",
    "dossiers_incl_communes": "dossiers received (with communes)",
    "dossiers_online_incl_communes": "dossiers submitted online (with communes)",
    "services_share_printed_pct": "printed share of services receiving dossiers",
    "online_share_printed_pct": "printed online-dossier share",
    "online_share_incl_communes_printed_pct": "printed online-dossier share (with communes)",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule, located by file, line (as a spreadsheet shows it: header = line 1) and column."""

    file: str
    row: int | None
    column: str | None
    rule: str
    detail_vi: str
    detail_en: str

    def _where(self, row_word: str, col_word: str) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.column is not None:
            parts.append(f'{col_word} "{self.column}"')
        return ", ".join(parts)

    @property
    def message_vi(self) -> str:
        return f"{self._where('dòng', 'cột')}: {self.detail_vi} [quy tắc: {self.rule}]"

    @property
    def message_en(self) -> str:
        return f"{self._where('row', 'column')}: {self.detail_en} [rule: {self.rule}]"


class ReportError(PlannerError):
    """Raised with every problem found; the report was not loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.message_en for p in problems))

    @property
    def messages_vi(self) -> list[str]:
        return self.messages("vi")

    def messages(self, lang: str) -> list[str]:
        """Every problem in the user's language (file, row, column and rule named)."""
        return [p.message_vi if lang == "vi" else p.message_en for p in self.problems]


@dataclass(frozen=True)
class Report:
    """A validated report. `units` has one typed row per reporting unit (missing values are NA)."""

    id: str
    label_vi: str
    label_en: str
    period: str
    cumulative_from: str
    source: str
    synthetic: bool
    units: pd.DataFrame
    province: pd.DataFrame
    provenance: pd.DataFrame
    folder: str = field(default="")
    # the four files' text as read: a stored dataset keeps exactly these and loads them again through
    # the same rules (model/datasets.py), so nothing is re-derived from the typed tables
    files: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def province_value(self, metric: str, scope: str = "province", period: str | None = None) -> float | None:
        rows = self.province[(self.province.metric == metric) & (self.province.scope == scope)]
        rows = rows[rows.period == (period or self.period)]
        return None if rows.empty else float(rows.value.iloc[0])

    @functools.cached_property  # read on every visit to the Overview; the report never changes
    def previous_period(self) -> str | None:
        """The month before the report month that has block shares printed (e.g. 2022-11), if any."""
        periods = sorted(set(self.province.loc[self.province.metric == "online_share_pct", "period"]))
        earlier = [p for p in periods if p < self.period]
        return earlier[-1] if earlier else None


# ---------------------------------------------------------------- parsing helpers


def _read_csv_text(path: Path, problems: list[Problem]) -> tuple[list[str], list[list[str]]] | None:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, None, None, "missing_file", "không tìm thấy tệp", "file not found"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                name,
                None,
                None,
                "encoding",
                f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start})",
                f"file is not UTF-8 (bad byte at offset {exc.start})",
            )
        )
        return None
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:  # a quote left open, a cell beyond the csv module's limit
        problems.append(
            Problem(
                name,
                None,
                None,
                "csv_syntax",
                "tệp CSV hỏng (dấu ngoặc kép không đóng hoặc ô quá dài)",
                f"the CSV file is damaged (a quote left open, or a cell far too long: {str(exc)[:60]})",
            )
        )
        return None
    if not rows:
        problems.append(Problem(name, None, None, "empty_file", "tệp rỗng", "file is empty"))
        return None
    return [h.strip() for h in rows[0]], rows[1:]


def _data_rows(name: str, header: list[str], rows: list[list[str]], problems: list[Problem]):
    """(spreadsheet line, {column: stripped cell}) for every non-blank row with the right cell count."""
    for i, row in enumerate(rows):
        line = i + 2
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a record
        if len(row) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    "column_count",
                    f"có {len(row)} ô, tiêu đề có {len(header)} cột",
                    f"has {len(row)} cells, the header has {len(header)} columns",
                )
            )
            continue
        yield line, {h: c.strip() for h, c in zip(header, row)}


def _check_header(name: str, header: list[str], expected, problems: list[Problem]) -> bool:
    ok = True
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, "missing_column", "thiếu cột bắt buộc", "required column is missing"))
            ok = False
    seen = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, "duplicate_column", "cột bị lặp lại", "column appears twice"))
            ok = False
        seen.add(col)
    return ok


_MACHINE_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _parse_number(text: str) -> float | None:
    """Machine format only (15797, 98.58). Vietnamese-formatted input is the import's job. Python's
    float() alone would also take "5_0" (50), "1e2", "nan" and other scripts' digits: none is a share."""
    if not _MACHINE_NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _fmt(x: float) -> str:
    return f"{x:.2f}"


# ---------------------------------------------------------------- the loader


def load_report(folder: str | Path = DEFAULT_REPORT_DIR) -> Report:
    folder = Path(folder)
    problems: list[Problem] = []

    meta = _load_manifest(folder / "report.toml", problems)
    units = _load_units(folder / "units.csv", problems)
    province = _load_province(folder / "province.csv", problems)
    provenance = _load_provenance(folder / "provenance.csv", problems)

    if units is not None and provenance is not None:
        _check_units_against_provenance(units, provenance, problems)
    if units is not None and province is not None and meta is not None:
        _check_block_shares(units, province, meta["period"], problems)

    if problems:
        raise ReportError(problems)
    assert meta is not None and units is not None and province is not None and provenance is not None
    units_df = units[0]
    files = {name: (folder / name).read_text(encoding="utf-8-sig") for name in REPORT_FILES}
    return Report(
        id=meta["id"],
        label_vi=meta["label_vi"],
        label_en=meta["label_en"],
        period=meta["period"],
        cumulative_from=meta["cumulative_from"],
        source=meta["source"],
        synthetic=bool(meta.get("synthetic", False)),
        units=units_df,
        province=province,
        provenance=provenance,
        folder=str(folder),
        files=files,
    )


def _load_manifest(path: Path, problems: list[Problem]) -> dict | None:
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        problems.append(Problem(path.name, None, None, "missing_file", "không tìm thấy tệp", "file not found"))
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, None, None, "bad_manifest", f"không đọc được tệp: {exc}", f"cannot parse: {exc}"))
        return None
    ok = True
    for key in ("id", "label_vi", "label_en", "period", "cumulative_from", "source"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(Problem(path.name, None, key, "missing_field", "thiếu trường bắt buộc", "required field is missing"))
            ok = False
    for key in ("period", "cumulative_from"):  # the one month parser: "2023-13" is no month
        if ok:
            try:
                meta[key] = parse_month(meta[key])
            except ValueProblem as problem:
                problems.append(Problem(path.name, None, key, problem.rule, problem.vi, problem.en))
                ok = False
    if ok and not (meta["period"][:4] + "-01" <= meta["cumulative_from"] <= meta["period"]):
        problems.append(
            Problem(
                path.name,
                None,
                "cumulative_from",
                "cumulative_from_after_period",
                f"số liệu lũy kế từ {meta['cumulative_from']} phải bắt đầu trong năm của kỳ {meta['period']} và không sau kỳ đó",
                f"counts accumulated from {meta['cumulative_from']} must start within the year of {meta['period']}, not after it",
            )
        )
        ok = False
    return meta if ok else None


def _load_units(path: Path, problems: list[Problem]) -> tuple[pd.DataFrame, dict] | None:
    name = path.name
    read = _read_csv_text(path, problems)
    if read is None:
        return None
    header, rows = read
    if not _check_header(name, header, UNIT_COLUMNS, problems):
        return None
    n_before = len(problems)
    records: list[dict] = []
    raw_shares: dict[tuple[str, str], str] = {}
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for line, cells in _data_rows(name, header, rows, problems):
        rec: dict = {}
        for col, kind in UNIT_COLUMNS.items():
            text = cells[col]
            if kind in ("id", "text"):
                if col in ("unit_id", "name") and not text:
                    problems.append(
                        Problem(name, line, col, "missing_unit", "thiếu mã hoặc tên đơn vị", "unit id or name is empty")
                    )
                bad = unsafe_characters(text)
                if bad:
                    # pasted from Word: they break every export, or reverse what is shown; nothing is changed silently
                    problems.append(
                        Problem(
                            name,
                            line,
                            col,
                            "control_character",
                            f"có ký tự điều khiển ({', '.join(bad[:5])}); hãy xóa trong tệp rồi tải lên lại",
                            f"contains control characters ({', '.join(bad[:5])}); remove them and upload again",
                        )
                    )
                rec[col] = unicodedata.normalize("NFC", text)
            elif kind == "kind":
                if text not in UNIT_KINDS:
                    problems.append(
                        Problem(
                            name,
                            line,
                            col,
                            "unknown_kind",
                            f'loại đơn vị "{text}" không hợp lệ (chỉ nhận: {", ".join(UNIT_KINDS)})',
                            f'unit kind "{text}" is not one of: {", ".join(UNIT_KINDS)}',
                        )
                    )
                rec[col] = text
            elif kind == "bool":
                low = text.lower()
                if low in ("", "true", "false"):
                    rec[col] = None if low == "" else low == "true"
                else:
                    problems.append(
                        Problem(name, line, col, "not_boolean", f'"{text}" không phải true/false', f'"{text}" is not true/false')
                    )
            else:  # int, count, pct
                if text == "":
                    if kind == "int":
                        problems.append(Problem(name, line, col, "missing_value", "thiếu giá trị", "value is missing"))
                    rec[col] = None
                    continue
                if kind in ("int", "count"):
                    # one parser for every count read anywhere: 15797, 15.797 and 15,797 alike; a fraction,
                    # an exponent ("1e3"), a superscript ("16²") or an over-limit count named by its rule
                    try:
                        rec[col] = parse_count(text)
                    except ValueProblem as problem:
                        problems.append(Problem(name, line, col, problem.rule, problem.vi, problem.en))
                    continue
                value = _parse_number(text)
                if value is None:
                    problems.append(
                        Problem(name, line, col, "not_a_number", f'"{text}" không phải là số', f'"{text}" is not a number')
                    )
                    continue
                if value < 0:
                    problems.append(
                        Problem(name, line, col, "negative", f"giá trị âm ({text}) không hợp lệ", f"negative value ({text})")
                    )
                    continue
                if kind == "pct":
                    if value > 100:
                        problems.append(
                            Problem(name, line, col, "pct_over_100", f"tỷ lệ {text}% lớn hơn 100%", f"share {text}% is over 100%")
                        )
                        continue
                    raw_shares[(rec.get("unit_id", ""), col)] = text
                rec[col] = value
        uid = rec.get("unit_id", "")
        if uid:
            if uid in seen_ids:
                problems.append(
                    Problem(
                        name,
                        line,
                        "unit_id",
                        "duplicate_unit",
                        f'mã đơn vị "{uid}" đã có ở dòng {seen_ids[uid]}',
                        f'unit id "{uid}" already on row {seen_ids[uid]}',
                    )
                )
            seen_ids.setdefault(uid, line)
        uname = rec.get("name", "")
        if uname:
            uname = same_name_key(uname)  # NFC, case and spacing folded: "Sở Y tế" typed NFD is the same unit
            if uname in seen_names:
                problems.append(
                    Problem(
                        name,
                        line,
                        "name",
                        "duplicate_unit",
                        f'đơn vị "{rec.get("name", "")}" đã có ở dòng {seen_names[uname]}',
                        f'unit "{rec.get("name", "")}" already on row {seen_names[uname]}',
                    )
                )
            seen_names.setdefault(uname, line)
        rec["_line"] = line
        records.append(rec)

    if not records and len(problems) == n_before:
        problems.append(Problem(name, None, None, "no_units", "tệp không có đơn vị nào", "the file has no units"))
    for rec in records:
        _check_unit_row(name, rec, raw_shares, problems)
    if len(problems) > n_before:
        return None
    df = pd.DataFrame.from_records(records)
    for col, kind in UNIT_COLUMNS.items():
        if kind in ("int", "count"):
            df[col] = pd.array(df[col], dtype="Int64")
        elif kind == "pct":
            df[col] = pd.array(df[col], dtype="Float64")
        elif kind == "bool":
            df[col] = pd.array(df[col], dtype="boolean")
    df["line"] = df.pop("_line")
    return df, raw_shares


def _check_unit_row(name: str, rec: dict, raw_shares: dict, problems: list[Problem]) -> None:
    line = rec["_line"]
    kind = rec.get("kind")
    for small, large, rule in ORDER_CHECKS:
        a, b = rec.get(small), rec.get(large)
        if a is None or b is None:
            continue
        if a > b:
            problems.append(
                Problem(
                    name,
                    line,
                    small,
                    rule,
                    f"{COLUMN_LABEL_VI[small]} ({a}) lớn hơn {COLUMN_LABEL_VI[large]} ({b})",
                    f"{small} ({a}) is greater than {large} ({b})",
                )
            )
    if kind == "district":
        if rec.get("commune_services_deployed") is None and "commune_services_deployed" in rec:
            problems.append(
                Problem(
                    name,
                    line,
                    "commune_services_deployed",
                    "missing_value",
                    "đơn vị cấp huyện phải ghi rõ true/false",
                    "a district must say true or false",
                )
            )
        if (rec.get("dossiers_incl_communes") is None) != (rec.get("dossiers_online_incl_communes") is None):
            problems.append(
                Problem(
                    name,
                    line,
                    "dossiers_incl_communes",
                    "incomplete_pair",
                    "phải có đủ cả tổng số hồ sơ và số hồ sơ trực tuyến (bao gồm cả cấp xã)",
                    "give both or neither of the including-communes counts",
                )
            )
        office, whole = rec.get("dossiers_online"), rec.get("dossiers_online_incl_communes")
        if rec.get("commune_services_deployed") is False and office is not None and whole is not None and whole > office:
            problems.append(
                Problem(
                    name,
                    line,
                    "dossiers_online_incl_communes",
                    "not_deployed_but_online",
                    f"cấp xã chưa triển khai DVCTT nhưng có {whole - office} hồ sơ trực tuyến cấp xã",
                    f"commune services are marked not deployed but communes have {whole - office} online dossiers",
                )
            )
    elif rec.get("dossiers_incl_communes") is not None or rec.get("dossiers_online_incl_communes") is not None:
        problems.append(
            Problem(
                name,
                line,
                "dossiers_incl_communes",
                "not_a_district",
                "chỉ đơn vị cấp huyện mới có số liệu bao gồm cả cấp xã",
                "only a district can have including-communes counts",
            )
        )


def _share_disagrees(printed_text: str, num: int, den: int) -> tuple[bool, float]:
    computed = 100.0 * num / den
    tolerance = 0.5 * 10 ** (-_decimals(printed_text)) + 1e-9  # half a unit of what was printed
    return abs(computed - float(printed_text)) > tolerance, computed


def _check_units_against_provenance(units, provenance: pd.DataFrame, problems: list[Problem]) -> None:
    df, raw_shares = units
    acknowledged = {(r.unit_id, r.column) for r in provenance.itertuples() if r.action == "kept_counts_over_printed_share"}
    ids = set(df.unit_id)
    for r in provenance.itertuples():
        if r.unit_id not in ids:
            problems.append(
                Problem(
                    "provenance.csv",
                    r.line,
                    "unit_id",
                    "unknown_unit",
                    f'mã đơn vị "{r.unit_id}" không có trong units.csv',
                    f'unit id "{r.unit_id}" is not in units.csv',
                )
            )
    by_id = df.set_index("unit_id")
    for r in provenance.itertuples():
        if r.unit_id not in ids or r.column not in by_id.columns or r.action == "kept_counts_over_printed_share":
            continue
        cell = by_id.at[r.unit_id, r.column]
        if r.action == "missing" and not pd.isna(cell):
            problems.append(
                Problem(
                    "provenance.csv",
                    r.line,
                    "value",
                    "provenance_mismatch",
                    f'ghi "missing" nhưng units.csv có giá trị {cell}',
                    f'says "missing" but units.csv holds {cell}',
                )
            )
        elif r.action == "reconstructed" and (pd.isna(cell) or str(cell) != r.value):
            problems.append(
                Problem(
                    "provenance.csv",
                    r.line,
                    "value",
                    "provenance_mismatch",
                    f'giá trị khôi phục "{r.value}" khác với units.csv ({cell})',
                    f'reconstructed value "{r.value}" differs from units.csv ({cell})',
                )
            )
    for rec in df.itertuples():
        for share_col, (num_col, den_col) in SHARE_CHECKS.items():
            printed = raw_shares.get((rec.unit_id, share_col))
            num, den = getattr(rec, num_col), getattr(rec, den_col)
            if printed is None or pd.isna(num) or pd.isna(den) or den == 0:
                continue
            bad, computed = _share_disagrees(printed, int(num), int(den))
            if bad and (rec.unit_id, share_col) not in acknowledged:
                problems.append(
                    Problem(
                        "units.csv",
                        rec.line,
                        share_col,
                        "share_mismatch",
                        f"tỷ lệ in {printed}% không khớp với {num}/{den} = {_fmt(computed)}% (ngoài sai số làm tròn)",
                        f"printed share {printed}% disagrees with {num}/{den} = {_fmt(computed)}% beyond rounding",
                    )
                )


def _check_block_shares(units, province: pd.DataFrame, period: str, problems: list[Problem]) -> None:
    """The printed block shares for the report month must match the unit table's counts."""
    totals = block_totals_from_units(units[0])
    scope_to_block = {"province": "province", "department": "department", "district": "district_incl_communes"}
    for r in province.itertuples():
        if r.metric != "online_share_pct" or r.period != period:
            continue
        online, volume = totals[scope_to_block[r.scope]]
        if volume == 0:
            problems.append(
                Problem(
                    "province.csv",
                    r.line,
                    "value",
                    "no_units_for_scope",
                    f'có tỷ lệ cho khối "{r.scope}" nhưng units.csv không có đơn vị nào thuộc khối này',
                    f'a share is given for "{r.scope}" but units.csv has no unit in it',
                )
            )
            continue
        bad, computed = _share_disagrees(r.value_text, online, volume)
        if bad:
            problems.append(
                Problem(
                    "province.csv",
                    r.line,
                    "value",
                    "share_mismatch",
                    f"tỷ lệ in {r.value_text}% không khớp với số liệu các đơn vị {online}/{volume} = {_fmt(computed)}%",
                    f"printed share {r.value_text}% disagrees with the units' counts {online}/{volume} = {_fmt(computed)}%",
                )
            )


def _load_province(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    name = path.name
    read = _read_csv_text(path, problems)
    if read is None:
        return None
    header, rows = read
    if not _check_header(name, header, PROVINCE_COLUMNS, problems):
        return None
    n_before = len(problems)
    records = []
    seen: dict[tuple, int] = {}
    for line, cells in _data_rows(name, header, rows, problems):
        if cells["scope"] not in PROVINCE_SCOPES:
            problems.append(
                Problem(
                    name,
                    line,
                    "scope",
                    "unknown_scope",
                    f'phạm vi "{cells["scope"]}" không hợp lệ',
                    f'scope "{cells["scope"]}" is not valid',
                )
            )
        value = _parse_number(cells["value"])
        if value is None:
            problems.append(
                Problem(
                    name,
                    line,
                    "value",
                    "not_a_number",
                    f'"{cells["value"]}" không phải là số',
                    f'"{cells["value"]}" is not a number',
                )
            )
        elif value < 0:
            problems.append(
                Problem(
                    name,
                    line,
                    "value",
                    "negative",
                    f"giá trị âm ({cells['value']}) không hợp lệ",
                    f"negative value ({cells['value']})",
                )
            )
        elif cells["unit"] == "pct" and value > 100:
            problems.append(
                Problem(
                    name,
                    line,
                    "value",
                    "pct_over_100",
                    f"tỷ lệ {cells['value']}% lớn hơn 100%",
                    f"share {cells['value']}% is over 100%",
                )
            )
        key = (cells["metric"], cells["scope"], cells["period"])
        if key in seen:
            problems.append(
                Problem(
                    name,
                    line,
                    "metric",
                    "duplicate_row",
                    f"trùng với dòng {seen[key]}",
                    f"same metric, scope and period as row {seen[key]}",
                )
            )
        seen.setdefault(key, line)
        records.append({**cells, "value": value, "value_text": cells["value"], "line": line})
    if len(problems) > n_before:
        return None
    return pd.DataFrame.from_records(records, columns=[*PROVINCE_COLUMNS, "value_text", "line"])


def _load_provenance(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    name = path.name
    read = _read_csv_text(path, problems)
    if read is None:
        return None
    header, rows = read
    if not _check_header(name, header, PROVENANCE_COLUMNS, problems):
        return None
    n_before = len(problems)
    records = []
    for line, cells in _data_rows(name, header, rows, problems):
        if cells["action"] not in PROVENANCE_ACTIONS:
            problems.append(
                Problem(
                    name,
                    line,
                    "action",
                    "unknown_action",
                    f'cách xử lý "{cells["action"]}" không hợp lệ',
                    f'action "{cells["action"]}" is not valid',
                )
            )
        if cells["column"] not in UNIT_COLUMNS:
            problems.append(
                Problem(
                    name,
                    line,
                    "column",
                    "unknown_column",
                    f'cột "{cells["column"]}" không có trong units.csv',
                    f'column "{cells["column"]}" is not in units.csv',
                )
            )
        records.append({**cells, "line": line})
    if len(problems) > n_before:
        return None
    return pd.DataFrame.from_records(records, columns=[*PROVENANCE_COLUMNS, *PROVENANCE_OPTIONAL, "line"]).fillna(
        {c: "" for c in PROVENANCE_OPTIONAL}
    )
