"""The Excel workbook for the official documents (openpyxl).

Sheets: cover, summary, baseline, one per scenario (units × months), comparison, charts, target annex,
(tracking), assumptions, long data. Every ratio is a formula of its count cells, so the workbook stays
live when someone edits a count. Text that users type is always written as text, never as a formula,
even when it starts with =, +, - or @.

One figure, one value. The projected counts are the model's expected dossiers, written unrounded
(whole only on display), so every share computed from them — on the scenario sheets, the comparison,
the charts, the summary — is the model's own share, the one the cover and the app print. Rounding
happens once, where a share is shown: two decimals of a percent. Every verdict (Đạt/Chưa đạt) compares
that shown value (ROUND(…, 4) of the fraction) with the target as shown, so a page cannot say "Đạt"
beside a figure that another page calls short.

Printed per Decree 30/2020/NĐ-CP: Times New Roman, body text 13–14 pt, tables 11 pt at 100% scale
(a table breaks across pages rather than shrinking), the decree's margins. Page breaks are placed
here, from the row heights written here, so that a unit's rows, a title and the table under it stay
on one page.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from model import fmt
from model.allocation import allocate
from model.analysis import DEFAULT_DRAWS
from model.calibration import BAND_LABEL
from model.engine import Compiled
from model.indicators import COUNT_COLUMNS, Indicators
from model.levers import ASSUMPTIONS, LEVERS
from model.projection import Projection, project
from model.scenario import (
    ADOPTION_PARAMS,
    BUILTIN_DESCRIPTIONS,
    BUILTIN_FILES,
    BUILTIN_LABELS,
    Scenario,
    builtin_scenario,
    resolved_adoption_pct,
)
from model.segments import BLOCK_LABEL, block_masks
from model.summary import summary
from model.targets import DEFAULT_TARGET_SET, SHIPPED_BY_ID, TargetSet
from model.tracking import ON_TRACK_TOLERANCE_PTS, STATUS_LABEL, Tracking

# Shares are fractions in the cells, shown with two decimals of a percent: ROUND(x, SHOWN) is what a reader sees.
SHOWN = 4
PCT = "0.00%"
COUNT = "#,##0"
POINTS = "+0.00;-0.00;0.00"  # a zero difference is "0.00", not "+0.00"
WHOLE_PCT = "0%"
AT_LEAST_PCT = '"tối thiểu "0%'  # an annex target: a whole percent, printed "tối thiểu 80%"
HEADER_FILL = PatternFill("solid", fgColor="0072B2")
BELOW_TARGET = PatternFill("solid", fgColor="F8D7DA")
MARKED = PatternFill("solid", fgColor="FFF3CD")

# Decree 30/2020/NĐ-CP: Times New Roman; body 13–14 pt; tables may be smaller, and are 11 pt here, at 100%.
FONT_NAME, BODY_PT, TITLE_PT, TABLE_PT = "Times New Roman", 13, 14, 11
# the decree's margins (top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm), in inches
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_FOOTER = 0.8, 0.85, 1.2, 0.7, 0.35
A4_PT = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}  # width, height
# What fits across a page, in column-width units (one unit ≈ the width of a digit of the 11-pt default
# font, 7 px ≈ 1.85 mm): landscape 252 mm, portrait 165 mm of printable width, less a margin of safety.
PRINT_WIDTH = {"landscape": 126.0, "portrait": 80.0}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

JARGON_VI = {"log-odds": "log tỷ số chênh", "log-odds/năm": "log tỷ số chênh/năm", "×": "lần"}


def line_pt(size: float) -> float:
    """The height of one line of Times New Roman at `size` points, with its leading (1.15 em), and a little."""
    return round(size * 1.17, 2)


LINE_PT = line_pt(TABLE_PT)


@dataclass
class _Build:
    """What one build collects on its way: removed control characters, each sheet's tables and the
    row ranges that must stay on one page."""

    removed: list[str] = field(default_factory=list)
    tables: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)  # (first row, last row, c0, c1)
    keep: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # rows printed together

    def table(self, ws: Worksheet, r0: int, r1: int, c0: int, c1: int) -> None:
        self.tables.setdefault(ws.title, []).append((r0, r1, c0, c1))

    def together(self, ws: Worksheet, r0: int, r1: int) -> None:
        self.keep.setdefault(ws.title, []).append((r0, r1))


_STATE = threading.local()
_BUILDING = threading.Lock()  # openpyxl's shared style lists are not for two builds at once


def _removed() -> list[str]:
    build = getattr(_STATE, "build", None)
    return build.removed if build is not None else []


def text(ws: Worksheet, ref: str, value: str):
    """User-typed (or any free) text: always a string cell, never a formula; control characters (they
    break the file in Excel) removed, and the removal reported on the cover."""
    cell = ws[ref]
    raw = "" if value is None else str(value)
    cleaned = (
        raw if raw.isprintable() else "".join(ch for ch in raw if ch in "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    )
    if cleaned != raw:
        _removed().append(cleaned[:60])
    cell.value = cleaned
    cell.data_type = "s"
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # spreadsheet programs keep it as text when the file is re-saved
    return cell


def _clean(value: str) -> str:
    return "".join(ch for ch in value if ch in "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))


# ------------------------------------------------------------------ names and lines in the document's language


@functools.lru_cache(maxsize=1)
def _builtin_names() -> dict[str, str]:
    """The name in a built-in scenario's file -> its kind."""
    return {builtin_scenario(kind).name: kind for kind in BUILTIN_FILES}


def scenario_name(s: Scenario) -> str:
    """A scenario's name in the document's language: a built-in one by its Vietnamese label (its file
    name carries an English gloss), a user's as typed."""
    kind = _builtin_names().get(s.name)
    return BUILTIN_LABELS[kind][0] if kind else s.name


def scenario_description(s: Scenario) -> str:
    kind = _builtin_names().get(s.name)
    return BUILTIN_DESCRIPTIONS[kind][0] if kind else s.description


def _date_vi(value: str) -> str:
    """'2022-07-18' -> '18/07/2022'; anything else unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    return f"{m[3]}/{m[2]}/{m[1]}" if m else value


LEGAL_DOCUMENT = re.compile(r"^(Quyết định|Nghị quyết|Nghị định|Thông tư|Chỉ thị|Kế hoạch|Công văn)\b")


def decision_line(targets: TargetSet) -> str:
    """The target set's source as a document cites it: the decision (number, issuer, date) and what it
    sets. A reference that is not a legal document (a newspaper report of a national figure) is not
    cited: the set's own name stands for it."""
    ref = targets.reference
    document = ref.get("document", "")
    cited = document if LEGAL_DOCUMENT.match(document) else targets.name_vi
    when = _date_vi(ref.get("date", ""))
    if when and when not in cited and not re.fullmatch(r"\d{4}", when):
        cited += f", ngày {when}"
    figure = ref.get("figure", "")
    if targets.id not in SHIPPED_BY_ID or SHIPPED_BY_ID[targets.id] != targets:
        # a set edited in the app: its own name, and the decision it started from (whose figures it no longer has)
        return f"{targets.name_vi} (đã chỉnh từ {cited})"
    return f"{cited}: {figure}" if figure else cited


def _vi_unit(unit: str) -> str:
    return JARGON_VI.get(unit, unit)


# the model's sources and notes, written for the app's screens, use a few words a document does not
TOOL_WORDS_VI = (
    (re.compile(r"log-odds", re.I), "log tỷ số chênh"),
    (re.compile(r"Monte Carlo", re.I), "mô phỏng"),
    (re.compile(r"backtest", re.I), "kiểm định dự báo"),
    (re.compile(r"tỷ lệ odds|odds", re.I), "tỷ số chênh"),
    (re.compile(r"khoảng tin cậy 80%"), "khoảng P10–P90 (80% kết quả mô phỏng)"),
)


def vi_document(value: str) -> str:
    """A model text as a Vietnamese document says it: tool jargon replaced by plain words."""
    for pattern, plain in TOOL_WORDS_VI:
        value = pattern.sub(plain, value)
    return value


