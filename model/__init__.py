"""Sơn La online-dossier planning model. Never imports Streamlit."""
