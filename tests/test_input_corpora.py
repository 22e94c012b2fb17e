"""Generated corpora for every input surface added since the upload hardening: the long CSV, reports
that count year to date or the month alone, target-set files, the plans store and links. Each file is
built here; for each one the answer is either the exact value meant or the project's own message, and
nothing stored changes: 0 crashes, 0 wrong accepts, 0 state changes."""

import csv
import hashlib
import io
import json
import re
import sqlite3

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from model import store as store_module
from model.analysis import default_compiled
from model.baseline import ReportError, load_report
from model.errors import PlannerError
from model.importer import import_report, template_xlsx
from model.links import scenario_from_query
from model.projection import project
from model.scenario import Scenario
from model.segments import build_segments
from model.series import SeriesError, month_index, series_from_long_csv, series_from_reports
from model.store import SCHEMA_VERSION, ScenarioStore, StoreError
from model.targets import DECISION_1434, TargetError, target_set_from_json
from model.tracking import freeze
from tests.conftest import builtin

REPORT = load_report()
SEGMENTS = build_segments(REPORT.units)
UNITS = [s for s in SEGMENTS.itertuples() if s.has_data][:4]
BIDI = "\u202e"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_projects_message(err: PlannerError) -> None:
    vi, en = err.messages("vi"), err.messages("en")
    assert vi and en and len(vi) == len(en)
    assert all(line.strip() for line in vi + en)
    assert all(BIDI not in line for line in vi + en)


# ------------------------------------------------------------------ the long CSV

# (cell as written, the count it means or None when it must be refused)
COUNT_CELLS = [
    ("1234", 1234),
    ("1.234", 1234),
    ("1,234", 1234),
    ("1 234", 1234),
    ("161,5", None),
    ("23.41", None),
    ("999999999999", None),
    ("999,999,999,999", None),
    ("1e3", None),
    ("16²", None),
    ("-5", None),
    ("12%", None),
    ("mười", None),
    ("", None),
    ("1_000", None),
    ("１２", None),
]
MONTH_CELLS = [
    ("2023-04", "2023-04"),
    ("04/2023", "2023-04"),
    ("4/2023", "2023-04"),
    ("Tháng 4/2023", "2023-04"),
    ("Thg 4 2023", "2023-04"),
    ("2023-13", None),
    ("13/2023", None),
    ("45017", None),
    ("01/04/2023", None),
    ("April 2023", None),
    (f"2023-04{BIDI}", None),
]


