"""Short tables (and every table in presentation mode) are plain HTML written by pandas' Styler
(ui.show_table): what a user reads in a cell is exactly the text of the data, markup never acts, and
no cell is blank."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import html_table_cells
from ui.charts import html_table

# any text a unit or scenario name may hold (typed, or from an uploaded file), markup included
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")) | st.sampled_from("<>&\"'/ ="), min_size=1
).filter(str.strip)
CELL = st.one_of(TEXT, st.none(), st.just(""), st.just("   "))


@settings(max_examples=60, deadline=None)
@given(names=st.lists(CELL, min_size=1, max_size=8), header=TEXT)
def test_every_cell_shows_its_text_and_a_blank_says_so(names, header):
    frame = pd.DataFrame({header: names, "Số": [1.5] * len(names)})
    cells = html_table_cells(html_table(frame))
    assert list(cells.columns) == [header.strip(), "Số"]
    expected = [n.strip() if n is not None and n.strip() else "—" for n in names]
    assert list(cells.iloc[:, 0]) == expected
    assert list(cells.iloc[:, 1]) == ["1,5"] * len(names)  # the Vietnamese decimal comma


@settings(max_examples=40, deadline=None)
@given(names=st.lists(CELL, min_size=1, max_size=8))
def test_a_styled_table_keeps_its_formats_and_colours_and_escapes_its_text(names):
    values = [np.nan if i % 3 == 0 else i * 1.25 for i in range(len(names))]
    frame = pd.DataFrame({"Đơn vị": names, "Tỷ lệ (%)": values})
    styler = frame.style.format({"Tỷ lệ (%)": lambda v: "—" if v != v else f"{v:.2f}"}).apply(
        lambda col: ["color: #b42318"] * len(col), subset=["Tỷ lệ (%)"]
    )
    markup = html_table(styler)
    cells = html_table_cells(markup)
    assert list(cells["Đơn vị"]) == [n.strip() if n is not None and n.strip() else "—" for n in names]
    assert list(cells["Tỷ lệ (%)"]) == ["—" if v != v else f"{v:.2f}" for v in values]
    assert "color: #b42318" in markup


def test_two_different_tables_never_share_an_id_and_one_table_is_the_same_html_each_run():
    """A Styler's colours are CSS rules on the table's id: two tables on a page must not share one;
    and the same table must be the same HTML on every run (nothing to redraw)."""
    a = pd.DataFrame({"x": ["a", "b"]})
    b = pd.DataFrame({"x": ["a", "c"]})

    def styled(f):
        return html_table(f.style.apply(lambda c: ["color: red"] * len(c)))

    assert styled(a) == styled(a)
    assert styled(a) != styled(b)
