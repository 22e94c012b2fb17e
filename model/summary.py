"""One plain-language paragraph per scenario, in Vietnamese and in English."""

from __future__ import annotations

from model import fmt
from model.levers import EFFECT_BY_ID, LEVER_BY_ID
from model.scenario import Scenario


def _lever_phrase(s: Scenario, lever_id: str, lang: str) -> str:
    lever = LEVER_BY_ID[lever_id]
    label = lever.label_vi if lang == "vi" else lever.label_en
    start = int(s.settings[lever.start_param])
    month = fmt.month_label(start, s.plan_year, lang)
    when = f"từ {month}" if lang == "vi" else f"from {month}"
    return f"{label[0].lower()}{label[1:]} ({when})"


def summary(
    s: Scenario,
    december_pct: float,
    p10_pct: float,
    p90_pct: float,
    target_pct: float | None,
    lang: str = "vi",
    block_label: str | None = None,
) -> str:
    active = s.active_levers()
    # the verdict and the gap from the figures as printed (two decimals), so the words agree with the number
    december_pct, target_pct = round(december_pct, 2), (None if target_pct is None else round(target_pct, 2))
    still = s.assumptions.get("momentum_logodds_per_year", 1.0) == 0 and not active
    if lang == "vi":
        block = block_label or "toàn tỉnh"
        on = (
            ("Kịch bản bật: " + "; ".join(_lever_phrase(s, lv, "vi") for lv in active) + ".")
            if active
            else "Không có biện pháp mới và không có đà tăng: mọi đơn vị giữ nguyên tỷ lệ."
            if still
            else "Không bật biện pháp mới nào (chỉ có đà tăng giả định)."
        )
        text = (
            f"{on} Dự kiến tỷ lệ hồ sơ trực tuyến {block} tháng 12/{s.plan_year} đạt {fmt.pct(december_pct, 'vi')} "
            f"(khoảng P10–P90, chứa 80% kết quả mô phỏng: {fmt.pct(p10_pct, 'vi')} – {fmt.pct(p90_pct, 'vi')})."
        )
        if target_pct is not None:
            gap = december_pct - target_pct
            text += (
                f" So với chỉ tiêu {fmt.pct(target_pct, 'vi')}: "
                + (
                    "đạt, vượt " + fmt.points(gap, "vi", signed=False)
                    if gap >= 0
                    else "chưa đạt, còn thiếu " + fmt.points(-gap, "vi", signed=False)
                )
                + "."
            )
        return text + _estimates(s, "vi")
    block = block_label or "province"
    on = (
        ("Switched on: " + "; ".join(_lever_phrase(s, lv, "en") for lv in active) + ".")
        if active
        else "No new measure and no momentum: every unit keeps its share."
        if still
        else "No new measure is switched on (assumed momentum only)."
    )
    text = (
        f"{on} The {block} online-dossier share in December {s.plan_year} is projected at "
        f"{fmt.pct(december_pct, 'en')} (P10–P90 range, holding 80% of simulated outcomes: "
        f"{fmt.pct(p10_pct, 'en')} – {fmt.pct(p90_pct, 'en')})."
    )
    if target_pct is not None:
        gap = december_pct - target_pct
        text += (
            f" Against the {fmt.pct(target_pct, 'en')} target: "
            + (
                "reached, " + fmt.points(gap, "en", signed=False) + " above"
                if gap >= 0
                else "not reached, " + fmt.points(-gap, "en", signed=False) + " short"
            )
            + "."
        )
    text += _estimates(s, "en")
    return text


def _estimates(s: Scenario, lang: str) -> str:
    """The effects the scenario takes from the data instead of the assumption, named with their dataset."""
    if not s.estimated:
        return ""
    items = "; ".join(
        f"{EFFECT_BY_ID[eid].label_vi if lang == 'vi' else EFFECT_BY_ID[eid].label_en} "
        f"{fmt.number(est.central, lang)} ({fmt.number(est.low, lang)}–{fmt.number(est.high, lang)}, {est.label(lang)})"
        for eid, est in s.estimated.items()
    )
    return (
        f" Hệ số lấy từ số liệu thay cho giả định: {items}."
        if lang == "vi"
        else f" Effects taken from the data instead of the assumption: {items}."
    )
