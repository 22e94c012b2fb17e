"""Tổng quan — where the province stands at the report month."""

import pandas as pd
import streamlit as st

import ui
from model.segments import block_totals
from ui import index766 as index766_ui
from ui import unit_charts

c = ui.compiled()
targets = ui.active_targets()
rep = c.report
seg = c.seg
totals = block_totals(seg)
volumes = {b: v for b, (_, v) in totals.items()}
period = rep.period.split("-")
year = period[0]
ytd = f"{int(period[1]):02d}/{year}"  # the report's counts run from January to the report month
previous = "" if rep.previous_period is None else f"{rep.previous_period[5:]}/{rep.previous_period[:4]}"
now = ui.data_standing()
last = ui.month_text(now.last_period)
st.header(ui.pick(f"Tổng quan — số liệu đến hết {last}", f"Overview — figures to end of {last}"))
if now.from_series:
    st.caption(
        ui.pick(
            f"Mỗi thẻ: tỷ lệ trực tuyến của riêng tháng {last}; dòng dưới: lũy kế từ tháng {ui.month_text(now.ytd_from)} "
            f"đến {last}. Các mục bên dưới theo báo cáo {ytd}.",
            f"Each card: the online share of {last} alone; below it: the year to date, {ui.month_text(now.ytd_from)} to "
            f"{last}. The sections further down follow the {ytd} report.",
        )
    )

# ---------------------------------------------------------------- headline KPIs against the active target set
cols = st.columns(len(now.blocks) + 1)
for col, figures in zip(cols, now.blocks):
    value = figures.last_month_pct if now.from_series else figures.ytd_pct
    target = figures.target
    text, colour = ui.status_text(value, target, show_target=True)
    with col:
        st.metric(
            ui.block_label(figures.block),
            "—" if value is None else ui.pct(value),
            delta=text,
            delta_color=colour,
            delta_arrow="off",
            border=True,
            help=ui.pick(
                f"{ui.count(figures.online_ytd)} / {ui.count(figures.dossiers_ytd)} hồ sơ lũy kế. Chỉ tiêu: "
                f"{ui.pct(target) if target is not None else 'chưa có'} ({targets.name_vi}"
                f"{'; toàn tỉnh là mức suy ra theo tỷ trọng hồ sơ' if figures.block == 'province' else ''}).",
                f"{ui.count(figures.online_ytd)} / {ui.count(figures.dossiers_ytd)} dossiers, year to date. Target: "
                f"{ui.pct(target) if target is not None else 'none'} ({targets.name_en}"
                f"{'; the province figure is implied by volume weights' if figures.block == 'province' else ''}).",
            ),
        )
        if now.from_series:
            st.caption(ui.pick(f"Lũy kế năm: {ui.pct(figures.ytd_pct)}", f"Year to date: {ui.pct(figures.ytd_pct)}"))
services = rep.province_value("services_receiving_online_share_pct")
with cols[-1]:
    st.metric(
        ui.pick("DVCTT có phát sinh hồ sơ trực tuyến", "Services receiving online dossiers"),
        "—" if services is None else ui.pct(services),
        delta=ui.t("no_target"),
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=ui.pick(
            "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến trên tổng số DVCTT có phát sinh hồ sơ (mục 1 báo cáo).",
            "Share of online services with dossiers that received at least one online (report section 1).",
        ),
    )
st.caption(
    ui.pick(
        f"Chỉ tiêu theo bộ đang dùng: {targets.name_vi} ({ui.target_source(targets)}). Khi bộ chỉ tiêu không ghi mức toàn tỉnh, mức toàn "
        "tỉnh được suy ra bằng cách lấy trọng số theo số hồ sơ của hai khối. Nguồn: trang Giả định & dữ liệu, phần Nguồn trích dẫn.",
        f"Targets from the active set: {targets.name_en} ({ui.target_source(targets)}). Where the set has no province figure, it is "
        "implied by weighting the two block targets by their dossier volumes. Sources: the Assumptions & data page, Sources cited.",
    )
)

# ---------------------------------------------------------------- the two starting points
rr = c.run_rates
index766_ui.overview_section()

