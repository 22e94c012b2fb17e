"""Decision 766 points: the formulas as data, checked by hand at and around every threshold; missing
counts give "chưa có số liệu", never points; the indicator table reads, refuses and round-trips."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import index766 as idx
from model.indicators import COUNT_COLUMNS, PROVINCE, IndicatorError, Indicators, read_indicators, template_csv
from tests.conftest import ROOT

F = idx.CURRENT
SERVICES, PAYMENT = F.group("online_services"), F.group("online_payment")


def points_of(group_id: str, values: dict) -> idx.GroupScore:
    return idx.score(F, values).group(group_id)


def complete_services(**changes) -> dict:
    values = {
        "procedures_in_scope": 1000,
        "procedures_online": 800,
        "services_online": 1000,
        "services_with_online_dossier": 500,
        "dossiers": 1000,
        "dossiers_online": 400,
        "dossiers_online_counted": 300,
        "dossiers_synced": 900,
    }
    return {**values, **changes}


def complete_payment(**changes) -> dict:
    values = {
        "dossiers_with_fee": 1000,
        "dossiers_paid_online": 500,
        "procedures_with_fee": 1000,
        "procedures_paid_online": 800,
        "procedures_fee_data": 400,
    }
    return {**values, **changes}


# ------------------------------------------------------------------ online services, by hand


def test_the_issue_example_an_online_share_of_30_percent_with_90_percent_sync_is_3_24_points():
    part = points_of("online_services", complete_services()).parts[2]
    assert part.part.id == "online_dossiers"
    assert part.ratio == pytest.approx(0.30 * 0.90)
    assert part.points == pytest.approx(6 * 0.27 / 0.5) == pytest.approx(3.24)


@pytest.mark.parametrize(
    "counted,synced,expected",
    [
        (500, 1000, 6.0),  # exactly 50% with full sync: full marks
        (490, 1000, 6 * 0.49 / 0.5),  # 5,88 just below
        (510, 1000, 6.0),  # above 50% earns nothing more
        (1000, 1000, 6.0),
        (556, 900, 6.0),  # 55,6% × 90% = 50,04%
        (550, 900, 6 * 0.495 / 0.5),  # 55% × 90% = 49,5% → 5,94
        (500, 900, 6 * 0.45 / 0.5),  # 50% online is not enough when only 90% is synchronised: 5,4
        (0, 1000, 0.0),
    ],
)
def test_online_dossiers_at_and_around_the_50_percent_threshold(counted, synced, expected):
    values = complete_services(dossiers_online=max(counted, 1), dossiers_online_counted=counted, dossiers_synced=synced)
    assert points_of("online_services", values).parts[2].points == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "offered,expected",
    [(800, 2.0), (790, 2 * 0.79 / 0.8), (810, 2.0), (400, 1.0), (1000, 2.0), (0, 0.0)],
)
def test_procedures_offered_online_at_and_around_80_percent(offered, expected):
    part = points_of("online_services", complete_services(procedures_online=offered)).parts[0]
    assert part.points == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("with_dossier,expected", [(6737, 4 * 0.6737), (10000, 4.0), (0, 0.0), (9999, 4 * 0.9999)])
def test_services_with_an_online_dossier_are_linear_with_no_threshold(with_dossier, expected):
    values = complete_services(services_online=10000, services_with_online_dossier=with_dossier)
    assert points_of("online_services", values).parts[1].points == pytest.approx(expected, abs=1e-12)


def test_the_online_services_group_adds_its_parts():
    # 2 (80% offered) + 4 × 0,5 + 3,24 = 7,24
    group = points_of("online_services", complete_services())
    assert group.points == pytest.approx(2 + 2 + 3.24)
    assert group.group.max_points == 12 and not group.group.checked


# ------------------------------------------------------------------ online payment, by hand


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 1000),
)
def test_payment_is_6a_plus_min_2_2_5b_plus_min_2_2_5c(paid, b_count, c_count):
    values = complete_payment(dossiers_paid_online=paid, procedures_paid_online=b_count, procedures_fee_data=c_count)
    a, b, c = paid / 1000, b_count / 1000, c_count / 1000
    group = points_of("online_payment", values)
    assert group.points == pytest.approx(6 * a + min(2, 2.5 * b) + min(2, 2.5 * c), abs=1e-12)


@pytest.mark.parametrize(
    "b_count,expected",
    [(800, 2.0), (790, 1.975), (810, 2.0), (400, 1.0), (0, 0.0)],
)
def test_payment_procedures_at_and_around_80_percent(b_count, expected):
    for column, position in (("procedures_paid_online", 1), ("procedures_fee_data", 2)):
        group = points_of("online_payment", complete_payment(**{column: b_count}))
        assert group.parts[position].points == pytest.approx(expected, abs=1e-12)


def test_the_payment_share_is_worth_0_06_a_point_everywhere_and_the_online_share_0_12_until_50_percent():
    online, paid = F.part("online_dossiers"), F.part("dossiers_paid_online")
    assert idx.points_per_share_point(online, 0.30) == pytest.approx(0.12)
    assert idx.points_per_share_point(online, 0.50) == 0.0
    assert idx.points_per_share_point(online, 0.70) == 0.0
    for r in (0.0, 0.5, 0.99):
        assert idx.points_per_share_point(paid, r) == pytest.approx(0.06)
    assert idx.threshold_pct(online) == 50.0 and idx.threshold_pct(paid) is None


# ------------------------------------------------------------------ missing is missing, never zero


@pytest.mark.parametrize("dropped", sorted(set(COUNT_COLUMNS) - {"dossiers_online"}))
def test_a_missing_count_gives_chua_co_so_lieu_not_points(dropped):
    values = {**complete_services(), **complete_payment()}
    values[dropped] = None
    result = idx.score(F, values)
    out = idx.payload(result)
    affected = [g for g in result.groups if any(dropped in pair for p in g.group.parts for pair in p.ratio)]
    assert affected, dropped
    for g in affected:
        assert g.points is None and g.p10 is None
        assert g.points_text("vi") == "chưa có số liệu" and g.points_text("en") == "no data"
        assert out[g.group.id]["points"] is None and out[g.group.id]["status_vi"] == "chưa có số liệu"
        part = next(p for p in g.parts if p.points is None)
        assert dropped in part.missing
    for g in result.groups:
        if g not in affected:
            assert g.points is not None


def test_a_zero_denominator_is_no_data_too():
    group = points_of("online_payment", complete_payment(dossiers_with_fee=0, dossiers_paid_online=0))
    assert group.points is None and group.parts[0].missing == ("dossiers_with_fee",)
    # the other parts still show their points
    assert group.parts[1].points == 2.0


def test_no_indicators_at_all_give_no_data_for_both_groups():
    result = idx.score(F, {})
    assert [g.points for g in result.groups] == [None, None]
    assert all(p.points is None for g in result.groups for p in g.parts)


# ------------------------------------------------------------------ the projection moves three ratios


def test_the_projection_moves_the_online_share_the_services_and_the_payment_and_holds_the_rest():
    values = {**complete_services(), **complete_payment()}
    movers = idx.Movers(online_share=0.6, services_lift=0.5, payment_lift=0.25)
    result = idx.score(F, values, movers)
    services, payment = result.group("online_services"), result.group("online_payment")
    # 60% online × 300/400 counted × 90% synced = 40,5% → 6 × 0,405 / 0,5 = 4,86
    assert services.parts[2].ratio == pytest.approx(0.6 * 0.75 * 0.9)
    assert services.parts[2].points == pytest.approx(4.86)
    # 50% + 50% × 0,5 = 75% → 3
    assert services.parts[1].points == pytest.approx(3.0)
    assert services.parts[0].points == pytest.approx(2.0)  # held
    # 50% + 50% × 0,25 = 62,5% → 3,75; B and C held
    assert payment.parts[0].points == pytest.approx(3.75)
    assert payment.points == pytest.approx(3.75 + 2 + 1)


def test_draws_give_a_band_around_the_central_points():
    values = {**complete_services(), **complete_payment()}
    shares = np.linspace(0.2, 0.4, 101)
    result = idx.score(F, values, idx.Movers(online_share=0.3), idx.Movers(online_share=shares))
    services = result.group("online_services")
    assert services.p10 is not None and services.p90 is not None
    assert services.p10 < services.points < services.p90
    # 20–40% online × 0,75 × 0,9 stays below 50%: linear, so the band is the share's band × 0,12 × 0,675
    assert services.p90 - services.p10 == pytest.approx(
        100 * (np.percentile(shares, 90) - np.percentile(shares, 10)) * 0.12 * 0.675
    )


def test_the_online_share_needs_the_online_dossier_count_to_be_projected():
    values = complete_services(dossiers_online=None)
    assert points_of("online_services", values).points is not None  # as reported: not needed
    projected = idx.score(F, values, idx.Movers(online_share=0.4)).group("online_services")
    assert projected.points is None


# ------------------------------------------------------------------ the formula file


def test_the_shipped_formula_says_what_was_checked_and_what_was_not():
    assert F.version == "2026-09-28" and F.version_date == "2026-09-28"
    assert SERVICES.caveat_vi == "theo mô tả công thức, chưa đối chiếu với điểm công bố" and not SERVICES.checked
    assert PAYMENT.checked and "0,015" in PAYMENT.caveat_vi and "26–28/9/2026" in PAYMENT.caveat_vi
    assert "chính thức" in F.authoritative_vi
    assert [p.max_points for p in SERVICES.parts] == [2, 4, 6] and [p.max_points for p in PAYMENT.parts] == [6, 2, 2]


def _shipped() -> dict:
    return json.loads((ROOT / "data" / "index_766" / "2026-09-28.json").read_text(encoding="utf-8"))


def _patched(path: str, value):
    data = _shipped()
    target = data
    keys = path.split("/")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is _DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return json.dumps(data, ensure_ascii=False)


_DELETE = object()


@pytest.mark.parametrize(
    "path,value,expected",
    [
        ("schema_version", 2, "schema_version phải là 1"),
        ("version", "", "thiếu “version”"),
        ("version", "../x", "chỉ gồm chữ, số"),
        ("version_date", "28/9/2026", "không phải ngày YYYY-MM-DD"),
        ("caveat", _DELETE, None),  # an unknown key is simply absent: nothing to say
        ("groups/0/parts/2/full_at", 0, "“full_at”: 0 phải là số lớn hơn 0 và không quá 1"),
        ("groups/0/parts/2/full_at", 1.5, "“full_at”: 1.5 phải là số lớn hơn 0 và không quá 1"),
        ("groups/0/parts/2/max_points", 7, "các phần cộng lại 13 điểm, khác điểm tối đa của nhóm 12"),
        ("groups/0/parts/2/ratio", [["dossiers_online_counted", "hồ sơ"]], "chỉ số “hồ sơ” không có trong mẫu số liệu"),
        ("groups/0/parts/2/ratio", [], "“ratio” phải là danh sách các cặp"),
        ("groups/1/id", "satisfaction", "nhóm “satisfaction” không tồn tại"),
        ("groups/1/checked_against_published_scores", "yes", "phải là true hoặc false"),
        ("groups/1/caveat_vi", "", "thiếu “caveat_vi”"),
        ("groups/1/parts/0/id", "procedures_online", "phần “procedures_online” bị lặp lại"),
        ("reference", {}, "“reference” phải là đối tượng gồm các chuỗi"),
    ],
)
def test_a_broken_formula_file_is_refused_naming_the_place_and_the_rule(path, value, expected):
    text = _patched(path, value) if path != "caveat" else json.dumps(_shipped())
    if expected is None:
        assert idx.formula_from_json(text).version == F.version
        return
    with pytest.raises(idx.FormulaError) as err:
        idx.formula_from_json(text, "2026-09-28.json")
    messages = err.value.messages("vi")
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("2026-09-28.json: ") for m in messages)
    assert err.value.messages("en") != messages


def test_a_formula_file_is_named_for_its_version_so_a_new_version_is_a_new_file(tmp_path):
    (tmp_path / "2027-01-01.json").write_text(json.dumps(_shipped()), encoding="utf-8")
    with pytest.raises(idx.FormulaError) as err:
        idx.load_formula_file(tmp_path / "2027-01-01.json")
    assert "“2026-09-28.json”" in err.value.messages("vi")[0]
    for bad in (b"\xff\xfe", b"{", b"[]"):
        (tmp_path / "x.json").write_bytes(bad)
        with pytest.raises(idx.FormulaError):
            idx.load_formula_file(tmp_path / "x.json")


# ------------------------------------------------------------------ the indicator table


counts = st.one_of(st.none(), st.integers(0, 10_000))


@st.composite
def indicator_tables(draw):
    units = draw(
        st.lists(st.sampled_from(["so-y-te", "so-tu-phap", "xa-muong-la", PROVINCE]), min_size=1, max_size=4, unique=True)
    )
    months = draw(st.lists(st.sampled_from(["2026-07", "2026-08", "2026-09"]), min_size=1, max_size=3, unique=True))
    rows = []
    for unit in units:
        for month in months:
            row = {"unit_id": unit, "month": month}
            for col in COUNT_COLUMNS:
                row[col] = draw(counts)
            # keep every part within its whole
            for part, whole in (
                ("procedures_online", "procedures_in_scope"),
                ("services_with_online_dossier", "services_online"),
                ("dossiers_paid_online", "dossiers_with_fee"),
                ("procedures_fee_data", "procedures_with_fee"),
                ("procedures_paid_online", "procedures_with_fee"),
            ):
                if row[part] is not None and row[whole] is not None:
                    row[part] = min(row[part], row[whole])
            for col in ("dossiers_online", "dossiers_online_counted", "dossiers_synced", "dossiers_with_fee"):
                row[col] = None
            rows.append(row)
    return rows


def _csv(rows: list[dict], columns=None) -> str:
    columns = columns or ["unit_id", "month", *COUNT_COLUMNS]
    lines = [",".join(columns)]
    for r in rows:
        lines.append(",".join("" if r.get(c) is None else str(r[c]) for c in columns))
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(indicator_tables())
def test_the_indicator_table_round_trips_as_text_and_keeps_missing_apart_from_zero(rows):
    ind = Indicators.from_csv(_csv(rows))
    again = Indicators.from_csv(ind.to_csv())
    assert again.to_csv() == ind.to_csv()
    for r in rows:
        got = ind.table[(ind.table.unit_id == r["unit_id"]) & (ind.table.month == r["month"])].iloc[0]
        for col in COUNT_COLUMNS:
            if r[col] is None:
                assert got[col] is None or got[col] is np.nan or str(got[col]) == "<NA>"
            else:
                assert int(got[col]) == r[col]


def test_province_figures_come_from_the_province_row_else_from_every_unit_else_missing():
    text = _csv(
        [
            {"unit_id": "a", "month": "2026-09", "dossiers_with_fee": 100, "dossiers_paid_online": 10, "procedures_with_fee": 5},
            {"unit_id": "b", "month": "2026-09", "dossiers_with_fee": 300, "dossiers_paid_online": 30},
            {"unit_id": PROVINCE, "month": "2026-09", "procedures_with_fee": 1200},
            {"unit_id": "a", "month": "2026-08", "dossiers_with_fee": 1},
        ]
    )
    ind = read_indicators(text)
    assert ind.months == ("2026-08", "2026-09") and ind.last_month == "2026-09"
    figures = ind.province()
    assert figures is not None and figures.month == "2026-09"
    assert figures.get("dossiers_with_fee") == 400 and figures.get("dossiers_paid_online") == 40
    assert figures.get("procedures_with_fee") == 1200  # the province row, not 5
    assert figures.get("procedures_paid_online") is None  # nobody gave it: missing, not 0
    partial = read_indicators(_csv([{"unit_id": "a", "month": "2026-09", "dossiers": 5}, {"unit_id": "b", "month": "2026-09"}]))
    assert partial.province().get("dossiers") is None  # one unit lacks it: a partial sum would be wrong


def test_the_template_lists_every_unit_and_reads_back_as_all_missing():
    text = template_csv(["so-y-te", "so-tu-phap"], "2026-10")
    lines = text.splitlines()
    assert lines[0].split(",") == ["unit_id", "month", *COUNT_COLUMNS]
    assert [line.split(",")[0] for line in lines[1:]] == [PROVINCE, "so-y-te", "so-tu-phap"]
    figures = read_indicators(text).province()
    assert figures is not None and all(v is None for v in figures.values.values())
    assert [g.points for g in idx.score(F, figures.values).groups] == [None, None]


@pytest.mark.parametrize(
    "cells,expected_vi",
    [
        ({"dossiers": "-3"}, 'dòng 2, cột "dossiers": giá trị âm (-3) không hợp lệ [quy tắc: negative]'),
        ({"dossiers": "12.5"}, "số đếm phải là số nguyên, không phải 12.5 [quy tắc: not_whole]"),
        ({"dossiers": "1.234"}, "số đếm phải là số nguyên"),
        ({"dossiers": "nhiều"}, "“nhiều” không phải là số [quy tắc: not_a_number]"),
        ({"dossiers": "nan"}, "không phải là số"),
        ({"month": "9/2026"}, 'cột "month": “9/2026” không phải tháng dạng YYYY-MM'),
        ({"month": "2026-13"}, "không phải tháng dạng YYYY-MM"),
        ({"unit_id": ""}, "thiếu mã đơn vị [quy tắc: missing_unit]"),
        ({"unit_id": "so-la"}, "mã đơn vị “so-la” không có trong bộ số liệu [quy tắc: unknown_unit]"),
        (
            {"dossiers_paid_online": "11", "dossiers_with_fee": "10"},
            'cột "dossiers_paid_online": số hồ sơ thanh toán trực tuyến (11) lớn hơn số hồ sơ có nghĩa vụ tài chính (phí, lệ phí) (10) [quy tắc: part_gt_whole]',
        ),
        ({"dossiers_synced": "2000", "dossiers": "1000"}, "[quy tắc: part_gt_whole]"),
    ],
)
def test_a_bad_indicator_cell_is_named_by_file_row_column_and_rule(cells, expected_vi):
    row = {"unit_id": "so-y-te", "month": "2026-09", **cells}
    with pytest.raises(IndicatorError) as err:
        read_indicators(_csv([row]), "chi_so_766.csv", known_units={"so-y-te"})
    messages = err.value.messages("vi")
    assert any(expected_vi in m for m in messages), messages
    assert all(m.startswith("chi_so_766.csv") for m in messages)
    assert len(err.value.messages("en")) == len(messages)


def test_a_bad_indicator_file_is_refused_whole():
    cases = {
        b"\xff\xfe\x00": "không phải UTF-8",
        b"": "tệp rỗng",
        b"unit_id,dossiers\nso-y-te,5\n": 'cột "month": thiếu cột bắt buộc',
        b"unit_id,month,dossier\n": 'cột "dossier": cột không thuộc mẫu chỉ số 766',
        b"unit_id,month,dossiers,dossiers\n": "cột bị lặp lại",
        b'unit_id,month\n"so-y-te,2026-09\n': "tệp CSV hỏng",
        b"unit_id,month\nso-y-te,2026-09\nso-y-te,2026-09\n": "đã có ở dòng 2 [quy tắc: duplicate_row]",
        b"unit_id,month\nso-y-te\n": "có 1 ô, tiêu đề có 2 cột",
    }
    for data, expected in cases.items():
        with pytest.raises(IndicatorError) as err:
            read_indicators(data)
        assert any(expected in m for m in err.value.messages("vi")), (data, err.value.messages("vi"))


def test_counts_are_read_exactly():
    ind = read_indicators(b"\xef\xbb\xbfunit_id,month,dossiers\nso-y-te,2026-09,393881\n")
    assert ind.province().get("dossiers") == 393881
    assert not math.isnan(ind.province().get("dossiers"))


# ------------------------------------------------------------------ the projection carries the indicators

PORTAL_CSV = _csv(
    [
        {
            "unit_id": PROVINCE,
            "month": "2022-12",
            "procedures_in_scope": 1651,
            "procedures_online": 930,
            "services_online": 930,
            "services_with_online_dossier": 627,
            "dossiers": 393881,
            "dossiers_online": 40138,
            "dossiers_online_counted": 30000,
            "dossiers_synced": 354493,
            "dossiers_with_fee": 100000,
            "dossiers_paid_online": 8000,
            "procedures_with_fee": 500,
            "procedures_paid_online": 100,
            "procedures_fee_data": 300,
        }
    ]
)


def test_the_projection_scores_december_from_the_projected_share_and_the_levers_lifts():
    from model.analysis import default_compiled
    from model.projection import project
    from model.scenario import Scenario

    c = default_compiled()
    ind = read_indicators(PORTAL_CSV)
    still = Scenario("t")
    still.assumptions["momentum_logodds_per_year"] = 0.0
    on = still.with_settings(online_payment__coverage_pct=50, catalogue__built_pct=100)
    flat, moved = (project(c, s, draws=64, indicators=ind) for s in (still, on))
    assert flat.index_766 is not None and moved.index_766 is not None
    assert flat.index_766.month == f"{still.plan_year}-12" and flat.index_766.indicators_month == "2022-12"

    # no lever, no momentum: December's share is the report's 10,19%; its counted rate 30.000/40.138
    # and sync rate 354.493/393.881 = 90% are held
    share = flat.block("province").december / 100
    assert share == pytest.approx(40138 / 393881, abs=1e-9)
    online = flat.index_766.group("online_services").parts[2]
    assert online.ratio == pytest.approx(share * 30000 / 40138 * 354493 / 393881)
    assert online.points == pytest.approx(6 * online.ratio / 0.5)
    pay = flat.index_766.group("online_payment")
    assert pay.points == pytest.approx(6 * 0.08 + min(2, 2.5 * 0.2) + min(2, 2.5 * 0.6))

    # the payment lever, at 50% with the central effect 0,3, closes 15% of the gap by December; it
    # moves no dossier share
    pay_on = moved.index_766.group("online_payment").parts[0]
    assert pay_on.ratio == pytest.approx(0.08 + 0.92 * 0.5 * 0.3)
    assert pay_on.points - pay.parts[0].points == pytest.approx(6 * 0.92 * 0.15)
    assert pay_on.p10 is not None and pay_on.p90 is not None and pay_on.p10 < pay_on.points < pay_on.p90
    # the catalogue lever moves the services part: 627/930 + (1 − 627/930) × 1 × 0,4
    services = moved.index_766.group("online_services").parts[1]
    assert services.ratio == pytest.approx(627 / 930 + (1 - 627 / 930) * 0.4)
    # procedures offered online and the payment procedures stay at their last value
    assert moved.index_766.group("online_services").parts[0].points == flat.index_766.group("online_services").parts[0].points
    assert moved.index_766.group("online_payment").parts[2].points == pay.parts[2].points


def test_the_payment_lever_moves_no_dossier_share():
    from model.analysis import default_compiled, evaluate_scenarios
    from model.scenario import Scenario

    c = default_compiled()
    off = Scenario("t")
    on = off.with_settings(online_payment__coverage_pct=100)
    res = evaluate_scenarios(c, [off, on])
    assert np.array_equal(res.share[0], res.share[1])
    assert res.lifts["payment"][0, -1] == 0 and res.lifts["payment"][1, -1] == pytest.approx(0.3)
    assert on.active_levers() == ["online_payment"]


def test_without_indicators_the_projection_says_no_data():
    from model.analysis import default_compiled
    from model.projection import project
    from tests.conftest import builtin

    proj = project(default_compiled(), builtin("recommendations"), draws=16)
    assert proj.index_766 is not None
    assert [g.points for g in proj.index_766.groups] == [None, None]


def test_run_json_gives_both_groups_points_with_each_part_and_the_formula_version(tmp_path):
    from tests.conftest import model_cli

    path = tmp_path / "chi_so_766.csv"
    path.write_text(PORTAL_CSV, encoding="utf-8")
    data = json.loads(
        model_cli("run", "data/scenarios/03_report_recommendations.json", "--json", "--draws", "16", "--indicators", str(path))
    )
    index = data["index_766"]
    assert index["formula_version"] == "2026-09-28"
    for group in ("online_services", "online_payment"):
        assert isinstance(index[group]["points"], float)
        assert index[group]["p10"] <= index[group]["points"] <= index[group]["p90"]
        for part in index[group]["parts"].values():
            assert 0 <= part["ratio_pct"] <= 100 and 0 <= part["points"] <= part["max_points"]
    assert index["online_services"]["caveat_vi"] == "theo mô tả công thức, chưa đối chiếu với điểm công bố"
    assert index["online_payment"]["checked_against_published_scores"] is True
    # the points each lever adds, adding up to the scenario's gain over the same assumptions with no lever
    levers = {(r["lever"], r["group"]): r["points"] for r in index["levers"]}
    assert levers[("online_payment", "online_services")] == 0 and levers[("online_payment", "online_payment")] > 0
    assert levers[("catalogue", "online_services")] > 0

    bare = json.loads(model_cli("run", "data/scenarios/01_status_quo_momentum.json", "--json", "--draws", "16"))
    assert bare["index_766"]["online_services"]["points"] is None
    assert bare["index_766"]["online_payment"]["status_vi"] == "chưa có số liệu"


def test_run_refuses_an_indicator_file_with_a_unit_the_data_does_not_have(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "chi_so_766.csv"
    path.write_text("unit_id,month,dossiers\nso-khong-co,2022-12,5\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "model", "run", "data/scenarios/01_status_quo_momentum.json", "--json", "--indicators", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert 'chi_so_766.csv, dòng 2, cột "unit_id": mã đơn vị “so-khong-co” không có trong bộ số liệu' in done.stderr


# ------------------------------------------------------------------ on the pages


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_the_pages_show_both_groups_points_beside_the_shares_and_say_no_data_without_indicators():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    text = _markdown(at)
    assert "Điểm QĐ 766" in text and "chưa có số liệu" in text
    assert "theo mô tả công thức, chưa đối chiếu với điểm công bố" in text

    at.session_state["indicators_766"] = read_indicators(PORTAL_CSV)
    at.run()
    text = _markdown(at)
    # as reported, 12/2022: 2 × (930/1651)/0,8 + 4 × 627/930 + 6 × (30.000/393.881 × 0,9)/0,5
    services = 2 * (930 / 1651) / 0.8 + 4 * 627 / 930 + 6 * (30000 / 393881 * 354493 / 393881) / 0.5
    payment = 6 * 0.08 + 2.5 * 0.2 + 2.5 * 0.6
    assert f"**{idx.points_text(services, 'vi')}**/12" in text and f"**{idx.points_text(payment, 'vi')}**/10" in text
    assert "(số liệu 12/2022)" in text

    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception
    text = _markdown(at)
    assert "Điểm QĐ 766, T12/2023" in text and "P10–P90" in text and "¹ Cung cấp dịch vụ trực tuyến: theo mô tả công thức" in text

    at.switch_page("app_pages/targets.py").run()
    assert not at.exception
    text = _markdown(at)
    assert "được tối đa 6 điểm từ 50%" in text and "0,12 điểm chỉ số" in text
    assert "Khối sở 80%" in text or "80%" in text.split("Chỉ tiêu vượt ngưỡng này")[1]


def test_indicators_kept_with_the_dataset_are_used_by_a_new_session_and_not_by_another_dataset():
    """What a reload, a new tab or the next meeting sees: the indicators uploaded for a dataset, kept
    with it in the library; another dataset has its own (here none)."""
    from streamlit.testing.v1 import AppTest

    from model.datasets import BUILTIN_ID, EXAMPLE_2025_ID
    from model.store import ScenarioStore

    ScenarioStore().save_dataset_file(BUILTIN_ID, "indicators_766", "chi_so_766.csv", read_indicators(PORTAL_CSV).to_csv())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    payment = 6 * 0.08 + 2.5 * 0.2 + 2.5 * 0.6
    assert f"**{idx.points_text(payment, 'vi')}**/10" in _markdown(at) and "(số liệu 12/2022)" in _markdown(at)
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    other.query_params["data"] = EXAMPLE_2025_ID
    other.run()
    assert not other.exception
    assert f"**{idx.points_text(payment, 'vi')}**/10" not in _markdown(other) and "chưa có số liệu" in _markdown(other)


@pytest.mark.browser
def test_kich_ban_in_presentation_mode_shows_the_points_beside_the_share(browser, tmp_path):
    """Indicators uploaded on Tổng quan, then Kịch bản on the projector: the December share, its band
    and the two groups' points with theirs, on the first screen. Saved as artifacts/kich-ban-766-*.png."""
    from tests.browser_support import open_app_page, streamlit_server, wait_idle

    csv_path = tmp_path / "chi_so_766.csv"
    csv_path.write_text(PORTAL_CSV, encoding="utf-8")
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with streamlit_server(ROOT / "app.py") as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        open_app_page(page, url, "?presentation=true")
        page.get_by_text("Số liệu chỉ số QĐ 766", exact=False).first.click()
        wait_idle(page)
        page.locator('input[type="file"]').set_input_files(str(csv_path))
        wait_idle(page)
        page.wait_for_selector("text=số liệu 12/2022", timeout=30000)
        page.get_by_role("link", name="Kịch bản").first.click()
        wait_idle(page)
        page.wait_for_selector("text=Điểm QĐ 766, T12/2023", timeout=30000)
        line = page.get_by_text("Điểm QĐ 766, T12/2023").first
        assert line.is_visible() and "P10–P90" in line.inner_text()
        box = line.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 720  # on the first screen, beside the share
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(artifacts / "kich-ban-766-presentation-1280x720.png"))
        page.reload()  # the indicators were kept with the dataset: a reload still scores them
        wait_idle(page)
        page.wait_for_selector("text=Điểm QĐ 766, T12/2023", timeout=30000)
        assert "chưa có số liệu" not in page.get_by_text("Điểm QĐ 766, T12/2023").first.inner_text()
        ctx.close()


