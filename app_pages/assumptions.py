"""Giả định & dữ liệu — the baseline as in the report, provenance, every lever and assumption."""

from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from model import fmt
from model.analysis import DEFAULT_DRAWS, INTERACTIVE_DRAWS
from model.baseline import COLUMN_LABEL_EN, COLUMN_LABEL_VI, ReportError
from model.calibration import BACKTEST_HOLDOUT, BAND_LABEL, STATUS_LABEL
from model.datasets import STRUCTURE_LABEL, make_dataset
from model.errors import PlannerError
from model.importer import MAX_UPLOAD_BYTES, import_report, template_xlsx
from model.levers import ASSUMPTIONS, LEVERS, lever_formula
from model.limits import MAX_LABEL, MIN_CALIBRATION_MONTHS
from model.register import register_in_workbook
from model.series import long_template_csv, series_from_long_csv, series_from_reports
from ui.effects import effects_section

# the sources page in each language (the Vietnamese one is a translation of the English, without file paths)
SOURCES_FILE = {
    "en": Path(__file__).resolve().parent.parent / "docs" / "sources.md",
    "vi": Path(__file__).resolve().parent.parent / "docs" / "sources.vi.md",
}

c = ui.compiled()
rep = c.report
lang = ui.lang()
st.header(ui.pick("Giả định & dữ liệu", "Assumptions & data"))
st.caption(ui.pick(f"Nguồn: {rep.source}", f"Source: {rep.source}"))

# One view at a time (a segmented control, not tabs): st.tabs runs every tab's content on every visit,
# and this page's seven views (tables, the import, the backtest, the sources) made a page switch slow.
VIEWS = {
    "data": ("Bảng số liệu gốc", "Baseline tables"),
    "levers": ("Biện pháp & giả định", "Levers & assumptions"),
    "runrate": ("Tốc độ tháng cuối", "Last-month run-rate"),
    "provenance": ("Ô được khôi phục", "Reconstructed cells"),
    "import": ("Bộ số liệu & nhập", "Datasets & import"),
    "backtest": ("Kiểm định (backtest)", "Backtest"),
    "effects": ("Tác động từ số liệu", "Effects from the data"),
    "sources": ("Nguồn trích dẫn", "Sources"),
}
view = ui.view_chooser(VIEWS, ui.Key.ASSUMPTIONS_VIEW)

flagged = {(r.unit_id, r.column): r.action for r in rep.provenance.itertuples()}


def cell(unit_id, column, value, kind="count"):
    mark = " ✱" if (unit_id, column) in flagged else ""
    if value is None or pd.isna(value):
        return "—" + mark
    return (fmt.count(value, lang) if kind == "count" else fmt.pct(value, lang)) + mark


def ratio(num, den, digits=2):
    if pd.isna(num) or pd.isna(den) or den == 0:
        return "—"
    return fmt.pct(100 * num / den, lang, digits)


def commune_table(communes: pd.DataFrame) -> None:
    """The communes and wards of a report after 7/2025, which has no district level."""
    st.subheader(ui.pick("2. UBND các xã, phường", "2. Commune and ward People's Committees"))
    table = pd.DataFrame(
        {
            "STT": communes.order,
            ui.pick("Tên cơ quan", "Agency"): communes.name if lang == "vi" else communes.name_en,
            ui.pick("Tổng số hồ sơ phát sinh", "Dossiers received"): [fmt.count(v, lang) for v in communes.dossiers],
            ui.pick("Số hồ sơ trực tuyến", "Online dossiers"): [fmt.count(v, lang) for v in communes.dossiers_online],
            ui.pick("Tỷ lệ hồ sơ trực tuyến", "Online share"): [
                ratio(a, b) for a, b in zip(communes.dossiers_online, communes.dossiers)
            ],
        }
    )
    ui.show_table(table, height=min(ui.grid_height(len(table)), 600))


