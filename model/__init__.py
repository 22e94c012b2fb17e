"""Sơn La online-dossier planning model. Never imports Streamlit.

The public entry point is `model.project(report, scenario, targets, draws) -> model.Projection`
(model/projection.py). It is loaded on first use, so `import model.levers` stays light and a
lever can be declared before the engine reads the registry."""

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("project", "Projection", "BlockFigures"):
        from model import projection

        return getattr(projection, name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