def _short(value: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, never inside one."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return cut + "…"


def _sheet_title(index: int, name: str) -> str:
    clean = re.sub(r"[\[\]:*?/\\']", " ", _clean(name)).strip()
    return _short(f"KB{index} {clean}", 31)


# ------------------------------------------------------------------ layout


def _header_row(ws: Worksheet, row: int, labels: list[str], start_col: int = 1) -> None:
    for i, label in enumerate(labels):
        cell = text(ws, f"{get_column_letter(start_col + i)}{row}", label)
        cell.font, cell.fill = _font(True, False, TABLE_PT, "FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _title(ws: Worksheet, ref: str, value: str, size: float = TITLE_PT) -> Cell:
    cell = text(ws, ref, value)
    cell.font = _font(True, False, size, None)
    return cell


def _page_setup(ws: Worksheet, widths: Mapping[str, float], freeze: str, titles: str | None = None, portrait=False) -> None:
    """A4 at 100%, the decree's margins; `titles` ("3:4") repeat on every page."""
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = 100
    ws.sheet_properties.pageSetUpPr.fitToPage = False  # never shrink the type to fit; break across pages
    ws.print_options.horizontalCentered = False
    ws.page_margins.left, ws.page_margins.right = MARGIN_LEFT, MARGIN_RIGHT
    ws.page_margins.top, ws.page_margins.header = MARGIN_TOP, 0.3
    # the footer prints in the band between the bottom margin and the footer margin: room for an 11-pt line
    ws.page_margins.bottom, ws.page_margins.footer = MARGIN_BOTTOM, MARGIN_FOOTER
    if titles:
        ws.print_title_rows = titles


@functools.lru_cache(maxsize=64)
def _font(bold: bool, italic: bool, size: float, color: str | None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


@functools.lru_cache(maxsize=16)
def _alignment(wrap: bool, horizontal: str | None, vertical: str = "top") -> Alignment:
    return Alignment(wrap_text=wrap, vertical=vertical, horizontal=horizontal)


def _text_width(part: str, bold: bool = False) -> float:
    """A line's width in digit widths: a digit, a capital or a sign is about one, a space half, any
    other letter about 0.95 (a little more than Times New Roman's average); bold a ninth more."""
    width = sum(1.0 if ch.isdigit() or ch.isupper() or ch in "%–—+" else 0.5 if ch == " " else 0.95 for ch in part)
    return width * (1.12 if bold else 1.0)


def lines_needed(value: object, width: float, size: float = TABLE_PT, bold: bool = False) -> int:
    """Lines a wrapped cell needs: its text over the column's width in digit widths at `size` points
    (each explicit line break starts a line). The tests of the printed workbook use the same estimate."""
    if not isinstance(value, str) or value.startswith("="):
        return 1
    per_line = max(1.0, ((width or 8.43) - 0.6) * TABLE_PT / size)  # less the cell's inner margins
    lines = 0
    for part in value.split("\n"):  # wrapped at spaces, as the spreadsheet does: a word never splits
        used, lines = 0.0, lines + 1
        for word in part.split(" "):
            w = _text_width(word, bold)
            if used and used + 0.5 + w > per_line:
                lines, used = lines + 1, 0.0
            if w > per_line:  # a word longer than the line breaks anywhere
                lines += math.ceil(w / per_line) - 1
                w = w % per_line
            used += (0.5 if used else 0.0) + w
    return lines


def _printed_width(ws: Worksheet, c0: int, c1: int) -> float:
    return sum(
        0.0 if ws.column_dimensions[get_column_letter(c)].hidden else (ws.column_dimensions[get_column_letter(c)].width or 8.43)
        for c in range(c0, c1 + 1)
    )


def _style_id(ws: Worksheet, kind: str, style) -> int:
    """The index of `style` in the workbook's list of fonts, borders or alignments. Setting the index on
    a cell's style array is what openpyxl does itself, without hashing the style again for every cell
    (a third of the build's time went to that)."""
    cache = ws.parent.__dict__.setdefault("_style_ids", {})
    key = (kind, id(style))
    if key not in cache:
        cache[key] = getattr(ws.parent, f"_{kind}").add(style)
    return cache[key]


def _finish(ws: Worksheet, build: _Build, footer: str) -> None:
    """Every sheet's last pass: the decree's fonts (tables 11 pt, text outside them at least 13 pt), thin
    borders on its tables, a line of text outside a table merged across the table's width and wrapped,
    row heights that fit the text, the page breaks, and a footer."""
    tables = build.tables.get(ws.title, [])
    in_table = {(r, c) for r0, r1, c0, c1 in tables for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    last_col = max((c1 for *_, c1 in tables), default=ws.max_column)
    merged_at = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    inside_merge = {
        (r, c)
        for m in ws.merged_cells.ranges
        for r in range(m.min_row, m.max_row + 1)
        for c in range(m.min_col, m.max_col + 1)
        if (r, c) != (m.min_row, m.min_col)
    }
    lone: list[Cell] = []
    codes = {c for c in range(1, ws.max_column + 1) if ws.column_dimensions[get_column_letter(c)].hidden}
    # styles looked up by their index in the workbook's lists, once each: reading cell.font builds a proxy
    # for every cell, and that was a fifth of the build
    fonts, alignments = ws.parent._fonts, ws.parent._alignments
    font_for: dict[tuple[int, bool], int] = {}
    align_for: dict[tuple[int, bool], int] = {}
    for row in ws.iter_rows():
        filled = [c for c in row if c.value is not None]
        for cell in filled:
            if cell._style is None:  # a cell never styled has no style array yet
                cell._style = StyleArray()
            inside = (cell.row, cell.column) in in_table or cell.column in codes  # codes print nowhere
            key = (cell._style.fontId, inside)
            if key not in font_for:
                f = fonts[key[0]]
                size = f.sz or (TABLE_PT if inside else BODY_PT)
                if not inside:
                    size = max(size, BODY_PT)
                font = _font(bool(f.b), bool(f.i), size, f.color.rgb if f.color is not None else None)
                font_for[key] = key[0] if f.name == FONT_NAME and f.sz == size else _style_id(ws, "fonts", font)
            cell._style.fontId = font_for[key]
            # every cell top-aligned: a number stands on its label's line, however many lines the row has
            wrap = isinstance(cell.value, str) and not cell.value.startswith("=")
            akey = (cell._style.alignmentId, wrap)
            if akey not in align_for:
                a = alignments[akey[0]]
                align_for[akey] = _style_id(ws, "alignments", _alignment(wrap, a.horizontal, a.vertical or "top"))
            cell._style.alignmentId = align_for[akey]
        if len(filled) == 1 and (filled[0].row, filled[0].column) not in in_table and (filled[0].row, filled[0].column):
            if (filled[0].row, filled[0].column) not in merged_at and filled[0].column < last_col:
                lone.append(filled[0])
    for cell in lone:  # a title or a note: across the table's width, wrapped, never cut at the page's edge
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last_col)
        merged_at[(cell.row, cell.column)] = next(m for m in ws.merged_cells.ranges if m.min_row == cell.row)
    box = _style_id(ws, "borders", BOX)
    for r0, r1, c0, c1 in tables:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = ws.cell(r, c)
                if cell._style is None:  # a merged cell's hidden part
                    cell.border = BOX
                else:
                    cell._style.borderId = box
    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)}
    hidden = {c for c in widths if ws.column_dimensions[get_column_letter(c)].hidden}
    tall: dict[int, float] = {}
    for row in ws.iter_rows():
        r = row[0].row
        height = line_pt(TABLE_PT) + 3
        for cell in row:
            if not isinstance(cell.value, str) or cell.column in hidden or (r, cell.column) in inside_merge:
                continue  # a number or a formula takes one line
            font = fonts[cell._style.fontId]
            size = font.sz or TABLE_PT
            merged = merged_at.get((r, cell.column))
            width = widths[cell.column]
            rows_spanned = 1
            if merged is not None:
                width = sum(widths.get(c, 8.43) for c in range(merged.min_col, merged.max_col + 1) if c not in hidden)
                rows_spanned = merged.max_row - merged.min_row + 1
            need = lines_needed(cell.value, width, size, bool(font.b)) * line_pt(size) + 3
            if rows_spanned > 1:  # a name beside a unit's three rows: their heights share it
                tall[r] = max(tall.get(r, 0.0), need - (rows_spanned - 1) * (line_pt(TABLE_PT) + 3))
                continue
            height = max(height, need)
        ws.row_dimensions[r].height = round(max(height, tall.get(r, 0.0)), 1)
    _paginate(ws, build.keep.get(ws.title, []))
    _footer(ws, footer)


def _paginate(ws: Worksheet, keep: list[tuple[int, int]]) -> None:
    """Page breaks from the row heights: a range in `keep` (a unit's rows, a title with its table's
    header and first rows) is never split, and no page is left with only the repeated header. Every
    page holds a little less than fits, so the program printing never needs a break of its own."""
    orientation = "portrait" if ws.page_setup.orientation == "portrait" else "landscape"
    usable = A4_PT[orientation][1] - 72 * (ws.page_margins.top + ws.page_margins.bottom)
    capacity = 0.97 * usable

    def height(r: int) -> float:
        if ws.row_dimensions[r].hidden:
            return 0.0
        return ws.row_dimensions[r].height or line_pt(TABLE_PT) + 3

    repeated = 0.0
    if ws.print_title_rows:
        first, last = (int(x) for x in re.findall(r"\d+", ws.print_title_rows)[:2])
        repeated = sum(height(r) for r in range(first, last + 1))
    group_end: dict[int, int] = {}
    for r0, r1 in keep:
        group_end[r0] = max(group_end.get(r0, r0), r1)
    existing = {b.id for b in ws.row_breaks.brk}
    used, r, last_row = 0.0, 1, ws.max_row
    while r <= last_row:
        end = group_end.get(r, r)
        block = sum(height(x) for x in range(r, end + 1))
        if r - 1 in existing:
            used = repeated
        elif used + block > capacity and used > repeated + 1:
            ws.row_breaks.append(Break(id=r - 1))
            used = repeated
        used += block
        r = end + 1


def _footer(ws: Worksheet, plan_name: str) -> None:
    # a third of the page's width each: an upright page has room for fewer characters
    portrait = ws.page_setup.orientation == "portrait"
    left = _short(plan_name.replace("Kế hoạch năm ", "KH ") if portrait else plan_name, 34 if portrait else 56)
    for part, value in (
        (ws.oddFooter.left, left.replace("&", "&&")),
        (ws.oddFooter.center, "Trang &P/&N"),
        (ws.oddFooter.right, ws.title.replace("&", "&&")),  # which table a loose page belongs to
    ):
        part.text, part.font, part.size = value, FONT_NAME, TABLE_PT


def _month(period: str) -> str:
    """'2022-12' -> '12/2022'."""
    return f"{period[5:]}/{period[:4]}"


def _ratio(num: str, den: str) -> str:
    return f'=IF({den}=0,"",{num}/{den})'


def _share(value_pct: float | None) -> float | None:
    """A share in percent as the fraction a cell holds, rounded as it is shown (a target, a report share)."""
    return None if value_pct is None or value_pct != value_pct else round(float(value_pct) / 100, SHOWN)


def _verdict(value: str, target: str) -> str:
    """Đạt/Chưa đạt from the value as shown (two decimals of a percent) against the target as shown."""
    return f'=IF(OR({value}="",{target}=""),"",IF(ROUND({value},{SHOWN})>=ROUND({target},{SHOWN}),"Đạt","Chưa đạt"))'


def kind_code(kind: str, district_id: object) -> str:
    """A segment's code in the hidden kind column, from which the block rows' SUMIFs add up."""
    if kind == "department":
        return "so"
    if kind == "district_office":
        return "huyen"
    return "xa-huyen" if isinstance(district_id, str) else "xa"


KIND_VI = {"so": "Sở, ban, ngành", "huyen": "UBND cấp huyện", "xa-huyen": "Cấp xã", "xa": "UBND cấp xã"}


def _block_codes(units: pd.DataFrame, blocks: tuple[str, ...]) -> dict[str, list[str] | list[int] | None]:
    """For each block the data has: None (every row), the kind codes whose rows make it up, or, when
    kinds do not describe it, the row positions themselves."""
    codes = np.array([kind_code(k, d) for k, d in zip(units.kind, units.district_id)])
    masks = block_masks(units)
    out: dict[str, list[str] | list[int] | None] = {}
    for block in blocks:
        mask = masks.get(block)
        if mask is None or not mask.any():
            continue
        if mask.all():
            out[block] = None
            continue
        inside = sorted(set(codes[mask]))
        if not set(codes[~mask]) & set(inside):
            out[block] = inside
        else:
            out[block] = [int(i) for i in np.flatnonzero(mask)]
    return out


def _block_sum(codes: list[str] | list[int] | None, col: str, first: int, last: int, measure: str | None = None) -> str:
    """The block's sum over the unit rows first..last of column `col` (of the rows whose hidden measure
    column C holds `measure`, on a scenario sheet)."""
    rng = f"{col}${first}:{col}${last}"
    cond = f',$C${first}:$C${last},"{measure}"' if measure else ""
    if codes is None:
        return f"=SUMIFS({rng}{cond})" if measure else f"=SUM({rng})"
    if codes and isinstance(codes[0], str):
        return "=" + "+".join(f'SUMIFS({rng},$B${first}:$B${last},"{code}"{cond})' for code in codes)
    raise ValueError("row positions are resolved by the caller")


# ------------------------------------------------------------------ sheets


def _baseline_sheet(wb: Workbook, build: _Build, c: Compiled) -> dict[str, int]:
    ws = wb.create_sheet("Số liệu gốc")
    rep = c.report
    with_districts = bool((rep.units.kind == "district").any())
    # in B, the first printed column: A holds the unit codes, hidden from print
    _title(ws, "B1", f"Số liệu gốc — {rep.label_vi}")
    labels = ["Mã", "Loại", "Đơn vị", "Tổng số hồ sơ", "Hồ sơ trực tuyến", "Tỷ lệ trực tuyến"]
    if with_districts:
        labels += ["Hồ sơ (gồm cấp xã)", "Trực tuyến (gồm cấp xã)", "Tỷ lệ (gồm cấp xã)"]
    _header_row(ws, 3, labels)
    row = 4
    rows: dict[str, int] = {}
    kind_vi = {"department": "Sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}
    for u in rep.units.itertuples():
        text(ws, f"A{row}", u.unit_id)
        text(ws, f"B{row}", kind_vi[u.kind])
        text(ws, f"C{row}", u.name)
        cols = [("D", u.dossiers), ("E", u.dossiers_online)]
        if with_districts:
            cols += [("G", u.dossiers_incl_communes), ("H", u.dossiers_online_incl_communes)]
        for col, value in cols:
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
    build.table(ws, 3, row - 1, 2, 9 if with_districts else 6)
    widths = {"A": 16, "B": 15, "C": 34, "D": 11, "E": 11, "F": 10}
    if with_districts:
        widths.update({"G": 12, "H": 12, "I": 11})
    _page_setup(ws, widths, "D4", titles="3:3")
    ws.column_dimensions["A"].hidden = True  # unit codes are for the program, not for the printed page
    return rows


MEASURES = (("n", "hồ sơ dự kiến"), ("y", "hồ sơ trực tuyến dự kiến"), ("r", ""))


def _scenario_sheet(wb: Workbook, build: _Build, proj: Projection, index: int) -> dict:
    """One table: for each unit, then each block, three rows by month — dossiers, online dossiers, and
    the share in percent (= 100 × online / dossiers, a formula). The two count rows are an outline group,
    folded: the printed page carries the shares, one line a unit; a click on (+) shows the counts. The
    counts are the model's expected dossiers, unrounded (shown whole): the shares are the model's own."""
    s = proj.scenario
    ws = wb.create_sheet(_sheet_title(index, scenario_name(s)))
    # titles in D, the first printed column: A–C hold the unit, kind and measure codes, hidden from print
    _title(ws, "D1", f"Kịch bản: {scenario_name(s)} — tỷ lệ hồ sơ trực tuyến dự kiến (%) theo tháng năm {s.plan_year}")
    seg = proj.units
    S = len(seg)
    volume = proj.unit_dossiers_monthly  # (M, S) expected dossiers
    online = proj.unit_monthly / 100 * volume
    head = 2
    _header_row(ws, head, ["Mã", "Loại", "Chỉ số", "Đơn vị"] + [f"T{m}" for m in range(1, 13)] + ["Chỉ tiêu"])
    first = head + 1
    codes = [kind_code(k, d) for k, d in zip(seg.kind, seg.district_id)]
    target_col = get_column_letter(5 + 12)  # Q
    bold = _font(True, False, TABLE_PT, None)

    def rows_of(row: int, label: str, code_a: str, code_b: str, strong: bool) -> None:
        for j, (measure, measure_vi) in enumerate(MEASURES):
            text(ws, f"A{row + j}", code_a)
            text(ws, f"B{row + j}", code_b)
            text(ws, f"C{row + j}", measure)
            cell = text(ws, f"D{row + j}", f"{label} — {measure_vi}" if measure_vi else label)
            if strong:
                cell.font = bold
            if measure != "r":
                ws.row_dimensions[row + j].outlineLevel = 1
                ws.row_dimensions[row + j].hidden = True

    for i in range(S):
        row = first + 3 * i
        rows_of(row, seg.name_vi.iloc[i], seg.seg_id.iloc[i], codes[i], False)
        for m in range(12):
            col = get_column_letter(5 + m)
            ws[f"{col}{row}"] = float(volume[m, i])
            ws[f"{col}{row + 1}"] = float(online[m, i])
            ws[f"{col}{row}"].number_format = ws[f"{col}{row + 1}"].number_format = COUNT
            ws[f"{col}{row + 2}"] = f'=IF({col}{row}=0,"",100*{col}{row + 1}/{col}{row})'
            ws[f"{col}{row + 2}"].number_format = "0.00"
        goal = seg.target_pct.iloc[i]
        if goal == goal:  # a unit without a target in the active set gets none
            ws[f"{target_col}{row + 2}"] = round(float(goal), 2)
            ws[f"{target_col}{row + 2}"].number_format = "0.00"
    last = first + 3 * S - 1
    blocks: dict[str, tuple[int, int, int]] = {}
    row = last + 1
    for block, members in _block_codes(seg, proj.blocks).items():
        rows_of(row, BLOCK_LABEL.get(block, (block, block))[0], "", "khoi", True)
        for m in range(12):
            col = get_column_letter(5 + m)
            for j, measure in enumerate(("n", "y")):
                if members and isinstance(members[0], int):
                    formula = "=" + "+".join(f"{col}{first + 3 * int(p) + j}" for p in members)
                else:
                    formula = _block_sum(members, col, first, last, measure)
                ws[f"{col}{row + j}"] = formula
                ws[f"{col}{row + j}"].number_format = COUNT
            ws[f"{col}{row + 2}"] = f'=IF({col}{row}=0,"",100*{col}{row + 1}/{col}{row})'
            ws[f"{col}{row + 2}"].number_format = "0.00"
            for j in range(3):
                ws[f"{col}{row + j}"].font = bold
        goal = proj.target(block) if block in proj.blocks else None
        if goal is not None:
            ws[f"{target_col}{row + 2}"] = round(goal, 2)
            ws[f"{target_col}{row + 2}"].number_format = "0.00"
        blocks[block] = (row, row + 1, row + 2)
        row += 3
    ws.conditional_formatting.add(
        f"E{first}:P{row - 1}",
        FormulaRule(
            formula=[
                f'AND($C{first}="r",ISNUMBER(E{first}),ISNUMBER(${target_col}{first}),ROUND(E{first},2)<${target_col}{first})'
            ],
            fill=BELOW_TARGET,
            font=Font(color="9C0006"),
        ),
    )
    ws.sheet_properties.outlinePr.summaryBelow = True  # the (+) beside each unit's share line
    build.table(ws, head, row - 1, 4, 17)
    build.together(ws, head, head + 3)
    text(
        ws,
        f"D{row}",
        f"Chỉ tiêu theo {proj.target_set.name_vi}. Số hồ sơ dự kiến của từng đơn vị: mở nhóm dòng (dấu + bên trái); "
        "đó là số bình quân, in làm tròn đến hồ sơ, và tỷ lệ tính từ số chưa làm tròn.",
    ).font = _font(False, True, BODY_PT, None)
    build.together(ws, row - 3, row)  # the note follows the province's line
    _page_setup(
        ws, {"A": 14, "B": 6, "C": 4, "D": 30, **{get_column_letter(5 + m): 7.2 for m in range(12)}, "Q": 7.5}, "E3", "1:2"
    )
    # the codes feed the block rows' formulas; they are not printed
    for col in "ABC":
        ws.column_dimensions[col].hidden = True
    return {"sheet": ws.title, "blocks": blocks}


def _comparison_sheet(wb: Workbook, build: _Build, c: Compiled, projections: list[Projection], refs: list[dict]) -> None:
    scenarios = [p.scenario for p in projections]
    names = [scenario_name(s) for s in scenarios]
    n = len(scenarios)
    ws = wb.create_sheet("So sánh")
    _title(ws, "A1", "So sánh các kịch bản")
    _header_row(ws, 3, ["Chỉ số / biện pháp"] + names)
    row = 4
    december_row: dict[str, int] = {}
    blocks = list(refs[0]["blocks"])
    for block in blocks:
        label = BLOCK_LABEL.get(block, (block, block))[0]
        text(ws, f"A{row}", f"{label} — tháng 12")
        text(ws, f"A{row + 1}", f"{label} — cả năm")
        for j, ref in enumerate(refs):
            col = get_column_letter(2 + j)
            sheet = f"'{ref['sheet']}'"
            n_row, y_row, r_row = ref["blocks"][block]
            ws[f"{col}{row}"] = f'=IF({sheet}!P{r_row}="","",{sheet}!P{r_row}/100)'
            ws[f"{col}{row + 1}"] = (
                f'=IF(SUM({sheet}!E{n_row}:P{n_row})=0,"",SUM({sheet}!E{y_row}:P{y_row})/SUM({sheet}!E{n_row}:P{n_row}))'
            )
            ws[f"{col}{row}"].number_format = ws[f"{col}{row + 1}"].number_format = PCT
        december_row[block] = row
        row += 2
    text(ws, f"A{row}", "Toàn tỉnh — tháng 12, P10 (mô phỏng)")
    text(ws, f"A{row + 1}", "Toàn tỉnh — tháng 12, P90 (mô phỏng)")
    for j, proj in enumerate(projections):
        col = get_column_letter(2 + j)
        figures = proj.block("province")
        ws[f"{col}{row}"], ws[f"{col}{row + 1}"] = _share(figures.p10), _share(figures.p90)
        ws[f"{col}{row}"].number_format = ws[f"{col}{row + 1}"].number_format = PCT
    row += 2
    top = december_row.get("province", 4)
    # against the first scenario (the status quo when the built-in ones lead), and against each target
    text(ws, f"A{row}", f"Toàn tỉnh — tháng 12, chênh lệch so với “{names[0]}” (điểm %)")
    for j in range(n):
        col = get_column_letter(2 + j)
        ws[f"{col}{row}"] = f"=(ROUND({col}{top},{SHOWN})-ROUND(B{top},{SHOWN}))*100"
        ws[f"{col}{row}"].number_format = POINTS
    row += 1
    for block in blocks:
        goal = projections[0].target(block)
        if goal is None:
            continue
        text(ws, f"A{row}", f"{BLOCK_LABEL.get(block, (block, block))[0]} — đạt chỉ tiêu {fmt.pct(goal, 'vi')} tháng 12?")
        for j in range(n):
            col = get_column_letter(2 + j)
            ws[f"{col}{row}"] = _verdict(f"{col}{december_row[block]}", str(_share(goal)))
        row += 1
    text(ws, f"A{row}", "Thiết lập của từng biện pháp").font = _font(True, False, TABLE_PT, None)
    row += 1
    for lever in LEVERS:
        for p in lever.all_params():
            unit = _vi_unit(p.unit)
            text(
                ws,
                f"A{row}",
                vi_document(f"{lever.label_vi}: {p.label_vi} ({unit})" if unit else f"{lever.label_vi}: {p.label_vi}"),
            )
            for j, s in enumerate(scenarios):
                # a rollout set "as the peers" or "as the best" is the share it resolves to, not the 0 in its setting
                value = resolved_adoption_pct(c, s, p.id) if p.id in ADOPTION_PARAMS else s.settings[p.id]
                ws[f"{get_column_letter(2 + j)}{row}"] = round(float(value), 6)
            row += 1
    text(ws, f"A{row}", "Giả định và hệ số tác động").font = _font(True, False, TABLE_PT, None)
    row += 1
    for a in ASSUMPTIONS:
        unit = _vi_unit(a.unit)
        text(ws, f"A{row}", vi_document(f"{a.label_vi} ({unit})" if unit else a.label_vi))
        for j, s in enumerate(scenarios):
            cell = f"{get_column_letter(2 + j)}{row}"
            if a.choices:
                text(ws, cell, next(lv for v, lv, _ in a.choices if v == s.start_point))
            else:
                ws[cell] = s.assumptions[a.id]
        row += 1
    for lever in LEVERS:
        for e in lever.effects:
            estimated = any(e.id in s.estimated for s in scenarios)
            kind = "giả định hoặc ước lượng từ số liệu" if estimated else "giả định"
            text(ws, f"A{row}", vi_document(f"{e.label_vi} ({_vi_unit(e.unit)}; {kind})"))
            for j, s in enumerate(scenarios):
                ws[f"{get_column_letter(2 + j)}{row}"] = s.effects[e.id]
            row += 1
            if estimated:  # which scenario draws on a range learned from a dataset, and which on the assumption
                text(ws, f"A{row}", vi_document("   khoảng thấp–cao của hệ số trên"))
                for j, s in enumerate(scenarios):
                    low, high = s.effect_range(e.id)
                    source = s.estimated[e.id].label("vi") if e.id in s.estimated else "giả định"
                    text(ws, f"{get_column_letter(2 + j)}{row}", f"{fmt.number(low, 'vi')}–{fmt.number(high, 'vi')} ({source})")
                row += 1
    build.table(ws, 3, row - 1, 1, 1 + n)
    ws.print_area = f"A1:{get_column_letter(1 + n)}{row - 1}"  # the charts' data below prints as the charts
    # the charts' data: each block's share by month for each scenario, as formulas, and its target
    charts = wb.create_sheet("Biểu đồ")
    _title(charts, "A1", "Tỷ lệ hồ sơ trực tuyến theo tháng, từng khối (nét đứt: chỉ tiêu)")
    row += 1
    per_page = 30  # rows of the chart sheet a landscape page holds (15 pt each)
    for b, block in enumerate(blocks):
        label = BLOCK_LABEL.get(block, (block, block))[0]
        _title(ws, f"A{row}", f"{label} theo tháng", TABLE_PT)
        head = row + 1
        goal = projections[0].target(block)
        _header_row(ws, head, ["Tháng"] + names + (["Chỉ tiêu"] if goal is not None else []))
        for m in range(12):
            r = head + 1 + m
            text(ws, f"A{r}", fmt.month_label(m + 1, scenarios[0].plan_year, "vi"))
            for j, ref in enumerate(refs):
                share_row = ref["blocks"][block][2]
                src = f"'{ref['sheet']}'!{get_column_letter(5 + m)}{share_row}"
                ws[f"{get_column_letter(2 + j)}{r}"] = f'=IF({src}="","",{src}/100)'
                ws[f"{get_column_letter(2 + j)}{r}"].number_format = PCT
            if goal is not None:
                ws[f"{get_column_letter(2 + n)}{r}"] = _share(goal)
                ws[f"{get_column_letter(2 + n)}{r}"].number_format = PCT
        build.table(ws, head, head + 12, 1, 1 + n + (1 if goal is not None else 0))
        build.together(ws, row, head + 12)  # a title stays with its table
        chart = LineChart()
        chart.title = f"{label}: tỷ lệ hồ sơ trực tuyến theo tháng"
        chart.y_axis.number_format = "0%"
        # the decree's font, and no text under 11 pt (the program's default for axes and legend is 10 pt)
        chart.x_axis.txPr = chart.y_axis.txPr = _chart_text(TABLE_PT)
        chart.legend.txPr = _chart_text(TABLE_PT)
        chart.x_axis.delete = chart.y_axis.delete = False  # axes that Excel shows
        n_series = n + (1 if goal is not None else 0)
        chart.add_data(Reference(ws, min_col=2, max_col=1 + n_series, min_row=head, max_row=head + 12), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + 12))
        for series in chart.series:
            series.smooth = False
        if goal is not None:
            chart.series[-1].graphicalProperties.line.dashStyle = "dash"
            chart.series[-1].graphicalProperties.line.solidFill = "D55E00"
        # the legend below the plot, and the plot's place fixed: LibreOffice let a long legend fill the
        # chart and squeezed the plot to a sliver
        chart.legend.position = "b"
        chart.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.08, y=0.1, w=0.88, h=0.6, xMode="edge", yMode="edge"))
        chart.height, chart.width = 13.5, 23
        charts.add_chart(chart, f"A{3 + per_page * b}")  # one chart a page, never across a page break
        if b:
            charts.row_breaks.append(Break(id=1 + per_page * b))
        row = head + 14
    for r in range(1, per_page * len(blocks) + 2):
        charts.row_dimensions[r].height = 15
    _page_setup(charts, {"A": 12}, "A2")
    width = max(12.0, min(20.0, (PRINT_WIDTH["landscape"] - 64) / max(n, 1)))
    _page_setup(ws, {"A": 64, **{get_column_letter(2 + j): width for j in range(n)}}, "B4", titles="3:3")


