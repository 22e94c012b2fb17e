"""Widgets built from the declarations (levers, assumptions, effects): values formatted by Babel,
named steps labelled, keys from `ui.keys`."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import streamlit as st

from model import fmt
from model.errors import PlannerError
from model.levers import EFFECT_BY_ID, GROUPS, Lever, Param, lever_formula
from model.limits import MIN_CALIBRATION_MONTHS
from model.scenario import ADOPTION_PARAMS, Scenario
from ui.i18n import block_label, labels, lang, pick, plain
from ui.keys import Key
from ui.state import compiled, plan_year


def _options(p: Param, extra: tuple[float, ...] = ()) -> list[float]:
    n = int(round((p.max - p.min) / p.step))
    values = {round(p.min + i * p.step, 6) for i in range(n + 1)} | {round(v, 6) for v in extra}
    values |= {round(step.value, 6) for step in p.steps}
    return sorted(values)


def _format_value(p: Param, v: float, named: dict[float, str], language: str) -> str:
    if p.widget == "month":
        return fmt.month_label(int(v), plan_year(), language)
    if p.widget == "months":
        return f"{int(v)} tháng" if language == "vi" else f"{int(v)} months"
    text = fmt.pct(v, language, 2 if v != int(v) else 0) if p.unit == "%" else fmt.number(v, language)
    label = named.get(round(v, 6))
    return f"{text} — {label}" if label else text


def format_param_value(p: Param, v: float) -> str:
    """A setting's value as the sliders show it (Babel; whole percentages without decimals)."""
    return _format_value(p, v, {}, lang())


@functools.lru_cache(maxsize=512)
def _slider_table(p: Param, language: str, extra_named: tuple[tuple[float, str], ...], year: int) -> tuple[list[float], dict]:
    """Options and their Babel-formatted labels for one parameter; built once per language (a
    few thousand Babel calls per rerun otherwise)."""
    named = {round(s.value, 6): (s.label_vi if language == "vi" else s.label_en) for s in p.steps}
    named.update({round(v, 6): label for v, label in extra_named})
    options = _options(p, tuple(v for v, _ in extra_named))
    return options, {v: _format_value(p, v, named, language) for v in options}


def _plain_slider_format(p: Param) -> str | None:
    """A printf format for st.slider when every value on the slider's steps reads the same in both
    languages (whole percentages: 40% is 40% in Vietnamese and English); None otherwise.
    st.slider is much lighter in the browser than a select_slider carrying a label per option,
    which matters for the sliders redrawn on every move."""
    whole = all(float(v).is_integer() for v in (p.min, p.max, p.step))
    return "%d%%" if p.widget == "slider" and p.unit == "%" and whole else None


def reference_points(p: Param) -> tuple[tuple[float, str], ...]:
    """Named values a parameter can be set to besides its steps (the commune adoption's peer average
    and best peer, measured from the active data)."""
    if p.id not in ADOPTION_PARAMS:
        return ()
    c = compiled()
    if c.peer_commune_pct is None:
        return ()
    return (
        (round(c.peer_commune_pct, 6), pick("bình quân huyện bạn", "peer average")),
        (round(c.best_commune_pct, 6), pick("huyện bạn tốt nhất", "best peer")),
    )


def param_widget(p: Param, key: str | None = None, label: str | None = None, help_text: str | None = None) -> None:
    """One widget for one declared parameter: values formatted by Babel, named steps labelled."""
    key = key or Key.widget(p.id)
    label = label or pick(p.label_vi, p.label_en)
    help_text = help_text or pick(p.help_vi, p.help_en)
    if p.widget == "toggle":
        st.session_state[key] = bool(st.session_state.get(key, p.default))  # the model reads it as 0/1
        st.toggle(label, key=key, help=help_text, persist_state="session")
        return
    extra = reference_points(p)
    if extra:
        p = Param(**{**p.__dict__, "step": 1.0})  # whole percentages on the track; the references exactly
    current = round(float(st.session_state.get(key, p.default)), 6)
    st.session_state[key] = current
    plain_format = _plain_slider_format(p)
    if plain_format and float(current).is_integer():
        named = [(step.value, pick(step.label_vi, step.label_en)) for step in p.steps] + list(extra)
        if named:  # a plain slider cannot print names on its track: they go in its help
            help_text += (
                "\n\n**"
                + pick("Các mốc", "Reference points")
                + ":** "
                + "; ".join(_format_value(p, v, {round(v, 6): name}, lang()) for v, name in named)
            )
        st.slider(
            label,
            min_value=float(p.min),
            max_value=float(p.max),
            # the value the session already holds (set just above): without it Streamlit copies the whole
            # session state on every slider, to learn whether it is a range slider (≈ 0,5 ms × 8 per move)
            value=current,
            step=float(p.step),
            format=plain_format,
            key=key,
            help=help_text,
            persist_state="session",
        )
        return
    # Months, decimals, and a reference value between the whole percentages: every option labelled.
    options, table = _slider_table(p, lang(), extra, plan_year())
    if current not in table:  # a loaded scenario's value between the steps
        options = sorted(set(options) | {current})
        table = {**table, current: _format_value(p, current, {}, lang())}
    st.select_slider(label, options=options, key=key, help=help_text, persist_state="session", format_func=table.__getitem__)