left, right = st.columns(2)
with left:
    st.info(
        ui.pick(
            f"**Điểm xuất phát 1 — tỷ lệ lũy kế đến {ytd} ({ui.pct(100 * totals['province'][0] / totals['province'][1])}):** "
            f"số liệu báo cáo là lũy kế từ đầu năm, nên đây là mức trung bình từ đầu năm {year} đến {ytd}.",
            f"**Starting point 1 — year-to-date share to {ytd} ({ui.pct(100 * totals['province'][0] / totals['province'][1])}):** "
            f"the report's counts are year-to-date, so this is the average from January {year} to {ytd}.",
        ),
        icon=":material/event:",
    )
with right:
    if rr:
        dep, dis = rr["department"], rr["district_incl_communes"]
        prov_rr = (dep.month_only_pct * volumes["department"] + dis.month_only_pct * volumes["district_incl_communes"]) / (
            volumes["department"] + volumes["district_incl_communes"]
        )
        st.info(
            ui.pick(
                f"**Điểm xuất phát 2 — tốc độ riêng tháng {ytd} (≈ {ui.pct(prov_rr)}, chỉ biết theo khối):** suy ra từ tỷ lệ lũy kế "
                f"{previous} → {ytd} "
                f"(khối sở {ui.pct(dep.month_only_pct)}, khối huyện {ui.pct(dis.month_only_pct)}), giả định các tháng có số hồ sơ bằng nhau.",
                f"**Starting point 2 — the {ytd} run-rate (≈ {ui.pct(prov_rr)}, known only per block):** derived from the "
                f"year-to-date shares of {previous} → {ytd} (departments {ui.pct(dep.month_only_pct)}, districts {ui.pct(dis.month_only_pct)}), assuming "
                "equal monthly volumes.",
            ),
            icon=":material/trending_up:",
        )
    else:
        st.info(
            ui.pick(
                "**Điểm xuất phát 2** không có: báo cáo này không có tỷ lệ lũy kế của tháng trước.",
                "**Starting point 2** is not available: this report has no previous month's year-to-date shares.",
            )
        )


data = unit_charts.units(ui.data_version(), ui.lang())

# ---------------------------------------------------------------- the units to discuss, first
discuss = data[~data.structural_zero].sort_values("missing_online", ascending=False).head(5)
st.subheader(ui.pick("Đơn vị cần bàn trước", "Units to discuss first"))
st.caption(
    ui.pick(
        "Năm đơn vị có nhiều hồ sơ chưa nộp trực tuyến nhất (số hồ sơ × phần chưa trực tuyến) — nơi mỗi điểm % tăng thêm "
        "là nhiều hồ sơ nhất. Cấp xã chưa có DVCTT ở mục ngay dưới.",
        "The five units with the most dossiers not submitted online (dossiers × the share not online) — where each extra "
        "point is the most dossiers. Communes without online services are in the next section.",
    )
)
ui.show_table(
    pd.DataFrame(
        {
            ui.pick("Đơn vị", "Unit"): discuss.name,
            ui.pick("Tỷ lệ trực tuyến", "Online share"): [ui.pct(v) for v in discuss.share_pct],
            ui.pick(f"Hồ sơ đến {ytd}", f"Dossiers to {ytd}"): [ui.count(v) for v in discuss.volume],
            ui.pick("Hồ sơ chưa trực tuyến", "Dossiers not online"): [ui.count(v) for v in discuss.missing_online],
        }
    )
)

# ---------------------------------------------------------------- the 5 districts (the report's first recommendation)
missing = seg[seg.structural_zero]
if not (rep.units.kind == "district").any():
    # after 7/2025 there are no districts: the communes and wards without an online dossier, if any
    if not missing.empty:
        st.subheader(ui.pick("Xã, phường chưa có hồ sơ trực tuyến", "Communes and wards without an online dossier"))
        ui.show_table(
            pd.DataFrame(
                {
                    ui.pick("Đơn vị", "Unit"): missing.name_vi if ui.lang() == "vi" else missing.name_en,
                    ui.pick(f"Hồ sơ đến {ytd}", f"Dossiers to {ytd}"): [ui.count(v) for v in missing.volume],
                }
            )
        )