def _chart_text(size: float) -> RichText:
    props = CharacterProperties(sz=int(size * 100), latin=DrawingFont(typeface=FONT_NAME))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _annex_groups(units: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The annex's groups, from the kinds of unit the data has: departments; district offices; the
    communes (of districts, or — after 7/2025 — communes and wards reporting on their own)."""
    codes = np.array([kind_code(k, d) for k, d in zip(units.kind, units.district_id)])
    groups = []
    for label, kinds in (
        ("Sở, ban, ngành", ("so",)),
        ("UBND cấp huyện", ("huyen",)),
        ("Cấp xã", ("xa-huyen",)),
        ("Cấp xã (UBND xã, phường)", ("xa",)),
    ):
        members = units[np.isin(codes, kinds)]
        if not members.empty:
            groups.append((label, members))
    return groups


ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class AnnexRow:
    """One unit's line of the annex: its target in the decision in force, the allocation's proposal,
    and the target the annex sets (a whole percent, never below the decision's unless lowered on purpose)."""

    seg_id: str
    decision_pct: float | None
    allocated_pct: float | None
    annex_pct: float | None
    lowered: bool


def annex_targets(proj: Projection, target_pct: float, lowered: dict[str, float] | None = None) -> list[AnnexRow]:
    """The annex's unit targets, whole percents: each unit at least its target in the decision in force
    and its own projected December; if that does not reach `target_pct` for the province, the
    least-effort allocation towards it raises them. `lowered` (seg_id -> percent) sets a unit's target on
    purpose, below the decision's if so chosen; its row is then marked."""
    units = proj.units
    decision = units.target_pct.to_numpy(float)
    december = np.where(units.has_data.to_numpy(bool), units.december_pct.to_numpy(float), np.nan)
    floor = np.fmax(decision, december)  # NaN only where there is neither
    whole = np.where(np.isnan(floor), np.nan, np.minimum(100.0, np.ceil(floor - 1e-6)))
    weight = np.where(units.has_data.to_numpy(bool), units.report_dossiers.to_numpy(float), 0.0)
    counted = ~np.isnan(whole) & (weight > 0)
    reached = weight[counted].sum() > 0 and (weight[counted] * whole[counted]).sum() / weight[counted].sum() >= target_pct - 1e-9
    allocated: dict[str, float] = {}
    if not reached:  # the decision's targets fall short of the province's: the allocation raises them
        out = allocate(proj, target_pct, "province")
        allocated = dict(zip(out.table.seg_id, out.table.target_pct))
    rows = []
    for i, u in enumerate(units.itertuples()):
        proposal = allocated.get(u.seg_id)
        candidates = [v for v in (proposal, None if np.isnan(whole[i]) else whole[i]) if v is not None]
        annex = float(min(100, math.ceil(max(candidates) - 1e-6))) if candidates else None
        chosen = (lowered or {}).get(u.seg_id)
        if chosen is not None:
            annex = float(round(chosen))
        dec = None if np.isnan(decision[i]) else float(decision[i])
        marked = chosen is not None and dec is not None and annex is not None and annex < dec
        rows.append(AnnexRow(u.seg_id, dec, proposal, annex, marked))
    return rows


def _province_target_origin(proj: Projection, target_pct: float) -> str:
    """Where the annex's province target comes from, in words."""
    set_by_decision = proj.target_set.block_pct.get("province")
    if set_by_decision is not None and abs(set_by_decision - target_pct) < 1e-9:
        return "(theo quyết định)"
    derived = proj.target("province")
    if derived is not None and abs(derived - target_pct) < 1e-9:
        return "(bình quân các chỉ tiêu khối của quyết định, theo số hồ sơ)"
    return "(do người lập kế hoạch đặt)"


def _annex_sheet(
    wb: Workbook,
    build: _Build,
    c: Compiled,
    proj: Projection,
    target_pct: float,
    base_rows: dict[str, int],
    lowered: dict[str, float] | None,
) -> None:
    """The annex in the form a plan annex takes: attached to the plan (number and date left for the
    office to fill in), STT, groups with subtotals, every unit — its counts linked to the baseline
    sheet, so an edit there flows through. The province line is the rows' dossier-weighted mean."""
    s = proj.scenario
    year = s.plan_year
    ws = wb.create_sheet("Phụ lục chỉ tiêu")
    rows_by_seg = {r.seg_id: r for r in annex_targets(proj, target_pct, lowered)}
    width_cols = "I"
    for r in range(1, 5):
        ws.merge_cells(f"A{r}:{width_cols}{r}")
    text(ws, "A1", "PHỤ LỤC").font = _font(True, False, BODY_PT, None)
    text(ws, "A2", f"CHỈ TIÊU TỶ LỆ HỒ SƠ NỘP TRỰC TUYẾN THÁNG 12 NĂM {year} CỦA CÁC CƠ QUAN, ĐƠN VỊ").font = _font(
        True, False, BODY_PT, None
    )
    text(ws, "A3", "(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng      năm        của UBND tỉnh Sơn La)").font = _font(
        False, True, BODY_PT, None
    )
    has_lowered = any(r.lowered for r in rows_by_seg.values())
    text(
        ws,
        "A4",
        f"Căn cứ {decision_line(proj.target_set)}. Chỉ tiêu của từng đơn vị là tỷ lệ hồ sơ nộp trực tuyến trong tháng "
        f"12/{year}, tối thiểu bằng chỉ tiêu đơn vị đó được giao theo quyết định trên và mức dự kiến của đơn vị theo kịch bản "
        f"“{scenario_name(s)}”, làm tròn lên số nguyên phần trăm. Mục tiêu toàn tỉnh: {fmt.pct(target_pct, 'vi')} "
        + _province_target_origin(proj, target_pct)
        + ". Dòng “Toàn tỉnh” là bình quân các chỉ tiêu đơn vị theo số hồ sơ."
        + (" Dòng đánh dấu (*): chỉ tiêu được chủ động giao thấp hơn quyết định." if has_lowered else ""),
    )
    for ref in ("A1", "A2", "A3"):
        ws[ref].alignment = Alignment(horizontal="center", wrap_text=True, vertical="top")
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
            "Chỉ tiêu theo quyết định",
            f"Chỉ tiêu tháng 12/{year}",
            "Hồ sơ trực tuyến tăng thêm mỗi tháng",
            "Ghi chú",
        ],
    )
    base = "'Số liệu gốc'"
    row = head + 1
    subtotal_rows = []
    for g, (label, members) in enumerate(_annex_groups(proj.units)):
        group_row = row
        text(ws, f"A{row}", ROMAN[g]).font = _font(True, False, TABLE_PT, None)
        text(ws, f"B{row}", label).font = _font(True, False, TABLE_PT, None)
        row += 1
        first = row
        build.together(ws, group_row, min(group_row + 2, group_row + len(members)))
        for number, u in enumerate(members.itertuples(), start=1):
            line = rows_by_seg[u.seg_id]
            ws[f"A{row}"] = number
            text(ws, f"B{row}", u.name_vi)
            at = base_rows.get(u.unit_id)
            if at is not None:
                r = at
                if u.kind == "commune" and isinstance(u.district_id, str):
                    ws[f"C{row}"] = f"=N({base}!G{r})-N({base}!D{r})"
                    ws[f"D{row}"] = f"=N({base}!H{r})-N({base}!E{r})"
                else:
                    ws[f"C{row}"] = f"=N({base}!D{r})"
                    ws[f"D{row}"] = f"=N({base}!E{r})"
                ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
            if line.decision_pct is not None:
                ws[f"F{row}"] = _share(line.decision_pct)
            if line.annex_pct is not None:
                ws[f"G{row}"] = round(line.annex_pct / 100, 2)
                ws[f"H{row}"] = f'=IF(OR(E{row}="",G{row}=""),"",MAX(0,ROUND((G{row}-E{row})*C{row}/12,0)))'
            if line.lowered:
                text(ws, f"I{row}", "(*) thấp hơn quyết định")
                for col in "FG":
                    ws[f"{col}{row}"].fill = MARKED
            elif not u.has_data or not u.report_dossiers:
                text(ws, f"I{row}", "chưa có số liệu: theo quyết định")
            for col, form in (("C", COUNT), ("D", COUNT), ("E", PCT), ("F", WHOLE_PCT), ("G", AT_LEAST_PCT), ("H", COUNT)):
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
            ws[f"{col}{group_row}"].font = _font(True, False, TABLE_PT, None)
        subtotal_rows.append(group_row)
    text(ws, f"B{row}", "Toàn tỉnh").font = _font(True, False, TABLE_PT, None)
    for col in ("C", "D", "H"):
        ws[f"{col}{row}"] = "=" + "+".join(f"{col}{r}" for r in subtotal_rows)
        ws[f"{col}{row}"].number_format = COUNT
        ws[f"{col}{row}"].font = _font(True, False, TABLE_PT, None)
    ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
    ws[f"G{row}"] = f'=IF(C{row}=0,"",(' + "+".join(f"N(C{r})*N(G{r})" for r in subtotal_rows) + f")/C{row})"
    for col in ("E", "G"):
        ws[f"{col}{row}"].number_format = PCT
        ws[f"{col}{row}"].font = _font(True, False, TABLE_PT, None)
    build.together(ws, row - 2, row)  # the province line never alone on a page
    build.table(ws, head, row, 1, 9)
    _page_setup(
        ws, {"A": 5, "B": 34, "C": 11, "D": 11, "E": 10, "F": 10, "G": 13, "H": 11, "I": 19}, "C7", titles=f"{head}:{head}"
    )


