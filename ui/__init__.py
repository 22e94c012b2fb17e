"""The Streamlit side of the planner: one module per concern. Pages import this package and only
lay out what it gives them.

- `keys`: every session-state key, named once
- `i18n`: the one translation mechanism (`pick`, `t`) and Babel-formatted numbers
- `state`: the active data, target set and scenario, with typed accessors
- `results`: cached model results (`projection` returns a `model.Projection`)
- `actions`: the scenario library and the address bar
- `widgets`: widgets built from the lever declarations
- `charts`: chart style and chart elements
- `theme`: CSS, presentation mode
- `live_chart`, `address_bar`: the two custom elements
"""

from ui.actions import (
    apply_link_once,
    link_keys,
    link_update,
    save_many,
    save_scenario,
    saved_scenarios,
    scenario_named,
    scenario_names,
    scenario_store,
    show_link_notices,
    show_message,
    store_warning,
    sync_link,
)
from ui.charts import (
    BAND_COLOR,
    BASELINE_COLOR,
    OKABE_ITO,
    SCENARIO_COLOR,
    TARGET_COLOR,
    base_layout,
    csv_button,
    csv_bytes,
    layout_spec,
    scenario_summary,
    show_chart,
    show_live_chart,
    status_text,
    trajectory_figure,
    trajectory_spec,
)
from ui.i18n import T, block_label, count, labels, lang, month_labels, pair, pct, pick, plain, pts, t
from ui.keys import Key
from ui.results import heat, lever_contributions, projection
from ui.state import (
    active_targets,
    builtins,
    compiled,
    compiled_default,
    current_scenario,
    freeze_long_lived_objects,
    load_into_widgets,
    presenting,
    remember_current,
    remembered_current,
    report,
    restore_widgets_if_needed,
    set_target_set,
    target_sets,
    use_report,
    using_imported_report,
)
from ui.theme import inject_css
from ui.widgets import format_param_value, group_label, lever_help, param_widget, reference_points, show_evidence_notice

__all__ = [
    "BAND_COLOR",
    "BASELINE_COLOR",
    "OKABE_ITO",
    "SCENARIO_COLOR",
    "TARGET_COLOR",
    "T",
    "Key",
    "active_targets",
    "apply_link_once",
    "base_layout",
    "block_label",
    "builtins",
    "compiled",
    "compiled_default",
    "count",
    "csv_bytes",
    "csv_button",
    "current_scenario",
    "format_param_value",
    "freeze_long_lived_objects",
    "group_label",
    "heat",
    "inject_css",
    "labels",
    "lang",
    "layout_spec",
    "lever_contributions",
    "lever_help",
    "link_keys",
    "link_update",
    "load_into_widgets",
    "month_labels",
    "pair",
    "param_widget",
    "pct",
    "pick",
    "plain",
    "presenting",
    "projection",
    "pts",
    "reference_points",
    "remember_current",
    "remembered_current",
    "report",
    "restore_widgets_if_needed",
    "save_many",
    "save_scenario",
    "saved_scenarios",
    "scenario_named",
    "scenario_names",
    "scenario_store",
    "scenario_summary",
    "set_target_set",
    "show_chart",
    "show_link_notices",
    "show_live_chart",
    "show_evidence_notice",
    "show_message",
    "status_text",
    "store_warning",
    "sync_link",
    "t",
    "target_sets",
    "trajectory_figure",
    "trajectory_spec",
    "use_report",
    "using_imported_report",
]