def long_csv(cells: list[tuple[str, str, str, str]], sep: str = ",") -> bytes:
    """As a spreadsheet saves it: a cell holding the separator is quoted."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(("unit", "month", "dossiers", "online_dossiers"))
    writer.writerows(cells)
    return buf.getvalue().encode("utf-8")


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(COUNT_CELLS),
    st.sampled_from(MONTH_CELLS),
    st.integers(0, len(UNITS) - 1),
    st.integers(1, 6),
)
def test_long_csv_corpus_gives_the_exact_counts_or_the_projects_message(count, month, unit_at, n_months):
    """One unit's row carries the cell under test, every other cell is plain: the series holds exactly
    the counts meant, or it is refused naming the row and the column."""
    (count_cell, count_value), (month_cell, month_value) = count, month
    unit = UNITS[unit_at].seg_id
    last = month_index("2023-04")
    rows = []
    for m in range(last - n_months + 1, last + 1):
        period = f"{m // 12}-{m % 12 + 1:02d}"
        for u in UNITS:
            if u.seg_id == unit and m == last:
                rows.append((unit, month_cell, count_cell, "0"))  # the row under test: April, as written
            else:
                rows.append((u.seg_id, period, "100", "10"))
    tested_line = 2 + rows.index((unit, month_cell, count_cell, "0"))
    try:
        series = series_from_long_csv(long_csv(rows), "chuoi.csv", REPORT)
    except SeriesError as err:
        assert_projects_message(err)
        column = "month" if month_value is None else "dossiers"
        assert any(f"row {tested_line}, column {column}" in m for m in err.messages("en")), err.messages("en")
        return
    # accepted: only when both cells mean something, and then exactly that
    assert count_value is not None and month_value is not None, (count_cell, month_cell)
    got = series.obs[(series.obs.seg_id == unit) & (series.obs["first"] == last)]
    assert list(got.dossiers) == [count_value] and list(got.online) == [0]
    others = series.obs[(series.obs.seg_id != unit) | (series.obs["first"] != last)]
    assert set(others.dossiers) == {100} and set(others.online) == {10}


def test_semicolon_files_read_vietnamese_counts_exactly():
    rows = [(u.seg_id, "2023-01", "1.234", "12") for u in UNITS]
    series = series_from_long_csv(long_csv(rows, ";"), "chuoi.csv", REPORT)
    assert set(series.obs.dossiers) == {1234}
    with pytest.raises(SeriesError) as err:
        series_from_long_csv(long_csv([(UNITS[0].seg_id, "2023-01", "161,5", "1")], ";"), "chuoi.csv", REPORT)
    assert "row 2, column dossiers: “161,5” is not a whole number" in err.value.messages("en")[0]


def test_a_column_given_twice_is_refused_not_guessed():
    data = b"unit,month,dossiers,online_dossiers,dossiers\n" + f"{UNITS[0].seg_id},2023-01,100,10,200\n".encode()
    with pytest.raises(SeriesError) as err:
        series_from_long_csv(data, "chuoi.csv", REPORT)
    assert err.value.messages("en") == ["chuoi.csv: row 1: column(s) dossiers appear more than once"]


def test_an_all_zero_series_is_refused_in_both_languages():
    rows = [(u.seg_id, f"2023-{m:02d}", "0", "0") for u in UNITS for m in range(1, 8)]
    with pytest.raises(SeriesError) as err:
        series_from_long_csv(long_csv(rows), "chuoi.csv", REPORT)
    assert "bằng 0" in err.value.messages("vi")[0] and "is 0" in err.value.messages("en")[0]


def test_a_block_without_dossiers_is_left_unestimated_not_a_crash():
    from model.calibration import calibrate

    rows = []
    for s in SEGMENTS.itertuples():
        for m in range(1, 9):
            rows.append(
                (s.seg_id, f"2023-{m:02d}", "0" if s.kind == "department" else "50", "0" if s.kind == "department" else "5")
            )
    cal = calibrate(series_from_long_csv(long_csv(rows), "chuoi.csv", REPORT))
    departments = (SEGMENTS.kind == "department").to_numpy()
    assert np.isnan(cal.level[departments]).all() and np.isfinite(cal.level[~departments]).all()


# ------------------------------------------------------------------ what a report counts


def report_xlsx(period: str, counts: str | None, scale: int) -> bytes:
    """The template filled with the built-in units' counts × scale, for `period`, saying `counts`."""
    wb = load_workbook(io.BytesIO(template_xlsx(REPORT)))
    units = wb["Đơn vị"]
    header = [c.value for c in units[3]]
    for row in units.iter_rows(min_row=4):
        for col in ("dossiers", "dossiers_online", "dossiers_incl_communes", "dossiers_online_incl_communes"):
            cell = row[header.index(col)]
            if isinstance(cell.value, int):
                cell.value = cell.value * scale
        for col in ("online_share_printed_pct", "online_share_incl_communes_printed_pct"):
            row[header.index(col)].value = None  # printed shares of the built-in month would not match
    wb.remove(wb["Toàn tỉnh"])
    info = wb["Thông tin"]
    for row in info.iter_rows():
        if row[0].value == "period":
            row[1].value = period
        if row[0].value == "counts":
            row[1].value = counts
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_month_only_reports_are_single_months_of_their_own_volume():
    reports = [import_report(report_xlsx(f"2023-{m:02d}", "month", 1), f"t{m}.xlsx", "x", "") for m in (2, 3, 4)]
    series = series_from_reports(reports)
    monthly = series.monthly.groupby("first").dossiers.sum()
    expected = int(SEGMENTS[SEGMENTS.has_data].volume.sum())
    assert list(monthly) == [expected] * 3  # each month its own volume, not a difference of two
    assert all(r.cumulative_from == r.period for r in reports)


def test_year_to_date_reports_are_differenced():
    reports = [import_report(report_xlsx(f"2023-{m:02d}", "ytd", m), f"t{m}.xlsx", "x", "") for m in (1, 2, 3)]
    series = series_from_reports(reports)
    expected = int(SEGMENTS[SEGMENTS.has_data].volume.sum())
    assert list(series.monthly.groupby("first").dossiers.sum()) == [expected] * 3


@pytest.mark.parametrize(
    "counts_in_file,answer,rule",
    [(None, "", "counts_unknown"), ("sometimes", "", "bad_counts"), ("month", "ytd", "counts_disagree")],
)
def test_a_report_that_does_not_say_what_it_counts_is_refused_or_asked(counts_in_file, answer, rule):
    with pytest.raises(ReportError) as err:
        import_report(report_xlsx("2023-05", counts_in_file, 1), "t5.xlsx", "x", "", answer)
    assert [p.rule for p in err.value.problems] == [rule]
    assert_projects_message(err.value)


