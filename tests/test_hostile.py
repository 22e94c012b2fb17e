"""Hostile and accidental input, one or more cases of every class, built here (hypothesis for text and
numbers; files written with openpyxl and zipfile): each ends in a clear rejection or an exact load,
never a crash, a hang, a silent change of numbers or an exhausted memory."""

import io
import subprocess
import sys
import textwrap
import unicodedata
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.baseline import ReportError, load_report
from model.importer import import_report, template_xlsx
from model.links import scenario_from_query
from model.scenario import Scenario, ScenarioError, scenarios_from_json
from model.segments import block_totals, build_segments
from model.store import NameTaken, ScenarioStore
from tests.conftest import ROOT, builtin
from tests.test_import import units_csv

REPORT = load_report()
TRUE_TOTALS = block_totals(build_segments(REPORT.units))


def load(data: bytes, name: str):
    return import_report(data, name, "Tháng 6/2023", "2023-06", counts="ytd")


def template_book():
    return openpyxl.load_workbook(io.BytesIO(template_xlsx(REPORT)))


def book_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rejected(data: bytes, name: str) -> list[str]:
    with pytest.raises(ReportError) as err:
        load(data, name)
    vi, en = err.value.messages("vi"), err.value.messages("en")
    assert all(m.startswith(name) for m in vi + en)
    assert not any("Traceback" in m or "Error(" in m for m in vi + en)
    return en


def units_sheet(wb):
    return wb["Đơn vị"]


def cell_of(ws, unit_id: str, column: str):
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "unit_id")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header_row, c).value == column)
    row = next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == unit_id)
    return ws.cell(row, col)


# ------------------------------------------------------------------ silent corruption


def test_the_template_loads_exactly_as_the_report():
    assert block_totals(build_segments(load(template_xlsx(REPORT), "mau.xlsx").units)) == TRUE_TOTALS


def test_a_formula_without_a_saved_value_is_refused_naming_its_cell():
    wb = template_book()
    cell = cell_of(units_sheet(wb), "so-y-te", "dossiers")
    cell.value = "=1000+931"  # openpyxl saves the formula and no value, as scripts and web exports do
    en = rejected(book_bytes(wb), "cong-thuc.xlsx")
    assert any(cell.coordinate in m and "formula with no saved value" in m and "Đơn vị" in m for m in en)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(list(REPORT.units[REPORT.units.kind == "department"].name)))
def test_the_same_name_in_another_unicode_form_is_a_duplicate(name):
    def mutate(header, body):
        dup = list(body[0])
        dup[header.index("unit_id")] = "ban-sao"
        dup[header.index("name")] = unicodedata.normalize("NFD", name)
        body.append(dup)
        body[0][header.index("name")] = name

    en = rejected(units_csv(mutate=mutate), "trung-ten.csv")
    assert any("already on row" in m for m in en)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 60))
def test_a_file_cut_off_inside_its_last_row_is_refused(cut):
    data = units_csv()
    text = data.decode("utf-8").rstrip("\n")
    last_line = text.rsplit("\n", 1)[1]
    cut = min(cut, len(last_line) - 1)
    truncated = (text[: len(text) - cut]).encode("utf-8")
    try:
        got = load(truncated, "bi-cat.csv")
    except ReportError as err:
        assert err.value if hasattr(err, "value") else True
        return
    # if the cut fell exactly between cells of a blank trailing field, every count is still exact
    assert block_totals(build_segments(got.units)) == TRUE_TOTALS


def test_a_stray_quote_in_the_last_row_is_refused():
    data = units_csv().decode("utf-8").rstrip("\n")
    head, last = data.rsplit("\n", 1)
    broken = (head + "\n" + last.replace(",", ',"', 1)).encode("utf-8")
    en = rejected(broken, "ngoac-kep.csv")
    assert any("double quote" in m for m in en)


# ------------------------------------------------------------------ memory and time, in a capped subprocess

CAPPED = textwrap.dedent("""
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from model.importer import import_report
    from model.baseline import ReportError
    data = open(sys.argv[1], "rb").read()
    t0 = time.perf_counter()
    try:
        import_report(data, sys.argv[2], "x", "2023-06", counts="ytd")
        print("LOADED", round(time.perf_counter() - t0, 2))
    except ReportError as err:
        print("REJECTED", round(time.perf_counter() - t0, 2), err.messages("en")[0])
""")


