"""The Excel workbook for the official documents (openpyxl).

Sheets: cover, baseline, one per scenario (units × months), comparison, target annex, assumptions.
Every ratio is a formula of its count cells, so the workbook stays live when someone edits a count.
Text that users type is always written as text, never as a formula, even when it starts with =, +, - or @.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
import unicodedata
from datetime import date

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from model import fmt
from model.allocation import allocate
from model.analysis import DEFAULT_DRAWS
from model.calibration import Backtest
from model.engine import Compiled
from model.levers import ASSUMPTIONS, LEVERS
from model.projection import Projection, project
from model.scenario import Scenario
from model.segments import BLOCK_LABEL
from model.summary import summary
from model.targets import DEFAULT_TARGET_SET, TargetSet
from model.tracking import STATUS_LABEL, Tracking

PCT = "0.00%"
COUNT = "#,##0"
HEADER = Font(name="Times New Roman", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0072B2")
BELOW_TARGET = PatternFill("solid", fgColor="F8D7DA")
KIND_CODE = {"department": "so", "district_office": "huyen", "commune": "xa"}
MONTHS_VI = [f"T{m}" for m in range(1, 13)]


REMOVED: list[str] = []  # texts that lost control characters on the way into this workbook (reported on the cover)
TABLES: dict[str, list[tuple[int, int, int, int]]] = {}  # sheet -> its tables (first row, last row, first col, last col)
_BUILDING = threading.Lock()  # REMOVED and TABLES belong to one build at a time


def text(ws: Worksheet, ref: str, value: str):
    """User-typed (or any free) text: always a string cell, never a formula; control characters (they
    break the file in Excel) removed, and the removal reported on the cover."""
    cell = ws[ref]
    raw = "" if value is None else str(value)
    cleaned = (
        raw if raw.isprintable() else "".join(ch for ch in raw if ch in "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    )
    if cleaned != raw:
        REMOVED.append(cleaned[:60])
    cell.value = cleaned
    cell.data_type = "s"
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # spreadsheet programs keep it as text when the file is re-saved
    return cell


def _sheet_title(index: int, name: str) -> str:
    clean = re.sub(r"[\[\]:*?/\\']", " ", name).strip()
    return f"KB{index} {clean}"[:31].rstrip()


def _header_row(ws: Worksheet, row: int, labels: list[str], start_col: int = 1) -> None:
    for i, label in enumerate(labels):
        cell = text(ws, f"{get_column_letter(start_col + i)}{row}", label)
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _page_setup(ws: Worksheet, widths: dict[str, float], freeze: str, titles: str | None = None) -> None:
    """A4 landscape, fit to the page's width, as long as it needs; `titles` ("3:4") repeat on every page."""
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    # the footer's own band is bottom − footer: openpyxl's default footer margin (0.5 in) left 0.1 in,
    # and LibreOffice cut the footer's line in half
    ws.page_margins.bottom, ws.page_margins.footer = 0.8, 0.3
    if titles:
        ws.print_title_rows = titles


