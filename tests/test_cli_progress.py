"""Progress on long work goes to stderr (never into the JSON on stdout), and only when asked or on a terminal."""
from __future__ import annotations

import json

from click.testing import CliRunner

from matcher.cli import cli


def test_propose_reports_each_step_and_solver_stage_on_stderr():
    result = CliRunner().invoke(cli, ["propose", "--as-of", "2026-11-23", "--format", "json", "--progress"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "OPTIMAL"
    assert "Solving: 62 recipients, 31 supporters, 153 possible pairs" in result.stderr
    for stage in ("coverage", "score", "spend"):
        assert f"{stage} stage optimal (gap 0.00%" in result.stderr


def test_without_a_terminal_there_is_no_progress_unless_asked():
    result = CliRunner().invoke(cli, ["propose", "--as-of", "2026-11-23", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""


def test_synthetic_generation_draws_a_progress_bar_when_asked(tmp_path):
    shown = CliRunner().invoke(cli, ["synth", "--providers", "50", "--seed", "1", "--out", str(tmp_path / "a"),
                                     "--progress"], catch_exceptions=False)
    quiet = CliRunner().invoke(cli, ["synth", "--providers", "50", "--seed", "1", "--out", str(tmp_path / "b"),
                                     "--no-progress"], catch_exceptions=False)
    assert "Generating" in shown.stderr and quiet.stderr == ""
    assert "Wrote 50 synthetic providers (seed 1)" in shown.stdout