def _summary_sheet(wb: Workbook, build: _Build, c: Compiled, projections: list[Projection], plan: Projection, refs) -> None:
    """For the province and each block, where it stood, the plan-year December (the scenario sheet's own
    cell) with its range, the target, the gap and the verdict; then the plan's contributions."""
    ws = wb.create_sheet("Tóm tắt", 1)
    year = plan.plan_year
    _title(ws, "A1", f"Tóm tắt kế hoạch năm {year}")
    text(ws, "A2", f"Chỉ tiêu theo {plan.target_set.name_vi}. Thực tế: {c.report.label_vi}.")
    head = 4
    month = _month(c.report.period)
    _header_row(
        ws,
        head,
        [
            "Kịch bản / khối",
            f"Thực tế đến {month}",
            f"Tháng 12/{year}",
            "Khoảng P10–P90",
            "Chỉ tiêu",
            "Chênh lệch (điểm %)",
            "Đánh giá",
        ],
    )
    row = head + 1
    for proj, ref in zip(projections, refs):  # noqa: B007
        _title(ws, f"A{row}", scenario_name(proj.scenario), TABLE_PT)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        build.together(ws, row, row + min(2, len(ref["blocks"])))
        row += 1
        for block, (_, _, r_row) in ref["blocks"].items():
            f = proj.block(block)
            text(ws, f"A{row}", BLOCK_LABEL.get(block, (block, block))[0])
            ws[f"B{row}"] = _share(f.report_share)
            src = f"'{ref['sheet']}'!P{r_row}"
            ws[f"C{row}"] = f'=IF({src}="","",{src}/100)'
            text(ws, f"D{row}", f"{fmt.pct(f.p10, 'vi')} – {fmt.pct(f.p90, 'vi')}")
            if f.target is not None:
                ws[f"E{row}"] = _share(f.target)
                ws[f"F{row}"] = f"=(ROUND(C{row},{SHOWN})-E{row})*100"
                ws[f"G{row}"] = _verdict(f"C{row}", f"E{row}")
            else:
                text(ws, f"G{row}", "Chưa có chỉ tiêu")
            for col, form in (("B", PCT), ("C", PCT), ("E", PCT), ("F", POINTS)):
                ws[f"{col}{row}"].number_format = form
            row += 1
    build.table(ws, head, row - 1, 1, 7)
    text(ws, f"A{row}", "Khoảng P10–P90: 80% kết quả mô phỏng nằm trong khoảng này.").font = _font(False, True, TABLE_PT, None)
    row += 2
    contrib = plan.contributions
    if contrib is not None and len(contrib):
        _title(
            ws, f"A{row}", f"Đóng góp của từng biện pháp — {scenario_name(plan.scenario)}, toàn tỉnh, tháng 12 (điểm %)", TABLE_PT
        )
        row += 1
        _header_row(ws, row, ["Biện pháp", "", "", "Đóng góp (điểm %)", "Loại"])
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        top = row - 1
        part = contrib[(contrib.period == "december") & (contrib.block == "province")]
        for r in part.itertuples():
            row += 1
            lever = next(lv for lv in LEVERS if lv.id == r.lever)
            text(ws, f"A{row}", lever.label_vi)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            if abs(float(r.points)) < 0.005:
                text(ws, f"D{row}", "dưới 0,01")
            else:
                ws[f"D{row}"] = round(float(r.points), 4)
                ws[f"D{row}"].number_format = POINTS
            ws[f"D{row}"].alignment = Alignment(horizontal="right")
            text(
                ws,
                f"E{row}",
                "hiệu chỉnh số đo được (không đổi tỷ lệ thực tế)" if r.kind == "measurement" else "thay đổi hành vi",
            )
            ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=7)
        ws.merge_cells(start_row=top + 1, start_column=5, end_row=top + 1, end_column=7)
        build.table(ws, top + 1, row, 1, 7)
        build.together(ws, top, top + 3)
    # upright: the summary and the contributions on one page (landscape split them, and repeated the
    # summary's header above the contributions)
    _page_setup(ws, {"A": 23, "B": 9, "C": 9, "D": 15, "E": 7.5, "F": 8, "G": 8}, "A5", titles=f"{head}:{head}", portrait=True)