def test_each_lever_gets_the_points_it_adds_and_they_add_up_to_the_scenarios_gain():
    from model.analysis import contributions, default_compiled, index_contributions, status_quo_of
    from model.projection import project
    from tests.conftest import builtin

    c = default_compiled()
    ind = read_indicators(PORTAL_CSV)
    rec = builtin("recommendations")
    per_lever = index_contributions(c, rec, ind)
    assert set(per_lever.lever) == set(rec.active_levers()) - {"ministry_connect"}
    full = project(c, rec, draws=16, indicators=ind, with_contributions=False).index_766
    none = project(c, status_quo_of(rec), draws=16, indicators=ind)
    for group in ("online_services", "online_payment"):
        gain = full.group(group).points - none.index_766.group(group).points
        assert per_lever[per_lever.group == group].points.sum() == pytest.approx(gain, abs=1e-9)
    paid = per_lever[(per_lever.lever == "online_payment")]
    assert paid[paid.group == "online_services"].points.iloc[0] == pytest.approx(0, abs=1e-12)
    assert paid[paid.group == "online_payment"].points.iloc[0] > 0
    # on the share, the payment lever adds exactly nothing, and is still listed
    share = contributions(c, rec)
    assert (share[share.lever == "online_payment"].points == 0).all() and len(share[share.lever == "online_payment"]) > 0
    without_indicators = index_contributions(c, rec)
    assert without_indicators.points.isna().all()


