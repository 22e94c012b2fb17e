"""The target editor for the projector: one row at a time, in a form.

The data grid draws on a canvas that presentation CSS cannot enlarge, and it lost keystrokes: "60"
typed quickly into a cell was stored as 0 (its first key opens the cell's editor, and the editor was
not there yet for the second). Here the row is chosen in a dropdown and its two targets are typed into
text fields of a form: nothing is sent until "Lưu" (or Enter), so fast typing cannot lose a key, and
the fields are ordinary inputs that the presentation CSS sizes. Numbers are read the way the user's
locale writes them ("54,38"), as `percent_input` does; a blank field means "the block's target"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import fmt
from ui.i18n import labels, lang, pick


def target_row_editor(table: pd.DataFrame, code_col: str, scope_col: str, value_cols: tuple[str, ...], key: str) -> pd.DataFrame:
    """The table with the chosen row's values as typed and saved (the table itself when nothing was
    saved in this run, or when a typed value cannot be read: the message names the field)."""
    language = lang()
    codes = list(table[code_col])
    names = dict(zip(codes, table[scope_col]))
    code = st.selectbox(
        pick("Sửa chỉ tiêu của", "Edit the targets of"),
        codes,
        key=f"{key}-row",
        format_func=labels(codes, names.__getitem__),
    )
    row = codes.index(code)
    with st.form(f"{key}-form", border=True, enter_to_submit=True):
        fields = st.columns(len(value_cols))
        typed = [
            field.text_input(
                column,
                value="" if pd.isna(table.at[row, column]) else fmt.number(float(table.at[row, column]), language),
                # the row, the set and the language are in the key: each shows its own stored value
                key=f"{key}-{code}-{column}-{language}",
                help=pick(
                    "Số từ 0 đến 100, dấu phẩy thập phân (ví dụ 54,38). Để trống: theo chỉ tiêu của khối.",
                    "A number from 0 to 100, decimal point (for example 54.38). Blank: the block's target.",
                ),
            )
            for field, column in zip(fields, value_cols)
        ]
        saved = st.form_submit_button(pick("Lưu chỉ tiêu", "Save the targets"), type="primary", icon=":material/save:")
    if not saved:
        return table
    edited = table.copy()
    for column, text in zip(value_cols, typed):
        if not text.strip():
            edited.at[row, column] = float("nan")
            continue
        try:
            edited.at[row, column] = fmt.parse_number(text, language, 0.0, 100.0)
        except fmt.NumberEntryError as err:
            st.error(f"{names[code]}, {column}: {err.messages(language)[0]}")
            return table
    return edited