LONG_COLUMNS = [
    "Kịch bản",
    "Năm kế hoạch",
    "Cấp",
    "Mã",
    "Đơn vị / khối",
    "Tháng",
    "Số hồ sơ",
    "Hồ sơ trực tuyến",
    "Tỷ lệ (%)",
    "Tỷ lệ đo được (%)",
    "Hiện trạng (%)",
    "Giữ nguyên (%)",
    "P10 (%)",
    "P50 (%)",
    "P90 (%)",
]


BLOCK_CODE_VI = {
    "province": "toan-tinh",
    "department": "khoi-so",
    "district_incl_communes": "khoi-huyen",
    "district_offices": "ubnd-huyen",
    "communes": "cap-xa",
}


def code_vi(seg_or_block: str) -> str:
    """A unit's or block's code as the long data prints it: the program's codes end in English words."""
    if seg_or_block in BLOCK_CODE_VI:
        return BLOCK_CODE_VI[seg_or_block]
    return seg_or_block.replace(":communes", ":cap-xa").replace(":office", ":tru-so")


def long_rows(proj: Projection) -> list[list]:
    """The long data: one row per unit or block × month, with the counts (expected dossiers) beside
    the shares, so a pivot table over units adds dossiers up and divides, never averages shares."""
    name = scenario_name(proj.scenario)
    units = proj.units
    volume, share = proj.unit_dossiers_monthly, proj.unit_monthly
    online = share / 100 * volume
    masks = block_masks(units)
    out: list[list] = []
    ids, names = [code_vi(i) for i in units.seg_id], units.name_vi.tolist()
    volume_list, online_list = volume.tolist(), online.tolist()
    share_list = np.round(share, 6).tolist()
    for m in range(12):
        for i in range(len(ids)):
            n = volume_list[m][i]
            # unit rows stop at the share: the band and the reference lines are the blocks'
            out.append(
                [
                    name,
                    proj.plan_year,
                    "đơn vị",
                    ids[i],
                    names[i],
                    m + 1,
                    n,
                    online_list[m][i],
                    share_list[m][i] if n > 0 else None,
                ]
            )
    for k, block in enumerate(proj.blocks):
        mask = masks.get(block)
        if mask is None or not mask.any():  # a block the data does not have (no districts after 7/2025)
            continue
        for m in range(12):
            n = float(volume[m, mask].sum()) if mask is not None else None
            y = float(online[m, mask].sum()) if mask is not None else None
            values = (
                proj.monthly,
                proj.monthly_measured,
                proj.status_quo_monthly,
                proj.flat_monthly,
                proj.band_monthly[0],
                proj.band_monthly[1],
                proj.band_monthly[2],
            )
            out.append(
                [name, proj.plan_year, "khối", code_vi(block), BLOCK_LABEL.get(block, (block, block))[0], m + 1, n, y]
                + [None if v[m, k] != v[m, k] else round(float(v[m, k]), 6) for v in values]
            )
    return out


