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
    assert wb.sheetnames[:2] == ["Bìa", "Số liệu gốc"] and wb.sheetnames[-3:] == ["So sánh", "Phụ lục chỉ tiêu", "Giả định"]
    assert len(wb.sheetnames) == 2 + 3 + 3
    ws = wb["KB2 Khuyến nghị của báo cáo (Th"]
    assert ws["D4"].value == "T1/2023" and ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.conditional_formatting  # below-target cells are highlighted
    ratio = ws["D" + str(ws.max_row - 20)].value
    assert isinstance(ratio, str) and ratio.startswith("=IF(")  # every ratio is a formula of its counts
    assert wb["Số liệu gốc"]["F4"].value == '=IF(D4=0,"",E4/D4)' and wb["Số liệu gốc"]["F4"].number_format == "0.00%"
    charts = wb["So sánh"]._charts
    assert len(charts) == 1 and type(charts[0]).__name__ == "LineChart"


def test_typed_text_never_becomes_a_formula(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    cover = wb["Bìa"]
    assert cover["A9"].value == INJECTION and cover["A9"].data_type == "s"
    assert cover["B9"].value == "+1+2 @SUM(A1) -3" and cover["B9"].data_type == "s"


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
            if ws.cell(row=r, column=1).value == "Tỷ lệ hồ sơ trực tuyến (= trực tuyến / tổng)"
        )
        share_first = title_row + 2  # title, header, then the units
        checked = 0
        for i in range(S):
            for m in range(12):
                cell = ws.cell(row=share_first + i, column=4 + m).value
                if C.volume[i] == 0:
                    assert cell in (None, "")
                    continue
                assert 100 * cell == pytest.approx(100 * res.share[j, m, i], abs=0.01)
                checked += 1
        for b in range(len(BLOCKS)):
            for m in range(12):
                cell = ws.cell(row=share_first + S + b, column=4 + m).value
                model = res.agg_share[j, m, b]
                if np.isnan(model):
                    assert cell in (None, "")
                else:
                    assert 100 * cell == pytest.approx(100 * model, abs=0.01)
        assert checked == 12 * int((C.volume > 0).sum())
    comparison = wb["So sánh"]
    for j in range(len(scs)):
        col = 2 + j
        assert 100 * comparison.cell(row=4, column=col).value == pytest.approx(100 * res.december_share[j, 0], abs=0.01)
        assert 100 * comparison.cell(row=5, column=col).value == pytest.approx(100 * res.annual_share[j, 0], abs=0.01)
    assert comparison.cell(row=3, column=4).value == INJECTION  # still text after LibreOffice
    base = wb["Số liệu gốc"]
    ratios = {base.cell(row=r, column=1).value: base.cell(row=r, column=6).value for r in range(4, 4 + 29)}
    assert 100 * ratios["so-gtvt"] == pytest.approx(100 * 334 / 28073, abs=0.01)
    annex = wb["Phụ lục chỉ tiêu"]
    last = annex.max_row
    assert annex.cell(row=last, column=1).value == "Toàn tỉnh"
    assert 100 * annex.cell(row=last, column=4).value == pytest.approx(10.19, abs=0.01)
    assert 100 * annex.cell(row=last, column=5).value == pytest.approx(
        allocate(project(C, scs[-1], draws=1, with_contributions=False), 30.0).achieved_pct, abs=0.01
    )


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
    assert openpyxl.load_workbook(out).sheetnames[2].startswith("KB1 Khuyến nghị")