# Decree 30/2020/NĐ-CP: Times New Roman, 12–13 pt body.
FONT_NAME, BODY_PT = "Times New Roman", 12
LINE_PT = 15.5  # one line of 12-pt Times New Roman, with its leading
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@functools.lru_cache(maxsize=64)
def _font(bold: bool, italic: bool, size: float, color: str | None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


@functools.lru_cache(maxsize=16)
def _alignment(wrap: bool, horizontal: str | None) -> Alignment:
    return Alignment(wrap_text=wrap, vertical="top", horizontal=horizontal)


def lines_needed(value: object, width: float) -> int:
    """Lines a wrapped cell needs: its text over the column's width in characters (each explicit
    line break starts a line). The test of the printed workbook uses the same estimate."""
    if value is None or (isinstance(value, str) and value.startswith("=")) or not isinstance(value, str):
        return 1
    per_line = max(1.0, (width or 8.43) * 1.05)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def _finish(ws: Worksheet, plan_name: str, tables: list[tuple[int, int, int, int]]) -> None:
    """Every sheet's last pass: the Decree's font, thin borders on its tables, text wrapped with row
    heights that fit it, and a footer with the page number, the plan's name and the sheet's."""
    in_table = {(r, c) for r0, r1, c0, c1 in tables for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    merged_cells = {coord for m in ws.merged_cells.ranges for coord in (m.coord.split(":")[0],)}
    lone: set[int] = set()  # a row with one text outside any table (a title, a note) runs across, unwrapped
    for row in ws.iter_rows():
        filled = [c for c in row if c.value is not None]
        if len(filled) == 1 and (filled[0].row, filled[0].column) not in in_table and filled[0].coordinate not in merged_cells:
            lone.add(filled[0].row)
        for cell in filled:
            f = cell.font
            if f.name != FONT_NAME:  # a font set on the cell (bold, a size); the default is already the Decree's
                cell.font = _font(bool(f.b), bool(f.i), max(BODY_PT, f.sz or BODY_PT), f.color.rgb if f.color else None)
            if isinstance(cell.value, str) and not cell.value.startswith("="):
                cell.alignment = _alignment(cell.row not in lone, cell.alignment.horizontal)
    for r0, r1, c0, c1 in tables:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ws.cell(r, c).border = BOX
    for row in ws.iter_rows():
        needed = 1
        size = BODY_PT
        for cell in row:
            if cell.value is None or ws.column_dimensions[cell.column_letter].hidden:
                continue
            size = max(size, cell.font.sz or BODY_PT)
            if cell.row in lone:
                continue
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            merged = next((m for m in ws.merged_cells.ranges if cell.coordinate in m), None)
            if merged is not None:
                width = sum(
                    ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(merged.min_col, merged.max_col + 1)
                )
            needed = max(needed, lines_needed(cell.value, width))
        ws.row_dimensions[row[0].row].height = round(needed * LINE_PT * size / BODY_PT + 3, 1)
    _footer(ws, plan_name)


def _footer(ws: Worksheet, plan_name: str) -> None:
    ws.oddFooter.left.text = (plan_name if len(plan_name) <= 48 else plan_name[:47] + "…").replace("&", "&&")
    ws.oddFooter.left.font = FONT_NAME
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.right.text = "&A"  # the sheet's name: which table a loose page belongs to
    ws.oddFooter.right.font = FONT_NAME


def largest_remainder(values: np.ndarray) -> np.ndarray:
    """Whole numbers that add up to the rounded total of `values` (largest-remainder rounding), so a
    row of months sums exactly to its total and totals add up to their rows."""
    total = int(round(float(values.sum())))
    floor = np.floor(values).astype(int)
    short = total - int(floor.sum())
    if short > 0:
        order = np.argsort(-(values - floor), kind="stable")[:short]
        floor[order] += 1
    return floor


def _month(period: str) -> str:
    """'2022-12' -> '12/2022'."""
    return f"{period[5:]}/{period[:4]}"


def _ratio(num: str, den: str) -> str:
    return f'=IF({den}=0,"",{num}/{den})'


# ------------------------------------------------------------------ sheets


def _baseline_sheet(wb: Workbook, c: Compiled) -> dict[str, int]:
    ws = wb.create_sheet("Số liệu gốc")
    rep = c.report
    # in B, the first printed column: A holds the unit codes, hidden from print
    text(ws, "B1", f"Số liệu gốc — {rep.label_vi}").font = Font(bold=True, size=14)
    _header_row(
        ws,
        3,
        [
            "Mã",
            "Loại",
            "Đơn vị",
            "Tổng số hồ sơ",
            "Hồ sơ trực tuyến",
            "Tỷ lệ trực tuyến",
            "Hồ sơ (gồm cấp xã)",
            "Trực tuyến (gồm cấp xã)",
            "Tỷ lệ (gồm cấp xã)",
        ],
    )
    row = 4
    rows: dict[str, int] = {}
    for u in rep.units.itertuples():
        text(ws, f"A{row}", u.unit_id)
        text(ws, f"B{row}", {"department": "Sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}[u.kind])
        text(ws, f"C{row}", u.name)
        for col, value in (
            ("D", u.dossiers),
            ("E", u.dossiers_online),
            ("G", u.dossiers_incl_communes),
            ("H", u.dossiers_online_incl_communes),
        ):
            if not pd.isna(value):
                ws[f"{col}{row}"] = int(value)
                ws[f"{col}{row}"].number_format = COUNT
        ws[f"F{row}"] = _ratio(f"E{row}", f"D{row}")
        ws[f"F{row}"].number_format = PCT
        if u.kind == "district":
            ws[f"I{row}"] = _ratio(f"H{row}", f"G{row}")
            ws[f"I{row}"].number_format = PCT
        rows[u.unit_id] = row
        row += 1
    TABLES.setdefault(ws.title, []).append((3, row - 1, 2, 9))
    _page_setup(ws, {"A": 16, "B": 16, "C": 44, "D": 14, "E": 14, "F": 12, "G": 16, "H": 16, "I": 14}, "D4", titles="3:3")
    ws.column_dimensions["A"].hidden = True  # unit codes are for the program, not for the printed page
    return rows


def _scenario_sheet(wb: Workbook, proj: Projection, index: int) -> dict:
    """Three stacked tables: dossiers, online dossiers, share (= online / dossiers, as formulas)."""
    s = proj.scenario
    ws = wb.create_sheet(_sheet_title(index, s.name))
    # titles in C, the first printed column: A and B hold the unit and kind codes, hidden from print
    text(ws, "C1", f"Kịch bản: {s.name}").font = Font(bold=True, size=14)
    text(ws, "C2", f"Chỉ tiêu theo: {proj.target_set.name_vi}")
    seg = proj.units
    S = len(seg)
    # whole dossiers: each unit's months add up exactly to its rounded plan-year total
    volume = np.stack([largest_remainder(proj.unit_dossiers_monthly[:, i]) for i in range(S)], axis=1)  # (M, S)
    online = np.stack(
        [largest_remainder(proj.unit_monthly[:, i] / 100 * proj.unit_dossiers_monthly[:, i]) for i in range(S)], axis=1
    )
    online = np.minimum(online, volume)
    months = [fmt.month_label(m, s.plan_year, "vi") for m in range(1, 13)]
    anchors = {}
    start = 3
    titles = ("Số hồ sơ dự kiến", "Số hồ sơ trực tuyến dự kiến", "Tỷ lệ hồ sơ trực tuyến (= trực tuyến / tổng)")
    for t, title in enumerate(titles):
        text(ws, f"C{start}", title).font = Font(bold=True)
        header = start + 1
        _header_row(ws, header, ["Mã", "Loại", "Đơn vị"] + months + (["Chỉ tiêu"] if t == 2 else []))
        first = header + 1
        anchors[t] = first
        for i in range(S):
            row = first + i
            text(ws, f"A{row}", seg.seg_id.iloc[i])
            text(ws, f"B{row}", KIND_CODE[seg.kind.iloc[i]])
            text(ws, f"C{row}", seg.name_vi.iloc[i])
            for m in range(12):
                col = get_column_letter(4 + m)
                if t == 0:
                    ws[f"{col}{row}"] = int(volume[m, i])
                    ws[f"{col}{row}"].number_format = COUNT
                elif t == 1:
                    ws[f"{col}{row}"] = int(online[m, i])
                    ws[f"{col}{row}"].number_format = COUNT
                else:
                    ws[f"{col}{row}"] = _ratio(f"{col}{anchors[1] + i}", f"{col}{anchors[0] + i}")
                    ws[f"{col}{row}"].number_format = PCT
            goal = seg.target_pct.iloc[i]
            if t == 2 and goal == goal:  # a unit without a target in the active set gets none
                ws[f"P{row}"] = round(float(goal) / 100, 6)
                ws[f"P{row}"].number_format = PCT
        # block rows: SUMIF over the kind column, ratios as formulas of those sums
        last = first + S - 1
        for b, block in enumerate(proj.blocks):
            row = last + 1 + b
            text(ws, f"C{row}", BLOCK_LABEL[block][0]).font = Font(bold=True)
            for m in range(12):
                col = get_column_letter(4 + m)
                if t < 2:
                    rng, kinds = f"{col}{first}:{col}{last}", f"$B${first}:$B${last}"
                    formula = {
                        "province": f"=SUM({rng})",
                        "department": f'=SUMIF({kinds},"so",{rng})',
                        "district_incl_communes": f'=SUMIF({kinds},"huyen",{rng})+SUMIF({kinds},"xa",{rng})',
                        "district_offices": f'=SUMIF({kinds},"huyen",{rng})',
                        "communes": f'=SUMIF({kinds},"xa",{rng})',
                    }[block]
                    ws[f"{col}{row}"] = formula
                    ws[f"{col}{row}"].number_format = COUNT
                else:
                    ws[f"{col}{row}"] = _ratio(f"{col}{anchors[1] + S + b}", f"{col}{anchors[0] + S + b}")
                    ws[f"{col}{row}"].number_format = PCT
                ws[f"{col}{row}"].font = Font(bold=True)
        if t == 2:
            ws.conditional_formatting.add(
                f"D{first}:O{last}",
                FormulaRule(
                    formula=[f"AND(ISNUMBER(D{first}),D{first}<$P{first})"], fill=BELOW_TARGET, font=Font(color="9C0006")
                ),
            )
        TABLES.setdefault(ws.title, []).append((header, last + len(proj.blocks), 3, 16 if t == 2 else 15))
        start = last + len(proj.blocks) + 3
        if t < 2:
            ws.row_breaks.append(Break(id=start - 2))  # each of the three tables starts a page
    _page_setup(
        ws,
        {"A": 20, "B": 7, "C": 40, **{get_column_letter(4 + m): 11 for m in range(12)}, "P": 10},
        "D5",
        # every page says whose scenario it is; each table brings its own header (and the breaks and the
        # three-page fit keep each table on one page): repeating the first table's header put two
        # headers above the second and third tables
        titles="1:2",
    )
    # the unit codes and kind codes feed the block totals' formulas; they are not printed
    ws.column_dimensions["A"].hidden = ws.column_dimensions["B"].hidden = True
    ws.page_setup.fitToHeight = 3  # three tables, each on its own page (with the breaks above)
    return {"sheet": ws.title, "share_first": anchors[2], "volume_first": anchors[0], "online_first": anchors[1], "S": S}


def _comparison_sheet(wb: Workbook, projections: list[Projection], refs: list[dict]) -> None:
    scenarios = [p.scenario for p in projections]
    ws = wb.create_sheet("So sánh")
    text(ws, "A1", "So sánh kịch bản (như bảng tóm tắt Scenario Manager)").font = Font(bold=True, size=14)
    _header_row(ws, 3, ["Chỉ số / biện pháp"] + [s.name for s in scenarios])
    row = 4
    for b, block in enumerate(projections[0].blocks):
        text(ws, f"A{row}", f"{BLOCK_LABEL[block][0]} — tháng 12")
        text(ws, f"A{row + 1}", f"{BLOCK_LABEL[block][0]} — cả năm")
        for j, ref in enumerate(refs):
            col = get_column_letter(2 + j)
            sheet = f"'{ref['sheet']}'"
            share_row = ref["share_first"] + ref["S"] + b
            ws[f"{col}{row}"] = f"={sheet}!O{share_row}"
            vol_row, onl_row = ref["volume_first"] + ref["S"] + b, ref["online_first"] + ref["S"] + b
            ws[f"{col}{row + 1}"] = (
                f'=IF(SUM({sheet}!D{vol_row}:O{vol_row})=0,"",'
                f"SUM({sheet}!D{onl_row}:O{onl_row})/SUM({sheet}!D{vol_row}:O{vol_row}))"
            )
            ws[f"{col}{row}"].number_format = ws[f"{col}{row + 1}"].number_format = PCT
        row += 2
    text(ws, f"A{row}", "Toàn tỉnh — tháng 12, P10 (mô phỏng)")
    text(ws, f"A{row + 1}", "Toàn tỉnh — tháng 12, P90 (mô phỏng)")
    for j, proj in enumerate(projections):
        col = get_column_letter(2 + j)
        figures = proj.block("province")
        ws[f"{col}{row}"], ws[f"{col}{row + 1}"] = figures.p10 / 100, figures.p90 / 100
        ws[f"{col}{row}"].number_format = ws[f"{col}{row + 1}"].number_format = PCT
    row += 2
    # against the first scenario (the status quo when the built-in ones lead), and against each target
    text(ws, f"A{row}", f"Toàn tỉnh — tháng 12, chênh lệch so với “{scenarios[0].name}” (điểm %)")
    for j in range(len(scenarios)):
        col = get_column_letter(2 + j)
        ws[f"{col}{row}"] = "=(B4-B4)*100" if j == 0 else f"=({col}4-B4)*100"
        ws[f"{col}{row}"].number_format = "+0.00;-0.00"
    row += 1
    for b, block in enumerate(projections[0].blocks):
        goal = projections[0].target(block)
        if goal is None:
            continue
        text(ws, f"A{row}", f"{BLOCK_LABEL[block][0]} — đạt chỉ tiêu {fmt.pct(goal, 'vi')} tháng 12?")
        for j in range(len(scenarios)):
            col = get_column_letter(2 + j)
            ws[f"{col}{row}"] = f'=IF({col}{4 + 2 * b}="","",IF({col}{4 + 2 * b}>={round(goal / 100, 6)},"Đạt","Chưa đạt"))'
        row += 1
    text(ws, f"A{row}", "Thiết lập của từng biện pháp").font = Font(bold=True)
    row += 1
    for lever in LEVERS:
        for p in lever.all_params():
            unit = {"tháng": "tháng"}.get(p.unit, p.unit)
            text(ws, f"A{row}", f"{lever.label_vi}: {p.label_vi} ({unit})")
            for j, s in enumerate(scenarios):
                ws[f"{get_column_letter(2 + j)}{row}"] = s.settings[p.id]
            row += 1
    text(ws, f"A{row}", "Giả định và hệ số tác động").font = Font(bold=True)
    row += 1
    for a in ASSUMPTIONS:
        text(ws, f"A{row}", f"{a.label_vi} ({a.unit})" if a.unit else a.label_vi)
        for j, s in enumerate(scenarios):
            cell = f"{get_column_letter(2 + j)}{row}"
            if a.choices:
                text(ws, cell, next(lv for v, lv, _ in a.choices if v == s.start_point))
            else:
                ws[cell] = s.assumptions[a.id]
        row += 1
    for lever in LEVERS:
        for e in lever.effects:
            text(ws, f"A{row}", f"{e.label_vi} ({e.unit}; giả định)")
            for j, s in enumerate(scenarios):
                ws[f"{get_column_letter(2 + j)}{row}"] = s.effects[e.id]
            row += 1
    TABLES.setdefault(ws.title, []).append((3, row - 1, 1, 1 + len(scenarios)))
    # the charts' data: each block's share by month for each scenario, as formulas, and its target
    charts = wb.create_sheet("Biểu đồ")
    text(charts, "A1", "Tỷ lệ hồ sơ trực tuyến theo tháng, từng khối (nét đứt: chỉ tiêu)").font = Font(bold=True, size=14)
    row += 1
    for b, block in enumerate(projections[0].blocks):
        text(ws, f"A{row}", f"{BLOCK_LABEL[block][0]} theo tháng").font = Font(bold=True)
        head = row + 1
        goal = projections[0].target(block)
        _header_row(ws, head, ["Tháng"] + [s.name for s in scenarios] + (["Chỉ tiêu"] if goal is not None else []))
        for m in range(12):
            r = head + 1 + m
            text(ws, f"A{r}", fmt.month_label(m + 1, scenarios[0].plan_year, "vi"))
            for j, ref in enumerate(refs):
                share_row = ref["share_first"] + ref["S"] + b
                ws[f"{get_column_letter(2 + j)}{r}"] = f"='{ref['sheet']}'!{get_column_letter(4 + m)}{share_row}"
                ws[f"{get_column_letter(2 + j)}{r}"].number_format = PCT
            if goal is not None:
                ws[f"{get_column_letter(2 + len(scenarios))}{r}"] = round(goal / 100, 6)
                ws[f"{get_column_letter(2 + len(scenarios))}{r}"].number_format = PCT
        TABLES[ws.title].append((head, head + 12, 1, 1 + len(scenarios) + (1 if goal is not None else 0)))
        chart = LineChart()
        chart.title = BLOCK_LABEL[block][0]
        chart.y_axis.title, chart.x_axis.title = "Tỷ lệ", "Tháng"
        chart.y_axis.number_format = "0%"
        chart.x_axis.delete = chart.y_axis.delete = False  # axes that Excel shows
        n_series = len(scenarios) + (1 if goal is not None else 0)
        chart.add_data(Reference(ws, min_col=2, max_col=1 + n_series, min_row=head, max_row=head + 12), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + 12))
        for series in chart.series:
            series.smooth = False
        if goal is not None:
            chart.series[-1].graphicalProperties.line.dashStyle = "dash"
            chart.series[-1].graphicalProperties.line.solidFill = "D55E00"
        chart.height, chart.width = 8, 16
        charts.add_chart(chart, f"A{3 + 20 * b}")  # one chart a page, never across a page break
        charts.row_breaks.append(Break(id=20 * (b + 1)))
        row = head + 14
    _page_setup(charts, {"A": 12}, "A2")
    # manual breaks are honoured only without fit-to-page: a fixed scale, one chart a page
    charts.sheet_properties.pageSetUpPr.fitToPage = False
    charts.page_setup.scale = 100
    _page_setup(ws, {"A": 60, **{get_column_letter(2 + j): 22 for j in range(len(scenarios))}}, "B4", titles="3:3")


GROUPS = (
    ("I", "Sở, ban, ngành", "department"),
    ("II", "UBND cấp huyện", "district_office"),
    ("III", "Cấp xã", "commune"),
)


def _annex_sheet(wb: Workbook, c: Compiled, proj: Projection, target_pct: float, base_rows: dict[str, int]) -> None:
    """The annex in the form a plan annex takes: attached to the plan (number and date left for the
    office to fill in), STT, groups with subtotals, every unit — its counts linked to the baseline
    sheet, so an edit there flows through."""
    s = proj.scenario
    ws = wb.create_sheet("Phụ lục chỉ tiêu")
    out = allocate(proj, target_pct, "province")
    proposed = dict(zip(out.table.seg_id, out.table.target_pct))
    ws.merge_cells("A1:H1")
    ws.merge_cells("A2:H2")
    ws.merge_cells("A3:H3")
    ws.merge_cells("A4:H4")
    text(ws, "A1", "PHỤ LỤC").font = Font(bold=True, size=13)
    text(ws, "A2", f"CHỈ TIÊU TỶ LỆ HỒ SƠ NỘP TRỰC TUYẾN NĂM {s.plan_year} CỦA CÁC CƠ QUAN, ĐƠN VỊ").font = Font(
        bold=True, size=13
    )
    text(ws, "A3", "(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng      năm        của UBND tỉnh Sơn La)").font = Font(
        italic=True
    )
    text(
        ws,
        "A4",
        f"Mục tiêu toàn tỉnh {fmt.pct(target_pct, 'vi')} (theo {proj.target_set.name_vi}); kịch bản nền: {s.name}. "
        f"{out.message_vi}",
    )
    for cell in ("A1", "A2", "A3", "A4"):
        ws[cell].alignment = Alignment(horizontal="center", wrap_text=True, vertical="top")
    ws["A4"].alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
    month = _month(c.report.period)
    head = 6
    _header_row(
        ws,
        head,
        [
            "STT",
            "Cơ quan, đơn vị",
            f"Số hồ sơ lũy kế đến {month}",
            f"Hồ sơ trực tuyến lũy kế đến {month}",
            f"Tỷ lệ thực tế đến {month}",
            "Chỉ tiêu đang áp dụng",
            "Chỉ tiêu đề xuất",
            "Hồ sơ trực tuyến tăng thêm mỗi tháng",
        ],
    )
    base = "'Số liệu gốc'"
    units = proj.units
    row = head + 1
    subtotal_rows = []
    for roman, label, kind in GROUPS:
        members = units[units.kind == kind]
        if members.empty:
            continue
        group_row = row
        text(ws, f"A{row}", roman).font = Font(bold=True)
        text(ws, f"B{row}", label).font = Font(bold=True)
        row += 1
        first = row
        for n, u in enumerate(members.itertuples(), start=1):
            ws[f"A{row}"] = n
            text(ws, f"B{row}", u.name_vi)
            r = base_rows.get(u.unit_id)
            if r is not None and u.has_data:
                if kind == "commune" and isinstance(u.district_id, str):
                    ws[f"C{row}"] = f"={base}!G{r}-{base}!D{r}"
                    ws[f"D{row}"] = f"={base}!H{r}-{base}!E{r}"
                else:
                    ws[f"C{row}"] = f"={base}!D{r}"
                    ws[f"D{row}"] = f"={base}!E{r}"
                ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
            else:
                text(ws, f"C{row}", "—")
            if u.target_pct == u.target_pct:
                ws[f"F{row}"] = round(float(u.target_pct) / 100, 6)
            if u.seg_id in proposed:
                ws[f"G{row}"] = round(float(proposed[u.seg_id]) / 100, 6)
                ws[f"H{row}"] = f'=IF(OR(E{row}="",G{row}=""),"",ROUND((G{row}-E{row})*C{row}/12,0))'
            for col, form in (("C", COUNT), ("D", COUNT), ("E", PCT), ("F", PCT), ("G", PCT), ("H", COUNT)):
                ws[f"{col}{row}"].number_format = form
            row += 1
        last = row - 1
        # the group's line carries its subtotal: sums, and ratios of the sums
        ws[f"C{group_row}"] = f"=SUM(C{first}:C{last})"
        ws[f"D{group_row}"] = f"=SUM(D{first}:D{last})"
        ws[f"E{group_row}"] = _ratio(f"D{group_row}", f"C{group_row}")
        ws[f"G{group_row}"] = f'=IF(C{group_row}=0,"",SUMPRODUCT(C{first}:C{last},G{first}:G{last})/C{group_row})'
        ws[f"H{group_row}"] = f"=SUM(H{first}:H{last})"
        for col, form in (("C", COUNT), ("D", COUNT), ("E", PCT), ("G", PCT), ("H", COUNT)):
            ws[f"{col}{group_row}"].number_format = form
            ws[f"{col}{group_row}"].font = Font(bold=True)
        subtotal_rows.append(group_row)
    text(ws, f"B{row}", "Toàn tỉnh").font = Font(bold=True)
    for col in ("C", "D", "H"):
        ws[f"{col}{row}"] = "=" + "+".join(f"{col}{r}" for r in subtotal_rows)
        ws[f"{col}{row}"].number_format = COUNT
        ws[f"{col}{row}"].font = Font(bold=True)
    ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
    ws[f"G{row}"] = f'=IF(C{row}=0,"",(' + "+".join(f"C{r}*G{r}" for r in subtotal_rows) + f")/C{row})"
    for col in ("E", "G"):
        ws[f"{col}{row}"].number_format = PCT
        ws[f"{col}{row}"].font = Font(bold=True)
    TABLES.setdefault(ws.title, []).append((head, row, 1, 8))
    _page_setup(ws, {"A": 6, "B": 42, "C": 15, "D": 15, "E": 12, "F": 12, "G": 12, "H": 16}, "C7", titles=f"{head}:{head}")
    ws.page_setup.orientation = "portrait"  # an annex to a plan is printed upright


def _summary_sheet(wb: Workbook, c: Compiled, projections: list[Projection]) -> None:
    """One page: for the province and each block, where it stood, the plan-year December with its
    range, the target, the gap and the verdict in words; then the plan's contributions."""
    ws = wb.create_sheet("Tóm tắt", 1)
    plan = projections[-1]
    text(ws, "A1", f"Tóm tắt kế hoạch năm {plan.plan_year}").font = Font(bold=True, size=14)
    text(ws, "A2", f"Chỉ tiêu theo {plan.target_set.name_vi}. Thực tế: {c.report.label_vi}.")
    head = 4
    month = _month(c.report.period)
    _header_row(
        ws,
        head,
        [
            "Kịch bản",
            "Khối",
            f"Thực tế đến {month}",
            f"Tháng 12/{plan.plan_year}",
            "Khoảng P10–P90",
            "Chỉ tiêu",
            "Chênh lệch (điểm %)",
            "Đánh giá",
        ],
    )
    row = head + 1
    for proj in projections:
        for block in proj.blocks:
            f = proj.block(block)
            text(ws, f"A{row}", proj.scenario.name)
            text(ws, f"B{row}", BLOCK_LABEL[block][0])
            ws[f"C{row}"] = round(f.report_share / 100, 6)
            ws[f"D{row}"] = round(f.december / 100, 6)
            text(ws, f"E{row}", f"{fmt.pct(f.p10, 'vi')} – {fmt.pct(f.p90, 'vi')}")
            if f.target is not None:
                ws[f"F{row}"] = round(f.target / 100, 6)
                ws[f"G{row}"] = f"=(D{row}-F{row})*100"
                ws[f"H{row}"] = f'=IF(D{row}>=F{row},"Đạt","Chưa đạt")'
            else:
                text(ws, f"H{row}", "Chưa có chỉ tiêu")
            for col, form in (("C", PCT), ("D", PCT), ("F", PCT), ("G", "+0.00;-0.00")):
                ws[f"{col}{row}"].number_format = form
            row += 1
    TABLES.setdefault(ws.title, []).append((head, row - 1, 1, 8))
    row += 1
    contrib = plan.contributions
    if contrib is not None and len(contrib):
        text(ws, f"A{row}", f"Đóng góp của từng biện pháp — {plan.scenario.name}, toàn tỉnh, tháng 12 (điểm %)").font = Font(
            bold=True
        )
        row += 1
        _header_row(ws, row, ["Biện pháp", "Đóng góp (điểm %)", "Loại"])
        top = row
        part = contrib[(contrib.period == "december") & (contrib.block == "province")]
        for r in part.itertuples():
            row += 1
            lever = next(lv for lv in LEVERS if lv.id == r.lever)
            text(ws, f"A{row}", lever.label_vi)
            ws[f"B{row}"] = round(float(r.points), 4)
            ws[f"B{row}"].number_format = "+0.00;-0.00"
            text(ws, f"C{row}", "hiệu chỉnh đo lường" if r.kind == "measurement" else "thay đổi hành vi")
        TABLES.setdefault(ws.title, []).append((top, row, 1, 3))
    _page_setup(ws, {"A": 40, "B": 26, "C": 14, "D": 14, "E": 18, "F": 11, "G": 13, "H": 14}, "A5", titles=f"{head}:{head}")
    ws.page_setup.fitToHeight = 1  # the summary is one page


def _long_data_sheet(wb: Workbook, projections: list[Projection]) -> None:
    """Unit × month × scenario × measure, one row each, with an autofilter: ready for a pivot table."""
    ws = wb.create_sheet("Dữ liệu dài")
    columns = ["Kịch bản", "Năm kế hoạch", "Cấp", "Mã", "Đơn vị", "Tháng", "Chỉ số", "Giá trị"]
    _header_row(ws, 1, columns)
    measure_vi = {
        "share_pct": "tỷ lệ (%)",
        "share_measured_pct": "tỷ lệ đo được (%)",
        "status_quo_pct": "hiện trạng (%)",
        "flat_pct": "giữ nguyên (%)",
        "p10_pct": "P10 (%)",
        "p50_pct": "P50 (%)",
        "p90_pct": "P90 (%)",
    }
    row = 2
    for proj in projections:
        frame = proj.to_frame()
        for r in frame.itertuples():
            text(ws, f"A{row}", r.scenario)
            ws[f"B{row}"] = int(r.plan_year)
            text(ws, f"C{row}", "khối" if r.level == "block" else "đơn vị")
            text(ws, f"D{row}", r.id)
            text(ws, f"E{row}", r.name_vi)
            ws[f"F{row}"] = int(r.month)
            text(ws, f"G{row}", measure_vi.get(r.measure, r.measure))
            ws[f"H{row}"] = None if r.value != r.value else round(float(r.value), 4)
            row += 1
    ws.auto_filter.ref = f"A1:H{row - 1}"
    # a table for a pivot table, not for paper: only its header prints
    ws.print_area = "A1:H1"
    ws.row_dimensions[1].height = 2 * LINE_PT + 3  # "Năm kế hoạch" wraps onto two lines
    _page_setup(ws, {"A": 30, "B": 8, "C": 8, "D": 18, "E": 34, "F": 7, "G": 18, "H": 10}, "A2", titles="1:1")


def _tracking_sheet(wb: Workbook, tracking: Tracking) -> None:
    """Plan against actual per unit: counts written, every ratio a formula of them."""
    plan = tracking.plan
    ws = wb.create_sheet("Theo dõi")
    # in B, the first printed column: A holds the unit codes, hidden from print
    text(ws, "B1", f"Theo dõi thực hiện: kế hoạch “{plan.name}” (phiên bản {plan.version}), năm {plan.plan_year}").font = Font(
        bold=True, size=14
    )
    text(ws, "B2", tracking.note_vi)
    _header_row(
        ws,
        4,
        [
            "Mã",
            "Đơn vị",
            "Hồ sơ lũy kế (thực tế)",
            "Hồ sơ trực tuyến lũy kế (thực tế)",
            "Tỷ lệ thực tế lũy kế",
            "Tỷ lệ kế hoạch lũy kế",
            "Chênh lệch (điểm %)",
            "Trạng thái",
            "Chỉ tiêu",
            "Hồ sơ trực tuyến cần mỗi tháng còn lại",
        ],
    )
    row = 5
    for u in tracking.units.itertuples():
        text(ws, f"A{row}", u.seg_id)
        text(ws, f"B{row}", u.name_vi)
        ws[f"C{row}"], ws[f"D{row}"] = int(u.actual_dossiers_ytd), int(u.actual_online_ytd)
        ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
        if u.plan_ytd_pct == u.plan_ytd_pct:
            ws[f"F{row}"] = round(float(u.plan_ytd_pct) / 100, 6)
        ws[f"G{row}"] = f'=IF(OR(E{row}="",F{row}=""),"",(E{row}-F{row})*100)'
        text(ws, f"H{row}", STATUS_LABEL[u.status][0])
        if u.target_pct == u.target_pct:
            ws[f"I{row}"] = round(float(u.target_pct) / 100, 6)
        if u.needed_online_per_month == u.needed_online_per_month:
            ws[f"J{row}"] = round(float(u.needed_online_per_month))
        ws[f"C{row}"].number_format = ws[f"D{row}"].number_format = ws[f"J{row}"].number_format = COUNT
        ws[f"E{row}"].number_format = ws[f"F{row}"].number_format = ws[f"I{row}"].number_format = PCT
        ws[f"G{row}"].number_format = "0.00"
        row += 1
    text(ws, f"B{row}", "Toàn tỉnh").font = Font(bold=True)
    ws[f"C{row}"], ws[f"D{row}"] = f"=SUM(C5:C{row - 1})", f"=SUM(D5:D{row - 1})"
    ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
    ws[f"C{row}"].number_format = ws[f"D{row}"].number_format = COUNT
    ws[f"E{row}"].number_format = PCT
    TABLES.setdefault(ws.title, []).append((4, row, 2, 10))
    ws.column_dimensions["A"].hidden = True  # unit codes
    _page_setup(
        ws, {"A": 18, "B": 40, "C": 14, "D": 16, "E": 12, "F": 12, "G": 12, "H": 14, "I": 10, "J": 18}, "C5", titles="4:4"
    )


def _backtest_rows(ws: Worksheet, row: int, bt: Backtest) -> None:
    text(ws, f"A{row}", f"Kiểm định dự báo (backtest): bỏ {bt.holdout} tháng cuối, dự báo từ {bt.first_forecast}").font = Font(
        bold=True
    )
    text(ws, f"B{row}", f"Tháng thực tế nằm trong P10–P90: {fmt.pct(bt.coverage_pct, 'vi', 0)}")
    _header_row(ws, row + 1, ["Khối", "Sai số tuyệt đối bình quân (điểm %)", "Số tháng"])
    for i, r in enumerate(bt.summary[bt.summary.level == "block"].itertuples()):
        text(ws, f"A{row + 2 + i}", BLOCK_LABEL.get(r.id, (r.id, r.id))[0])
        ws[f"B{row + 2 + i}"] = round(float(r.mean_abs_error_pts), 4)
        ws[f"C{row + 2 + i}"] = int(r.n)


def _assumptions_sheet(wb: Workbook, bt: Backtest | None = None) -> None:
    ws = wb.create_sheet("Giả định")
    text(ws, "A1", "Biện pháp, hệ số tác động và giả định — nguồn").font = Font(bold=True, size=14)
    _header_row(ws, 3, ["Biện pháp / giả định", "Tham số", "Thấp", "Trung tâm", "Cao", "Đơn vị", "Loại", "Căn cứ"])
    row = 4
    for lever in LEVERS:
        for e in lever.effects:
            text(ws, f"A{row}", lever.label_vi)
            text(ws, f"B{row}", e.label_vi)
            ws[f"C{row}"], ws[f"D{row}"], ws[f"E{row}"] = e.low, e.central, e.high
            text(ws, f"F{row}", e.unit)
            text(ws, f"G{row}", "giả định" if e.assumption else "có nguồn")
            text(ws, f"H{row}", e.source_vi)
            row += 1
    for a in ASSUMPTIONS:
        text(ws, f"A{row}", a.label_vi)
        text(ws, f"B{row}", a.help_vi)
        if a.choices:
            text(ws, f"D{row}", a.choices[0][1])
        else:
            ws[f"C{row}"], ws[f"D{row}"], ws[f"E{row}"] = a.min, a.default, a.max
        text(ws, f"F{row}", a.unit)
        text(ws, f"G{row}", "giả định" if a.assumption else "có nguồn")
        text(ws, f"H{row}", a.source_vi)
        row += 1
    for r in ws.iter_rows(min_row=4, max_row=row):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    TABLES.setdefault(ws.title, []).append((3, row - 1, 1, 8))
    if bt is not None:
        _backtest_rows(ws, row + 2, bt)
    _page_setup(ws, {"A": 36, "B": 40, "C": 9, "D": 12, "E": 9, "F": 12, "G": 11, "H": 70}, "A4", titles="3:3")


def build_workbook(
    c: Compiled,
    scenarios: list[Scenario],
    targets: TargetSet | None = None,
    annex_target_pct: float | None = None,
    draws: int = DEFAULT_DRAWS,
    tracking: Tracking | None = None,
    backtest: Backtest | None = None,
) -> bytes:
    """The workbook for `scenarios` (the last is the plan), every sheet against one target set
    (`targets`, default Decision 1434). The annex aims at `annex_target_pct`, by default that set's
    province target. Printed to the standard of Decree 30/2020/NĐ-CP."""
    with _BUILDING:
        REMOVED.clear()
        TABLES.clear()
        return _build(c, scenarios, targets or DEFAULT_TARGET_SET, annex_target_pct, draws, tracking, backtest)


def _build(c, scenarios, targets, annex_target_pct, draws, tracking, backtest) -> bytes:
    projections = [project(c, s, targets, draws, with_contributions=(j == len(scenarios) - 1)) for j, s in enumerate(scenarios)]
    target = projections[0].target("province")
    if annex_target_pct is None:
        annex_target_pct = target if target is not None else 30.0
    plan_name = f"Kế hoạch hồ sơ trực tuyến năm {projections[-1].plan_year} — {projections[-1].scenario.name}"
    wb = Workbook()
    # the workbook's default font is the Decree's: every cell without a font of its own prints in it
    wb._fonts = IndexedList([Font(name=FONT_NAME, sz=BODY_PT, family=1)])
    wb.properties.title = plan_name
    wb.properties.subject = f"Tỷ lệ hồ sơ trực tuyến tỉnh Sơn La; chỉ tiêu theo {targets.name_vi}"
    wb.properties.creator = "Công cụ lập kế hoạch DVCTT Sơn La"
    wb.properties.keywords = "dịch vụ công trực tuyến; hồ sơ trực tuyến; Sơn La"
    cover = wb.active
    cover.title = "Bìa"
    text(cover, "A1", "Kế hoạch tỷ lệ hồ sơ trực tuyến tỉnh Sơn La").font = Font(bold=True, size=16)
    text(cover, "A2", f"Ngày xuất: {date.today().strftime('%d/%m/%Y')}")
    text(cover, "A3", f"Số liệu gốc: {c.report.label_vi}")
    text(cover, "A4", f"Nguồn: {c.report.source}")
    text(cover, "A5", f"Chỉ tiêu: {targets.name_vi} — {targets.source}")
    _header_row(cover, 6, ["Kịch bản", "Mô tả", "Tóm tắt"])
    for j, proj in enumerate(projections):
        row = 7 + j
        s, figures = proj.scenario, proj.block("province")
        text(cover, f"A{row}", s.name)
        text(cover, f"B{row}", s.description)
        text(cover, f"C{row}", summary(s, figures.december, figures.p10, figures.p90, figures.target, "vi"))
    TABLES.setdefault(cover.title, []).append((6, 6 + len(projections), 1, 3))
    _page_setup(cover, {"A": 34, "B": 60, "C": 90}, "A7", titles="6:6")
    _summary_sheet(wb, c, projections)
    base_rows = _baseline_sheet(wb, c)
    refs = [_scenario_sheet(wb, proj, j + 1) for j, proj in enumerate(projections)]
    _comparison_sheet(wb, projections, refs)
    _annex_sheet(wb, c, projections[-1], annex_target_pct, base_rows)
    if tracking is not None:
        _tracking_sheet(wb, tracking)
    _assumptions_sheet(wb, backtest)
    _long_data_sheet(wb, projections)
    if REMOVED:
        row = 8 + len(projections)
        text(cover, f"A{row}", "Đã bỏ ký tự điều khiển (không in được) khỏi: " + "; ".join(REMOVED[:10])).font = Font(italic=True)
    for ws in wb.worksheets:
        if ws.title == "Dữ liệu dài":  # data for a pivot table: only its footer and header print
            _footer(ws, plan_name)
            continue
        _finish(ws, plan_name, TABLES.get(ws.title, []))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["build_workbook", "text", "lines_needed", "largest_remainder"]
