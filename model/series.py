"""A series of monthly reports: the province's one-stop-shop system produces the same table every
month. From several reports (year-to-date or month-only counts) or one long CSV (unit, month,
dossiers, online dossiers) this builds monthly flows per segment, checked across months.

Every observation is a span of months [first, last] with its dossiers and online dossiers: a
month-only report, or the difference of two consecutive year-to-date reports of one year, is a
single month; the first year-to-date report of a year is the span from January to its month
(the built-in report 12/2022 is one such span). Only single months feed the calibration.

A rejected series loads nothing: every problem is collected, each naming the unit and the months.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.baseline import Report
from model.errors import FileProblems
from model.limits import MAX_COUNT, MAX_PERIOD_YEAR, MAX_SERIES_ROWS, MAX_SERIES_UPLOAD_BYTES, MIN_PERIOD_YEAR
from model.parse import COUNT_STRIP, ValueProblem, parse_count, parse_month, shown
from model.segments import build_segments

LONG_COLUMNS = ("unit", "month", "dossiers", "online_dossiers")


class SeriesError(FileProblems):
    """Every problem as (Vietnamese, English); nothing was loaded."""


def _cell_problem(line: int, column: str, problem: ValueProblem) -> tuple[str, str]:
    """A parser's refusal, placed at its row and column, with the rule named."""
    return (
        f"dòng {line}, cột {column}: {problem.vi} [quy tắc: {problem.rule}]",
        f"row {line}, column {column}: {problem.en} [rule: {problem.rule}]",
    )


def _no_dossiers() -> tuple[str, str]:
    """A series whose every count is 0 has no share to estimate: refused, not divided by zero later."""
    return (
        "mọi số hồ sơ trong chuỗi đều bằng 0: không có tỷ lệ nào để ước lượng (tệp trống số liệu hoặc xuất nhầm cột?)",
        "every dossier count in the series is 0: there is no share to estimate (an empty export, or the wrong column?)",
    )


def month_index(period: str) -> int:
    """'2023-04' -> 2023*12 + 3: consecutive months are consecutive integers."""
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def period_of(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{int(month):02d}/{year}"


def structure_of(units: pd.DataFrame) -> str:
    """'districts' (before 7/2025: departments and districts) or 'communes' (after: no districts)."""
    return "districts" if (units.kind == "district").any() else "communes"


@dataclass
class ReportSeries:
    """Monthly flows per segment of one administrative structure."""

    structure: str
    segments: pd.DataFrame  # seg_id, name_vi, name_en, kind, district_id (the latest report's)
    obs: pd.DataFrame  # seg_id, first, last (month indexes), dossiers, online — flows, whole dossiers
    label_vi: str
    label_en: str
    synthetic: bool = False
    # (vi, en) notes for the pages: e.g. an earlier structure left out, block shares kept apart
    notes: list[tuple[str, str]] = field(default_factory=list)
    # year-to-date block shares printed by the reports (e.g. 11/2022), shown, never used as unit data
    block_shares: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["scope", "period", "share_pct"]))
    # province and department-block totals of reports of an earlier structure (compared across only these)
    earlier: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["period", "block", "dossiers", "online"]))

    @property
    def monthly(self) -> pd.DataFrame:
        """The single-month observations."""
        return self.obs[self.obs["first"] == self.obs["last"]]

    @property
    def last_month(self) -> int:
        return int(self.obs["last"].max())

    @property
    def last_period(self) -> str:
        return period_of(self.last_month)

    def months_per_segment(self) -> pd.Series:
        counts = self.monthly.groupby("seg_id").size()
        return counts.reindex(self.segments.seg_id, fill_value=0)

    @property
    def n_months(self) -> int:
        return int(self.monthly["first"].nunique())


def _segments_of(report: Report) -> pd.DataFrame:
    seg = build_segments(report.units)
    return seg[["seg_id", "name_vi", "name_en", "kind", "district_id", "has_data", "volume", "online"]]