if view == "data":
    units = rep.units
    st.subheader(ui.pick("1. Các sở, ban, ngành", "1. Departments and boards"))
    dep = units[units.kind == "department"]
    t1 = pd.DataFrame(
        {
            "STT": dep.order,
            ui.pick("Tên cơ quan", "Agency"): dep.name if lang == "vi" else dep.name_en,
            ui.pick("Tổng số DVC mức độ 3, 4", "Level 3–4 services"): [
                cell(u, "services_online_l34", v) for u, v in zip(dep.unit_id, dep.services_online_l34)
            ],
            ui.pick("Số DVC phát sinh hồ sơ", "Services with dossiers"): [
                cell(u, "services_with_dossiers", v) for u, v in zip(dep.unit_id, dep.services_with_dossiers)
            ],
            ui.pick("Tỷ lệ (tính lại)", "Share (recomputed)"): [
                ratio(a, b, 0) for a, b in zip(dep.services_with_dossiers, dep.services_online_l34)
            ],
            ui.pick("Tổng số hồ sơ phát sinh", "Dossiers received"): [
                cell(u, "dossiers", v) for u, v in zip(dep.unit_id, dep.dossiers)
            ],
            ui.pick("Số hồ sơ trực tuyến", "Online dossiers"): [
                cell(u, "dossiers_online", v) for u, v in zip(dep.unit_id, dep.dossiers_online)
            ],
            ui.pick("Tỷ lệ hồ sơ trực tuyến", "Online share"): [ratio(a, b) for a, b in zip(dep.dossiers_online, dep.dossiers)],
        }
    )
    ui.show_table(t1, height=ui.grid_height(len(t1)))
    dis = units[units.kind == "district"]
    communes = units[units.kind == "commune"]
    if dis.empty:
        # after 7/2025 there are no districts: the second table lists the communes and wards themselves
        commune_table(communes)
    t2 = pd.DataFrame(
        {
            "STT": dis.order,
            ui.pick("Tên cơ quan", "Agency"): [
                (n if lang == "vi" else e) + ("*" if d is False or d == False else "")  # noqa: E712
                for n, e, d in zip(dis.name, dis.name_en, dis.commune_services_deployed)
            ],
            ui.pick("Tổng số DVC mức độ 3, 4", "Level 3–4 services"): [
                cell(u, "services_online_l34", v) for u, v in zip(dis.unit_id, dis.services_online_l34)
            ],
            ui.pick("Số DVC phát sinh hồ sơ", "Services with dossiers"): [
                cell(u, "services_with_dossiers", v) for u, v in zip(dis.unit_id, dis.services_with_dossiers)
            ],
            ui.pick("Hồ sơ (tại UBND huyện)", "Dossiers (district office)"): [fmt.count(v, lang) for v in dis.dossiers],
            ui.pick("Trực tuyến (tại UBND huyện)", "Online (district office)"): [fmt.count(v, lang) for v in dis.dossiers_online],
            ui.pick("Tỷ lệ (tại UBND huyện)", "Share (district office)"): [
                ratio(a, b) for a, b in zip(dis.dossiers_online, dis.dossiers)
            ],
            ui.pick("Hồ sơ (gồm cả cấp xã)", "Dossiers (incl. communes)"): [
                fmt.count(v, lang) for v in dis.dossiers_incl_communes
            ],
            ui.pick("Trực tuyến (gồm cả cấp xã)", "Online (incl. communes)"): [
                fmt.count(v, lang) for v in dis.dossiers_online_incl_communes
            ],
            ui.pick("Tỷ lệ (gồm cả cấp xã)", "Share (incl. communes)"): [
                ratio(a, b) for a, b in zip(dis.dossiers_online_incl_communes, dis.dossiers_incl_communes)
            ],
        }
    )
    if not dis.empty:
        st.subheader(ui.pick("2. UBND các huyện, thành phố", "2. District People's Committees"))
        ui.show_table(t2, height=ui.grid_height(len(t2)))
        st.caption(
            ui.pick(
                "* Huyện chưa triển khai cung cấp DVCTT ở cấp xã. ✱ Ô được khôi phục hoặc để trống vì bản OCR bị hỏng "
                "(xem thẻ “Ô được khôi phục”). — = chưa có số liệu; mô hình bỏ qua ô này, không đoán.",
                "* District without commune-level online services. ✱ Cell reconstructed or left blank because the OCR "
                "was damaged (see “Reconstructed cells”). — = missing; the model leaves it out rather than guess.",
            )
        )
    st.subheader(ui.pick("Số liệu cấp tỉnh", "Province-level figures"))
    metric_label = {
        "procedures_min_level2": ("Thủ tục hành chính cung cấp tối thiểu mức độ 2", "Procedures offered at least at level 2"),
        "services_online_l34": ("DVCTT mức độ 3, 4", "Online services at levels 3–4"),
        "services_receiving_online_share_pct": (
            "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến",
            "Services receiving online dossiers",
        ),
        "dossiers_processed_online_share_pct": ("Tỷ lệ hồ sơ được xử lý trực tuyến", "Dossiers processed online"),
        "services_on_national_portal": (
            "DVCTT tích hợp trên Cổng DVC quốc gia",
            "Services on the National Public Service Portal",
        ),
        "online_share_pct": ("Tỷ lệ hồ sơ trực tuyến (lũy kế)", "Online dossier share (year to date)"),
    }
    scope_label = {
        "province": ui.t("province"),
        "department": ui.pick("Khối sở, ngành", "Department block"),
        "district": ui.pick("Khối huyện", "District block"),
    }
    prov = rep.province
    ui.show_table(
        pd.DataFrame(
            {
                ui.pick("Chỉ số", "Figure"): [ui.pick(*metric_label[m]) for m in prov.metric],
                ui.pick("Phạm vi", "Scope"): [scope_label[s] for s in prov.scope],
                ui.pick("Kỳ", "Period"): [ui.month_text(p) for p in prov.period],
                ui.pick("Giá trị", "Value"): [
                    fmt.pct(v, lang) if u == "pct" else fmt.count(v, lang) for v, u in zip(prov.value, prov.unit)
                ],
                # the report's own words (the built-in report's OCR line, an imported file's source column)
                ui.pick("Nguyên văn trong báo cáo", "As written in the report"): prov.source_text,
            }
        ),
    )

