"""Reading OR-Library GAP files, checking every number and naming problems as optima.csv does.

File format (whitespace-separated integers; line breaks carry no meaning): the number of
problems P, then for each problem the agents m and jobs n, the m x n costs, the m x n
resource uses and the m capacities.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import InputError, Problem
from .instance import GapInstance

#: Stop listing words that are not whole numbers after this many.
MAX_LISTED = 5


def default_sense(path: str | Path) -> str:
    """``max`` for OR-Library's gap1..gap12 (published as profit maximisation), ``min`` otherwise."""
    return "max" if re.fullmatch(r"gap\d+", Path(path).stem) else "min"


def instance_name(stem: str, number: int, agents: int, jobs: int) -> str:
    """The name used in optima.csv: ``gap1-3`` for gap1..gap12, ``c10200`` for gapa..gape (m=10, n=200)."""
    if re.fullmatch(r"gap[a-z]", stem):
        return f"{stem[3]}{agents:02d}{jobs}"
    return f"{stem}-{number}"


def read_gap(path: str | Path) -> tuple[GapInstance, ...]:
    """Read every problem in an OR-Library GAP file.

    Raises:
        InputError: naming the file and what is wrong (unreadable, not whole numbers,
            sizes below 1, negative uses or capacities, too few or too many numbers).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError([Problem(path.name, f"cannot be read ({reason})")]) from None
    return parse_gap(text, path.name, path.stem)


def parse_gap(text: str, file: str, stem: str) -> tuple[GapInstance, ...]:
    """Parse the text of a GAP file; ``file`` names it in messages, ``stem`` names its problems."""
    numbers = _whole_numbers(text, file)
    if not numbers:
        raise InputError([Problem(file, "the file is empty; it should start with the number of problems")])

    def fail(message: str) -> InputError:
        return InputError([Problem(file, message)])

    count, at = numbers[0], 1
    if count < 1:
        raise fail(f"the number of problems is {count}; it must be at least 1")
    instances = []
    for number in range(1, count + 1):
        if at + 2 > len(numbers):
            raise fail(f"the file ends before the sizes of problem {number} (it says it has {count} problems)")
        m, n = numbers[at], numbers[at + 1]
        for size, what in ((m, "agents"), (n, "jobs")):
            if size < 1:
                raise fail(f"problem {number} has {size} {what}; there must be at least 1")
        at += 2
        needed = 2 * m * n + m
        if at + needed > len(numbers):
            raise fail(f"problem {number} ({m} agents x {n} jobs) needs {needed} numbers after its sizes "
                       f"(costs, resource uses and capacities) but the file has only {len(numbers) - at} left")
        block = np.array(numbers[at:at + needed], dtype=np.int64)
        at += needed
        cost, use, capacity = block[:m * n].reshape(m, n), block[m * n:2 * m * n].reshape(m, n), block[2 * m * n:]
        if (use < 0).any() or (capacity < 0).any():
            raise fail(f"problem {number} has a negative resource use or capacity; they must be 0 or more")
        instances.append(GapInstance(instance_name(stem, number, m, n), cost, use, capacity))
    if at < len(numbers):
        raise fail(f"there are {len(numbers) - at} numbers after the last of the {count} problems; "
                   "is the number of problems right?")
    return tuple(instances)


def _whole_numbers(text: str, file: str) -> list[int]:
    """Every word of the text as an integer, or an InputError listing the words that are not."""
    numbers, bad = [], []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for word in line.split():
            try:
                numbers.append(int(word))
            except ValueError:
                bad.append(Problem(file, f"line {line_number}: '{word}' is not a whole number"))
    if bad:
        listed = bad[:MAX_LISTED]
        if len(bad) > MAX_LISTED:
            listed.append(Problem(file, f"... and {len(bad) - MAX_LISTED} more words that are not whole numbers"))
        raise InputError(listed)
    return numbers