def test_the_scenario_page_lists_the_points_each_lever_adds():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import builtin

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state["indicators_766"] = read_indicators(PORTAL_CSV)
    at.session_state["current_json"] = builtin("recommendations").to_json()
    at.session_state["index766_levers_open"] = True
    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception
    html = "".join(h.proto.body for h in at.get("html"))
    assert "Đẩy mạnh thanh toán trực tuyến phí, lệ phí" in html and "+" in html


# ------------------------------------------------------------------ in the workbook


def _index_sheet_rows(data: bytes) -> dict[str, tuple]:
    """The Decision 766 sheet's rows by their first cell (a group or a part, trimmed; a lever's label)."""
    import io

    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(data))["Điểm QĐ 766"]
    return {str(r[0]).strip(): r for r in ws.iter_rows(values_only=True) if r[0] is not None}


def test_the_workbook_prints_the_plans_points_as_run_gives_them_and_the_levers_add_up(tmp_path):
    """`export --indicators` and `run --json --indicators` of the same plan: the same points, group by
    group and part by part (as printed, two decimals), and the levers' points add up to the plan's gain."""
    from model.analysis import default_compiled, status_quo_of
    from model.projection import project
    from tests.conftest import builtin, model_cli

    path = tmp_path / "chi_so_766.csv"
    path.write_text(PORTAL_CSV, encoding="utf-8")
    plan = "data/scenarios/03_report_recommendations.json"
    out = tmp_path / "ke-hoach.xlsx"
    model_cli("export", plan, "--out", str(out), "--indicators", str(path))
    rows = _index_sheet_rows(out.read_bytes())
    index = json.loads(model_cli("run", plan, "--json", "--indicators", str(path)))["index_766"]
    for group in idx.CURRENT.groups:
        assert rows[group.name_vi][3] == round(index[group.id]["points"], 2)
        for part in group.parts:
            printed = rows[part.name_vi]
            assert printed[3] == round(index[group.id]["parts"][part.id]["points"], 2)
            assert printed[1] == pytest.approx(index[group.id]["parts"][part.id]["ratio_pct"] / 100, abs=1e-4)
            assert printed[2] == part.full_at and printed[6] == part.max_points
    ind = read_indicators(PORTAL_CSV)
    c, rec = default_compiled(), builtin("recommendations")
    gain = {
        g.group.id: g.points - base.points
        for g, base in zip(
            project(c, rec, indicators=ind).index_766.groups, project(c, status_quo_of(rec), indicators=ind).index_766.groups
        )
    }
    from model.levers import LEVER_BY_ID

    levers = [rows[LEVER_BY_ID[lv].label_vi] for lv in rec.active_levers() if LEVER_BY_ID[lv].label_vi in rows]
    assert levers
    for j, group in enumerate(idx.CURRENT.groups):
        assert sum(r[1 + j] for r in levers) == pytest.approx(gain[group.id], abs=0.01 * len(levers))