def series_from_reports(reports: list[Report], synthetic: bool | None = None) -> ReportSeries:
    """Monthly flows from several reports of the existing schema. Reports of an earlier structure
    than the latest one start another series: only their province and department-block totals are
    kept (`earlier`), and a note says why."""
    if not reports:
        raise SeriesError([("chưa có báo cáo nào", "no report given")])
    problems: list[tuple[str, str]] = []
    periods = [r.period for r in reports]
    for p in sorted({p for p in periods if periods.count(p) > 1}):
        problems.append((f"tháng {month_label(p)} có hơn một báo cáo", f"month {month_label(p)} has more than one report"))
    if problems:
        raise SeriesError(problems)
    ordered = sorted(reports, key=lambda r: r.period)
    latest_structure = structure_of(ordered[-1].units)
    same = [r for r in ordered if structure_of(r.units) == latest_structure]
    earlier_reports = [r for r in ordered if structure_of(r.units) != latest_structure]
    notes: list[tuple[str, str]] = []
    earlier_rows = []
    if earlier_reports:
        notes.append(
            (
                f"Cơ cấu đơn vị đổi sau {month_label(earlier_reports[-1].period)} (bỏ cấp huyện, sáp nhập xã): chuỗi mới bắt "
                "đầu từ báo cáo theo cơ cấu mới; các tháng trước chỉ so sánh ở mức toàn tỉnh và khối sở.",
                f"The unit structure changed after {month_label(earlier_reports[-1].period)} (districts abolished, communes "
                "merged): a new series starts with the new structure; earlier months are compared only for the province "
                "and the department block.",
            )
        )
        for r in earlier_reports:
            seg = _segments_of(r)
            for block, mask in (("province", np.ones(len(seg), bool)), ("department", (seg.kind == "department").to_numpy())):
                earlier_rows.append(
                    {
                        "period": r.period,
                        "block": block,
                        "dossiers": int(seg.volume[mask].sum()),
                        "online": int(seg.online[mask].sum()),
                    }
                )
    rows = []
    previous: tuple[Report, pd.DataFrame] | None = None
    for r in same:
        seg = _segments_of(r).set_index("seg_id")
        cur = month_index(r.period)
        start = month_index(r.cumulative_from)
        ytd = start != cur
        if previous is not None:
            prev_report, prev_seg = previous
            a, b = month_label(prev_report.period), month_label(r.period)
            for sid in sorted(set(prev_seg.index) - set(seg.index)):
                problems.append(
                    (
                        f"đơn vị “{prev_seg.loc[sid, 'name_vi']}” có trong {a} nhưng không có trong {b}",
                        f"unit “{prev_seg.loc[sid, 'name_en']}” is in {a} but not in {b}",
                    )
                )
            for sid in sorted(set(seg.index) - set(prev_seg.index)):
                problems.append(
                    (
                        f"đơn vị “{seg.loc[sid, 'name_vi']}” xuất hiện ở {b} mà không có trong {a}",
                        f"unit “{seg.loc[sid, 'name_en']}” appears in {b} but not in {a}",
                    )
                )
            gap = cur - month_index(prev_report.period)
            same_year = ytd and month_index(prev_report.cumulative_from) == start
            if same_year and gap > 1:
                missing = ", ".join(month_label(period_of(m)) for m in range(month_index(prev_report.period) + 1, cur))
                problems.append(
                    (
                        f"thiếu báo cáo tháng {missing} (giữa {a} và {b})",
                        f"the report for {missing} is missing (between {a} and {b})",
                    )
                )
            elif not ytd and gap > 1:
                missing = ", ".join(month_label(period_of(m)) for m in range(month_index(prev_report.period) + 1, cur))
                problems.append((f"thiếu tháng {missing} (giữa {a} và {b})", f"month {missing} is missing (between {a} and {b})"))
        for sid, u in seg.iterrows():
            if not u.has_data:
                continue
            dossiers, online, first = int(u.volume), int(u.online), start if ytd else cur
            if ytd and previous is not None and month_index(previous[0].cumulative_from) == start and sid in previous[1].index:
                before = previous[1].loc[sid]
                a, b = month_label(previous[0].period), month_label(r.period)
                if u.volume < before.volume or u.online < before.online:
                    what = ("số hồ sơ", "dossiers") if u.volume < before.volume else ("số hồ sơ trực tuyến", "online dossiers")
                    problems.append(
                        (
                            f"“{u.name_vi}”: {what[0]} lũy kế giảm từ {a} sang {b}",
                            f"“{u.name_en}”: year-to-date {what[1]} fall from {a} to {b}",
                        )
                    )
                    continue
                dossiers, online = int(u.volume - before.volume), int(u.online - before.online)
                first = month_index(previous[0].period) + 1
            if online > dossiers:
                problems.append(
                    (
                        f"“{u.name_vi}”, {month_label(period_of(cur))}: số hồ sơ trực tuyến ({online}) lớn hơn "
                        f"tổng số hồ sơ ({dossiers}) trong tháng suy ra",
                        f"“{u.name_en}”, {month_label(period_of(cur))}: online dossiers ({online}) exceed all "
                        f"dossiers ({dossiers}) in the derived month",
                    )
                )
            rows.append({"seg_id": sid, "first": first, "last": cur, "dossiers": dossiers, "online": online})
        previous = (r, seg)
    if not problems and sum(r["dossiers"] for r in rows) == 0:
        problems.append(_no_dossiers())
    if problems:
        raise SeriesError(problems)
    latest = same[-1]
    shares = latest.province[latest.province.metric == "online_share_pct"][["scope", "period", "value"]]
    return ReportSeries(
        structure=latest_structure,
        segments=_segments_of(latest)[["seg_id", "name_vi", "name_en", "kind", "district_id"]].reset_index(drop=True),
        obs=pd.DataFrame(rows, columns=["seg_id", "first", "last", "dossiers", "online"]),
        label_vi=f"Chuỗi {len(same)} báo cáo, {month_label(same[0].period)}–{month_label(latest.period)}",
        label_en=f"Series of {len(same)} reports, {month_label(same[0].period)}–{month_label(latest.period)}",
        synthetic=any(r.synthetic for r in same) if synthetic is None else synthetic,
        notes=notes,
        block_shares=shares.rename(columns={"value": "share_pct"}).reset_index(drop=True),
        earlier=pd.DataFrame(earlier_rows, columns=["period", "block", "dossiers", "online"]),
    )


