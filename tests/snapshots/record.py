"""Record (or check) the stored copies of the national plan, a re-match and a candidates report.

The refactors of the engine must not move the plan or a word of its explanations; these copies
are what ``tests/test_snapshots.py`` compares against. Run ``python -m tests.snapshots.record``
only when a change is *meant* to move the plan, and say why in the commit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from matcher.cli import cli

HERE = Path(__file__).resolve().parent
AS_OF = ["--as-of", "2026-11-23"]
DECISIONS = HERE / "decisions.csv"


def without_timings(plan: dict) -> dict:
    """The plan with the solver's wall-clock seconds removed (the only part that varies run to run)."""
    plan = dict(plan)
    plan["stages"] = [{k: v for k, v in stage.items() if k != "seconds"} for stage in plan["stages"]]
    return plan


def invoke(*args: str) -> str:
    """The output of one ``python -m matcher`` command, which must succeed."""
    result = CliRunner().invoke(cli, [*args, *AS_OF])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return result.output


def snapshots(workdir: Path) -> dict[str, str]:
    """Each stored copy's file name and its text, made afresh."""
    plan = json.loads(invoke("propose", "--format", "json"))
    previous = workdir / "previous.json"
    previous.write_text(json.dumps(plan), encoding="utf-8")
    rematch = json.loads(invoke("propose", "--format", "json", "--previous", str(previous),
                                "--decisions", str(DECISIONS)))
    return {
        "national_plan.json": json.dumps(without_timings(plan), indent=1, sort_keys=True) + "\n",
        "national_plan.txt": _without_stage_line(invoke("propose")),
        "rematch_plan.json": json.dumps(without_timings(rematch), indent=1, sort_keys=True) + "\n",
        "candidates_RXL.txt": invoke("candidates", "RXL"),
    }


def _without_stage_line(text: str) -> str:
    """The table report without its "Stages:" line, which carries seconds."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("Stages: ")) + "\n"


if __name__ == "__main__":
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in snapshots(Path(tmp)).items():
            (HERE / name).write_text(text, encoding="utf-8")
            print(f"wrote {name}", file=sys.stderr)
