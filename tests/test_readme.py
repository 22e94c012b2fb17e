"""Every command the README writes down runs as written: the command-line block is parsed out of
README.md and each `python -m model …` line is run in a temporary folder that holds the files the
README names (the repository's data/, and the user's own chuoi.csv and report folders thang01 …,
built here); each `make X` line names a target the Makefile has."""

import re
import shlex
import shutil
import subprocess
import sys

import pytest

from model.baseline import load_report
from tests.conftest import ROOT
from tests.series_support import long_csv_for


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command.startswith(("python -m model", "make ")):
                commands.append(command)
    return commands


def test_the_readme_has_its_commands():
    commands = readme_commands()
    assert sum(c.startswith("python -m model") for c in commands) >= 8
    assert any("--reports" in c for c in commands) and any("--series" in c for c in commands)


def _user_files(folder):
    """What the README's commands expect beside data/: a long CSV, a register of measures and three monthly
    report folders."""
    shutil.copytree(ROOT / "data", folder / "data")
    report = load_report()
    (folder / "chuoi.csv").write_bytes(long_csv_for(report, n_months=12))
    # a register of measures: a fee cut in three district offices from 7/2022
    rows = ["unit,measure,start,intensity"] + [f"{u}:office,fee_cut,2022-07,30" for u in ("moc-chau", "mai-son", "song-ma")]
    (folder / "bien-phap.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for month in (1, 2, 3):
        target = folder / f"thang{month:02d}"
        shutil.copytree(ROOT / "data" / "baseline_2022_12", target)
        manifest = (target / "report.toml").read_text(encoding="utf-8")
        manifest = re.sub(r'(?m)^id = ".*"$', f'id = "thang-{month:02d}"', manifest)
        manifest = re.sub(r'(?m)^period = ".*"$', f'period = "2023-{month:02d}"', manifest)
        # month-only reports of the same counts (the built-in month's figures, repeated)
        manifest = re.sub(r'(?m)^cumulative_from = ".*"$', f'cumulative_from = "2023-{month:02d}"', manifest)
        (target / "report.toml").write_text(manifest, encoding="utf-8")


@pytest.mark.parametrize("command", [c for c in readme_commands() if c.startswith("python -m model")])
def test_every_readme_command_runs(command, tmp_path):
    _user_files(tmp_path)
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "model"]
    done = subprocess.run(
        [sys.executable, *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, (command, done.stderr[-2000:])
    assert done.stdout.strip() or (tmp_path / "ke-hoach.xlsx").exists()


@pytest.mark.parametrize("command", [c for c in readme_commands() if c.startswith("make ")])
def test_every_readme_make_target_exists(command):
    target = command.split()[1]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"(?m)^{re.escape(target)}:", makefile), command