def lever_help(lever: Lever) -> str:
    """What the lever means, its formula (generated from its terms), its effect sizes and evidence."""
    text = f"{pick(lever.help_vi, lever.help_en)}\n\n**{pick('Cách tính', 'Formula')}:** {lever_formula(lever, lang())}"
    if lever.effects:
        # an effect the scenario takes from the data is named as such, with its estimated range
        estimated = st.session_state.get(Key.ESTIMATED_EFFECTS) or {}

        def one(e) -> str:
            est = estimated.get(e.id)
            if est is not None:
                from ui.actions import estimate_source

                low, central, high, kind = est.low, est.central, est.high, estimate_source(est)
            else:
                low, central, high = e.low, e.central, e.high
                kind = pick("giả định", "assumption") if e.assumption else pick("có nguồn", "sourced")
            return (
                f"{pick(e.label_vi, e.label_en)}: {fmt.number(low, lang())} / {fmt.number(central, lang())} / "
                f"{fmt.number(high, lang())} {e.unit_in(lang())} ({kind})"
            )

        effects = "; ".join(one(e) for e in lever.effects)
        text += (
            f"\n\n**{pick('Hệ số (thấp / trung tâm / cao)', 'Effect (low / central / high)')}:** {effects}"
            f"\n\n**{pick('Căn cứ', 'Evidence')}:** " + " ".join(pick(e.source_vi, e.source_en) for e in lever.effects)
        )
    return text


def group_label(group: str) -> str:
    vi, en = GROUPS[group]
    return pick(vi, en)


def show_evidence_notice(s: Scenario) -> None:
    """Effect sizes set outside their low–high range are allowed only when the scenario says so
    ("outside the evidence"), and every page that uses such a scenario says it. Effects estimated from
    a dataset are named the same way, on every page, with the dataset they were learned from."""
    from ui.actions import estimate_source, scenario_name

    name = scenario_name(s)  # the default name follows the language
    if s.estimated:
        items = "; ".join(
            f"{pick(EFFECT_BY_ID[e].label_vi, EFFECT_BY_ID[e].label_en)} = {fmt.number(s.effects[e], lang())} "
            f"({fmt.number(est.low, lang())}–{fmt.number(est.high, lang())}, {estimate_source(est)}; "
            f"{pick('giả định', 'assumed')} {fmt.number(EFFECT_BY_ID[e].low, lang())}–{fmt.number(EFFECT_BY_ID[e].high, lang())})"
            for e, est in s.estimated.items()
        )
        st.info(
            plain(
                pick(
                    f"Kịch bản “{name}” dùng hệ số ước lượng từ số liệu: {items}.",
                    f"Scenario “{name}” uses effects estimated from data: {items}.",
                )
            ),
            icon=":material/insights:",
        )
    outside = s.effects_outside_evidence()
    if outside:
        items = "; ".join(
            f"{pick(EFFECT_BY_ID[e].label_vi, EFFECT_BY_ID[e].label_en)} = {fmt.number(s.effects[e], lang())} "
            f"({pick('khoảng có căn cứ', 'evidence range')} {fmt.number(s.effect_range(e)[0], lang())}–"
            f"{fmt.number(s.effect_range(e)[1], lang())})"
            for e in outside
        )
        st.warning(
            plain(
                pick(
                    f"Kịch bản “{name}” dùng hệ số ngoài khoảng có căn cứ: {items}.",
                    f"Scenario “{name}” uses effect sizes outside the evidence: {items}.",
                )
            ),
            icon=":material/science:",
        )


