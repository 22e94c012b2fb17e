"""The reference for `make bench`: a bare Streamlit page with as many sliders as the Scenario
page declares, and one plotly chart that follows the first slider."""

import os

import plotly.graph_objects as go
import streamlit as st

n = int(os.environ.get("BARE_SLIDERS", "44"))
values = [st.slider(f"Slider {i}", 0, 100, 0, key=f"s{i}") for i in range(n)]
st.caption(f"value={values[0]}")
fig = go.Figure(go.Scatter(x=list(range(12)), y=[values[0] + m for m in range(12)], mode="lines+markers"))
st.plotly_chart(fig)