if view == "levers":
    st.caption(
        ui.pick(
            "Mọi hệ số tác động là giả định: bằng chứng chỉ là quan sát, không có nghiên cứu đối chứng (xem phần Nguồn trích dẫn). "
            "Cột “Căn cứ” ghi quan sát làm mốc.",
            "Every effect size is an assumption: the evidence is observational, with no controlled study (see Sources cited). "
            "The “Basis” column names the observation it is anchored on.",
        )
    )
    rows = []
    for lever in LEVERS:
        for p in lever.params:
            rows.append(
                {
                    ui.pick("Biện pháp", "Lever"): ui.pick(lever.label_vi, lever.label_en),
                    ui.pick("Tham số", "Setting"): ui.pick(p.label_vi, p.label_en),
                    ui.pick("Định nghĩa", "Definition"): ui.pick(p.help_vi, p.help_en),
                    ui.pick("Cách tính", "Formula"): lever_formula(lever, lang),
                    ui.pick("Tác động lên", "Acts on"): ui.pick(lever.acts_on_vi, lever.acts_on_en),
                    ui.pick("Mặc định", "Default"): fmt.number(p.default, lang),
                    ui.pick("Khoảng", "Range"): f"{fmt.number(p.min, lang)} – {fmt.number(p.max, lang)} {p.unit_in(lang)}",
                }
            )
    st.subheader(ui.pick("Biện pháp chính sách", "Policy levers"))
    ui.show_table(pd.DataFrame(rows))
    eff_rows = []
    for lever in LEVERS:
        for e in lever.effects:
            eff_rows.append(
                {
                    ui.pick("Biện pháp", "Lever"): ui.pick(lever.label_vi, lever.label_en),
                    ui.pick("Hệ số", "Effect"): ui.pick(e.label_vi, e.label_en),
                    ui.pick("Thấp", "Low"): fmt.number(e.low, lang),
                    ui.pick("Trung tâm", "Central"): fmt.number(e.central, lang),
                    ui.pick("Cao", "High"): fmt.number(e.high, lang),
                    ui.pick("Đơn vị", "Unit"): e.unit_in(lang),
                    ui.pick("Loại", "Kind"): ui.pick("giả định", "assumption")
                    if e.assumption
                    else ui.pick("có nguồn", "sourced"),
                    ui.pick("Căn cứ", "Basis"): ui.pick(e.source_vi, e.source_en),
                }
            )
    st.subheader(ui.pick("Hệ số tác động", "Effect sizes"))
    ui.show_table(pd.DataFrame(eff_rows))
    st.caption(
        ui.pick(
            f"Khoảng P10–P90: mỗi hệ số được rút theo phân phối tam giác hai nửa (đỉnh và trung vị ở giá trị trung tâm, "
            f"thấp–cao ở hai đầu), trên {ui.count(INTERACTIVE_DRAWS)} điểm Sobol xáo trộn (hạt giống cố định) ở trang "
            f"Kịch bản và {ui.count(DEFAULT_DRAWS)} điểm khi xuất Excel; hai đầu khoảng lệch vài phần mười điểm % so với "
            f"{ui.count(32_768)} điểm.",
            f"P10–P90 range: every effect size is drawn from a two-piece triangular distribution (mode and median at the "
            f"central value, low–high at the ends), on {ui.count(INTERACTIVE_DRAWS)} scrambled Sobol points (fixed seed) on the "
            f"Scenario page and {ui.count(DEFAULT_DRAWS)} for Excel exports; the ends are within a few tenths of "
            f"a point of a {ui.count(32_768)}-point band.",
        )
    )
    st.subheader(ui.pick("Giả định chung", "General assumptions"))
    ui.show_table(
        pd.DataFrame(
            [
                {
                    ui.pick("Giả định", "Assumption"): ui.pick(a.label_vi, a.label_en),
                    ui.pick("Định nghĩa", "Definition"): ui.pick(a.help_vi, a.help_en),
                    ui.pick("Mặc định", "Default"): (
                        ui.pick(a.choices[0][1], a.choices[0][2])
                        if a.choices
                        else f"{fmt.number(a.default, lang)} {a.unit_in(lang)}"
                    ),
                    ui.pick("Khoảng", "Range"): (
                        " / ".join(ui.pick(v, e) for _, v, e in a.choices)
                        if a.choices
                        else f"{fmt.number(a.min, lang)} – {fmt.number(a.max, lang)} {a.unit_in(lang)}"
                    ),
                    ui.pick("Căn cứ", "Basis"): ui.pick(a.source_vi, a.source_en),
                    ui.pick("Loại", "Kind"): ui.pick("giả định", "assumption")
                    if a.assumption
                    else ui.pick("có nguồn", "sourced"),
                }
                for a in ASSUMPTIONS
            ]
        ),
    )
    st.subheader(ui.pick("Thứ tự kết hợp các biện pháp", "How the levers compose"))
    st.markdown(
        ui.pick(
            "1. Điểm xuất phát của từng đơn vị, cộng đà tăng tự nhiên (một hệ số nhân lên tỷ số giữa hồ sơ trực tuyến và hồ "
            "sơ giấy).\n"
            "2. Các biện pháp hành vi (giảm phí, rút ngắn thời gian, hướng dẫn, xây dựng DVCTT) cộng dồn thành một hệ số nhân "
            "chung lên tỷ số đó, nên tỷ lệ không bao giờ vượt 100% và không đếm một hồ sơ hai lần.\n"
            "3. Giao chỉ tiêu: mỗi đơn vị thu hẹp một phần khoảng cách (điểm %) tới chỉ tiêu của mình trong bộ chỉ tiêu đang dùng.\n"
            "4. Dừng nhận hồ sơ giấy (bắt buộc): chuyển một phần hồ sơ giấy còn lại sang trực tuyến.\n"
            "5. Cấp xã chưa có dịch vụ: bằng 0 cho tới khi được bật, rồi tăng theo lộ trình.\n"
            "6. Kết nối hệ thống bộ: hiệu chỉnh đo lường. Tỷ lệ dự báo (bước 1–5) là con số chính; tỷ lệ “đo được” "
            "(kể cả bước 6) được ghi riêng.\n\n"
            "Mỗi bước không giảm khi một biện pháp tăng, nên không đơn vị nào giảm khi tăng một biện pháp.",
            "1. Each unit's starting share, plus status-quo momentum (a factor on the ratio of online to paper dossiers).\n"
            "2. Behavioural levers (fees, processing time, guidance, building services) add up to one common factor on that "
            "ratio, so a share never passes 100% and no dossier is counted twice.\n"
            "3. Unit targets: each unit closes part of its gap (in share points) to its own target in the active target set.\n"
            "4. Paper stop (mandatory) moves part of the remaining paper dossiers online.\n"
            "5. Communes without services stay at 0 until switched on, then follow the ramp.\n"
            "6. Connecting ministry systems corrects measurement. The behavioural share (steps 1–5) is the headline; the "
            "measured share (with step 6) is shown apart.\n\n"
            "No step decreases when a lever rises, so no unit falls when a lever rises.",
        )
    )