def series_from_long_csv(data: bytes, name: str, report: Report, synthetic: bool = False) -> ReportSeries:
    """One long CSV of month-only counts: unit (the segment code of the active data, as in the
    template), month (YYYY-MM), dossiers, online_dossiers."""
    if len(data) > MAX_SERIES_UPLOAD_BYTES:
        raise SeriesError(
            [
                (
                    f"tệp lớn hơn giới hạn {MAX_SERIES_UPLOAD_BYTES // 1_000_000} MB",
                    f"the file is larger than the {MAX_SERIES_UPLOAD_BYTES // 1_000_000} MB limit",
                )
            ],
            name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SeriesError(
            [("tệp không phải văn bản UTF-8 (hãy lưu dạng “CSV UTF-8”)", "the file is not UTF-8 text (save it as “CSV UTF-8”)")],
            name,
        ) from None
    # the separator is the header's (a cell's own "1.234,5" must not decide it)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True) if any(c.strip() for c in r)]
    except csv.Error:
        raise SeriesError(
            [
                (
                    "tệp CSV hỏng: dấu ngoặc kép không đóng hoặc một ô quá dài",
                    "the CSV file is damaged: a quote left open, or a cell far too long",
                )
            ],
            name,
        ) from None
    if not rows:
        raise SeriesError([("tệp rỗng", "the file is empty")], name)
    header = [h.strip().lower() for h in rows[0]]
    repeated = sorted({c for c in LONG_COLUMNS if header.count(c) > 1})
    if repeated:  # which of two “dossiers” columns is meant cannot be guessed
        raise SeriesError(
            [
                (
                    f"dòng 1: cột {', '.join(repeated)} xuất hiện hơn một lần",
                    f"row 1: column(s) {', '.join(repeated)} appear more than once",
                )
            ],
            name,
        )
    missing = [c for c in LONG_COLUMNS if c not in header]
    if missing:
        raise SeriesError(
            [
                (
                    f"dòng 1: thiếu cột {', '.join(missing)} (cần: {', '.join(LONG_COLUMNS)})",
                    f"row 1: missing column(s) {', '.join(missing)} (needed: {', '.join(LONG_COLUMNS)})",
                )
            ],
            name,
        )
    if len(rows) - 1 > MAX_SERIES_ROWS:
        raise SeriesError([(f"quá {MAX_SERIES_ROWS:,} dòng".replace(",", "."), f"more than {MAX_SERIES_ROWS:,} rows")], name)
    at = {c: header.index(c) for c in LONG_COLUMNS}
    segments = _segments_of(report)
    known = set(segments.seg_id)
    problems: list[tuple[str, str]] = []
    fast = _plain_rows(rows[1:], len(header), at, known)
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if fast["ok"][line - 2]:
            continue  # plain digits and a YYYY-MM month, already read exactly (below, all at once)
        if len(row) != len(header):
            problems.append(
                (f"dòng {line}: có {len(row)} ô, cần {len(header)}", f"row {line}: {len(row)} cells, expected {len(header)}")
            )
            continue
        unit, month = row[at["unit"]].strip(), row[at["month"]].strip()
        if unit not in known:
            problems.append(
                (
                    f"dòng {line}, cột unit: “{shown(unit, 40)}” không phải mã đơn vị của bộ số liệu đang dùng",
                    f"row {line}, column unit: “{shown(unit, 40)}” is not a unit code of the active data",
                )
            )
            continue
        try:
            period = parse_month(month)
        except ValueProblem as problem:
            problems.append(_cell_problem(line, "month", problem))
            continue
        counts = []
        for col in ("dossiers", "online_dossiers"):
            try:
                counts.append(parse_count(row[at[col]]))
            except ValueProblem as problem:
                problems.append(_cell_problem(line, col, problem))
                break
        else:
            if counts[1] > counts[0]:
                problems.append(
                    (
                        f"dòng {line}: số hồ sơ trực tuyến ({counts[1]}) lớn hơn tổng số hồ sơ ({counts[0]})",
                        f"row {line}: online dossiers ({counts[1]}) exceed all dossiers ({counts[0]})",
                    )
                )
                continue
            m = month_index(period)
            records.append({"seg_id": unit, "first": m, "last": m, "dossiers": counts[0], "online": counts[1], "line": line})
    plain = fast["frame"]
    records_frame = pd.DataFrame(records, columns=["seg_id", "first", "last", "dossiers", "online", "line"])
    obs = (
        pd.concat([plain, records_frame], ignore_index=True).sort_values("line", kind="stable").reset_index(drop=True)
        if len(records_frame)
        else plain
    )
    if not problems and obs.empty:
        problems.append(("tệp không có dòng số liệu nào", "the file has no data rows"))
    if not problems:
        dup = obs[obs.duplicated(["seg_id", "first"], keep="first")]
        for r in dup.head(20).itertuples():
            problems.append(
                (
                    f"dòng {r.line}: đơn vị {r.seg_id}, tháng {month_label(period_of(r.first))} đã có ở dòng trước",
                    f"row {r.line}: unit {r.seg_id}, month {month_label(period_of(r.first))} appears twice",
                )
            )
        months = sorted(obs["first"].unique())
        gaps = [m for m in range(months[0], months[-1] + 1) if m not in set(months)]
        if gaps:
            listed = ", ".join(month_label(period_of(m)) for m in gaps[:12])
            problems.append((f"thiếu tháng {listed}", f"missing month(s) {listed}"))
        all_months = set(months)
        for sid, part in obs.groupby("seg_id"):
            absent = sorted(all_months - set(part["first"]))
            if absent and not dup.size:
                name_vi, name_en = segments.set_index("seg_id").loc[sid, ["name_vi", "name_en"]]
                a = month_label(period_of(absent[0]))
                present = sorted(set(part["first"]))
                b = month_label(period_of(present[0] if present[0] > absent[0] else present[-1]))
                problems.append(
                    (
                        f"đơn vị “{name_vi}” không có số liệu tháng {a} (có ở tháng {b})",
                        f"unit “{name_en}” has no figures for {a} (it has them for {b})",
                    )
                )
    if not problems and int(obs["dossiers"].sum()) == 0:
        problems.append(_no_dossiers())
    if problems:
        raise SeriesError(problems[:200], name)
    last = int(obs["last"].max())
    first = int(obs["first"].min())
    label = f"{month_label(period_of(first))}–{month_label(period_of(last))}"
    return ReportSeries(
        structure=structure_of(report.units),
        segments=segments[["seg_id", "name_vi", "name_en", "kind", "district_id"]].reset_index(drop=True),
        obs=obs.drop(columns="line").reset_index(drop=True),
        label_vi=f"Chuỗi số liệu tháng {label} ({name})" + (" — số liệu mô phỏng" if synthetic else ""),
        label_en=f"Monthly series {label} ({name})" + (" — synthetic data" if synthetic else ""),
        synthetic=synthetic,
    )


# what parse_count reads, up to nine digits: plain, or in groups of three with one separator throughout
_PLAIN_COUNT = r"[0-9]{1,9}|[0-9]{1,3}([.,\u0020\u00a0\u202f\u2009])[0-9]{3}(?:\1[0-9]{3})?"
_NOT_DIGIT = r"[^0-9]"


def _plain_rows(rows: list[list[str]], width: int, at: dict[str, int], known: set[str]) -> dict:
    """The rows written the plain way — a known unit, YYYY-MM, counts in plain digits within the limit,
    online ≤ all — read at once (a 400-unit × 120-month file has 48,000 rows). Every other row goes
    through the parsers one by one, which read the other ways or say what is wrong: the result is the
    same, only faster. {"ok": bool per row, "frame": the plain rows' observations}."""
    columns = ["seg_id", "first", "last", "dossiers", "online", "line"]
    n = len(rows)
    if n == 0:
        return {"ok": np.zeros(0, bool), "frame": pd.DataFrame(columns=columns)}
    right = np.fromiter((len(r) == width for r in rows), bool, n)
    cells = {
        # stripped as each parser strips: parse_month all whitespace, parse_count spaces, tabs and line ends
        c: pd.Series(
            [(r[i].strip() if c in ("unit", "month") else r[i].strip(COUNT_STRIP)) if ok else "" for r, ok in zip(rows, right)]
        )
        for c, i in at.items()
    }
    month = cells["month"].str.extract(r"^([0-9]{4})-([0-9]{2})$")
    year, month_no = pd.to_numeric(month[0], errors="coerce"), pd.to_numeric(month[1], errors="coerce")
    ok = (
        right
        & cells["unit"].isin(known).to_numpy()
        & (year.between(MIN_PERIOD_YEAR, MAX_PERIOD_YEAR) & month_no.between(1, 12)).to_numpy()
        & cells["dossiers"].str.fullmatch(_PLAIN_COUNT).to_numpy(bool)
        & cells["online_dossiers"].str.fullmatch(_PLAIN_COUNT).to_numpy(bool)
    )
    digits = {c: cells[c].where(ok, "0").str.replace(_NOT_DIGIT, "", regex=True) for c in ("dossiers", "online_dossiers")}
    dossiers = pd.to_numeric(digits["dossiers"]).to_numpy(np.int64)
    online = pd.to_numeric(digits["online_dossiers"]).to_numpy(np.int64)
    ok &= (dossiers <= MAX_COUNT) & (online <= dossiers)
    index = (year.fillna(0).to_numpy(np.int64) * 12 + month_no.fillna(1).to_numpy(np.int64) - 1)[ok]
    frame = pd.DataFrame(
        {
            "seg_id": cells["unit"][ok].to_numpy(object),
            "first": index,
            "last": index,
            "dossiers": dossiers[ok],
            "online": online[ok],
            "line": np.arange(2, n + 2)[ok],
        },
        columns=columns,
    )
    return {"ok": ok, "frame": frame}


def long_template_csv(report: Report) -> bytes:
    """The long CSV template: one row per unit for the month after the report, counts blank."""
    seg = _segments_of(report)
    month = period_of(month_index(report.period) + 1)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([*LONG_COLUMNS, "name"])
    for r in seg.itertuples():
        w.writerow([r.seg_id, month, "", "", r.name_vi])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