else:
    st.subheader(ui.pick("Huyện chưa triển khai DVCTT cấp xã", "Districts without commune-level online services"))
    if missing.empty:
        st.caption(
            ui.pick(
                "Số liệu này không có đơn vị nào được đánh dấu chưa triển khai DVCTT cấp xã.",
                "No unit in this data is marked as lacking commune-level online services.",
            )
        )
    else:
        rows = []
        units_by_id = rep.units.set_index("unit_id")
        for r in missing.itertuples():
            unit = units_by_id.loc[r.district_id]
            rows.append(
                {
                    ui.pick("Huyện", "District"): unit["name"] if ui.lang() == "vi" else unit["name_en"],
                    ui.pick(f"Hồ sơ cấp xã đến {ytd}", f"Commune dossiers to {ytd}"): ui.count(r.volume),
                    ui.pick("Hồ sơ trực tuyến cấp xã", "Commune online dossiers"): ui.count(r.online),
                    ui.pick("Tỷ lệ khối huyện (gồm cấp xã)", "District share incl. communes"): ui.pct(
                        100 * unit["dossiers_online_incl_communes"] / unit["dossiers_incl_communes"]
                    ),
                }
            )
        ui.show_table(pd.DataFrame(rows))
        st.caption(
            ui.pick(
                f"{len(missing)} huyện này có {ui.count(missing.volume.sum())} hồ sơ cấp xã ({ui.pct(100 * missing.volume.sum() / volumes['province'], 1)} "
                "hồ sơ toàn tỉnh) mà không thể nộp trực tuyến.",
                f"These {len(missing)} districts have {ui.count(missing.volume.sum())} commune dossiers "
                f"({ui.pct(100 * missing.volume.sum() / volumes['province'], 1)} of the province's) that cannot be submitted online.",
            )
        )

# ---------------------------------------------------------------- where the dossiers are
st.subheader(ui.pick("Hồ sơ nằm ở đâu", "Where the dossiers are"))
commune_share = 100 * volumes["communes"] / volumes["province"]
st.caption(
    ui.pick(
        f"Cấp xã chiếm {ui.pct(commune_share, 1)} tổng số hồ sơ ({ui.count(volumes['communes'])} / "
        f"{ui.count(volumes['province'])}). Diện tích = số hồ sơ; màu = tỷ lệ trực tuyến.",
        f"Communes hold {ui.pct(commune_share, 1)} of all dossiers ({ui.count(volumes['communes'])} / "
        f"{ui.count(volumes['province'])}). Area = dossiers; colour = online share.",
    )
)


treemap_json, treemap_table = unit_charts.treemap_figure(ui.data_version(), ui.lang(), ui.presenting())
ui.show_chart(
    treemap_json,
    treemap_table,
    "ho-so-o-dau",
    "treemap",
    alt=ui.pick("Hồ sơ nằm ở đâu, theo đơn vị", "Where the dossiers are, by unit"),
)

# ---------------------------------------------------------------- every unit ranked, with its volume
# The detail comes last: 41 rows of bars, drawn when scrolled near (a visit draws only what is in sight).
st.subheader(
    ui.pick("Mọi đơn vị xếp theo tỷ lệ trực tuyến — kèm số hồ sơ", "Every unit ranked by online share — with its volume")
)
st.caption(
    ui.pick(
        f"Bên trái: tỷ lệ hồ sơ trực tuyến. Bên phải: số hồ sơ phát sinh lũy kế đến {ytd} — đơn vị nhiều hồ sơ nhưng tỷ lệ thấp là nơi "
        "cần tác động nhất. ✱ = cấp xã chưa triển khai DVCTT (số 0 mang tính cơ cấu).",
        f"Left: online share. Right: dossiers received to {ytd} — a large unit with a low share is where action matters most. "
        "✱ = commune-level online services not deployed (a structural zero).",
    )
)


ranking_json = unit_charts.ranking_figure(ui.data_version(), ui.lang(), ui.presenting(), ytd)
table = data[["seg_id", "name", "kind", "volume", "online", "share_pct", "structural_zero"]].iloc[::-1]
ui.show_chart(
    ranking_json,
    table,
    "xep-hang-don-vi",
    "ranking",
    alt=ui.pick("Mọi đơn vị xếp theo tỷ lệ trực tuyến", "Every unit ranked by online share"),
)