if view == "runrate":
    previous_month = "" if rep.previous_period is None else f"{rep.previous_period[5:]}/{rep.previous_period[:4]}"
    st.subheader(
        ui.pick(f"Tốc độ riêng tháng {ui.report_month()} suy ra thế nào", f"How the {ui.report_month()} run-rate is derived")
    )
    if not c.run_rates:
        st.info(
            ui.pick(
                "Báo cáo này không có tỷ lệ lũy kế của tháng trước nên không suy ra được.",
                "This report has no previous month's year-to-date shares, so no run-rate can be derived.",
            )
        )
    else:
        n = next(iter(c.run_rates.values())).months_elapsed
        st.markdown(
            ui.pick(
                f"Số liệu báo cáo là lũy kế từ đầu năm. Giả định **các tháng có số hồ sơ bằng nhau**, tỷ lệ lũy kế tháng {n} là "
                f"trung bình của {n - 1} tháng trước và tháng {n}:\n\n"
                f"tỷ lệ lũy kế({n}) = (({n - 1}) × tỷ lệ lũy kế({n - 1}) + tỷ lệ riêng tháng {n}) / {n}\n\n"
                f"⇒ tỷ lệ riêng tháng {n} = {n} × lũy kế({n}) − {n - 1} × lũy kế({n - 1}).",
                f"The report's counts are year to date. Assuming **equal monthly volumes**, the month-{n} year-to-date share is the "
                f"average of the previous {n - 1} months and month {n}:\n\n"
                f"YTD({n}) = (({n - 1}) × YTD({n - 1}) + month-{n} share) / {n}\n\n"
                f"⇒ month-{n} share = {n} × YTD({n}) − {n - 1} × YTD({n - 1}).",
            )
        )
        rows = []
        for rr in c.run_rates.values():
            rows.append(
                {
                    ui.pick("Khối", "Block"): ui.block_label(rr.block),
                    ui.pick(f"Lũy kế {previous_month}", f"YTD {previous_month}"): fmt.pct(rr.ytd_previous_pct, lang),
                    ui.pick(f"Lũy kế {ui.report_month()}", f"YTD {ui.report_month()}"): fmt.pct(rr.ytd_current_pct, lang),
                    ui.pick(
                        "Phép tính", "Arithmetic"
                    ): f"{n} × {fmt.number(rr.ytd_current_pct, lang)} − {n - 1} × {fmt.number(rr.ytd_previous_pct, lang)}",
                    ui.pick("Riêng tháng 12", "December alone"): fmt.pct(rr.month_only_pct, lang),
                    ui.pick("Bước chung của khối (thang logit)", "Common step of the block (logit scale)"): fmt.number(
                        rr.logodds_shift, lang, 3
                    ),
                }
            )
        ui.show_table(pd.DataFrame(rows))
        st.markdown(
            ui.pick(
                "Mỗi đơn vị trong khối được dịch chuyển cùng một bước trên thang logit (tìm bằng phép giải số) sao cho tỷ lệ chung của khối "
                "bằng tỷ lệ riêng tháng 12. Đơn vị có tỷ lệ 0 (kể cả cấp xã chưa có dịch vụ) giữ nguyên 0. Sai số làm tròn của tỷ lệ "
                "in (±0,005 điểm) bị nhân lên khoảng 23 lần, nên tốc độ này có sai số cỡ ±0,1 điểm.",
                "Every unit in a block is shifted by the same step on the logit scale (found numerically) so that the block's share equals "
                "the December-only share. Units at 0 (including communes without services) stay at 0. Rounding of the printed "
                "shares (±0.005 points) is amplified about 23 times, so this run-rate is uncertain by about ±0.1 points.",
            )
        )