def start_point_reason(chosen: str) -> str:
    """Which starting point is in force, and why (what the data allows)."""
    from ui.state import active_calibration, active_series

    series, cal = active_series(), active_calibration()
    months = series.n_months
    if chosen == "latest":  # the latest data: the series estimate where there is one, else the report
        return pick("Số liệu mới nhất — ", "The latest data — ") + start_point_reason(
            "series_estimate" if cal is not None else "annual_2022"
        )
    if chosen == "series_estimate" and cal is not None:
        n = int(cal.calibrated.sum())
        return pick(
            f"Đang dùng: ước lượng từ chuỗi số liệu ({months} tháng, đến {series.last_period[5:]}/{series.last_period[:4]}): "
            f"mức và xu hướng của {n} đơn vị có từ {cal.min_months} tháng trở lên; đơn vị khác giữ tỷ lệ của báo cáo và đà tăng "
            "giả định. Khoảng P10–P90 gồm cả độ bất định của các ước lượng này.",
            f"In force: estimated from the monthly series ({months} months, to {series.last_period}): level and trend of "
            f"the {n} units with at least {cal.min_months} months; the others keep the report's shares and the assumed "
            "momentum. The P10–P90 band includes the uncertainty of these estimates.",
        )
    why_not = (
        pick(
            f"Chưa có ước lượng từ chuỗi số liệu: cần ít nhất {MIN_CALIBRATION_MONTHS} tháng số liệu riêng từng tháng, hiện có "
            f"{months} (báo cáo lũy kế chỉ cho một khoảng gộp). Nạp chuỗi số liệu ở trang Giả định & dữ liệu.",
            f"No series estimate yet: it needs at least {MIN_CALIBRATION_MONTHS} single months of data, there are {months} "
            "(a year-to-date report is one combined span). Load a monthly series on the Assumptions & data page.",
        )
        if cal is None
        else ""
    )
    if chosen == "december_run_rate":
        return (
            pick(
                "Đang dùng: tốc độ riêng tháng cuối của báo cáo, chỉ biết theo khối (suy ra từ hai tỷ lệ lũy kế); mỗi khối được "
                "dịch chuyển cùng một bước (hệ số nhân chung lên tỷ số hồ sơ trực tuyến/giấy). ",
                "In force: the report's last-month run-rate, known only per block (derived from two year-to-date shares); "
                "each block is shifted by one common step (one factor on the online-to-paper ratio). ",
            )
            + why_not
        )
    return (
        pick("Đang dùng: tỷ lệ lũy kế của báo cáo, như báo cáo. ", "In force: the report's year-to-date shares, as reported. ")
        + why_not
    )


def show_error(err: PlannerError) -> None:
    """One of the project's errors, in the user's language, without a traceback."""
    lines = err.messages(lang())
    st.error(
        plain(lines[0]) if len(lines) == 1 else "\n".join(f"- {plain(line)}" for line in lines[:50]), icon=":material/error:"
    )


def show_unexpected_error() -> None:
    st.error(
        pick(
            "Đã xảy ra lỗi không mong muốn; số liệu và kịch bản đã lưu không bị ảnh hưởng. Hãy tải lại trang; nếu lỗi còn, "
            "báo cho người quản trị (chi tiết đã được ghi vào nhật ký trên máy này).",
            "Something unexpected went wrong; the data and saved scenarios are untouched. Reload the page; if it happens "
            "again, tell the administrator (the details are in this laptop's log).",
        ),
        icon=":material/error:",
    )


def block_only_start(s: Scenario) -> bool:
    """True when the starting point is a single report's last-month run-rate: known per block only,
    so no unit figure is shown for it (one log-odds step spread over every unit would put district
    offices at 73–93%, which nobody would recognise)."""
    if s.start_point != "december_run_rate":
        return False
    st.info(
        pick(
            "Với điểm xuất phát “tốc độ riêng tháng cuối”, số liệu chỉ biết theo khối nên không hiển thị số liệu từng đơn "
            "vị. Chọn điểm xuất phát khác (trang Kịch bản → Giả định) để xem từng đơn vị.",
            "With the “last-month run-rate” starting point the figures are known per block only, so no unit figure is "
            "shown. Choose another starting point (Scenario page → Assumptions) to see each unit.",
        ),
        icon=":material/info:",
    )
    return True


def percent_entered(key: str) -> float | None:
    """The last value read from `percent_input(key)`, kept while the field is not drawn (None before
    it was ever drawn)."""
    return st.session_state.get(_percent_value_key(key))


def _percent_value_key(key: str) -> str:
    return f"{key}__value"


