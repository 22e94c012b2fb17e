import csv
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from model.baseline import DEFAULT_REPORT_DIR, ReportError, load_report
from model.segments import block_totals, build_segments
from tests.conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def report():
    return load_report()


def pct(online, volume):
    return round(100 * online / volume, 2)


def test_section3_december_figures_from_data_alone(report):
    totals = block_totals(build_segments(report.units))
    assert totals["department"] == (22322, 57504) and pct(*totals["department"]) == 38.82
    assert totals["district_incl_communes"] == (17816, 336377) and pct(*totals["district_incl_communes"]) == 5.30
    assert totals["province"] == (40138, 393881) and pct(*totals["province"]) == 10.19
    # ...and the printed section-3 values in province.csv say the same.
    assert report.province_value("online_share_pct", "department") == 38.82
    assert report.province_value("online_share_pct", "district", "2022-11") == 3.23


def test_unit_counts_and_structure(report):
    units = report.units
    assert (units.kind == "department").sum() == 17 and (units.kind == "district").sum() == 12
    not_deployed = set(units.loc[units.commune_services_deployed.eq(False).fillna(False), "name"])
    assert not_deployed == {
        "UBND huyện Mai Sơn",
        "UBND huyện Vân Hồ",
        "UBND huyện Sốp Cộp",
        "UBND huyện Quỳnh Nhai",
        "UBND huyện Phù Yên",
    }
    gtvt = units.set_index("unit_id").loc["so-gtvt"]
    assert gtvt["name"] == "Sở Giao thông vận tải" and gtvt.dossiers == 28073 and gtvt.dossiers_online == 334


def test_every_printed_ratio_matches_its_counts_within_001_points(report):
    damaged = {(r.unit_id, r.column) for r in report.provenance.itertuples()}
    checked = 0
    pairs = {
        "online_share_printed_pct": ("dossiers_online", "dossiers"),
        "online_share_incl_communes_printed_pct": ("dossiers_online_incl_communes", "dossiers_incl_communes"),
    }
    for u in report.units.itertuples():
        for share, (num, den) in pairs.items():
            printed, n, d = getattr(u, share), getattr(u, num), getattr(u, den)
            if pd.isna(printed) or pd.isna(d) or d == 0 or (u.unit_id, share) in damaged:
                continue
            assert abs(100 * n / d - printed) <= 0.005 + 1e-9, (u.unit_id, share)
            checked += 1
    assert checked == 16 + 12 + 12  # Finance is 0/0 and has nothing to check


def test_reconstructed_and_missing_cells_are_recorded(report):
    prov = report.provenance.set_index(["unit_id", "column"])
    units = report.units.set_index("unit_id")
    assert prov.loc[("ban-ql-kcn", "services_online_l34"), "value"] == "14"
    assert units.loc["ban-ql-kcn", "services_online_l34"] == 14
    for uid in ("so-vhttdl", "so-nnptnt", "so-ldtbxh", "so-tai-chinh"):
        assert prov.loc[(uid, "services_online_l34"), "action"] == "missing"
        assert pd.isna(units.loc[uid, "services_online_l34"])
    assert prov.loc[("so-tai-chinh", "dossiers"), "action"] == "reconstructed"
    assert prov.loc[("so-khcn", "services_share_printed_pct"), "action"] == "kept_counts_over_printed_share"


def test_post_2025_structure_loads_through_the_same_loader():
    rep = load_report(FIXTURES / "report_2025_communes")
    seg = build_segments(rep.units)
    assert (rep.units.kind == "commune").sum() == 75 and (rep.units.kind == "district").sum() == 0
    totals = block_totals(seg)
    assert totals["district_incl_communes"] == (0, 0)
    assert totals["province"][1] == rep.units.dossiers.sum() == totals["department"][1] + totals["communes"][1]
    assert pct(*totals["province"]) == rep.province_value("online_share_pct")