def _long_data_sheet(wb: Workbook, projections: list[Projection]) -> None:
    """Unit or block × month × scenario, one row each, counts and shares, with an autofilter: ready for a
    pivot table. Not for paper: only its first line, which says so, prints."""
    ws = wb.create_sheet("Dữ liệu dài")
    ws.append(
        [
            "Dữ liệu để lập bảng tổng hợp: mỗi dòng là một đơn vị hoặc một khối, một tháng, một kịch bản. "
            "Cộng số hồ sơ rồi chia, không lấy bình quân các tỷ lệ. Trang này không in bảng số liệu."
        ]
    )
    ws.append([])
    ws.append(LONG_COLUMNS)
    for col in range(1, len(LONG_COLUMNS) + 1):
        cell = ws.cell(3, col)
        cell.font, cell.fill = _font(True, False, TABLE_PT, "FFFFFF"), HEADER_FILL
    for proj in projections:
        for values in long_rows(proj):
            ws.append(values)
    risky = {scenario_name(p.scenario) for p in projections if scenario_name(p.scenario)[:1] in ("=", "+", "-", "@")}
    if risky:  # a typed name that looks like a formula stays text
        for (cell,) in ws.iter_rows(min_row=4, min_col=1, max_col=1):
            if cell.value in risky:
                cell.data_type, cell.quotePrefix = "s", True
    for (cell,) in ws.iter_rows(min_row=4, min_col=1, max_col=1):
        if isinstance(cell.value, str) and cell.value != _clean(cell.value):
            cell.value = _clean(cell.value)
    last = ws.max_row
    ws.auto_filter.ref = f"A3:{get_column_letter(len(LONG_COLUMNS))}{last}"
    for counts in ws.iter_rows(min_row=4, max_row=last, min_col=7, max_col=8):  # G, H: the counts
        for cell in counts:
            cell.number_format = COUNT
    ws.print_area = "A1:I1"
    ws["A1"].font = _font(False, True, BODY_PT, None)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A1:I1")
    ws.row_dimensions[1].height = 3 * line_pt(BODY_PT) + 3
    ws.row_dimensions[3].height = 2 * line_pt(TABLE_PT) + 3
    _page_setup(
        ws,
        {"A": 26, "B": 8, "C": 8, "D": 16, "E": 30, "F": 7, "G": 11, "H": 11, **{get_column_letter(c): 10 for c in range(9, 16)}},
        "A4",
    )


def _tracking_sheet(wb: Workbook, build: _Build, tracking: Tracking) -> None:
    """Plan against actual per unit, then the blocks and the province: counts written, every ratio and
    the status a formula of them, so an edited count moves them."""
    plan = tracking.plan
    ws = wb.create_sheet("Theo dõi")
    # in B, the first printed column: A holds the unit codes, hidden from print
    _title(ws, "B1", f"Theo dõi thực hiện: kế hoạch “{plan.name}” (phiên bản {plan.version}), năm {plan.plan_year}")
    text(ws, "B2", vi_document(tracking.note_vi))
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
            "Kế hoạch: hồ sơ lũy kế",
            "Kế hoạch: trực tuyến lũy kế",
        ],
    )
    seen = np.array([m - 1 for m in tracking.months_with_data], dtype=int)
    planned_n = plan.unit_dossiers[seen].sum(axis=0) if len(seen) else np.zeros(len(plan.units))
    planned_y = (plan.unit_monthly / 100 * plan.unit_dossiers)[seen].sum(axis=0) if len(seen) else np.zeros(len(plan.units))
    position = {sid: i for i, sid in enumerate(plan.units.seg_id)}
    codes = {sid: kind_code(k, d) for sid, k, d in zip(plan.units.seg_id, plan.units.kind, plan.units.district_id)}
    tol = ON_TRACK_TOLERANCE_PTS
    labels = {k: v[0] for k, v in STATUS_LABEL.items()}

    def status_and_ratios(row: int) -> None:
        ws[f"E{row}"] = _ratio(f"D{row}", f"C{row}")
        ws[f"F{row}"] = _ratio(f"L{row}", f"K{row}")
        ws[f"G{row}"] = f'=IF(OR(E{row}="",F{row}=""),"",(ROUND(E{row},{SHOWN})-ROUND(F{row},{SHOWN}))*100)'
        ws[f"H{row}"] = (
            f'=IF(G{row}="","{labels["no_data"]}",IF(G{row}>{tol},"{labels["ahead"]}",'
            f'IF(G{row}<-{tol},"{labels["behind"]}","{labels["on_track"]}")))'
        )
        for col, form in (
            ("C", COUNT),
            ("D", COUNT),
            ("E", PCT),
            ("F", PCT),
            ("G", POINTS),
            ("I", PCT),
            ("J", COUNT),
            ("K", COUNT),
            ("L", COUNT),
        ):
            ws[f"{col}{row}"].number_format = form

    row = 5
    for u in tracking.units.itertuples():
        i = position.get(u.seg_id)
        text(ws, f"A{row}", codes.get(u.seg_id, ""))
        text(ws, f"B{row}", u.name_vi)
        ws[f"C{row}"], ws[f"D{row}"] = int(round(u.actual_dossiers_ytd)), int(round(u.actual_online_ytd))
        if i is not None:
            ws[f"K{row}"], ws[f"L{row}"] = float(planned_n[i]), float(planned_y[i])
        if u.target_pct == u.target_pct:
            ws[f"I{row}"] = _share(u.target_pct)
        if u.needed_online_per_month == u.needed_online_per_month:
            ws[f"J{row}"] = int(round(float(u.needed_online_per_month)))
        status_and_ratios(row)
        row += 1
    first, last = 5, row - 1
    units = plan.units.assign(district_id=plan.units.district_id.where(plan.units.district_id.notna(), None))
    for block, members in _block_codes(units, tuple(plan.blocks)).items():
        cell = text(ws, f"B{row}", BLOCK_LABEL.get(block, (block, block))[0])
        cell.font = _font(True, False, TABLE_PT, None)
        for col in ("C", "D", "K", "L"):
            rng = f"{col}${first}:{col}${last}"
            if members is None:
                ws[f"{col}{row}"] = f"=SUM({rng})"
            elif isinstance(members[0], str):
                ws[f"{col}{row}"] = "=" + "+".join(f'SUMIF($A${first}:$A${last},"{code}",{rng})' for code in members)
            else:
                ws[f"{col}{row}"] = "=" + "+".join(f"{col}{first + int(p)}" for p in members)
            ws[f"{col}{row}"].font = _font(True, False, TABLE_PT, None)
        if block in plan.blocks and plan.targets[plan.blocks.index(block)] == plan.targets[plan.blocks.index(block)]:
            ws[f"I{row}"] = _share(float(plan.targets[plan.blocks.index(block)]))
        status_and_ratios(row)
        row += 1
    build.table(ws, 4, row - 1, 2, 12)
    ws.column_dimensions["A"].hidden = True  # kind codes, for the block rows' SUMIFs
    _page_setup(
        ws,
        {"A": 8, "B": 28, "C": 10, "D": 11, "E": 9, "F": 9, "G": 9, "H": 11, "I": 8, "J": 11, "K": 9, "L": 10},
        "C5",
        titles="4:4",
    )


