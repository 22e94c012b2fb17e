"""The command line: every error is one line in the chosen language with exit code 2, never a traceback."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCENARIO = "data/scenarios/03_report_recommendations.json"


def cli(*args: str, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "model", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def bad_name_scenario(tmp_path):
    data = json.loads((ROOT / SCENARIO).read_text(encoding="utf-8"))
    data["name"] = "Tên\x07có\u202eký tự điều khiển"
    path = tmp_path / "ky-tu.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    "case",
    [
        "draws_0",
        "missing_folder",
        "annex_negative",
        "annex_over",
        "not_xlsx",
        "overwrite_input",
        "existing",
        "bad_json",
        "unknown_option",
        "missing_scenario",
        "bad_targets",
    ],
)
def test_every_error_is_one_line_with_exit_code_2(tmp_path, case, lang):
    existing = tmp_path / "co-san.xlsx"
    existing.write_bytes(b"x")
    bad_json = tmp_path / "hong.json"
    bad_json.write_text("{ not json", encoding="utf-8")
    args = {
        "draws_0": ["run", SCENARIO, "--draws", "0"],
        "missing_folder": ["export", "--out", str(tmp_path / "khong-co" / "x.xlsx")],
        "annex_negative": ["export", "--out", str(tmp_path / "a.xlsx"), "--annex-target", "-10"],
        "annex_over": ["export", "--out", str(tmp_path / "a.xlsx"), "--annex-target", "150"],
        "not_xlsx": ["export", "--out", str(tmp_path / "a.json")],
        "overwrite_input": ["export", "--out", str(bad_json.with_suffix(".xlsx")), str(bad_json.with_suffix(".xlsx"))],
        "existing": ["export", "--out", str(existing)],
        "bad_json": ["run", str(bad_json)],
        "unknown_option": ["run", SCENARIO, "--no-such-option"],
        "missing_scenario": ["run", str(tmp_path / "khong-co.json")],
        "bad_targets": ["run", SCENARIO, "--targets", str(bad_json)],
    }[case]
    done = cli("--lang", lang, *args)
    assert done.returncode == 2, (case, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, (case, done.stderr)
    assert "Traceback" not in done.stderr
    vietnamese = any(ch in lines[0] for ch in "ảạđơưệếồổộớờởợủứừữự")
    assert vietnamese == (lang == "vi"), lines[0]
    assert existing.read_bytes() == b"x" and bad_json.read_text(encoding="utf-8") == "{ not json"


def test_export_never_overwrites_its_input_and_force_overwrites_an_output(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    assert cli("export", "--out", str(out), SCENARIO).returncode == 0
    assert cli("export", "--out", str(out), SCENARIO).returncode == 2
    assert cli("export", "--out", str(out), "--force", SCENARIO).returncode == 0


def test_control_characters_in_a_scenario_name_are_removed_not_a_traceback(tmp_path):
    out = tmp_path / "x.xlsx"
    done = cli("export", "--out", str(out), bad_name_scenario(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["baseline"], ["run", SCENARIO, "--draws", "32"]])
def test_one_schema_and_csv(command):
    data = json.loads(cli(*command, "--json").stdout)
    assert data["schema_version"] == 1 and "measurement_units" in data
    assert set(data["blocks"]) >= {"province", "department", "district_incl_communes"}
    scalars = [k for b in data["blocks"].values() for k in b if k != "monthly"]
    assert all(k == "dossiers" or k.endswith(("_pct", "_pts", "dossiers")) for k in scalars)
    # run's plan-year months with both bands (issue 21 names the share "pct"): percent inside each month
    months = [m for b in data["blocks"].values() for m in b.get("monthly", [])]
    assert all(k in ("month", "pct") or k.endswith("_pct") for m in months for k in m)
    csv_out = cli(*command, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("block,") and len(csv_out) == 1 + len(data["blocks"])


def test_help_shows_an_example_of_each_subcommand():
    text = cli("--help").stdout
    for sub in ("baseline", "run", "export", "backtest"):
        assert f"python -m model {sub}" in text or f"--series chuoi.csv {sub}" in text


def test_the_plan_year_carries_momentum_and_a_past_one_exits_2_with_one_line(tmp_path):
    """From the 12/2022 report each later plan year carries 12 more months of momentum (the unit-level
    hand arithmetic is tests/test_model.py::test_momentum_runs_from_the_report_month_and_a_past_plan_year_is_refused),
    and a plan year before the data is refused with one line and exit code 2."""
    from tests.conftest import model_cli

    scenario = json.loads((ROOT / "data" / "scenarios" / "01_status_quo_momentum.json").read_text(encoding="utf-8"))
    decembers = []
    for year in (2023, 2024, 2025):
        scenario["plan_year"] = year
        path = tmp_path / f"sq{year}.json"
        path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
        out = json.loads(model_cli("run", str(path), "--json", "--draws", "8"))
        decembers.append(out["blocks"]["province"]["december_pct"])
    assert decembers[0] == pytest.approx(11.1034, abs=1e-4)  # the status quo the report's year gives
    assert decembers[0] < decembers[1] < decembers[2]
    scenario["plan_year"] = 2022
    path = tmp_path / "past.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    for lang, words in (("vi", "Năm kế hoạch 2022 không dự báo được"), ("en", "Plan year 2022 cannot be projected")):
        done = subprocess.run(
            [sys.executable, "-m", "model", "--lang", lang, "run", str(path)], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr
