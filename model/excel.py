"""The Excel workbook for the official documents (openpyxl).

Sheets: cover, baseline, one per scenario (units × months), comparison, target annex, assumptions.
Every ratio is a formula of its count cells, so the workbook stays live when someone edits a count.
Text that users type is always written as text, never as a formula, even when it starts with =, +, - or @.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from model import fmt
from model.allocation import allocate
from model.analysis import DEFAULT_DRAWS
from model.calibration import Backtest
from model.engine import Compiled
from model.levers import ASSUMPTIONS, LEVERS
from model.projection import Projection, project
from model.scenario import Scenario
from model.segments import BLOCK_LABEL, BLOCKS
from model.summary import summary
from model.targets import DEFAULT_TARGET_SET, TargetSet
from model.tracking import STATUS_LABEL, Tracking

PCT = "0.00%"
COUNT = "#,##0"
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0072B2")
BELOW_TARGET = PatternFill("solid", fgColor="F8D7DA")
KIND_CODE = {"department": "so", "district_office": "huyen", "commune": "xa"}
MONTHS_VI = [f"T{m}" for m in range(1, 13)]


def text(ws: Worksheet, ref: str, value: str):
    """User-typed (or any free) text: always a string cell, never a formula."""
    cell = ws[ref]
    cell.value = "" if value is None else str(value)
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


def _page_setup(ws: Worksheet, widths: dict[str, float], freeze: str) -> None:
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _month(period: str) -> str:
    """'2022-12' -> '12/2022'."""
    return f"{period[5:]}/{period[:4]}"


def _ratio(num: str, den: str) -> str:
    return f'=IF({den}=0,"",{num}/{den})'


# ------------------------------------------------------------------ sheets


def _baseline_sheet(wb: Workbook, c: Compiled) -> None:
    ws = wb.create_sheet("Số liệu gốc")
    rep = c.report
    text(ws, "A1", f"Số liệu gốc — {rep.label_vi}").font = Font(bold=True, size=14)
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
        row += 1
    _page_setup(ws, {"A": 16, "B": 16, "C": 44, "D": 14, "E": 14, "F": 12, "G": 16, "H": 16, "I": 14}, "D4")


def _scenario_sheet(wb: Workbook, proj: Projection, index: int) -> dict:
    """Three stacked tables: dossiers, online dossiers, share (= online / dossiers, as formulas)."""
    s = proj.scenario
    ws = wb.create_sheet(_sheet_title(index, s.name))
    text(ws, "A1", f"Kịch bản: {s.name}").font = Font(bold=True, size=14)
    text(ws, "A2", f"Chỉ tiêu theo: {proj.target_set.name_vi}")
    seg = proj.units
    S = len(seg)
    volume = proj.unit_dossiers_monthly  # (M, S)
    online = proj.unit_monthly / 100 * volume
    months = [fmt.month_label(m, s.plan_year, "vi") for m in range(1, 13)]
    anchors = {}
    start = 3
    titles = ("Số hồ sơ dự kiến", "Số hồ sơ trực tuyến dự kiến", "Tỷ lệ hồ sơ trực tuyến (= trực tuyến / tổng)")
    for t, title in enumerate(titles):
        text(ws, f"A{start}", title).font = Font(bold=True)
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
                    ws[f"{col}{row}"] = round(float(volume[m, i]), 4)
                    ws[f"{col}{row}"].number_format = COUNT
                elif t == 1:
                    ws[f"{col}{row}"] = round(float(online[m, i]), 4)
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
        for b, block in enumerate(BLOCKS):
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
        start = last + len(BLOCKS) + 3
    _page_setup(ws, {"A": 20, "B": 7, "C": 40, **{get_column_letter(4 + m): 11 for m in range(12)}, "P": 10}, "D5")
    return {"sheet": ws.title, "share_first": anchors[2], "volume_first": anchors[0], "online_first": anchors[1], "S": S}


def _comparison_sheet(wb: Workbook, projections: list[Projection], refs: list[dict]) -> None:
    scenarios = [p.scenario for p in projections]
    ws = wb.create_sheet("So sánh")
    text(ws, "A1", "So sánh kịch bản (như bảng tóm tắt Scenario Manager)").font = Font(bold=True, size=14)
    _header_row(ws, 3, ["Chỉ số / biện pháp"] + [s.name for s in scenarios])
    row = 4
    for b, block in enumerate(BLOCKS):
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
    for lever in LEVERS:
        for p in lever.params:
            text(ws, f"A{row}", f"{lever.label_vi}: {p.label_vi} ({p.unit})")
            for j, s in enumerate(scenarios):
                ws[f"{get_column_letter(2 + j)}{row}"] = s.settings[p.id]
            row += 1
    # the chart's data: province share by month for each scenario, as formulas
    row += 1
    text(ws, f"A{row}", "Tỷ lệ toàn tỉnh theo tháng").font = Font(bold=True)
    head = row + 1
    _header_row(ws, head, ["Tháng"] + [s.name for s in scenarios])
    for m in range(12):
        r = head + 1 + m
        text(ws, f"A{r}", fmt.month_label(m + 1, scenarios[0].plan_year, "vi"))
        for j, ref in enumerate(refs):
            share_row = ref["share_first"] + ref["S"]  # the province row
            ws[f"{get_column_letter(2 + j)}{r}"] = f"='{ref['sheet']}'!{get_column_letter(4 + m)}{share_row}"
            ws[f"{get_column_letter(2 + j)}{r}"].number_format = PCT
    chart = LineChart()
    chart.title = "Tỷ lệ hồ sơ trực tuyến toàn tỉnh"
    chart.y_axis.title, chart.x_axis.title = "Tỷ lệ", "Tháng"
    chart.y_axis.number_format = "0%"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(scenarios), min_row=head, max_row=head + 12), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + 12))
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"{get_column_letter(3 + len(scenarios))}4")
    _page_setup(ws, {"A": 60, **{get_column_letter(2 + j): 22 for j in range(len(scenarios))}}, "B4")


def _annex_sheet(wb: Workbook, c: Compiled, proj: Projection, target_pct: float) -> None:
    s = proj.scenario
    ws = wb.create_sheet("Phụ lục chỉ tiêu")
    out = allocate(proj, target_pct, "province")
    text(ws, "A1", f"Phụ lục: chỉ tiêu tỷ lệ hồ sơ trực tuyến năm {s.plan_year} theo đơn vị").font = Font(bold=True, size=14)
    text(
        ws,
        "A2",
        f"Mục tiêu toàn tỉnh {fmt.pct(target_pct, 'vi')} (theo {proj.target_set.name_vi}); "
        f"kịch bản nền: {s.name}. {out.message_vi}",
    )
    _header_row(
        ws,
        4,
        [
            "Đơn vị",
            f"Số hồ sơ lũy kế đến {_month(c.report.period)}",
            f"Hồ sơ trực tuyến lũy kế đến {_month(c.report.period)}",
            f"Tỷ lệ lũy kế đến {_month(c.report.period)}",
            "Chỉ tiêu đề xuất",
            "Hồ sơ trực tuyến tăng thêm mỗi tháng",
        ],
    )
    row = 5
    for t in out.table.itertuples():
        seg = c.seg.set_index("seg_id").loc[t.seg_id]
        text(ws, f"A{row}", t.name_vi)
        ws[f"B{row}"], ws[f"C{row}"] = int(seg.volume), int(seg.online)
        ws[f"D{row}"] = _ratio(f"C{row}", f"B{row}")
        ws[f"E{row}"] = round(t.target_pct / 100, 6)
        ws[f"F{row}"] = f'=IF(D{row}="",0,(E{row}-D{row})*B{row}/12)'
        ws[f"B{row}"].number_format = ws[f"C{row}"].number_format = ws[f"F{row}"].number_format = COUNT
        ws[f"D{row}"].number_format = ws[f"E{row}"].number_format = PCT
        row += 1
    text(ws, f"A{row}", "Toàn tỉnh").font = Font(bold=True)
    ws[f"B{row}"], ws[f"C{row}"] = f"=SUM(B5:B{row - 1})", f"=SUM(C5:C{row - 1})"
    ws[f"D{row}"] = _ratio(f"C{row}", f"B{row}")
    ws[f"E{row}"] = f"=SUMPRODUCT(B5:B{row - 1},E5:E{row - 1})/B{row}"
    ws[f"F{row}"] = f"=SUM(F5:F{row - 1})"
    ws[f"B{row}"].number_format = ws[f"C{row}"].number_format = ws[f"F{row}"].number_format = COUNT
    ws[f"D{row}"].number_format = ws[f"E{row}"].number_format = PCT
    _page_setup(ws, {"A": 44, "B": 16, "C": 18, "D": 12, "E": 16, "F": 22}, "B5")


def _tracking_sheet(wb: Workbook, tracking: Tracking) -> None:
    """Plan against actual per unit: counts written, every ratio a formula of them."""
    plan = tracking.plan
    ws = wb.create_sheet("Theo dõi")
    text(ws, "A1", f"Theo dõi thực hiện: kế hoạch “{plan.name}” (phiên bản {plan.version}), năm {plan.plan_year}").font = Font(
        bold=True, size=14
    )
    text(ws, "A2", tracking.note_vi)
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
    _page_setup(ws, {"A": 18, "B": 40, "C": 14, "D": 16, "E": 12, "F": 12, "G": 12, "H": 14, "I": 10, "J": 18}, "C5")


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
    if bt is not None:
        _backtest_rows(ws, row + 2, bt)
    _page_setup(ws, {"A": 36, "B": 40, "C": 9, "D": 12, "E": 9, "F": 12, "G": 11, "H": 70}, "A4")


def build_workbook(
    c: Compiled,
    scenarios: list[Scenario],
    targets: TargetSet | None = None,
    annex_target_pct: float | None = None,
    draws: int = DEFAULT_DRAWS,
    tracking: Tracking | None = None,
    backtest: Backtest | None = None,
) -> bytes:
    """The workbook for `scenarios`, every sheet against one target set (`targets`, default Decision
    1434). The annex aims at `annex_target_pct`, by default that set's province target."""
    targets = targets or DEFAULT_TARGET_SET
    projections = [project(c, s, targets, draws, with_contributions=False) for s in scenarios]
    target = projections[0].target("province")
    if annex_target_pct is None:
        annex_target_pct = target if target is not None else 30.0
    wb = Workbook()
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
        for col in "ABC":
            cover[f"{col}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    _page_setup(cover, {"A": 34, "B": 60, "C": 90}, "A7")
    _baseline_sheet(wb, c)
    refs = [_scenario_sheet(wb, proj, j + 1) for j, proj in enumerate(projections)]
    _comparison_sheet(wb, projections, refs)
    _annex_sheet(wb, c, projections[-1], annex_target_pct)
    if tracking is not None:
        _tracking_sheet(wb, tracking)
    _assumptions_sheet(wb, backtest)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["build_workbook", "text"]