def run_capped(tmp_path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", CAPPED, str(path), name], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_stray_cell_far_down_loads_exactly_without_walking_the_sheet(tmp_path):
    wb = template_book()
    units_sheet(wb).cell(1_048_576, 1).value = " "  # a space in Excel's last row
    units_sheet(wb).cell(3, 16_000).value = " "  # and one far right
    out = run_capped(tmp_path, book_bytes(wb), "o-le.xlsx")
    assert out.startswith("LOADED")
    assert float(out.split()[1]) < 10


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path):
    good = template_xlsx(REPORT)
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("xl/media/padding.bin", b"\0" * 400_000_000)
    assert len(buf.getvalue()) < 2_000_000
    out = run_capped(tmp_path, buf.getvalue(), "bom.xlsx")
    assert out.startswith("REJECTED") and "expands too much" in out


def test_a_file_under_the_size_limit_with_too_many_rows_is_refused(tmp_path):
    rows = ["unit_id,order,kind,name"] + [f"u{i},{i},,x" for i in range(100_000)]
    data = ("\n".join(rows) + "\n").encode()
    assert len(data) < 2_000_000
    out = run_capped(tmp_path, data, "nhieu-dong.csv")
    assert out.startswith("REJECTED") and "rows" in out


# ------------------------------------------------------------------ crashes


@settings(max_examples=20, deadline=None)
@given(st.integers(10**8 + 1, 10**40))
def test_numbers_beyond_a_plausible_count_are_refused(value):
    def mutate(header, body):
        body[0][header.index("dossiers")] = str(value)

    en = rejected(units_csv(mutate=mutate), "so-lon.csv")
    assert any("plausible" in m for m in en)


def test_a_200000_character_cell_is_refused():
    wb = template_book()
    cell_of(units_sheet(wb), "so-y-te", "name").value = "Sở " + "Y" * 200_000
    en = rejected(book_bytes(wb), "o-dai.xlsx")
    assert any("characters (at most 1000)" in m and "Đơn vị" in m for m in en)


@pytest.mark.parametrize("damage", ["truncate_sheet", "garbage_sheet", "no_workbook_part"])
def test_a_damaged_workbook_is_refused_with_the_projects_message(damage):
    good = zipfile.ZipFile(io.BytesIO(template_xlsx(REPORT)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in good.infolist():
            body = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and damage == "truncate_sheet":
                body = body[: len(body) // 2]
            if item.filename == "xl/worksheets/sheet1.xml" and damage == "garbage_sheet":
                body = b"<worksheet><sheetData><row><c r='A1'><v>1</v></row>"
            if item.filename == "xl/workbook.xml" and damage == "no_workbook_part":
                continue
            out.writestr(item, body)
    en = rejected(buf.getvalue(), "hong.xlsx")
    assert any("damaged" in m for m in en)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["\u202e", "\u0007", "\u200b", "\x0b", "\u2066"]), st.integers(0, 5))
def test_control_characters_in_a_unit_name_are_refused_by_name(char, at):
    def mutate(header, body):
        name = body[0][header.index("name")]
        body[0][header.index("name")] = name[:at] + char + name[at:]

    try:
        got = load(units_csv(mutate=mutate), "ky-tu.csv")
    except ReportError as err:
        assert any(f"U+{ord(char):04X}" in m for m in err.messages("en"))
        return
    # only a white-space control at the very start or end is trimmed away; the name is then clean
    assert char.isspace() and at == 0
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for n in got.units.name for ch in n)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{"schema_version": 1, "name": "x", "plan_year": ' + "9" * 5000 + "}", "number too long"),
        ('{"schema_version": 1, "name": "x", "name": "y"}', "appears twice"),
        (
            '{"schema_version": 1, "name": "x", "effects": {"fee_cut.logodds_full_cut": 1' + "0" * 400 + "}}",
            "must be a non-negative number",
        ),
    ],
)
def test_hostile_scenario_json_gets_a_message(text, expected):
    with pytest.raises(ScenarioError) as err:
        scenarios_from_json(text.encode(), "tep.json")
    assert any(expected in m for m in err.value.messages("en"))


# ------------------------------------------------------------------ quietly lax


@settings(max_examples=30, deadline=None)
@given(st.floats(0.01, 11.99).filter(lambda v: not float(v).is_integer()))
def test_a_fractional_month_or_toggle_is_never_shown_as_one_value_and_computed_as_another(value):
    s, notices = scenario_from_query({"fee_cut.start_month": str(value), "guidance.assistant_on": "0.5"}, "x")
    assert s.settings["fee_cut.start_month"] == 1.0 and s.settings["guidance.assistant_on"] == 0.0
    assert len(notices) == 2
    data = builtin("recommendations").to_dict()
    data["levers"]["fee_cut"]["start_month"] = value
    with pytest.raises(ScenarioError):
        Scenario.from_dict(data)


