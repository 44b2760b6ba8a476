"""Trust decisions on published offers (``supporter,recipient,kind,decision``) and a previous plan.

Accepted offers become locks, declined offers become exclusions (of that supporter for that
recipient under either kind; see ``matcher.rematch``), and pending offers are the ones a
re-match should change as little as possible.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..domain import KINDS, Exclusion, Pair
from ..errors import InputError, Problem
from ..rematch import Rematch
from .columns import Column, TableSpec
from .readers import read_table

DECISIONS_FILE = TableSpec(
    title="decisions",
    columns=(
        Column("supporter", "code", nullable=False),
        Column("recipient", "code", nullable=False),
        Column("kind", "choice", nullable=False, choices=KINDS),
        Column("decision", "choice", nullable=False, choices=("accepted", "declined", "pending")),
        Column("reason", required=False),
    ),
)


def load_decisions(path: str | Path) -> tuple[tuple[Pair, ...], tuple[Exclusion, ...], tuple[Pair, ...]]:
    """Read a decisions file into (locks, exclusions, pending pairs).

    Raises:
        InputError: bad cells, or the same offer decided twice, each located.
    """
    frame = read_table(path, DECISIONS_FILE)
    name = Path(path).name
    seen: dict[Pair, int] = {}
    problems = []
    locks, exclusions, pending = [], [], []
    for row in frame.itertuples():
        pair = Pair(row.supporter, row.recipient, row.kind)
        if pair in seen:
            problems.append(Problem(name, f"the offer {pair} is decided twice (first on row {seen[pair]})",
                                    row.source_row, "decision"))
            continue
        seen[pair] = row.source_row
        if row.decision == "accepted":
            locks.append(pair)
        elif row.decision == "declined":
            why = getattr(row, "reason", None) or "the offer was declined"
            exclusions.append(Exclusion(pair.supporter, pair.recipient, None, f"declined: {why}"
                                        if getattr(row, "reason", None) else why))
        else:
            pending.append(pair)
    if problems:
        raise InputError(problems)
    return tuple(locks), tuple(exclusions), tuple(pending)


def load_previous_pairs(path: str | Path) -> tuple[Pair, ...]:
    """The partnerships of a previous plan (the JSON written by ``propose --format json``)."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        pairs = tuple(Pair(p["supporter"], p["recipient"], p["kind"]) for p in data["pairs"])
    except FileNotFoundError:
        raise InputError([Problem(name, "the previous plan file is missing")]) from None
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read the previous plan file ({exc.strerror})")]) from None
    except (ValueError, KeyError, TypeError, RecursionError) as exc:  # ValueError: bad JSON or not UTF-8
        raise InputError([Problem(name, f"is not a plan written by 'propose --format json' ({exc})")]) from None
    if not all(isinstance(part, str) for p in pairs for part in (p.supporter, p.recipient, p.kind)):
        raise InputError([Problem(name, "is not a plan written by 'propose --format json' "
                                        "(a pair's codes are not text)")])
    return pairs


def load_rematch(decisions: str | Path | None, previous: str | Path | None) -> Rematch:
    """The re-match inputs from files: the decisions CSV and the previous plan (either may be absent).

    Every pair of the previous plan that is not answered in the decisions is pending.

    Raises:
        InputError: a bad decisions file or previous plan, located.
    """
    locks, exclusions, pending = load_decisions(decisions) if decisions else ((), (), ())
    earlier = load_previous_pairs(previous) if previous else ()
    return Rematch.from_answers(accepted=locks, declined=exclusions, pending=pending, previous=earlier)
