import streamlit as st

from model.baseline import load_report
from model.segments import build_segments

st.set_page_config(page_title="Kế hoạch DVCTT Sơn La", layout="wide")
report = load_report()
st.title("Hồ sơ trực tuyến Sơn La — số liệu gốc")
st.caption(report.label_vi)
st.dataframe(build_segments(report.units), hide_index=True)
