"""Thư viện kịch bản — saved scenarios that outlast the session: list, load, rename, duplicate,
delete (with confirmation), export and import JSON."""

import pandas as pd
import streamlit as st

import ui
from model.limits import MAX_NAME
from model.scenario import (
    BUILTIN_DESCRIPTIONS,
    BUILTIN_FILES,
    MAX_IMPORT_BYTES,
    ScenarioError,
    scenarios_from_json,
    scenarios_to_json,
)
from model.store import StoreError

st.header(ui.pick("Thư viện kịch bản", "Scenario library"))
store, store_error = ui.scenario_store()
ui.store_warning()
if store is not None:
    # where the file lives is for the administrator (README), not for the projector
    st.caption(
        ui.pick(
            "Kịch bản lưu trên máy tính này; vẫn còn sau khi tắt máy.",
            "Scenarios are saved on this laptop and kept after it is switched off.",
        )
    )

builtins = ui.builtins()
try:
    saved = store.list() if store is not None else []
except StoreError as err:
    st.error(ui.pick(err.message_vi, err.message_en))
    saved = []

# a damaged row (its body no longer reads) is named by its number; every other one stays usable
readable = {}
for item in saved:
    try:
        readable[item.name] = item.scenario()
    except ScenarioError as err:
        st.warning(
            ui.plain(
                ui.pick(
                    f"Kịch bản số {item.id} (“{item.name}”) trong thư viện bị hỏng và được bỏ qua: ",
                    f"Saved scenario number {item.id} (“{item.name}”) is damaged and left out: ",
                )
                + "; ".join(err.messages(ui.lang()))[:300]
            ),
            icon=":material/warning:",
        )
saved = [item for item in saved if item.name in readable]

kinds = list(BUILTIN_FILES)  # the built-in files, in the order builtins() reads them
rows = [
    {
        ui.pick("Tên", "Name"): ui.scenario_label(f"builtin:{kind}"),
        ui.pick("Loại", "Kind"): ui.pick("có sẵn", "built-in"),
        ui.pick("Mô tả", "Description"): ui.pick(*BUILTIN_DESCRIPTIONS[kind]),
        ui.pick("Năm kế hoạch", "Plan year"): b.plan_year,
        ui.pick("Người lập", "Author"): "",
        ui.pick("Tạo lúc", "Created"): "",
        ui.pick("Sửa lúc", "Updated"): "",
    }
    for b, kind in zip(builtins, kinds)
]
rows += [
    {
        ui.pick("Tên", "Name"): item.name,
        ui.pick("Loại", "Kind"): ui.pick("đã lưu", "saved"),
        ui.pick("Mô tả", "Description"): item.description,
        ui.pick("Năm kế hoạch", "Plan year"): item.plan_year,
        ui.pick("Người lập", "Author"): item.author,
        ui.pick("Tạo lúc", "Created"): ui.moment(item.created_at),
        ui.pick("Sửa lúc", "Updated"): ui.moment(item.updated_at),
    }
    for item in saved
]
# the table shows cells as plain text: names typed by users are never rendered as HTML or Markdown.
ui.show_table(pd.DataFrame(rows))

by_name = {item.name: item for item in saved}
choices = [b.name for b in builtins] + list(by_name)
builtin_label = {b.name: ui.scenario_label(f"builtin:{kind}") for b, kind in zip(builtins, kinds)}
chosen = st.selectbox(
    ui.pick("Chọn kịch bản", "Choose a scenario"),
    choices,
    key=ui.Key.LIBRARY_CHOICE,
    format_func=ui.labels(choices, lambda n: builtin_label.get(n, n)),
)
is_builtin = chosen not in by_name


def scenario_of(name: str):
    return next((b for b in builtins if b.name == name), None) or readable[name]


def load_chosen():
    scenario = scenario_of(chosen)
    ui.load_into_widgets(scenario)
    ui.remember_current(scenario)
    st.session_state[ui.Key.LIBRARY_MESSAGE] = (
        "success",
        ui.pick(f"Đã nạp “{chosen}” vào trang Kịch bản.", f"Loaded “{chosen}” into the Scenario builder."),
    )


def act(action, *args):
    try:
        action(*args)
    except StoreError as err:  # NameTaken included
        st.session_state[ui.Key.LIBRARY_MESSAGE] = ("error", ui.pick(err.message_vi, err.message_en))
    else:
        st.session_state[ui.Key.LIBRARY_MESSAGE] = ("success", ui.pick("Đã xong.", "Done."))


