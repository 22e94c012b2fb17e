"""The reference for page switches and cold loads in `make bench`: a bare two-page st.navigation app,
each page a header, a caption and a plotly chart."""

import plotly.graph_objects as go
import streamlit as st


def page(title: str):
    def draw():
        st.header(title)
        st.caption("reference page")
        st.plotly_chart(go.Figure(go.Scatter(x=list(range(12)), y=[m * m for m in range(12)])))

    return draw


pages = [st.Page(page("Một"), title="Một", url_path="mot", default=True), st.Page(page("Hai"), title="Hai", url_path="hai")]
st.navigation(pages).run()