def test_the_answer_at_upload_decides_when_the_file_is_silent():
    assert import_report(report_xlsx("2023-05", None, 1), "t.xlsx", "x", "", "month").cumulative_from == "2023-05"
    assert import_report(report_xlsx("2023-05", None, 1), "t.xlsx", "x", "", "ytd").cumulative_from == "2023-01"
    assert import_report(report_xlsx("2023-01", None, 1), "t.xlsx", "x", "").cumulative_from == "2023-01"  # January


@pytest.mark.parametrize(
    "period_cell,expected",
    [("Tháng 5/2023", "2023-05"), ("05/2023", "2023-05"), ("2023-13", None), ("45047", None), (45047, None)],
)
def test_the_report_period_goes_through_the_month_parser(period_cell, expected):
    import datetime as dt

    data = report_xlsx("2023-05", "month", 1)
    wb = load_workbook(io.BytesIO(data))
    for row in wb["Thông tin"].iter_rows():
        if row[0].value == "period":
            row[1].value = period_cell
    buf = io.BytesIO()
    wb.save(buf)
    if expected is None:
        with pytest.raises(ReportError) as err:
            import_report(buf.getvalue(), "t.xlsx", "x", "")
        assert err.value.problems[0].column == "period"
        assert "(sheet “Thông tin”, cell B2)" in err.value.messages("en")[0]  # the cell is named
    else:
        assert import_report(buf.getvalue(), "t.xlsx", "x", "").period == expected
    wb["Thông tin"]["B2"].value = dt.datetime(2023, 5, 31)  # a real date cell is that month
    buf = io.BytesIO()
    wb.save(buf)
    assert import_report(buf.getvalue(), "t.xlsx", "x", "").period == "2023-05"


# ------------------------------------------------------------------ target sets

VALID = json.loads(DECISION_1434.to_json())


def _text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


TARGET_CORPUS = [
    ("repeated key", _text(VALID).replace('"year": 2022', '"year": 2022, "year": 2030'), "appears twice"),
    ("repeated block", _text(VALID).replace('"department": 80.0', '"department": 80.0, "department": 8.0'), "appears twice"),
    ("misspelt key", _text({**VALID, "unit_pc": {"so-y-te": 90}}), "did you mean “unit_pct”"),
    ("unknown key", _text({**VALID, "comment": "x"}), "“comment” is not in the schema"),
    ("unknown reference key", _text({**VALID, "reference": {"documnt": "x"}}), "did you mean “document”"),
    ("other unit", _text({**VALID, "unit": "per mille"}), "the unit “per mille” cannot be used"),
    ("fraction over 1", _text({**VALID, "unit": "fraction"}), "must be a number from 0 to 1"),
    ("unknown block", _text({**VALID, "block_pct": {"departmnt": 80}}), "unknown block “departmnt”"),
    ("no name", _text({**VALID, "name_vi": f"\x07{BIDI}"}), "“name_vi” is missing"),
    ("schema true", _text({**VALID, "schema_version": True}), "schema_version must be 1"),
    ("nan value", _text(VALID).replace('"department": 80.0', '"department": NaN'), "must be a number from 0 to 100"),
]


@pytest.mark.parametrize("name,text,expected", TARGET_CORPUS, ids=[c[0] for c in TARGET_CORPUS])
def test_target_set_corpus_is_refused_by_name(name, text, expected):
    with pytest.raises(TargetError) as err:
        target_set_from_json(text.encode("utf-8"), "chi-tieu.json")
    assert any(expected in m for m in err.value.messages("en")), err.value.messages("en")
    assert_projects_message(err.value)


def test_fractions_are_converted_on_purpose():
    data = {**VALID, "unit": "fraction", "block_pct": {"department": 0.8, "district_incl_communes": 0.5}}
    target = target_set_from_json(_text(data))
    assert target.block_pct == {"department": 80.0, "district_incl_communes": 50.0} and target.unit == "%"