col_load, col_export = st.columns(2)
col_load.button(
    ui.pick("Nạp vào trang Kịch bản", "Load into the Scenario builder"), on_click=load_chosen, icon=":material/upload:"
)
if chosen:
    exported = scenario_of(chosen)
    col_export.download_button(
        ui.pick("Tải tệp của kịch bản này", "Download this scenario as a file"),
        scenarios_to_json([exported]).encode("utf-8"),
        file_name="kich-ban.json",
        mime="application/json",
        icon=":material/download:",
        key="export_one",
    )

if store is not None and not is_builtin:
    item = by_name[chosen]
    with st.container(border=True):
        st.markdown(f"**{ui.pick('Sửa kịch bản đã lưu', 'Edit the saved scenario')}**")
        new_name = st.text_input(ui.pick("Tên mới", "New name"), key=ui.Key.LIBRARY_NEW_NAME, max_chars=MAX_NAME)
        c1, c2 = st.columns(2)
        c1.button(
            ui.pick("Đổi tên", "Rename"),
            on_click=act,
            args=(store.rename, item.id, new_name or ""),
            disabled=not (new_name or "").strip(),
            icon=":material/edit:",
        )
        c2.button(
            ui.pick("Nhân bản với tên mới", "Duplicate under the new name"),
            on_click=act,
            args=(store.duplicate, item.id, new_name or ""),
            disabled=not (new_name or "").strip(),
            icon=":material/content_copy:",
        )
        confirm = st.checkbox(
            ui.pick("Tôi chắc chắn muốn xóa kịch bản này", "I am sure I want to delete this scenario"),
            key=ui.Key.LIBRARY_CONFIRM_DELETE,
        )
        st.button(
            ui.pick("Xóa kịch bản", "Delete scenario"),
            on_click=act,
            args=(store.delete, item.id),
            disabled=not confirm,
            type="primary",
            icon=":material/delete:",
        )
elif is_builtin:
    st.caption(
        ui.pick(
            "Kịch bản có sẵn không sửa hay xóa được; hãy nạp rồi lưu dưới tên mới.",
            "Built-in scenarios cannot be edited or deleted; load one and save it under a new name.",
        )
    )

# save_many can also answer "warning" (kept for this session only when the library file is unusable)
ui.show_message(st.session_state.pop(ui.Key.LIBRARY_MESSAGE, None))

st.subheader(ui.pick("Xuất và nhập", "Export and import"))
all_scenarios = builtins + [readable[item.name] for item in saved]
st.download_button(
    ui.pick("Tải tất cả kịch bản (một tệp)", "Download every scenario (one file)"),
    scenarios_to_json(all_scenarios).encode("utf-8"),
    file_name="thu-vien-kich-ban.json",
    mime="application/json",
    icon=":material/download:",
    key="export_all",
)
upload = st.file_uploader(
    ui.pick(
        f"Nhập tệp kịch bản đã tải từ ứng dụng này (tối đa {ui.kilobytes(MAX_IMPORT_BYTES)})",
        f"Import a scenario file downloaded from this app (at most {ui.kilobytes(MAX_IMPORT_BYTES)})",
    ),
    type=["json"],
    key=ui.Key.LIBRARY_UPLOAD,
)
if upload is not None:
    try:
        incoming = scenarios_from_json(upload.getvalue(), source=upload.name)
        taken = [s.name for s in incoming if s.name in by_name or s.name in {b.name for b in builtins}]
        if taken:
            raise ScenarioError(
                [
                    (
                        "name",
                        "đã có kịch bản cùng tên: " + ", ".join(taken) + " — không ghi đè",
                        "scenarios with these names exist: " + ", ".join(taken) + " — nothing overwritten",
                    )
                ],
                upload.name,
            )
    except ScenarioError as err:
        st.error(ui.pick("Tệp bị từ chối, không có gì thay đổi:", "File rejected, nothing changed:"))
        for line in err.messages(ui.lang()):
            st.text(line)
    else:
        st.success(ui.pick(f"Tệp hợp lệ: {len(incoming)} kịch bản.", f"Valid file: {len(incoming)} scenario(s)."))
        if st.button(
            ui.pick("Lưu các kịch bản này vào thư viện", "Save these scenarios to the library"), key="library_import_go"
        ):
            st.session_state[ui.Key.LIBRARY_MESSAGE] = ui.save_many(incoming)
            st.rerun()