def _coverage_rows(ws: Worksheet, build: _Build, row: int, coverage: pd.DataFrame) -> None:
    """The backtest's coverage table: for each block and unit size class, and each span of months held
    out (3, 6), how often a held-out month fell inside each band's P10–P90 (nominal 80%). One row per
    class and span, so that it prints in the sheet's own columns."""
    _title(
        ws,
        f"A{row}",
        "Kiểm định trên các tháng đã có số liệu: tỷ lệ tháng thực tế nằm trong khoảng P10–P90 (danh nghĩa 80%)",
        TABLE_PT,
    )
    _header_row(
        ws,
        row + 1,
        [
            "Khối hoặc cỡ đơn vị",
            "Số tháng cuối giữ lại để kiểm định",
            BAND_LABEL["month"][0].capitalize(),
            BAND_LABEL["trend"][0].capitalize(),
            "Số lượt kiểm định",
        ],
    )

    def order(key: tuple[str, str]) -> tuple:
        level, ident = key
        if level == "block":  # the province first, then the blocks as the data lists them
            return (0, ident != "province", "")
        lower = re.match(r"\d+", ident)  # a size class by its lower bound: 0–20, 20–100, 100–300, 300+
        return (1, int(lower.group()) if lower else 0, ident)

    by_class: dict[tuple[str, str], dict[int, dict]] = {}
    for r in coverage.itertuples():
        cell = by_class.setdefault((str(r.level), str(r.id)), {}).setdefault(int(r.holdout), {"n": int(r.n)})
        cell[str(r.band)] = float(r.coverage_pct)
    r = row + 1
    for level, ident in sorted(by_class, key=order):
        label = BLOCK_LABEL.get(ident, (ident, ident))[0] if level == "block" else f"Đơn vị {ident.replace('-', '–')} hồ sơ/tháng"
        for k, (holdout, cell) in enumerate(sorted(by_class[(level, ident)].items())):
            r += 1
            if k == 0:
                text(ws, f"A{r}", label)
            ws[f"B{r}"] = holdout
            for col, band in (("C", "month"), ("D", "trend")):
                if band in cell:
                    ws[f"{col}{r}"] = round(cell[band] / 100, SHOWN)
                    ws[f"{col}{r}"].number_format = WHOLE_PCT
            ws[f"E{r}"] = cell["n"]
            ws[f"E{r}"].number_format = COUNT
    build.table(ws, row + 1, r, 1, 5)
    build.together(ws, row, min(r, row + 6))  # the title stays with the table's first rows


def _assumptions_sheet(wb: Workbook, build: _Build, coverage: pd.DataFrame | None = None, plan: Scenario | None = None) -> None:
    ws = wb.create_sheet("Giả định")
    _title(ws, "A1", "Biện pháp, hệ số tác động và giả định — nguồn")
    _header_row(ws, 3, ["Biện pháp / giả định", "Tham số", "Thấp", "Trung tâm", "Cao", "Đơn vị", "Loại", "Căn cứ"])
    row = 4
    for lever in LEVERS:
        for e in lever.effects:
            text(ws, f"A{row}", lever.label_vi)
            text(ws, f"B{row}", vi_document(e.label_vi))
            ws[f"C{row}"], ws[f"D{row}"], ws[f"E{row}"] = e.low, e.central, e.high
            text(ws, f"F{row}", _vi_unit(e.unit))
            text(ws, f"G{row}", "giả định" if e.assumption else "có nguồn")
            text(ws, f"H{row}", vi_document(e.source_vi))
            row += 1
            estimate = plan.estimated.get(e.id) if plan is not None else None
            if estimate is not None:  # the plan replaces this assumption by what the province's own months say
                text(ws, f"A{row}", lever.label_vi)
                text(ws, f"B{row}", vi_document(e.label_vi) + " — kế hoạch dùng")
                ws[f"C{row}"], ws[f"D{row}"], ws[f"E{row}"] = estimate.low, estimate.central, estimate.high
                text(ws, f"F{row}", _vi_unit(e.unit))
                text(ws, f"G{row}", estimate.label("vi"))
                text(
                    ws,
                    f"H{row}",
                    "Khoảng tin cậy 80% của ước lượng sai khác kép với thời điểm triển khai so le, trên các tháng của "
                    "tỉnh; thay cho khoảng giả định ở dòng trên.",
                )
                row += 1
    for a in ASSUMPTIONS:
        text(ws, f"A{row}", a.label_vi)
        text(ws, f"B{row}", vi_document(a.help_vi))
        if a.choices:
            text(ws, f"D{row}", a.choices[0][1])
        else:
            ws[f"C{row}"], ws[f"D{row}"], ws[f"E{row}"] = a.min, a.default, a.max
        text(ws, f"F{row}", _vi_unit(a.unit))
        text(ws, f"G{row}", "giả định" if a.assumption else "có nguồn")
        text(ws, f"H{row}", vi_document(a.source_vi))
        row += 1
    build.table(ws, 3, row - 1, 1, 8)
    if coverage is not None and not coverage.empty:
        # its own sheet, right after this one: this sheet's header row repeats on every page it prints
        text(ws, f"A{row + 1}", f"Độ phủ của các khoảng dự báo trên các tháng đã có số liệu: trang “{COVERAGE_SHEET}”.")
        cov = wb.create_sheet(COVERAGE_SHEET)
        _coverage_rows(cov, build, 1, coverage)
        _page_setup(cov, {"A": 26, "B": 16, "C": 12, "D": 12, "E": 12}, "A3", titles="2:2", portrait=True)
    _page_setup(ws, {"A": 20, "B": 30, "C": 7, "D": 9, "E": 7, "F": 10, "G": 9, "H": 34}, "A4", titles="3:3")


INDEX_766_SHEET = "Điểm QĐ 766"
COVERAGE_SHEET = "Kiểm định dự báo"  # the backtest's coverage by block and unit size, after "Giả định"