@settings(max_examples=30, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
    st.sampled_from(["=", "+", "-", "@"]),
)
def test_csv_downloads_never_carry_a_live_formula(text, lead):
    import csv

    from ui.charts import csv_bytes

    df = pd.DataFrame({"Tên": [lead + text], lead + "cột": [1]})
    rows = list(csv.reader(io.StringIO(csv_bytes(df).decode("utf-8-sig"))))
    assert all(not c.startswith(("=", "+", "-", "@")) for row in rows for c in row)
    assert rows[1][0] == "'" + lead + text  # shown as typed, kept as text


# ------------------------------------------------------------------ the library under faults


def test_a_library_that_cannot_be_opened_for_writing_still_lists_its_scenarios(tmp_path, monkeypatch):
    store = ScenarioStore(tmp_path / "db.sqlite3")
    store.save(builtin("recommendations"))
    import sqlite3

    real_connect = store._connect

    def read_only_folder():  # as a read-only folder does to WAL: no -shm file can be made
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store, "_connect", read_only_folder)
    assert [item.name for item in store.list()] == [builtin("recommendations").name]
    monkeypatch.setattr(store, "_connect", real_connect)


def test_a_deleted_library_file_is_recreated_and_said_so(tmp_path):
    path = tmp_path / "thu-muc" / "db.sqlite3"
    store = ScenarioStore(path)
    store.save(builtin("recommendations"))
    path.unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / "thu-muc" / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    flat = builtin("flat")
    store.save(flat)
    assert store.recreated and [i.name for i in store.list()] == [flat.name]


def test_a_deleted_library_folder_is_recreated(tmp_path):
    import shutil

    path = tmp_path / "thu-muc" / "db.sqlite3"
    store = ScenarioStore(path)
    shutil.rmtree(tmp_path / "thu-muc")
    store.save(builtin("flat"))
    assert path.exists() and store.recreated


def test_a_retried_save_of_the_same_scenario_is_recognised(tmp_path):
    store = ScenarioStore(tmp_path / "db.sqlite3")
    s = builtin("recommendations")
    first = store.save(s)
    assert store.save(s) == first  # the first save was committed, but its confirmation never arrived
    other = s.with_settings(fee_cut__cut_pct=100)
    with pytest.raises(NameTaken):
        store.save(other)


# ------------------------------------------------------------------ messages that say what was found


def test_a_tab_separated_file_is_read_with_its_separator():
    data = units_csv(delimiter="\t")
    assert block_totals(build_segments(load(data, "tab.csv").units)) == TRUE_TOTALS


def test_a_workbook_named_csv_and_utf16_are_named_for_what_they_are():
    assert any("rename it to .xlsx" in m for m in rejected(template_xlsx(REPORT), "that-ra-la-xlsx.csv"))
    assert any("UTF-16" in m for m in rejected(units_csv().decode("utf-8").encode("utf-16"), "utf16.csv"))


@pytest.mark.parametrize("where", ["upload", "series"])
def test_a_csv_cell_beyond_the_csv_modules_limit_is_a_message(where):
    from model.series import SeriesError, series_from_long_csv

    if where == "upload":
        assert any("far too long" in m for m in rejected(("unit_id,name\nx," + "a" * 200_000 + "\n").encode(), "o-dai.csv"))
    else:
        with pytest.raises(SeriesError) as err:
            series_from_long_csv(
                ("unit,month,dossiers,online_dossiers\n" + "a" * 200_000 + ",2023-01,1,1\n").encode(), "c.csv", REPORT
            )
        assert any("far too long" in m for m in err.value.messages("en"))


# ------------------------------------------------------------------ typed percentages
@given(value=st.floats(0, 100, allow_nan=False), lang=st.sampled_from(["vi", "en"]))
def test_a_percentage_shown_in_either_locale_reads_back_as_the_same_number(value, lang):
    from model import fmt

    assert fmt.parse_number(fmt.number(value, lang), lang, 0, 100) == pytest.approx(round(value, 2), abs=1e-9)


@given(text=st.text(max_size=40), lang=st.sampled_from(["vi", "en"]))
def test_any_typed_text_is_a_number_in_range_or_the_projects_own_message(text, lang):
    from model import fmt

    try:
        value = fmt.parse_number(text, lang, 0, 100)
    except fmt.NumberEntryError as err:
        assert err.messages(lang)[0]
    else:
        assert 0 <= value <= 100


@pytest.mark.parametrize("text,lang", [("54.38", "vi"), ("54,38", "en"), ("1.5.2", "vi"), ("101", "vi"), ("-1", "en")])
def test_a_percentage_in_the_other_locales_form_is_refused_not_misread(text, lang):
    """In Vietnamese "." groups thousands: "54.38" must not become 5.438 or be read as 54,38 silently."""
    from model import fmt

    with pytest.raises(fmt.NumberEntryError):
        fmt.parse_number(text, lang, 0, 100)
