"""The Excel export: read back with openpyxl, and recalculated in LibreOffice headless."""

import io
import subprocess

import numpy as np
import openpyxl
import pytest

from model.allocation import allocate
from model.analysis import default_compiled, evaluate_scenarios
from model.excel import build_workbook
from model.projection import project
from model.segments import BLOCKS
from tests.conftest import SOFFICE, builtin

C = default_compiled()
INJECTION = '=HYPERLINK("http://example.invalid","bấm vào đây")'


def scenarios():
    sq, rec = builtin("status_quo"), builtin("recommendations")
    odd = rec.copy()
    odd.name = INJECTION
    odd.description = "+1+2 @SUM(A1) -3"
    odd.settings["fee_cut.cut_pct"] = 100.0
    return [sq, rec, odd]


@pytest.fixture(scope="module")
def workbook_bytes():
    return build_workbook(C, scenarios(), annex_target_pct=30.0, draws=300)


@pytest.fixture(scope="module")
def recalculated(workbook_bytes, tmp_path_factory):
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed (make test installs libreoffice-calc-nogui as root)")
    folder = tmp_path_factory.mktemp("lo")
    src = folder / "in.xlsx"
    src.write_bytes(workbook_bytes)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder / "out"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return openpyxl.load_workbook(folder / "out" / "in.xlsx", data_only=True)