if view == "provenance":
    st.caption(
        ui.pick(
            "Mỗi ô được dựng lại từ bản OCR hỏng: văn bản OCR gốc, giá trị được chọn và lý do.",
            "Every cell rebuilt from damaged OCR: the raw OCR text, the value chosen, and why.",
        )
    )
    action_label = {
        "reconstructed": ui.pick("khôi phục", "reconstructed"),
        "missing": ui.pick("để trống", "left missing"),
        "kept_counts_over_printed_share": ui.pick("giữ số đếm, bỏ tỷ lệ in", "counts kept over printed share"),
    }
    names = rep.units.set_index("unit_id")["name"]
    ui.show_table(
        pd.DataFrame(
            {
                ui.pick("Đơn vị", "Unit"): [names[u] for u in rep.provenance.unit_id],
                ui.pick("Cột", "Column"): [
                    ui.pick(COLUMN_LABEL_VI.get(col, col), COLUMN_LABEL_EN.get(col, col)) for col in rep.provenance.column
                ],
                ui.pick("Văn bản OCR", "Raw OCR"): rep.provenance.raw_ocr,
                ui.pick("Giá trị", "Value"): [v or "—" for v in rep.provenance.value],
                ui.pick("Xử lý", "Action"): [action_label[a] for a in rep.provenance.action],
                ui.pick("Lý do", "Reason"): [
                    (vi or en) if lang == "vi" else en for vi, en in zip(rep.provenance.reason_vi, rep.provenance.reason)
                ],
            }
        ),
    )