def test_unknown_unit_codes_are_listed_by_name():
    data = {**VALID, "unit_pct": {"so-y-te": 90, "so-khong-co": 50, "xa-ma": 40}}
    known = set(SEGMENTS.seg_id)
    with pytest.raises(TargetError) as err:
        target_set_from_json(_text(data), "chi-tieu.json", known)
    assert err.value.messages("en") == ["chi-tieu.json: 2 unit code(s) not in the active data: so-khong-co, xa-ma"]
    assert target_set_from_json(_text({**VALID, "unit_pct": {"so-y-te": 90}}), "", known).unit_pct == {"so-y-te": 90.0}


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Lu", "Ll", "Zs"]), min_size=1, max_size=30))
def test_target_set_names_are_cleaned(name):
    from model.text import unsafe_characters

    try:
        target = target_set_from_json(_text({**VALID, "name_vi": name, "name_en": name}))
    except TargetError as err:
        assert "missing" in err.messages("en")[0]
        return
    assert not unsafe_characters(target.name_vi) and not unsafe_characters(target.name_en)


def test_a_target_set_named_with_control_characters_makes_a_workbook_that_opens_again():
    from model.excel import build_workbook

    name = f"Chỉ tiêu\x00\x07\x1b{BIDI} 2025\r\n_x000D_"
    target = target_set_from_json(_text({**VALID, "name_vi": name, "name_en": name}))
    assert target.name_vi == "Chỉ tiêu 2025"
    data = build_workbook(default_compiled(), [builtin("recommendations")], target)
    load_workbook(io.BytesIO(data))  # opens again


def test_the_target_table_refuses_what_float_alone_would_misread():
    import pandas as pd

    from model.targets import validate_table

    table = pd.DataFrame({"scope": ["a", "b", "c", "d", "e"], "pct": ["5_0", "1e1", "٥٠", "50", 50.0]})
    problems = validate_table(table, ("pct",), "scope")
    assert [en for _, en in problems] == [
        "Row 1 (a), column “pct”: “5_0” is not a number.",
        "Row 2 (b), column “pct”: “1e1” is not a number.",
        "Row 3 (c), column “pct”: “٥٠” is not a number.",
    ]


# ------------------------------------------------------------------ plans and the library


@pytest.fixture(scope="module")
def plan():
    c = default_compiled()
    return freeze(project(c, builtin("recommendations"), draws=16), "Kế hoạch 2023", c.report.id)


def _damage(body: str, how: str):
    d = json.loads(body)
    if how == "not json":
        return body[: len(body) // 2]
    if how == "not text":
        return 12345
    if how == "no units":
        d.pop("units")
    elif how == "short monthly":
        d["monthly"] = d["monthly"][:11]
    elif how == "nan band":
        d["band"][0][0][0] = None
    elif how == "unknown block":
        d["blocks"][0] = "tinh"
    elif how == "list body":
        return "[]"
    elif how == "bad kind":
        d["units"][0]["kind"] = "district"
    return json.dumps(d)


DAMAGES = ["not json", "not text", "no units", "short monthly", "nan band", "unknown block", "list body", "bad kind"]


def test_damaged_plan_rows_are_named_by_number_and_the_rest_still_loads(tmp_path, plan):
    path = tmp_path / "s.db"
    store = ScenarioStore(path)
    good = store.save_plan(plan)
    conn = sqlite3.connect(path)
    body = conn.execute("SELECT body FROM plans").fetchone()[0]
    for i, how in enumerate(DAMAGES):
        conn.execute(
            "INSERT INTO plans (name, version, plan_year, created_at, body) VALUES (?, ?, ?, ?, ?)",
            (f"hỏng {how}", 1, 2023, f"2023-01-{i + 1:02d}", _damage(body, how)),
        )
    conn.commit()
    conn.close()
    listed = store.plans()
    assert len(listed) == 1 + len(DAMAGES)
    loaded = 0
    for plan_id, name, *_ in listed:
        if name == plan.name:
            assert store.plan(plan_id).monthly.shape == plan.monthly.shape
            loaded += 1
            continue
        with pytest.raises(StoreError) as err:
            store.plan(plan_id)
        assert f"Plan number {plan_id} in the library is damaged" in err.value.message_en, (name, err.value.message_en)
        assert f"Kế hoạch số {plan_id}" in err.value.message_vi
    assert loaded == 1 and good.version == 1


def test_a_damaged_scenario_row_is_named_and_the_rest_is_readable(tmp_path):
    path = tmp_path / "s.db"
    store = ScenarioStore(path)
    store.save(Scenario("Tốt", "", 2023))
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO scenarios (name, description, plan_year, created_at, updated_at, body) VALUES ('Hỏng', '', 2023, 'x', 'x', 42)"
    )
    conn.commit()
    conn.close()
    items = {i.name: i for i in store.list()}
    assert items["Tốt"].scenario().name == "Tốt"
    with pytest.raises(PlannerError):
        items["Hỏng"].scenario()


