"""Data import: what real files bring, and at least 15 malformed files, each with its message."""

import csv
import io

import openpyxl
import pytest

from model.baseline import ReportError, load_report
from model.importer import import_report, template_xlsx
from model.segments import block_totals, build_segments
from tests.conftest import FIXTURES

BASE = load_report()


def units_csv(delimiter=",", vietnamese=False, bom=False, title_rows=0, blank_rows=False, mutate=None) -> bytes:
    rows = list(csv.reader(open(BASE.folder + "/units.csv", encoding="utf-8")))
    header, body = rows[0], rows[1:]
    for r in body:  # an upload has no provenance: leave out the two printed shares the data does not keep
        if r[0] in ("so-khcn", "so-tttt"):
            r[header.index("services_share_printed_pct")] = ""
    if vietnamese:  # 15797 -> 15.797 ; 98.58 -> 98,58%
        for r in body:
            for i, col in enumerate(header):
                if r[i] and col in ("dossiers", "dossiers_online", "dossiers_incl_communes", "dossiers_online_incl_communes"):
                    r[i] = f"{int(r[i]):,}".replace(",", ".")
                if r[i] and col.endswith("_pct"):
                    r[i] = r[i].replace(".", ",") + "%"
    if mutate:
        mutate(header, body)
    out = io.StringIO()
    for i in range(title_rows):
        out.write(f"Báo cáo DVCTT tháng 6/2023{delimiter}\n" if i == 0 else "\n")
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(header)
    for k, r in enumerate(body):
        w.writerow(r)
        if blank_rows and k % 7 == 0:
            w.writerow([""] * len(header))
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def load(data, name="so-lieu.csv", label="Tháng 6/2023", period="2023-06"):
    return import_report(data, name, label, period, counts="ytd")


def totals(report):
    return block_totals(build_segments(report.units))


def test_everything_real_files_bring_at_once():
    data = units_csv(delimiter=";", vietnamese=True, bom=True, title_rows=2, blank_rows=True)
    rep = load(data)
    assert totals(rep)["province"] == (40138, 393881)
    assert rep.label_vi == "Tháng 6/2023" and rep.period == "2023-06" and rep.id.startswith("upload-2023-06-")


def test_template_round_trip_and_the_post_2025_structure():
    rep = load(template_xlsx(BASE), "mau.xlsx", "", "")  # label and period come from the “Thông tin” sheet
    assert totals(rep) == totals(BASE) and rep.period == "2022-12"
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == ["Đơn vị", "Toàn tỉnh", "Thông tin", "Biện pháp"] and wb["Đơn vị"]["A3"].value == "unit_id"
    commune_csv = (FIXTURES / "report_2025_communes" / "units.csv").read_bytes()
    rep = load(commune_csv, "xa-2025.csv", "Sau sáp nhập", "2025-09")
    assert (rep.units.kind == "commune").sum() == 75 and totals(rep)["district_incl_communes"] == (0, 0)


def set_cell(unit_id, column, value):
    def mutate(header, body):
        for r in body:
            if r[0] == unit_id:
                r[header.index(column)] = value

    return mutate


def drop_column(column):
    def mutate(header, body):
        i = header.index(column)
        del header[i]
        for r in body:
            del r[i]

    return mutate


def duplicate_row(header, body):
    body.append(list(body[3]))


