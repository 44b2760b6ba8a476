"""The exceptions this package raises, each carrying every problem it found.

Problems are collected and raised once, so a user fixes a file or a config in one go
instead of one error per attempt. Each problem says where it is (file, row, column
or config key path) in words a policy officer can act on.
"""
from __future__ import annotations

import reprlib
from dataclasses import dataclass


class BuddyingError(Exception):
    """Base class for every error the matcher reports to a user."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    ``row`` is the spreadsheet row number (the header is row 1, so the first record is
    row 2) and is ``None`` for problems with the file as a whole, such as a missing column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _bounded(self.message))
        if self.column is not None:
            object.__setattr__(self, "column", _bounded(self.column, EXCERPT_LIMIT))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(BuddyingError):
    """One or more problems in input data files; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems as a bullet list, headed by how many there are."""
        count = len(self.problems)
        head = "There is a problem with the data" if count == 1 else f"There are {count} problems with the data"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a configuration, located by its dotted key path."""

    key: str
    message: str

    def __post_init__(self) -> None:
        # A key path can be a hostile input's own key, and a message may quote a value: both are cut.
        object.__setattr__(self, "key", _bounded(self.key, 2 * EXCERPT_LIMIT))
        object.__setattr__(self, "message", _bounded(self.message))

    def __str__(self) -> str:
        return f"{self.key} {self.message}" if self.key else self.message


class ConfigError(BuddyingError):
    """One or more problems in a configuration file; the configuration was not used."""

    def __init__(self, source: str, problems: list[ConfigProblem]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems as a bullet list naming the file they came from."""
        count = len(self.problems)
        head = f"There is a problem in {self.source}" if count == 1 else f"There are {count} problems in {self.source}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


#: Longest excerpt of someone's input that a message quotes (a message never echoes a whole input).
EXCERPT_LIMIT = 60
#: Longest message or key a problem keeps.
MESSAGE_LIMIT = 400
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = EXCERPT_LIMIT
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3


def excerpt(value: object) -> str:
    """A short ``repr`` of an input value for a message: ``'abc'``, ``[1, 2, ...]``, ``'aaaa...aaaa'``.

    Built without walking the whole value (``reprlib``), then cut to ``EXCERPT_LIMIT``
    characters, so quoting a huge or deeply nested input costs nothing and says little.
    """
    text = _REPR.repr(value)
    return text if len(text) <= EXCERPT_LIMIT else text[:EXCERPT_LIMIT - 3] + "..."


def _bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