@settings(max_examples=4, deadline=None)
@given(dropped=st.sampled_from(sorted(COUNT_COLUMNS)))
def test_a_missing_indicator_prints_as_no_data_never_as_zero_and_names_what_is_missing(dropped):
    """Any count left out of the indicators: a part that cannot be scored, and its group, print
    "chưa có số liệu" in place of points, and the part's note names the count in Vietnamese; every
    other part prints its points."""
    import csv
    import io

    from model.analysis import default_compiled
    from model.excel import build_workbook
    from tests.conftest import builtin

    rows = list(csv.DictReader(io.StringIO(PORTAL_CSV)))
    kept = [c for c in rows[0] if c != dropped]
    ind = read_indicators(_csv([{c: (r[c] or None) for c in kept} for r in rows], kept))
    printed = _index_sheet_rows(build_workbook(default_compiled(), [builtin("recommendations")], draws=16, indicators=ind))
    for group in idx.CURRENT.groups:
        missing = []
        for part in group.parts:
            row = printed[part.name_vi]
            if row[3] == "chưa có số liệu":
                missing.append(part.id)
                assert row[1] == "chưa có số liệu" and COUNT_COLUMNS[dropped][0] in row[7]
            else:
                assert isinstance(row[3], float | int) and row[7] is None
        assert (printed[group.name_vi][3] == "chưa có số liệu") == bool(missing)
