from hypothesis import given, settings
from hypothesis import strategies as st

from model.links import scenario_from_query, scenario_to_query
from model.scenario import Scenario
from tests.conftest import builtin

DISTRICTS = ("mai-son", "van-ho", "sop-cop", "quynh-nhai", "phu-yen")


def test_recommendations_round_trip_through_a_link():
    rec = builtin("recommendations")
    query = scenario_to_query(rec)
    assert query["fee_cut.cut_pct"] == "50" and query["commune_enable.adoption"] == "peer"
    back, notices = scenario_from_query(query, rec.name, DISTRICTS)
    assert notices == []
    back.description = rec.description  # a link carries the settings and the name, not the long description
    assert back == rec


def test_default_scenario_is_only_its_plan_year():
    """Only what differs from the defaults, plus the plan year: a state in the address bar is never
    empty, so an empty query means a page switch, not "reset everything"."""
    s = Scenario("x")
    assert scenario_to_query(s) == {"plan_year": str(s.plan_year)}


def test_bad_values_fall_back_to_defaults_with_a_notice():
    s, notices = scenario_from_query(
        {
            "fee_cut.cut_pct": "150",
            "paper_stop.commune_pct": "abc",
            "guidance.staff_help_pct": "40",
            "start_point": "2019",
            "lang": "English",
            "commune_enable.districts": "mai-son,atlantis",
            "fee_cut.logodds_full_cut": "nan",
        },
        "x",
        DISTRICTS,
    )
    assert s.settings["fee_cut.cut_pct"] == 0.0 and s.settings["paper_stop.commune_pct"] == 0.0
    assert s.settings["guidance.staff_help_pct"] == 40.0  # the valid one is kept
    assert s.start_point == "latest" and s.districts is None
    vi = [n[0] for n in notices]
    assert "Tham số “fee_cut.cut_pct=150” ngoài khoảng 0–100; dùng giá trị mặc định." in vi
    assert "Tham số “paper_stop.commune_pct=abc” không phải là số; dùng giá trị mặc định." in vi
    assert len(notices) == 5  # lang is not a scenario key and is ignored


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "fee_cut.cut_pct",
                "start_point",
                "commune_enable.adoption",
                "momentum_logodds_per_year",
                "commune_enable.districts",
                "guidance.assistant_on",
                "x",
            ]
        ),
        st.text(max_size=300),
    )
)
def test_any_query_never_raises_and_gives_a_valid_scenario(params):
    s, _ = scenario_from_query(params, "x", DISTRICTS)
    assert Scenario.from_json(s.to_json()) == s