if view == "import":
    st.subheader(ui.pick("Các bộ số liệu", "Datasets"))
    st.caption(
        ui.pick(
            "Mỗi lần nhập là một bộ số liệu mới, lưu trên máy này và không bao giờ bị ghi đè; bộ đang dùng nằm trong địa chỉ "
            "trang, nên tải lại trang, mở thẻ mới hay gửi liên kết đều mở đúng bộ số liệu đó.",
            "Every import is a new dataset, kept on this computer and never overwritten; the active one is in the page "
            "address, so a reload, a new tab or a shared link opens the same data.",
        )
    )
    records = ui.dataset_records()
    active_id = ui.active_dataset().id
    listing = pd.DataFrame(
        {
            ui.pick("Đang dùng", "Active"): ["●" if r["id"] == active_id else "○" for r in records],
            ui.pick("Bộ số liệu", "Dataset"): [
                ui.pick(r["label_vi"], r["label_en"])
                + (ui.pick(" — SỐ LIỆU GIẢ LẬP", " — MADE-UP NUMBERS") if r["synthetic"] else "")
                for r in records
            ],
            ui.pick("Các tháng", "Months"): [
                f"{ui.month_text(r['first_month'])}–{ui.month_text(r['last_month'])}" for r in records
            ],
            ui.pick("Cơ cấu", "Structure"): [ui.pick(*STRUCTURE_LABEL[r["structure"]]) for r in records],
            ui.pick("Tệp nguồn", "Source files"): [", ".join(r["sources"]) for r in records],
            ui.pick("Nhập lúc", "Imported"): ["—" if r["builtin"] else ui.moment(r["created_at"]) for r in records],
            ui.pick("Mã", "Id"): [r["id"] for r in records],
        }
    )
    ui.show_table(listing)
    ids = [r["id"] for r in records]
    names = {r["id"]: ui.pick(r["label_vi"], r["label_en"]) for r in records}
    if st.session_state.get(ui.Key.DATASET_CHOICE) not in ids:
        st.session_state[ui.Key.DATASET_CHOICE] = active_id
    d1, d2 = st.columns([3, 2], vertical_alignment="bottom")
    chosen = d1.selectbox(
        ui.pick("Chọn bộ số liệu", "Choose a dataset"),
        ids,
        key=ui.Key.DATASET_CHOICE,
        format_func=ui.labels(ids, lambda i: f"{names[i]} ({i})"),
    )

    def use_chosen():
        ui.use_dataset(st.session_state[ui.Key.DATASET_CHOICE])
        st.session_state[ui.Key.DATASET_MESSAGE] = (
            "success",
            ui.pick("Đã chuyển sang bộ số liệu đã chọn.", "Switched to the chosen dataset."),
        )

    def delete_chosen():
        chosen_id = st.session_state[ui.Key.DATASET_CHOICE]
        st.session_state[ui.Key.DATASET_CONFIRM_DELETE] = False
        st.session_state[ui.Key.DATASET_MESSAGE] = ui.delete_dataset(chosen_id)
        st.session_state[ui.Key.DATASET_CHOICE] = ui.active_dataset().id

    d2.button(
        ui.pick("Dùng bộ số liệu này", "Use this dataset"),
        on_click=use_chosen,
        disabled=chosen == active_id,
        icon=":material/check:",
    )
    if not any(r["builtin"] for r in records if r["id"] == chosen):
        confirm = st.checkbox(
            ui.pick(
                f"Tôi muốn xóa bộ số liệu “{names[chosen]}” ({chosen})", f"I want to delete dataset “{names[chosen]}” ({chosen})"
            ),
            key=ui.Key.DATASET_CONFIRM_DELETE,
        )
        st.button(
            ui.pick("Xóa bộ số liệu đã chọn", "Delete the chosen dataset"),
            on_click=delete_chosen,
            disabled=not confirm,
            icon=":material/delete:",
        )
    ui.show_message(st.session_state.pop(ui.Key.DATASET_MESSAGE, None))

    st.subheader(ui.pick("Nhập một báo cáo", "Import a report"))
    st.caption(
        ui.pick(
            "Số liệu của tháng khác hoặc cơ cấu khác. Tệp được kiểm tra theo đúng các quy tắc của số liệu gốc; tệp bị từ chối "
            "thì không có gì thay đổi. Có hai tệp mẫu, theo hai cơ cấu đơn vị:",
            "Another month's figures or another structure. The file is checked by the same rules as the built-in data; a "
            "rejected file changes nothing. There are two templates, one per structure:",
        )
    )
    t1, t2 = st.columns(2)
    t1.download_button(
        ui.pick("Mẫu cơ cấu 2022 (sở; UBND huyện; cấp xã theo huyện)", "2022 structure (departments; districts; communes)"),
        data=lambda: template_xlsx(ui.template_report("districts")),
        file_name="mau-so-lieu-2022-cap-huyen.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template",
        icon=":material/download:",
    )
    t2.download_button(
        ui.pick("Mẫu cơ cấu sau 7/2025 (sở; xã, phường)", "Structure after 7/2025 (departments; communes and wards)"),
        data=lambda: template_xlsx(ui.template_report("communes")),
        file_name="mau-so-lieu-sau-7-2025-xa-phuong.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template-2025",
        icon=":material/download:",
    )
    i1, i2 = st.columns(2)
    i1.text_input(
        ui.pick("Tên bộ số liệu", "Data label"),
        key=ui.Key.IMPORT_LABEL,
        max_chars=MAX_LABEL,
        placeholder=ui.pick("ví dụ: Báo cáo tháng 6", "e.g. the June report"),
    )
    i2.text_input(
        ui.pick("Kỳ báo cáo (NNNN-TT)", "Report period (YYYY-MM)"),
        key=ui.Key.IMPORT_PERIOD,
        max_chars=20,  # "Tháng 6/2023" is read too
        placeholder="NNNN-TT" if lang == "vi" else "YYYY-MM",
    )
    # a month-only report read as year to date would make each month about a twelfth of its volume: asked
    counts_labels = {
        "": ui.pick("Theo tệp (trường counts, trang Thông tin)", "As the file says (field counts, sheet Thông tin)"),
        "ytd": ui.pick("Lũy kế từ đầu năm", "Year to date"),
        "month": ui.pick("Riêng tháng báo cáo", "The month alone"),
    }
    st.radio(
        ui.pick("Số liệu trong tệp là", "The file's counts are"),
        list(counts_labels),
        key=ui.Key.IMPORT_COUNTS,
        format_func=counts_labels.__getitem__,
        horizontal=True,
    )
    upload = st.file_uploader(
        ui.pick(
            f"Tệp .xlsx hoặc .csv (tối đa {MAX_UPLOAD_BYTES // 1_000_000} MB)",
            f".xlsx or .csv file (at most {MAX_UPLOAD_BYTES // 1_000_000} MB)",
        ),
        type=["xlsx", "csv"],
        key=ui.Key.IMPORT_FILE,
    )

    def check_and_use():
        """Runs as the button's callback, so the outcome is kept in session state and stays on screen
        through later reruns (a button's True lasts one run only)."""
        file = st.session_state.get(ui.Key.IMPORT_FILE)
        if file is None:
            return
        try:
            imported = import_report(
                file.getvalue(),
                file.name,
                st.session_state.get(ui.Key.IMPORT_LABEL, ""),
                st.session_state.get(ui.Key.IMPORT_PERIOD, ""),
                st.session_state.get(ui.Key.IMPORT_COUNTS) or "",
            )
            ds = make_dataset([imported], imported.label_vi, imported.label_en, [file.name])
            # the template's sheet "Biện pháp", filled in beside the counts: checked with them, kept with the dataset
            register = (
                register_in_workbook(file.getvalue(), file.name, set(imported.units.unit_id))
                if file.name.lower().endswith(".xlsx")
                else None
            )
        except PlannerError as err:
            count = len(err.problems) if isinstance(err, ReportError) else 1
            st.session_state[ui.Key.IMPORT_RESULT] = ("error", err.messages("vi"), err.messages("en"), count)
        else:
            kind, message = ui.keep_dataset(ds)
            if register is not None:
                failed = ui.keep_dataset_file("measures", file.name, register.to_csv())
                message += (
                    ui.pick(
                        f" Sổ biện pháp: {len(register)} dòng, lưu cùng bộ số liệu.",
                        f" Register of measures: {len(register)} rows, kept with the dataset.",
                    )
                    if failed is None
                    else " " + ui.pick(failed.message_vi, failed.message_en)
                )
            st.session_state[ui.Key.IMPORT_RESULT] = (kind, [message], [message], 0)

    st.button(
        ui.pick("Kiểm tra và dùng số liệu này", "Check and use this data"),
        key=ui.Key.IMPORT_GO,
        type="primary",
        on_click=check_and_use,
        disabled=upload is None,
    )
    result = st.session_state.get(ui.Key.IMPORT_RESULT)
    if result and result[0] == "error":
        st.error(
            ui.pick(
                f"Tệp bị từ chối ({result[3]} lỗi); số liệu đang dùng không thay đổi:",
                f"File rejected ({result[3]} problems); the active data is unchanged:",
            )
        )
        for line in (result[1] if ui.lang() == "vi" else result[2])[:200]:
            st.text(line)
    elif result:
        ui.show_message((result[0], result[1][0]))

    st.subheader(ui.pick("Nhập chuỗi số liệu theo tháng", "Import a monthly series"))
    st.caption(
        ui.pick(
            "Để ước lượng điểm xuất phát và xu hướng của từng đơn vị từ chính số liệu của tỉnh: một tệp CSV dạng dài (đơn vị, "
            "tháng, số hồ sơ, số hồ sơ trực tuyến — số của riêng từng tháng) theo các đơn vị của bộ số liệu đang dùng, hoặc "
            "nhiều báo cáo .xlsx theo mẫu trên, mỗi tháng một tệp (lũy kế từ đầu năm hoặc riêng tháng). Cần ít nhất "
            f"{MIN_CALIBRATION_MONTHS} tháng. Chuỗi được lưu thành một bộ số liệu mới.",
            "To estimate each unit's starting level and trend from the province's own months: one long CSV (unit, month, "
            "dossiers, online dossiers — each month's own counts) for the units of the active dataset, or several .xlsx "
            f"reports from the template above, one per month (year-to-date or month-only). At least {MIN_CALIBRATION_MONTHS} "
            "months are needed. The series is kept as a new dataset.",
        )
    )
    st.download_button(
        ui.pick("Tải tệp mẫu CSV dạng dài", "Download the long CSV template"),
        long_template_csv(rep),
        "mau-chuoi-thang.csv",
        "text/csv",
        key="series-template",
        icon=":material/download:",
    )
    s1, s2 = st.columns(2)
    series_file = s1.file_uploader(ui.pick("Tệp CSV dạng dài", "Long CSV file"), type=["csv"], key=ui.Key.SERIES_FILE)
    report_files = s2.file_uploader(
        ui.pick("Hoặc: nhiều báo cáo .xlsx (mỗi tháng một tệp)", "Or: several .xlsx reports (one per month)"),
        type=["xlsx"],
        accept_multiple_files=True,
        key=ui.Key.SERIES_REPORTS,
    )

    def check_and_use_series():
        state = st.session_state
        long_file, reports = state.get(ui.Key.SERIES_FILE), state.get(ui.Key.SERIES_REPORTS) or []
        try:
            if long_file is not None:
                base = ui.report()
                series = series_from_long_csv(long_file.getvalue(), long_file.name, base)
                ds = make_dataset(
                    [base],
                    f"{base.label_vi} + {series.label_vi}",
                    f"{base.label_en} + {series.label_en}",
                    [*ui.active_dataset().sources, long_file.name],
                    long_csv=(long_file.name, long_file.getvalue()),
                    synthetic=base.synthetic,
                )
            else:
                counts = state.get(ui.Key.IMPORT_COUNTS) or ""
                imported = [import_report(f.getvalue(), f.name, "", "", counts) for f in reports]
                series = series_from_reports(imported)
                ds = make_dataset(imported, series.label_vi, series.label_en, [f.name for f in reports])
        except PlannerError as err:  # SeriesError, ReportError: every refusal is the project's own message
            state[ui.Key.SERIES_RESULT] = ("error", err.messages("vi"), err.messages("en"))
            return
        kind, message = ui.keep_dataset(ds)
        state[ui.Key.SERIES_RESULT] = (kind, [message], [message])

    st.button(
        ui.pick("Kiểm tra và dùng chuỗi số liệu này", "Check and use this series"),
        key=ui.Key.SERIES_GO,
        on_click=check_and_use_series,
        disabled=series_file is None and not report_files,
    )
    series_result = st.session_state.get(ui.Key.SERIES_RESULT)
    if series_result and series_result[0] == "error":
        st.error(ui.pick("Chuỗi số liệu bị từ chối; không có gì thay đổi:", "Series rejected; nothing changed:"))
        for line in (series_result[1] if ui.lang() == "vi" else series_result[2])[:200]:
            st.text(line)
    elif series_result:
        ui.show_message((series_result[0], series_result[1][0]))
    for vi, en in ui.active_series().notes:
        st.info(ui.pick(vi, en), icon=":material/account_tree:")


