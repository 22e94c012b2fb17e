"""Every session-state key the app uses, named once. Widget keys are session-state keys too, so a
page never writes a key as a literal string: `Key.SAVE_NAME`, `Key.widget(param_id)`."""

from __future__ import annotations

from model.links import DISTRICTS_KEY


class Key:
    # chrome (bound to the address bar)
    LANG = "lang"
    PRESENTATION = "presentation"
    # data and model
    DATASET = "dataset"  # the active dataset's id (model/datasets.py); in the address bar as ?data=<id>
    SESSION_DATASETS = "session_datasets"  # datasets kept for the session when the library file is unusable
    DATASET_CHOICE = "dataset_choice"  # the data page's list
    DATASET_CONFIRM_DELETE = "dataset_confirm_delete"
    DATASET_MESSAGE = "dataset_message"
    BLOCK = "block"  # the block being viewed (Scenario, Compare, Tracking); in the address bar
    TARGET_SETS = "target_sets"  # id -> TargetSet (shipped and edited)
    TARGET_SET = "target_set"  # the active target set's id
    TARGET_SET_NEXT = "target_set_next"  # the set to make active on the next run (the selectbox is drawn by then)
    SERIES_RESULT = "series_result"
    PLAN_YEAR = "plan_year"
    INDICATORS_766 = "indicators_766"  # the Decision 766 indicators (model.indicators.Indicators), for the session
    INDICATORS_766_MESSAGE = "indicators_766_message"
    INDICATORS_766_OPEN = "indicators_766_open"
    INDEX766_LEVERS_OPEN = "index766_levers_open"
    # effects learned from the data (ui/effects.py)
    REGISTER = "register"  # the register of measures taken, as its CSV text
    REGISTER_FILE = "register_file"
    REGISTER_RESULT = "register_result"  # the last upload's problems (vi, en), or None
    REGISTER_NAME = "register_name"  # the file name of the register in use
    REGISTER_KEPT_ERROR = "register_kept_error"  # (vi, en) why the register could not be kept with the dataset
    RUN = "_run"  # this session's run counter (app.py's first line): what a per-run memo is keyed by
    ACTIVE_DATA_MEMO = "_active_data_memo"  # ((run, dataset id), ActiveData) for this run
    REGISTER_EDITOR = "register_editor"  # the register typed or edited on the page (st.data_editor's edits)
    REGISTER_EDITOR_OPEN = "register_editor_open"
    ESTIMATED_EFFECTS = "estimated_effects"  # effect id -> model.effects.EstimatedEffect put into the scenario
    EFFECTS_LEVER = "effects_lever"  # the lever whose event-time curve is shown
    # the scenario being edited
    SCENARIO_NAME = "scenario_name"
    CURRENT_JSON = "current_json"  # a plain copy of the current scenario, read by the other pages
    DISTRICTS = f"p:{DISTRICTS_KEY}"  # the structural switch's districts (a widget like the params)
    LAST_QUERY = "last_query"  # the managed address-bar state this session last wrote or read
    URL_NOTICES = "url_notices"
    STATE_MESSAGES = "state_messages"  # a stored state that could not be used, said once
    SESSION_PLANS = "session_plans"  # plans of record kept for the session when the library file is unusable
    SESSION_SCENARIOS = "session_scenarios"  # saves kept for the session when the library file is unusable
    # Scenario page
    SCENARIO_VIEW = "scenario_view"
    RESULT_VIEW = "result_view"
    DETAILS_LEVER = "details_lever"
    SAVE_OPEN = "save_open"  # the Scenario page's "save and load" section
    SAVE_NAME = "save_name"
    SAVE_DESCRIPTION = "save_description"
    SAVE_AUTHOR = "save_author"
    SAVE_REPLACE = "save_replace"
    SAVE_MESSAGE = "save_message"
    BUILTIN_CHOICE = "builtin_choice"
    GOAL_PARAM = "gs_param"
    GOAL_PERIOD = "gs_period"
    GOAL_TARGET = "gs_target"
    GOAL_OPEN = "goal_open"
    UNITS_OPEN = "units_open"
    SENSITIVITY_OPEN = "sensitivity_open"
    # Compare page
    COMPARE_CHOICE = "compare_choice"
    COMPARE_SUMMARY_OPEN = "compare_summary_open"
    HEAT_BASE = "heat_base"
    HEAT_OPEN = "heat_open"
    HEAT_X = "heat_x"
    HEAT_Y = "heat_y"
    # Targets page
    TARGETS_VIEW = "targets_view"  # the Targets page's view: the set and each unit, or the allocation
    TARGETS_MESSAGE = "targets_message"
    ALLOC_BLOCK = "alloc_block"
    ALLOC_METHOD = "alloc_method"
    ALLOC_CAPS = "alloc_caps"
    TARGET_FILE = "target_file"
    TARGET_MESSAGE = "target_message"
    # Library page
    LIBRARY_CHOICE = "library_choice"
    LIBRARY_NEW_NAME = "library_new_name"
    LIBRARY_CONFIRM_DELETE = "library_confirm_delete"
    LIBRARY_UPLOAD = "library_upload"
    LIBRARY_MESSAGE = "library_message"
    # Assumptions page: data import
    ASSUMPTIONS_VIEW = "assumptions_view"
    IMPORT_LABEL = "import_label"
    IMPORT_PERIOD = "import_period"
    IMPORT_COUNTS = "import_counts"  # what an uploaded report counts: "" (as the file says), "ytd", "month"
    IMPORT_FILE = "import_file"
    IMPORT_GO = "import_go"
    IMPORT_RESULT = "import_result"
    SERIES_FILE = "series_file"
    SERIES_REPORTS = "series_reports"
    SERIES_GO = "series_go"
    # Tracking page
    PLAN_CHOICE = "plan_choice"
    PLAN_NAME = "plan_name"
    PLAN_MESSAGE = "plan_message"

    # the language the last run was drawn in (ui.relabel_choices)
    LANG_SHOWN = "lang_shown"

    @staticmethod
    def widget(param_id: str) -> str:
        return f"p:{param_id}"

    @staticmethod
    def assumption(assumption_id: str) -> str:
        return f"a:{assumption_id}"

    @staticmethod
    def effect(effect_id: str) -> str:
        return f"e:{effect_id}"

    @staticmethod
    def target_editor(set_id: str) -> str:
        return f"target_editor_{set_id}"

    @staticmethod
    def alloc_target(block: str) -> str:
        return f"alloc_target_{block}"