def _garble(path, offset_pages=(1, 2)):
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for p in offset_pages:
        start = p * page
        data[start : start + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("version", [SCHEMA_VERSION, 2])
@pytest.mark.parametrize("pages", [(1,), (2,), (1, 2, 3)])
def test_a_garbled_library_file_is_refused_before_anything_is_written(tmp_path, pages, version):
    path = tmp_path / "s.db"
    store = ScenarioStore(path)
    for i in range(30):
        store.save(Scenario(f"Kịch bản {i}", "x" * 500, 2023))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # one file: what is damaged is all there is
    conn.execute(f"PRAGMA user_version = {version}")  # an older schema would be migrated (written) at once
    conn.close()
    _garble(path, pages)
    before = digest(path)
    with pytest.raises(StoreError) as err:
        ScenarioStore(path)
    assert "left untouched" in err.value.message_en
    assert digest(path) == before


def test_a_read_only_folder_lists_everything_and_says_saving_is_off(tmp_path, monkeypatch, plan):
    path = tmp_path / "s.db"
    store = ScenarioStore(path)
    store.save(Scenario("Một", "", 2023))
    store.save_plan(plan)
    before = digest(path)
    monkeypatch.setattr(store_module, "_can_write", lambda _path: False)  # the tests run as root
    read_only = ScenarioStore(path)
    assert read_only.read_only
    assert [i.name for i in read_only.list()] == ["Một"] and len(read_only.plans()) == 1
    with pytest.raises(StoreError) as err:
        read_only.save(Scenario("Hai", "", 2023))
    assert "saving is off" in err.value.message_en and "tắt lưu" in err.value.message_vi
    assert digest(path) == before


# ------------------------------------------------------------------ links

HOSTILE_VALUES = ["5_0", "1e1", "٥٠", "https://evil.example/x", f"50{BIDI}", "www.evil.example", "a@b.example", "nan", "inf"]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["fee_cut.cut_pct", "plan_year", "start_point", "commune_enable.adoption"]),
        st.sampled_from(HOSTILE_VALUES) | st.text(max_size=30),
        min_size=1,
    )
)
def test_link_corpus_changes_nothing_silently_and_notices_are_text_only(params):
    default = Scenario("x")
    s, notices = scenario_from_query(params, "x")
    for key, value in params.items():
        said = any(key in en for _, en in notices)
        if key == "fee_cut.cut_pct":
            changed = s.settings[key] != default.settings[key]
            assert changed != said or (not changed and value.strip() == str(int(default.settings[key])))
            if changed:
                assert s.settings[key] == float(value)  # never another number than the one written
        if key == "plan_year" and not said:
            assert str(s.plan_year) == value
    for vi, en in notices:
        for text in (vi, en):
            assert "://" not in text and "www." not in text and BIDI not in text and not re.search(r"\w@\w", text)


def test_a_link_value_5_0_is_refused_not_read_as_50():
    s, notices = scenario_from_query({"fee_cut.cut_pct": "5_0"}, "x")
    assert s.settings["fee_cut.cut_pct"] == Scenario("x").settings["fee_cut.cut_pct"]
    assert notices == [
        (
            "Tham số “fee_cut.cut_pct=5_0” không phải là số; dùng giá trị mặc định.",
            "Parameter “fee_cut.cut_pct=5_0” is not a number; the default is used.",
        )
    ]


# ------------------------------------------------------------------ links and uploads, as the pages show them


def _open(query: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"fee_cut.cut_pc": "40"}, "“fee_cut.cut_pc” (có phải “fee_cut.cut_pct”?)"),  # the only parameter, a typo
        ({"fee_cut.cut_pct": "https://evil.example/x"}, "https[:]//evil"),
        ({"fee_cut.cut_pct": f"4{BIDI}0"}, "4 0"),
        ({"lang": "klingon"}, "lang=klingon"),
        ({"presentation": "maybe"}, "presentation=maybe"),
    ],
)
def test_a_link_notice_names_what_was_dropped_as_text_only(query, expected):
    at = _open(query)
    notices = [w.value.replace("\\", "") for w in at.warning]  # as shown: Markdown's escapes removed
    assert any(expected in n for n in notices), notices
    for n in notices:
        assert "://" not in n and BIDI not in n and "](" not in n and "<a" not in n