def coverage_section(coverage: pd.DataFrame) -> None:
    """Block × size class rows, held-out span × band columns: how often the actual month fell inside each band
    (nominal 80%)."""
    if coverage.empty:
        return
    st.markdown(
        ui.pick(
            "**Độ phủ của hai dải** — tỷ lệ tháng thực tế nằm trong P10–P90 (danh nghĩa 80%): "
            f"{BAND_LABEL['trend'][0]} (nơi tỷ lệ kỳ vọng nằm) và {BAND_LABEL['month'][0]} (nơi một tháng quan sát được "
            "nên rơi vào; Theo dõi dùng dải này).",
            "**Coverage of the two bands** — how often the actual month fell inside P10–P90 (nominal 80%): the "
            f"{BAND_LABEL['trend'][1]} (where the expected share lies) and the {BAND_LABEL['month'][1]} (where an "
            "observed month should fall; Tracking uses it).",
        )
    )

    def row_label(level: str, ident: str) -> str:
        if level == "block":
            return ui.block_label(ident)
        return ui.pick(f"Đơn vị {ident.replace('-', '–')} hồ sơ/tháng", f"Units of {ident.replace('-', '–')} dossiers a month")

    rows: dict[tuple[str, str], dict[str, str]] = {}
    for r in coverage.itertuples():
        band = ui.pick(*BAND_LABEL[r.band])
        column = ui.pick(f"{r.holdout} tháng cuối · {band}", f"Last {r.holdout} months · {band}")
        cells = rows.setdefault((r.level, r.id), {ui.pick("Khối hoặc cỡ đơn vị", "Block or unit size"): row_label(r.level, r.id)})
        cells[column] = f"{fmt.number(r.coverage_pct, lang, 0)}% ({fmt.count(r.n, lang)})"
    st.caption(ui.pick("Trong ngoặc: số tháng × đơn vị được kiểm định.", "In brackets: the months (× units) checked."))
    ui.show_table(pd.DataFrame(list(rows.values())))