def _index_766_sheet(wb: Workbook, build: _Build, c: Compiled, plan: Projection, indicators: Indicators | None) -> None:
    """The Decision 766 points the plan buys in December: each group and part with its ratio, its
    points and P10–P90, where a part stops earning (its threshold), the points each lever adds, and
    the caveat that the portal's own score stays authoritative. Without the indicators' counts every
    figure says "chưa có số liệu", never 0."""
    from model.analysis import index_contributions
    from model.index766 import CURRENT

    result = plan.index_766
    formula = result.formula if result is not None else CURRENT
    ws = wb.create_sheet(INDEX_766_SHEET)
    _title(ws, "A1", f"Điểm Chỉ số Quyết định 766 tháng 12/{plan.plan_year} theo kịch bản kế hoạch")
    text(ws, "A2", f"Kịch bản: {scenario_name(plan.scenario)}. Công thức: {formula.name_vi} (phiên bản {formula.version}).")
    month = result.indicators_month if result is not None else None
    text(
        ws,
        "A3",
        f"Số liệu chỉ số: tháng {month[5:]}/{month[:4]}; các chỉ số không biện pháp nào tác động giữ ở giá trị tháng đó."
        if month
        else "Chưa có số liệu chỉ số 766 (nhập ở trang Tổng quan hoặc lệnh run --indicators): các điểm ghi “chưa có số liệu”.",
    )
    _header_row(ws, 5, ["Nhóm / thành phần", "Tỷ lệ dự báo", "Đủ điểm từ", "Điểm (trung tâm)", "P10", "P90", "Tối đa", "Ghi chú"])
    row = 6
    groups = result.groups if result is not None else ()
    for group in formula.groups:
        scored = next((g for g in groups if g.group.id == group.id), None)
        note = "" if group.checked else group.caveat_vi
        text(ws, f"A{row}", group.name_vi).font = _font(True, False, TABLE_PT, None)
        _points_cells(ws, row, None if scored is None else (scored.points, scored.p10, scored.p90), group.max_points)
        text(ws, f"H{row}", note)
        row += 1
        for part in group.parts:
            part_score = next((p for p in scored.parts if p.part.id == part.id), None) if scored is not None else None
            text(ws, f"A{row}", "   " + part.name_vi)
            if part_score is not None and part_score.ratio is not None:
                ws[f"B{row}"] = round(part_score.ratio, SHOWN)
                ws[f"B{row}"].number_format = PCT
            else:
                text(ws, f"B{row}", "chưa có số liệu")
            ws[f"C{row}"] = part.full_at
            ws[f"C{row}"].number_format = WHOLE_PCT
            _points_cells(
                ws, row, None if part_score is None else (part_score.points, part_score.p10, part_score.p90), part.max_points
            )
            if part_score is not None and part_score.missing:
                text(ws, f"H{row}", "Thiếu: " + "; ".join(COUNT_COLUMNS[col][0] for col in part_score.missing))
            row += 1
    build.table(ws, 5, row - 1, 1, 8)
    build.together(ws, 5, row - 1)
    row += 1
    if indicators is not None:
        per_lever = index_contributions(c, plan.scenario, indicators, formula)
        if not per_lever.empty:
            heading = row
            _title(
                ws, f"A{row}", "Điểm mỗi biện pháp thêm (tháng 12, giá trị Shapley: cộng lại bằng mức tăng của kịch bản)", BODY_PT
            )
            row += 1
            names = [g.name_vi for g in formula.groups]
            _header_row(ws, row, ["Biện pháp", *names])
            first = row
            by_lever = per_lever.pivot(index="lever", columns="group", values="points")
            for lever in LEVERS:
                if lever.id not in by_lever.index:
                    continue
                row += 1
                text(ws, f"A{row}", lever.label_vi)
                for j, group in enumerate(formula.groups):
                    value = by_lever.loc[lever.id].get(group.id)
                    ref = f"{get_column_letter(2 + j)}{row}"
                    if value is None or pd.isna(value):
                        text(ws, ref, "chưa có số liệu")
                    else:
                        ws[ref] = round(float(value), 2)
                        ws[ref].number_format = POINTS
            build.table(ws, first, row, 1, 1 + len(formula.groups))
            build.together(ws, heading, row)  # the heading stays with its table
            row += 2
    for line in (
        "Điểm ở đây được tính lại theo mô tả công thức của Cổng Dịch vụ công quốc gia. " + formula.authoritative_vi,
        "Dưới ngưỡng “đủ điểm từ”, mỗi điểm phần trăm tỷ lệ thêm điểm theo tỷ lệ; từ ngưỡng trở lên, không thêm điểm.",
    ):
        text(ws, f"A{row}", line).alignment = _alignment(True, None)
        ws.merge_cells(f"A{row}:H{row}")
        row += 1
    # no repeated title rows: the per-lever table that may follow on a second page has its own header
    _page_setup(ws, {"A": 42, "B": 11, "C": 10, "D": 10, "E": 7, "F": 7, "G": 7, "H": 28}, "A6")


def _points_cells(
    ws: Worksheet, row: int, points: tuple[float | None, float | None, float | None] | None, max_points: float
) -> None:
    """Central, P10 and P90 points in D–F ("chưa có số liệu" in D when missing), the maximum in G."""
    central, p10, p90 = points if points is not None else (None, None, None)
    if central is None:
        text(ws, f"D{row}", "chưa có số liệu")
    else:
        for col, value in zip("DEF", (central, p10, p90)):
            if value is not None:
                ws[f"{col}{row}"] = round(value, 2)
                ws[f"{col}{row}"].number_format = "0.00"
    ws[f"G{row}"] = max_points
    ws[f"G{row}"].number_format = "0.##"


def _plan_index(scenarios: list[Scenario], plan: int | str | None) -> int:
    """Which scenario is the plan (its annex, its contributions): given by position or by name (the
    name in its file or in the document). With one scenario it is that one; with several it must be said."""
    if plan is None:
        if len(scenarios) == 1:
            return 0
        raise ValueError("several scenarios: say which one is the plan (plan=index or name)")
    if isinstance(plan, int):
        if not -len(scenarios) <= plan < len(scenarios):
            raise ValueError(f"plan index {plan} is outside the {len(scenarios)} scenarios")
        return plan % len(scenarios)
    for j, s in enumerate(scenarios):
        if plan in (s.name, scenario_name(s)):
            return j
    raise ValueError(f"no scenario is named {plan!r}")


def build_workbook(
    c: Compiled,
    scenarios: list[Scenario],
    targets: TargetSet | None = None,
    annex_target_pct: float | None = None,
    draws: int = DEFAULT_DRAWS,
    tracking: Tracking | None = None,
    coverage: pd.DataFrame | None = None,
    *,
    plan: int | str | None = None,
    lowered: dict[str, float] | None = None,
    indicators: Indicators | None = None,
) -> bytes:
    """The workbook for `scenarios`, every sheet against one target set (`targets`, default Decision
    1434). `plan` says which scenario is the plan — its position in `scenarios` or its name; it may be
    left out only when there is one scenario. The annex aims at `annex_target_pct`, by default that
    set's province target; `lowered` (seg_id -> percent) sets a unit's annex target on purpose, below
    the decision's if so chosen (the row is marked). `indicators` (the Decision 766 counts) score the
    plan's points on their own sheet; `coverage` (calibration.coverage_table of the data's series) goes on
    the assumptions sheet. Printed to the standard of Decree 30/2020/NĐ-CP."""
    plan_at = _plan_index(scenarios, plan)
    with _BUILDING:
        _STATE.build = _Build()
        try:
            return _build(
                c,
                scenarios,
                plan_at,
                targets or DEFAULT_TARGET_SET,
                annex_target_pct,
                draws,
                tracking,
                coverage,
                lowered,
                indicators,
            )
        finally:
            _STATE.build = None


def _build(c, scenarios, plan_at, targets, annex_target_pct, draws, tracking, coverage, lowered, indicators) -> bytes:
    build: _Build = _STATE.build
    projections = [
        project(c, s, targets, draws, with_contributions=(j == plan_at), indicators=indicators if j == plan_at else None)
        for j, s in enumerate(scenarios)
    ]
    plan = projections[plan_at]
    target = plan.target("province")
    if annex_target_pct is None:
        annex_target_pct = target if target is not None else 30.0
    plan_name = scenario_name(plan.scenario)
    footer = f"Kế hoạch năm {plan.plan_year}: {plan_name}"
    wb = Workbook()
    # the workbook's default font is the decree's, at the tables' size: every cell without a font of its own prints in it
    wb._fonts = IndexedList([Font(name=FONT_NAME, sz=TABLE_PT, family=1)])
    wb.properties.title = f"Kế hoạch hồ sơ trực tuyến năm {plan.plan_year} — {plan_name}"
    wb.properties.subject = f"Tỷ lệ hồ sơ trực tuyến tỉnh Sơn La; chỉ tiêu theo {targets.name_vi}"
    wb.properties.creator = "Công cụ lập kế hoạch dịch vụ công trực tuyến tỉnh Sơn La"
    wb.properties.keywords = "dịch vụ công trực tuyến; hồ sơ trực tuyến; Sơn La"
    wb.properties.language = "vi-VN"
    cover = wb.active
    cover.title = "Bìa"
    _title(cover, "A1", "Kế hoạch tỷ lệ hồ sơ trực tuyến tỉnh Sơn La", 16)
    text(cover, "A2", f"Ngày xuất: {date.today().strftime('%d/%m/%Y')}")
    text(cover, "A3", f"Số liệu gốc: {c.report.label_vi} ({c.report.source})")
    text(cover, "A4", f"Kịch bản kế hoạch (dùng cho Phụ lục chỉ tiêu): {plan_name}")
    text(cover, "A5", f"Chỉ tiêu: {decision_line(targets)}")
    _header_row(cover, 7, ["Kịch bản", "Mô tả", "Tóm tắt"])
    for j, proj in enumerate(projections):
        row = 8 + j
        s, figures = proj.scenario, proj.block("province")
        text(cover, f"A{row}", scenario_name(s))
        text(cover, f"B{row}", vi_document(scenario_description(s)))
        text(cover, f"C{row}", summary(s, figures.december, figures.p10, figures.p90, figures.target, "vi"))
    build.table(cover, 7, 7 + len(projections), 1, 3)
    build.together(cover, 7, 8)
    _page_setup(cover, {"A": 24, "B": 46, "C": 56}, "A8", titles="7:7")
    base_rows = _baseline_sheet(wb, build, c)
    refs = [_scenario_sheet(wb, build, proj, j + 1) for j, proj in enumerate(projections)]
    _summary_sheet(wb, build, c, projections, plan, refs)
    _comparison_sheet(wb, build, c, projections, refs)
    _annex_sheet(wb, build, c, plan, annex_target_pct, base_rows, lowered)
    if tracking is not None:
        _tracking_sheet(wb, build, tracking)
    _index_766_sheet(wb, build, c, plan, indicators)
    _assumptions_sheet(wb, build, coverage, plan.scenario)
    _long_data_sheet(wb, projections)
    if build.removed:
        row = 9 + len(projections)
        text(cover, f"A{row}", "Đã bỏ ký tự điều khiển (không in được) khỏi: " + "; ".join(build.removed[:10])).font = _font(
            False, True, BODY_PT, None
        )
    for ws in wb.worksheets:
        if ws.title == "Dữ liệu dài":  # data for a pivot table: only its note prints
            _footer(ws, footer)
            continue
        if ws.title == "Biểu đồ":  # charts placed a page each
            _footer(ws, footer)
            continue
        _finish(ws, build, footer)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["build_workbook", "text", "lines_needed", "line_pt", "scenario_name", "decision_line", "annex_targets", "long_rows"]