def test_cli_baseline_json():
    out = subprocess.run(
        [sys.executable, "-m", "model", "baseline", "--json"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["blocks"]["province"] == {"dossiers": 393881, "online_dossiers": 40138, "share_pct": 10.1904}
    assert data["blocks"]["communes"]["dossiers"] == 298129
    assert len(data["units"]) == 29
    assert data["units"][0]["name"] == "Ban Quản lý các khu công nghiệp tỉnh"


# ------------------------------------------------------------------ bad data


def copy_report(tmp_path):
    dst = tmp_path / "report"
    shutil.copytree(DEFAULT_REPORT_DIR, dst)
    return dst


def set_cell(folder, file, key_col, key, column, value):
    path = folder / file
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    for r in rows:
        if r[key_col] == key:
            r[column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)


BAD_CASES = [
    # (file, key, column, new value, exact Vietnamese message expected among the problems)
    (
        "units.csv",
        "so-y-te",
        "dossiers",
        "-5",
        'units.csv, dòng 12, cột "dossiers": số âm “-5” không phải số đếm [quy tắc: negative]',
    ),
    (
        "units.csv",
        "so-y-te",
        "dossiers_online",
        "2000",
        'units.csv, dòng 12, cột "dossiers_online": số hồ sơ trực tuyến (2000) lớn hơn tổng số hồ sơ phát sinh (1931) [quy tắc: online_gt_total]',
    ),
    (
        "units.csv",
        "so-y-te",
        "services_with_dossiers",
        "50",
        'units.csv, dòng 12, cột "services_with_dossiers": số DVC phát sinh hồ sơ (50) lớn hơn số DVCTT mức độ 3, 4 (46) [quy tắc: services_with_dossiers_gt_services]',
    ),
    (
        "units.csv",
        "so-y-te",
        "unit_id",
        "so-xay-dung",
        'units.csv, dòng 12, cột "unit_id": mã đơn vị "so-xay-dung" đã có ở dòng 11 [quy tắc: duplicate_unit]',
    ),
    ("units.csv", "so-y-te", "name", "", 'units.csv, dòng 12, cột "name": thiếu mã hoặc tên đơn vị [quy tắc: missing_unit]'),
    (
        "units.csv",
        "so-y-te",
        "dossiers",
        "1,93",
        'units.csv, dòng 12, cột "dossiers": “1,93” không phải số nguyên (số đếm không có phần lẻ); viết số nguyên, ví dụ 1234, 1.234 hoặc 1,234 [quy tắc: not_whole]',
    ),
    (
        "units.csv",
        "so-y-te",
        "online_share_printed_pct",
        "33.11",
        'units.csv, dòng 12, cột "online_share_printed_pct": tỷ lệ in 33.11% không khớp với 620/1931 = 32.11% (ngoài sai số làm tròn) [quy tắc: share_mismatch]',
    ),
    (
        "units.csv",
        "so-y-te",
        "dossiers",
        "1931.5",
        'units.csv, dòng 12, cột "dossiers": “1931.5” không phải số nguyên (số đếm không có phần lẻ); viết số nguyên, ví dụ 1234, 1.234 hoặc 1,234 [quy tắc: not_whole]',
    ),
    (
        "units.csv",
        "so-y-te",
        "kind",
        "ministry",
        'units.csv, dòng 12, cột "kind": loại đơn vị "ministry" không hợp lệ (chỉ nhận: department, district, commune) [quy tắc: unknown_kind]',
    ),
    (
        "units.csv",
        "mai-son",
        "commune_services_deployed",
        "yes",
        'units.csv, dòng 21, cột "commune_services_deployed": "yes" không phải true/false [quy tắc: not_boolean]',
    ),
    (
        "units.csv",
        "mai-son",
        "dossiers_online_incl_communes",
        "1500",
        'units.csv, dòng 21, cột "dossiers_online_incl_communes": cấp xã chưa triển khai DVCTT nhưng có 18 hồ sơ trực tuyến cấp xã [quy tắc: not_deployed_but_online]',
    ),
    (
        "units.csv",
        "moc-chau",
        "dossiers_incl_communes",
        "2000",
        'units.csv, dòng 19, cột "dossiers": tổng số hồ sơ phát sinh (2995) lớn hơn tổng số hồ sơ (bao gồm cả cấp xã) (2000) [quy tắc: office_gt_district_total]',
    ),
    (
        "units.csv",
        "so-y-te",
        "online_share_printed_pct",
        "132",
        'units.csv, dòng 12, cột "online_share_printed_pct": tỷ lệ 132% lớn hơn 100% [quy tắc: pct_over_100]',
    ),
    (
        "units.csv",
        "so-y-te",
        "dossiers_incl_communes",
        "5000",
        'units.csv, dòng 12, cột "dossiers_incl_communes": chỉ đơn vị cấp huyện mới có số liệu bao gồm cả cấp xã [quy tắc: not_a_district]',
    ),
    (
        "provenance.csv",
        "ban-ql-kcn",
        "value",
        "15",
        'provenance.csv, dòng 2, cột "value": giá trị khôi phục "15" khác với units.csv (14) [quy tắc: provenance_mismatch]',
    ),
    (
        "provenance.csv",
        "so-khcn",
        "unit_id",
        "so-khong-co",
        'provenance.csv, dòng 3, cột "unit_id": mã đơn vị "so-khong-co" không có trong units.csv [quy tắc: unknown_unit]',
    ),
]


@pytest.mark.parametrize(
    "file,key,column,value,expected", BAD_CASES, ids=[c[4].split("[quy tắc: ")[1][:-1] + "-" + c[2] for c in BAD_CASES]
)
def test_bad_cell_is_refused_with_exact_message(tmp_path, file, key, column, value, expected):
    folder = copy_report(tmp_path)
    set_cell(folder, file, "unit_id", key, column, value)
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert expected in err.value.messages_vi, err.value.messages_vi


def test_province_share_that_disagrees_with_units_is_refused(tmp_path):
    folder = copy_report(tmp_path)
    text = (folder / "province.csv").read_text(encoding="utf-8").replace("2022-12,10.19,", "2022-12,10.29,")
    (folder / "province.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert err.value.messages_vi == [
        'province.csv, dòng 12, cột "value": tỷ lệ in 10.29% không khớp với số liệu các đơn vị 40138/393881 = 10.19% [quy tắc: share_mismatch]'
    ]


def test_missing_column_file_and_encoding(tmp_path):
    folder = copy_report(tmp_path)
    lines = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    (folder / "units.csv").write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert err.value.messages_vi == [
        'units.csv, dòng 1, cột "ministry_systems_unconnected": thiếu cột bắt buộc [quy tắc: missing_column]'
    ]

    (folder / "units.csv").write_bytes("unit_id,name\nx,S\xf6 Y t\xea\n".encode("latin-1"))
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert err.value.messages_vi[0].startswith("units.csv: tệp không phải UTF-8")

    (folder / "units.csv").unlink()
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert err.value.messages_vi == ["units.csv: không tìm thấy tệp [quy tắc: missing_file]"]


def test_short_row_is_refused_and_nothing_loads(tmp_path):
    folder = copy_report(tmp_path)
    with open(folder / "units.csv", "a", encoding="utf-8") as f:
        f.write("so-moi,18,department,Sở Mới\n")
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert err.value.messages_vi == ["units.csv, dòng 31: có 4 ô, tiêu đề có 16 cột [quy tắc: column_count]"]


def test_every_problem_is_reported_at_once(tmp_path):
    folder = copy_report(tmp_path)
    set_cell(folder, "units.csv", "unit_id", "so-y-te", "dossiers", "abc")
    set_cell(folder, "units.csv", "unit_id", "so-tnmt", "dossiers", "-1")
    with pytest.raises(ReportError) as err:
        load_report(folder)
    assert [p.rule for p in err.value.problems] == ["not_a_number", "negative"]
    assert err.value.problems[0].file == "units.csv" and err.value.problems[0].row == 12
    assert "row 12" in str(err.value)


def test_blank_lines_are_ignored(tmp_path):
    folder = copy_report(tmp_path)
    text = (folder / "units.csv").read_text(encoding="utf-8")
    (folder / "units.csv").write_text(text + "\n,,,,,,,,,,,,,,,\n", encoding="utf-8")
    assert len(load_report(folder).units) == 29