def test_a_link_with_lang_en_opens_in_english():
    at = _open({"lang": "en", "fee_cut.cut_pct": "40"})
    assert at.session_state["lang"] == "en"
    assert not at.warning  # nothing dropped: no notice


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([u.seg_id for u in UNITS] + ["khong-co", ""]),
            st.sampled_from(["2023-01", "2023-02", "2023-03", "02/2023", "2023-13", "1999-01", "2023-1"]),
            st.sampled_from(["100", "1.000", "0", "007", "100000001", "12,5", "", "99", "100\u2003", "1,000,000", "1.000,000"]),
            st.sampled_from(["10", "0", "100", "101", "1.000", "x", " 5 ", "1\u00a0000", "999.999.999"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_fast_path_reads_exactly_what_the_parsers_read(rows):
    """Plain rows are read all at once for speed; the answer is the same as reading each through the parsers."""
    import model.series as series_module

    data = long_csv(rows)

    def answer():
        try:
            got = series_from_long_csv(data, "chuoi.csv", REPORT)
        except SeriesError as err:
            return err.messages("en")
        return got.obs.to_dict("list")

    fast = answer()
    original = series_module._plain_rows
    try:
        series_module._plain_rows = lambda rows, width, at, known: {
            "ok": np.zeros(len(rows), bool),
            "frame": original([], width, at, known)["frame"],
        }
        slow = answer()
    finally:
        series_module._plain_rows = original
    assert fast == slow


@pytest.mark.parametrize(
    "cell,expected_en",
    [("16²", "column dossiers: “16²” has a superscript digit"), ("0", "every dossier count in the series is 0")],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_command_line_says_the_projects_message_never_unexpected_error(tmp_path, capsys, cell, expected_en, lang):
    from model.cli import main

    rows = [
        (u.seg_id, f"2023-{m:02d}", cell if (u is UNITS[0] and m == 3) or cell == "0" else "100", "0")
        for u in UNITS
        for m in range(1, 8)
    ]
    path = tmp_path / "chuoi.csv"
    path.write_bytes(long_csv(rows))
    assert main(["--lang", lang, "--series", str(path), "backtest"]) == 2
    err = capsys.readouterr().err
    assert "unexpected" not in err and "không mong muốn" not in err
    if lang == "en":
        assert expected_en in err, err
    else:
        assert err.startswith("chuoi.csv: ") and "Traceback" not in err


def test_pages_list_a_read_only_library_and_name_a_damaged_plan(scenario_database, monkeypatch, plan):
    """The Library and Tracking pages on a read-only library holding a good plan, a damaged plan and a
    damaged scenario row: everything readable is listed, saving is said to be off, the damaged rows are
    named by number, no traceback, and the file is not written."""
    store = ScenarioStore(scenario_database)
    store.save(Scenario("Phương án đọc được", "", 2023))
    good = store.save_plan(plan)
    conn = sqlite3.connect(scenario_database)
    conn.execute(
        "INSERT INTO scenarios (name, description, plan_year, created_at, updated_at, body) VALUES ('Hỏng', '', 2023, 'x', 'x', '{')"
    )
    conn.execute(
        "INSERT INTO plans (name, version, plan_year, created_at, body) VALUES ('Kế hoạch hỏng', 1, 2023, '2099-01-01', '[]')"
    )
    conn.commit()
    conn.close()
    damaged_id = max(row[0] for row in store.plans())
    monkeypatch.setattr(store_module, "_can_write", lambda _path: False)
    before = digest(scenario_database)
    at = _open({})
    at.switch_page("app_pages/library.py").run()
    assert not at.exception
    assert any("tắt lưu" in i.value for i in at.info)
    assert any("Kịch bản số" in w.value.replace("\\", "") and "Hỏng" in w.value for w in at.warning)
    assert "Phương án đọc được" in at.selectbox(key="library_choice").options
    at.switch_page("app_pages/tracking.py").run()
    assert not at.exception
    # the newest (damaged) plan is chosen first: named by its number, and the good one is still offered
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(f"Kế hoạch số {damaged_id} trong thư viện bị hỏng" in e for e in errors), errors
    assert any(good.name in option for option in at.selectbox[0].options)
    assert digest(scenario_database) == before


@given(st.text(max_size=80) | st.sampled_from(HOSTILE_VALUES))
def test_inert_text_has_nothing_markdown_would_link_and_no_control_characters(value):
    import unicodedata

    from model.links import inert

    text = inert(value, 60)
    assert len(text) <= 61
    assert not re.search(r"(?i)[a-z][a-z0-9+.-]*://|www\.|\w@\w", text)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)