def test_sheets_headers_and_layout(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    assert wb.sheetnames[:3] == ["Bìa", "Tóm tắt", "Số liệu gốc"]
    assert wb.sheetnames[-5:] == ["So sánh", "Biểu đồ", "Phụ lục chỉ tiêu", "Giả định", "Dữ liệu dài"]
    ws = wb["KB2 Khuyến nghị của báo cáo (Th"]
    assert ws["D4"].value == "T1/2023" and ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.conditional_formatting  # below-target cells are highlighted
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden  # codes are not printed
    assert wb.properties.title.startswith("Kế hoạch hồ sơ trực tuyến năm 2023") and wb.properties.creator
    for sheet in wb.worksheets:
        assert "Trang &P/&N" in sheet.oddFooter.center.text
        fonts = {c.font.name for row in sheet.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, sheet.title
    assert wb["Dữ liệu dài"].auto_filter.ref.startswith("A1:H")


def test_every_row_is_as_tall_as_its_wrapped_text(workbook_bytes):
    from model.excel import LINE_PT, lines_needed

    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                merged = next((m for m in ws.merged_cells.ranges if cell.coordinate in m), None)
                if merged is not None:
                    width = sum(
                        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43
                        for c in range(merged.min_col, merged.max_col + 1)
                    )
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= lines_needed(cell.value, width) * LINE_PT, (ws.title, cell.coordinate)


def test_print_titles_on_every_sheet_longer_than_a_page(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for ws in wb.worksheets:
        if ws.max_row > 30 and ws.title != "Biểu đồ":
            assert ws.print_title_rows, ws.title


def test_counts_are_whole_dossiers_and_totals_add_up_exactly(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    ws = wb["KB2 Khuyến nghị của báo cáo (Th"]
    for row in ws.iter_rows(min_row=5, max_row=5 + C.n_seg - 1, min_col=4, max_col=15):
        assert all(isinstance(c.value, int) for c in row)
    proj = project(C, scenarios()[1], draws=8, with_contributions=False)
    for i in range(C.n_seg):  # each unit's months add up to its rounded plan-year dossiers
        months = [ws.cell(5 + i, 4 + m).value for m in range(12)]
        assert sum(months) == round(float(proj.unit_dossiers_monthly[:, i].sum()))


def test_one_target_set_throughout(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    name = "Quyết định 1434/QĐ-UBND (2022)"
    assert name in wb["Bìa"]["A5"].value and name in wb["Tóm tắt"]["A2"].value
    assert name in wb["Phụ lục chỉ tiêu"]["A4"].value
    assert all(name in wb[n]["C2"].value for n in wb.sheetnames if n.startswith("KB"))  # C: the first printed column


def test_the_annex_is_in_the_form_of_a_plan_annex(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    ws = wb["Phụ lục chỉ tiêu"]
    assert ws["A1"].value == "PHỤ LỤC" and "Kèm theo Kế hoạch số" in ws["A3"].value
    groups = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value in ("I", "II", "III")]
    assert groups == ["I", "II", "III"]
    names = [ws.cell(r, 2).value for r in range(7, ws.max_row + 1)]
    assert "Sở Tài chính" in names  # every unit, including one without figures
    assert len([n for n in names if n]) == 3 + C.n_seg + 1  # groups, units, the province
    assert ws.print_title_rows and ws.page_setup.orientation == "portrait"


@pytest.mark.spreadsheet
def test_libreoffice_recalculation_matches_the_model(recalculated):
    wb = recalculated
    scs = scenarios()
    res = evaluate_scenarios(C, scs)
    S = C.n_seg
    for j, name in enumerate([n for n in wb.sheetnames if n.startswith("KB")]):
        ws = wb[name]
        title_row = next(
            r
            for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=3).value == "Tỷ lệ hồ sơ trực tuyến (= trực tuyến / tổng)"
        )
        share_first = title_row + 2  # title, header, then the units
        online_first = 2 + next(
            r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=3).value == "Số hồ sơ trực tuyến dự kiến"
        )
        for i in range(S):
            for m in range(12):
                cell = ws.cell(row=share_first + i, column=4 + m).value
                n = ws.cell(row=5 + i, column=4 + m).value
                y = ws.cell(row=online_first + i, column=4 + m).value
                if not n:
                    assert cell in (None, "")
                    continue
                assert cell == pytest.approx(y / n, abs=1e-12)  # the ratio is the formula of its whole counts
                assert abs(cell - res.share[j, m, i]) <= 2 / n + 1e-9  # within a dossier of the model, either count
        for b in range(len(BLOCKS)):
            for m in range(12):
                cell = ws.cell(row=share_first + S + b, column=4 + m).value
                model = res.agg_share[j, m, b]
                if np.isnan(model):
                    assert cell in (None, "")
                else:
                    # whole dossiers: each unit's rounding moves its block by at most a dossier of each count
                    assert 100 * cell == pytest.approx(100 * model, abs=0.25)
    comparison = wb["So sánh"]
    for j in range(len(scs)):
        col = 2 + j
        assert 100 * comparison.cell(row=4, column=col).value == pytest.approx(100 * res.december_share[j, 0], abs=0.25)
        assert 100 * comparison.cell(row=5, column=col).value == pytest.approx(100 * res.annual_share[j, 0], abs=0.25)
    assert comparison.cell(row=3, column=4).value == INJECTION  # still text after LibreOffice
    base = wb["Số liệu gốc"]
    ratios = {base.cell(row=r, column=1).value: base.cell(row=r, column=6).value for r in range(4, 4 + 29)}
    assert 100 * ratios["so-gtvt"] == pytest.approx(100 * 334 / 28073, abs=0.01)
    annex = wb["Phụ lục chỉ tiêu"]
    last = annex.max_row
    assert annex.cell(row=last, column=2).value == "Toàn tỉnh"
    assert annex.cell(row=last, column=3).value == 393881 and annex.cell(row=last, column=4).value == 40138
    assert 100 * annex.cell(row=last, column=5).value == pytest.approx(10.19, abs=0.01)
    assert 100 * annex.cell(row=last, column=7).value == pytest.approx(
        allocate(project(C, scs[-1], draws=1, with_contributions=False), 30.0).achieved_pct, abs=0.01
    )


@pytest.mark.spreadsheet
def test_an_edited_baseline_count_moves_the_annex_and_the_province_ratio(workbook_bytes, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    base = wb["Số liệu gốc"]
    row = next(r for r in range(4, 40) if base.cell(r, 1).value == "so-gtvt")
    base.cell(row, 5).value = 334 + 10_000  # Transport's online dossiers, corrected by the office
    src = tmp_path / "sua.xlsx"
    wb.save(src)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = openpyxl.load_workbook(tmp_path / "out" / "sua.xlsx", data_only=True)
    annex = out["Phụ lục chỉ tiêu"]
    last = annex.max_row
    assert annex.cell(last, 4).value == 40138 + 10_000
    assert 100 * annex.cell(last, 5).value == pytest.approx(100 * (40138 + 10_000) / 393881, abs=1e-6)
    gtvt = next(r for r in range(7, last) if annex.cell(r, 2).value == "Sở Giao thông vận tải")
    assert annex.cell(gtvt, 4).value == 334 + 10_000


@pytest.mark.spreadsheet
def test_the_printed_workbook_has_the_expected_pages_per_sheet(workbook_bytes, tmp_path):
    """LibreOffice prints it to PDF; each page's footer names its sheet."""
    import shutil

    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("poppler-utils is not installed (make test installs it as root)")
    src = tmp_path / "in.xlsx"
    src.write_bytes(workbook_bytes)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "in.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    counts: dict[str, int] = {}
    sheets = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).sheetnames
    for page in pages:
        tail = [line for line in page.splitlines() if line.strip()][-1]
        sheet = next((n for n in sorted(sheets, key=len, reverse=True) if tail.rstrip().endswith(n)), None)
        if sheet is None:  # a sheet name LibreOffice prints differently (quotes, long): its "KBn" token
            sheet = next((n for n in sheets if n.startswith("KB") and f" {n.split()[0]} " in f" {tail} "), "?")
        counts[sheet] = counts.get(sheet, 0) + 1
    expected = {"Bìa": 1, "Tóm tắt": 1, "Số liệu gốc": 1, "Phụ lục chỉ tiêu": 1, "Giả định": 1, "Dữ liệu dài": 1, "Biểu đồ": 5}
    for sheet, n in expected.items():
        assert counts.get(sheet) == n, (sheet, counts)
    for sheet in (n for n in sheets if n.startswith("KB")):
        assert counts.get(sheet) == 3, (sheet, counts)  # its three tables, a page each
    assert counts.get("So sánh", 0) <= 6


def test_cli_export(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    done = subprocess.run(
        [
            __import__("sys").executable,
            "-m",
            "model",
            "export",
            "--out",
            str(out),
            "data/scenarios/03_report_recommendations.json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1 scenario" in done.stdout
    assert openpyxl.load_workbook(out).sheetnames[3].startswith("KB1 Khuyến nghị")


def test_no_printed_row_loses_its_text_to_a_hidden_code_column():
    """Unit codes are hidden from print. A title written in a hidden column printed as an empty row: the
    scenario sheets lost their name and the titles of their three tables, Số liệu gốc and Theo dõi
    their headings. Every row with any text must show some of it in a printed column."""
    from model.series import series_from_long_csv
    from model.tracking import freeze, track
    from tests.series_support import long_csv_for

    plan = freeze(project(C, builtin("status_quo"), draws=64), "Kế hoạch", C.report.id)
    series = series_from_long_csv(long_csv_for(C.report, 22, last_period="2023-10"), "x.csv", C.report)
    workbook = build_workbook(C, scenarios(), annex_target_pct=30.0, draws=64, tracking=track(plan, series))
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert "Theo dõi" in wb.sheetnames
    for ws in wb.worksheets:
        hidden = {letter for letter, dim in ws.column_dimensions.items() if dim.hidden}
        if not hidden:
            continue
        for row in ws.iter_rows():
            filled = [c for c in row if c.value is not None]
            if filled:
                assert any(c.column_letter not in hidden for c in filled), (ws.title, row[0].row, filled[0].value)


def test_every_footer_has_room_for_its_line(workbook_bytes):
    """The footer prints in the band between the page's bottom margin and the footer margin. With the
    default footer margin that band was 0.1 in and LibreOffice cut "Trang X/Y" and the plan's name in
    half. A 12-pt line needs about 0.25 in."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for ws in wb.worksheets:
        if ws.oddFooter.center.text:
            assert ws.page_margins.bottom - ws.page_margins.footer >= 0.25, ws.title