MALFORMED = [
    # (name, bytes, expected Vietnamese message)
    ("qua-lon.csv", b"x" * 2_000_001, "qua-lon.csv: tệp lớn hơn giới hạn 2 MB [quy tắc: too_large]"),
    ("rong.csv", b"   \n", "rong.csv: tệp rỗng [quy tắc: empty_file]"),
    ("bao-cao.pdf", b"%PDF-1.4", "bao-cao.pdf: chỉ nhận tệp .xlsx hoặc .csv [quy tắc: file_type]"),
    (
        "latin1.csv",
        b"unit_id,name\nx,S\xf6 Y t\xea\n",  # saved by an old program in a legacy code page
        "latin1.csv, dòng 2: tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3), byte lỗi ở dòng 2; hãy lưu lại dưới dạng “CSV UTF-8” [quy tắc: encoding]",
    ),
    (
        "hong.xlsx",
        b"PK\x03\x04 not really a zip",
        "hong.xlsx: tệp không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng [quy tắc: not_xlsx]",
    ),
    (
        "khong-tieu-de.csv",
        "Đơn vị,Hồ sơ\nSở Y tế,12\n".encode(),
        'khong-tieu-de.csv, cột "unit_id": không tìm thấy dòng tiêu đề có cột “unit_id” (dùng tệp mẫu) [quy tắc: no_header]',
    ),
    (
        "thieu-cot.csv",
        units_csv(mutate=drop_column("dossiers_online")),
        'thieu-cot.csv, dòng 1, cột "dossiers_online": thiếu cột bắt buộc [quy tắc: missing_column]',
    ),
    (
        "chu.csv",
        units_csv(mutate=set_cell("so-y-te", "dossiers", "nhiều")),
        'chu.csv, dòng 12, cột "dossiers": “nhiều” không phải là số; viết số nguyên, ví dụ 1234, 1.234 hoặc 1,234 [quy tắc: not_a_number]',
    ),
    (
        "am.csv",
        units_csv(mutate=set_cell("so-y-te", "dossiers", "-5")),
        'am.csv, dòng 12, cột "dossiers": số âm “-5” không phải số đếm [quy tắc: negative]',
    ),
    (
        "vuot.csv",
        units_csv(mutate=set_cell("so-y-te", "dossiers_online", "2000")),
        'vuot.csv, dòng 12, cột "dossiers_online": số hồ sơ trực tuyến (2000) lớn hơn tổng số hồ sơ phát sinh (1931) [quy tắc: online_gt_total]',
    ),
    (
        "trung.csv",
        units_csv(mutate=duplicate_row),
        'trung.csv, dòng 31, cột "unit_id": mã đơn vị "so-cong-thuong" đã có ở dòng 5 [quy tắc: duplicate_unit]',
    ),
    (
        "lech.csv",
        units_csv(mutate=set_cell("so-y-te", "online_share_printed_pct", "40")),
        'lech.csv, dòng 12, cột "online_share_printed_pct": tỷ lệ in 40% không khớp với 620/1931 = 32.11% (ngoài sai số làm tròn) [quy tắc: share_mismatch]',
    ),
    (
        "loai.csv",
        units_csv(mutate=set_cell("so-y-te", "kind", "bộ")),
        'loai.csv, dòng 12, cột "kind": loại đơn vị "bộ" không hợp lệ (chỉ nhận: department, district, commune) [quy tắc: unknown_kind]',
    ),
    (
        "dung-sai.csv",
        units_csv(mutate=set_cell("mai-son", "commune_services_deployed", "có")),
        'dung-sai.csv, dòng 21, cột "commune_services_deployed": "có" không phải true/false [quy tắc: not_boolean]',
    ),
    (
        "ten.csv",
        units_csv(mutate=set_cell("so-y-te", "name", "")),
        'ten.csv, dòng 12, cột "name": thiếu mã hoặc tên đơn vị [quy tắc: missing_unit]',
    ),
    (
        "dich-vu.csv",
        units_csv(mutate=set_cell("so-y-te", "services_with_dossiers", "47")),
        'dich-vu.csv, dòng 12, cột "services_with_dossiers": số DVC phát sinh hồ sơ (47) lớn hơn số DVCTT mức độ 3, 4 (46) [quy tắc: services_with_dossiers_gt_services]',
    ),
    (
        "huyen.csv",
        units_csv(mutate=set_cell("moc-chau", "dossiers_incl_communes", "2000")),
        'huyen.csv, dòng 19, cột "dossiers": tổng số hồ sơ phát sinh (2995) lớn hơn tổng số hồ sơ (bao gồm cả cấp xã) (2000) [quy tắc: office_gt_district_total]',
    ),
]


@pytest.mark.parametrize("name,data,expected", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_is_refused_with_its_message(name, data, expected):
    with pytest.raises(ReportError) as err:
        load(data, name)
    assert expected in err.value.messages_vi, err.value.messages_vi


def test_rows_are_counted_in_the_users_file_when_title_rows_sit_above_the_header():
    data = units_csv(title_rows=3, mutate=set_cell("so-y-te", "dossiers", "-5"))
    with pytest.raises(ReportError) as err:
        load(data, "co-tieu-de.csv")
    assert 'co-tieu-de.csv, dòng 15, cột "dossiers": số âm “-5” không phải số đếm [quy tắc: negative]' in err.value.messages_vi


def test_bad_period_and_missing_label():
    with pytest.raises(ReportError) as err:
        load(units_csv(), period="2023-13")
    assert err.value.messages_vi == [
        'so-lieu.csv, cột "period": kỳ báo cáo: “2023-13”: tháng 13 không tồn tại (chỉ có tháng 1 đến 12) [quy tắc: impossible_month]'
    ]
    with pytest.raises(ReportError) as err:
        load(units_csv(), label=" ")
    assert err.value.messages_vi == ['so-lieu.csv, cột "label": hãy đặt tên cho bộ số liệu [quy tắc: missing_label]']