def not_fitted_section(names: pd.Series) -> None:
    """Units the calibration did not fit, by name and reason: they are held at their observed share or left out,
    never given an invented number."""
    cal = ui.active_calibration()
    if cal is None:
        return
    left = [(sid, status) for sid, status in zip(cal.seg_ids, cal.status) if status != "fitted"]
    if not left:
        return
    with st.expander(
        ui.pick(f"{len(left)} đơn vị chưa ước lượng được xu hướng", f"{len(left)} units without an estimated trend")
    ):
        st.caption(
            ui.pick(
                "Các đơn vị này giữ tỷ lệ quan sát được của mình (hoặc không có hồ sơ thì không có tỷ lệ); "
                "không đơn vị nào được gán một con số tự đặt.",
                "These units keep their observed share (or, with no dossiers, have none); none is given an invented number.",
            )
        )
        ui.show_table(
            pd.DataFrame(
                {
                    ui.pick("Đơn vị", "Unit"): [names.get(sid, sid) for sid, _ in left],
                    ui.pick("Lý do", "Reason"): [ui.pick(*STATUS_LABEL[status]) for _, status in left],
                }
            )
        )


if view == "backtest":
    series = ui.active_series()
    st.subheader(ui.pick("Kiểm định dự báo trên chính chuỗi số liệu", "Backtest on the series itself"))
    st.caption(
        ui.pick(
            f"Ước lượng trên mọi tháng trừ {BACKTEST_HOLDOUT} tháng cuối, dự báo {BACKTEST_HOLDOUT} tháng đó, rồi so với số thực: "
            "sai số (điểm %) theo khối và đơn vị, và tỷ lệ tháng thực tế nằm trong dải dự báo tháng (P10–P90).",
            f"Fit on every month but the last {BACKTEST_HOLDOUT}, forecast those months, and compare with what happened: the "
            "error in points per block and unit, and how often the actual month fell inside the month band (P10–P90).",
        )
    )
    try:
        bt = ui.backtest_of(series)
    except ValueError:
        st.info(
            ui.pick(
                f"Chưa kiểm định được: cần ít nhất {BACKTEST_HOLDOUT + MIN_CALIBRATION_MONTHS} tháng số liệu riêng, hiện có "
                f"{series.n_months}. Nạp chuỗi số liệu theo tháng ở thẻ Bộ số liệu & nhập.",
                f"No backtest yet: it needs at least {BACKTEST_HOLDOUT + MIN_CALIBRATION_MONTHS} single months, there are "
                f"{series.n_months}. Load a monthly series on the Datasets & import tab.",
            )
        )
    else:
        summary = bt.summary[bt.summary.level == "block"]
        st.metric(
            ui.pick("Tháng thực tế nằm trong dải dự báo tháng", "Actual months inside the month band"),
            ui.pct(bt.coverage_pct, 0),
            help=ui.pick("Danh nghĩa 80% (P10–P90).", "Nominal 80% (P10–P90)."),
        )
        ui.show_table(
            pd.DataFrame(
                {
                    ui.pick("Khối", "Block"): [ui.block_label(b) for b in summary.id],
                    ui.pick("Sai số tuyệt đối bình quân (điểm %)", "Mean absolute error (pts)"): [
                        fmt.number(v, lang) for v in summary.mean_abs_error_pts
                    ],
                    ui.pick("Số tháng", "Months"): summary.n,
                }
            ),
        )
        names = series.segments.set_index("seg_id")["name_vi" if lang == "vi" else "name_en"]
        coverage_section(ui.coverage_of(series))
        not_fitted_section(names)
        units = bt.summary[bt.summary.level == "unit"].sort_values("mean_abs_error_pts", ascending=False)
        ui.show_table(
            pd.DataFrame(
                {
                    ui.pick("Đơn vị", "Unit"): [names.get(i, i) for i in units.id],
                    ui.pick("Sai số tuyệt đối bình quân (điểm %)", "Mean absolute error (pts)"): [
                        fmt.number(v, lang) for v in units.mean_abs_error_pts
                    ],
                    ui.pick("Trong P10–P90 (%)", "Inside P10–P90 (%)"): [fmt.number(v, lang, 0) for v in units.coverage_pct],
                }
            ),
            height=320,
        )

if view == "effects":
    effects_section()

if view == "sources":
    # The project's own copy of every source it cites (docs/sources.md); the app reads nothing outside the project.
    st.caption(
        ui.pick(
            "Bản sao các nguồn mà công cụ trích dẫn, kèm bản OCR của Báo cáo 01/CĐS, lưu trong dự án.",
            "The project's copy of every source the tool cites, with the OCR text of report 01/CĐS, kept in the project.",
        )
    )
    st.markdown(SOURCES_FILE[lang].read_text(encoding="utf-8"))