def percent_input(container, label: str, default: float, key: str, low: float = 0.0, high: float = 100.0) -> float:
    """A percentage typed as the user's locale writes it ("54,38" in Vietnamese). st.number_input cannot
    show a decimal comma, so this is a text field read by Babel. A value that cannot be read is named in
    a message and the last good value stays in force; switching language rewrites the field in the new
    locale rather than leaving "54,38" to be misread."""
    language = lang()
    value_key, lang_key = _percent_value_key(key), f"{key}__lang"
    if value_key not in st.session_state:
        st.session_state[value_key] = float(default)
    if key not in st.session_state or st.session_state.get(lang_key) != language:
        st.session_state[key] = fmt.number(st.session_state[value_key], language)
        st.session_state[lang_key] = language
    text = container.text_input(
        label,
        key=key,
        # no max_chars: its "2/40" counter sat inside the field; a long entry is refused by the parser
        help=pick(
            f"Số từ {fmt.number(low, 'vi')} đến {fmt.number(high, 'vi')}, dấu phẩy thập phân (ví dụ 54,38).",
            f"A number from {fmt.number(low, 'en')} to {fmt.number(high, 'en')}, decimal point (for example 54.38).",
        ),
    )
    try:
        st.session_state[value_key] = fmt.parse_number(text, language, low, high)
    except fmt.NumberEntryError as err:
        kept = fmt.pct(st.session_state[value_key], language)
        container.error(err.messages(language)[0] + pick(f" Vẫn dùng {kept}.", f" Still using {kept}."))
    return float(st.session_state[value_key])


def block_chooser(data_blocks: Sequence[str]) -> str:
    """The scope switch above a page's answer: the blocks the data has (province, departments, the
    district block and communes before 7/2025; province, departments and communes after), the same
    control and the same choice on Scenario, Compare and Tracking, kept in the address bar. District
    offices alone are a row of the tables, not a scope of their own."""
    blocks = [b for b in data_blocks if b != "district_offices"]
    if Key.BLOCK in st.session_state and st.session_state[Key.BLOCK] not in blocks:
        st.session_state[Key.BLOCK] = "province"  # a block of other data (a link, a dataset switch)
    chosen = st.segmented_control(
        pick("Phạm vi", "Scope"),
        blocks,
        key=Key.BLOCK,
        default=None if Key.BLOCK in st.session_state else "province",
        required=True,
        format_func=labels(blocks, block_label),
        label_visibility="collapsed",
        persist_state="session",
    )
    return chosen if chosen in blocks else "province"


def view_chooser(views: dict[str, tuple[str, str]], key: str, label_vi: str = "Nội dung", label_en: str = "View") -> str:
    """One view of a page at a time (Scenario, Targets, Assumptions): a row of buttons, not st.tabs,
    which runs every tab's content on every visit. views: id → (label_vi, label_en); the chosen id
    is returned and kept for the session (ids, not labels: a language switch keeps the view)."""
    ids = list(views)
    return st.segmented_control(
        pick(label_vi, label_en),
        ids,
        key=key,
        default=ids[0],
        required=True,
        label_visibility="collapsed",
        format_func=labels(ids, lambda v: pick(*views[v])),
        persist_state="session",
    )


def lazy_section(label_vi: str, label_en: str, key: str, render, *args, expanded: bool = False) -> None:
    """An expander whose content runs only while it is open: a slider move or a page visit does not
    build (or send to the browser) what nobody has opened."""
    # Streamlit keys an expander's state to its label too: a language switch made a new, closed one.
    # When the label has changed, the new expander starts as the old one was.
    label = pick(label_vi, label_en)
    shown_as, was_open = f"{key}__label", f"{key}__was_open"
    if st.session_state.get(shown_as, label) != label:
        st.session_state[key] = st.session_state.get(was_open, expanded)
    box = st.expander(label, key=key, on_change="rerun", expanded=expanded)
    st.session_state[shown_as], st.session_state[was_open] = label, bool(box.open)
    if box.open:
        with box:
            render(*args)


def no_structural_zero_reason(lever: Lever) -> str:
    """Why a structural switch (commune-level services) has no slider for this data: no unit is
    without online services in it. Named by what it does, not by its 2022 label (which names districts)."""
    return pick(
        "Bật DVCTT ở đơn vị chưa có dịch vụ: không áp dụng cho số liệu đang dùng — mọi đơn vị đều đã có dịch vụ công trực tuyến.",
        "Switching on online services where there are none: does not apply to the active data — every unit already "
        "has online services.",
    )
