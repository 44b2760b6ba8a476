"""Fuzz-test plumbing: print how many generated cases each target ran, for the CI log."""
from __future__ import annotations

from tests.fuzz.support import CASES


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """A table of generated cases per fuzz target (only when some fuzz test ran)."""
    if not CASES:
        return
    terminalreporter.section("fuzzed cases run")
    width = max(len(target) for target in CASES)
    terminalreporter.write_line(f"{'target':<{width}}  cases")
    for target, cases in sorted(CASES.items()):
        terminalreporter.write_line(f"{target:<{width}}  {cases:>5}")
    total = sum(cases for target, cases in CASES.items() if " (" not in target)  # "(302 saved)" etc. are breakdowns
    terminalreporter.write_line(f"{'total':<{width}}  {total:>5}")
