"""``python -m matcher``: the documented commands, their JSON contract, and exit status 2 on bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from matcher.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_classify_json_lists_every_open_english_trust_with_the_contract_keys():
    result = run("classify", "--format", "json", "--as-of", "2026-11-23")
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert len(items) >= 190
    for item in items:
        assert set(item) >= {"code", "name", "sector", "region", "role", "persistent", "mc_supporter", "reasons"}
        assert item["role"] in ("recipient", "supporter", "neither")
        assert isinstance(item["persistent"], bool) and isinstance(item["mc_supporter"], bool)
        assert item["reasons"] and all(isinstance(r, str) for r in item["reasons"])


def test_classify_table_has_a_row_per_trust():
    result = run("classify", "--as-of", "2026-11-23")
    lines = result.output.splitlines()
    assert lines[0].split() == ["code", "name", "sector", "region", "role", "persistent", "mc", "severity"]
    assert len(lines) == 2 + 199
    assert any(line.startswith("RXL    Blackpool Teaching Hospitals NHS Foundation") for line in lines)


def test_summary_prints_counts_and_data_caveats():
    result = run("summary", "--as-of", "2026-11-23")
    assert result.exit_code == 0
    assert "all               62         31         106" in result.output
    assert "general acute     60         9          48" in result.output
    assert "CQC ratings are those of one main location per trust, not provider-level ratings" in result.output
    assert "51 cannot be priced" in result.output


def test_check_config_accepts_the_shipped_file():
    result = run("check-config")
    assert (result.exit_code, result.output) == (0, "config.yaml is valid.\n")


def test_check_config_names_the_key_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("capacity:\n  buddy_units: 0\n")
    result = CliRunner().invoke(cli, ["check-config", str(bad)])
    assert result.exit_code == 2
    assert result.output == "There is a problem in bad.yaml:\n  - capacity.buddy_units must be 1 or more, got 0\n"


def test_bad_data_exits_2_with_the_location(data_copy):
    path = data_copy / "nhs_trusts.csv"
    path.write_text(path.read_text().replace("53.462440", "153.462440", 1))
    result = CliRunner().invoke(cli, ["classify", "--data", str(data_copy)])
    assert result.exit_code == 2
    assert "nhs_trusts.csv, row 4, column 'latitude': 153.462440 is not between -90 and 90" in result.output


def test_a_bad_date_option_exits_2():
    result = CliRunner().invoke(cli, ["classify", "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert "'yesterday' is not a date; use YYYY-MM-DD" in result.output


def test_data_coverage_counts_each_field():
    result = run("data", "--coverage", "--as-of", "2026-11-23")
    assert result.exit_code == 0
    assert "segment                       148 of 199           74%    oversight" in result.output
    assert "income_gbp                    148 of 199           74%    costs" in result.output


def test_data_coverage_json():
    result = run("data", "--coverage", "--format", "json", "--as-of", "2026-11-23")
    report = json.loads(result.output)
    assert report["trusts"] == 199
    assert {c["field"]: c["present"] for c in report["coverage"]}["latitude"] == 197


def test_the_module_runs_as_python_dash_m_and_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("capacity: [\n")
    proc = subprocess.run([sys.executable, "-m", "matcher", "check-config", str(bad)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("There is a problem in bad.yaml:\n  - line 2, column 1:")


@pytest.mark.parametrize("command", cli.list_commands(click.Context(cli)))  # the lazily imported ones too
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
    assert "Example" in result.output, f"python -m matcher {command} --help shows no example"


def test_synth_writes_a_data_set_every_command_can_load(tmp_path):
    result = run("synth", "--providers", "150", "--seed", "3", "--out", str(tmp_path / "synth"))
    assert result.exit_code == 0
    assert result.output == f"Wrote 150 synthetic providers (seed 3) to {tmp_path / 'synth'}\n"
    classified = json.loads(run("classify", "--data", str(tmp_path / "synth"), "--format", "json").output)
    assert len(classified) == 150
