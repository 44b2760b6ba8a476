"""The eligibility rules, in the order their reasons are listed: one home per rule.

Each rule is a class in a module of this package (see ``base.EligibilityRule``): its check
over every pair at once, its rejection in plain English, its part of an uncovered
recipient's reasons and its name when an infeasibility diagnosis relaxes it. Candidates,
explanations, the diagnosis and the CLI read the rules only through this registry, so adding
a rule is one module, its pair of tests, and one line in ``RULES`` below.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from .base import EligibilityRule, PairFacts, Row, Words
from .excluded import Excluded
from .geography import Distance, NoLocation, SameRegion
from .groups import GroupManagement, SameGroup
from .peers import PeerGroup
from .score import LowScore
from .size import NoIncome, Overload, SizeRatio, SupporterSize
from .status import NotMcSupporter, NotSupporter, RecipientNotPersistent

#: Every eligibility rule, in the order a pair's reasons are listed (a rule's bit is its position).
RULES: tuple[EligibilityRule, ...] = (
    NotSupporter(), NotMcSupporter(), RecipientNotPersistent(), PeerGroup(), SameGroup(), GroupManagement(),
    NoLocation(), Distance(), SameRegion(), SupporterSize(), SizeRatio(), Overload(), NoIncome(), Excluded(),
    LowScore(),
)
BY_ID: dict[str, EligibilityRule] = {rule.id: rule for rule in RULES}
#: Each rule's bit in a pair's ``failed`` mask.
BIT: dict[str, int] = {rule.id: 1 << i for i, rule in enumerate(RULES)}
#: Rules that, when broken, mean the kind is simply not on offer for the pair.
NOT_AN_OPTION: int = sum(BIT[r.id] for r in RULES if r.not_an_option)
#: Rules an infeasibility diagnosis may lift for one recipient and kind.
RELAXABLE: tuple[EligibilityRule, ...] = tuple(r for r in RULES if r.relaxable)

__all__ = ["BIT", "BY_ID", "NOT_AN_OPTION", "RELAXABLE", "RULES", "EligibilityRule", "PairFacts", "Words",
           "check_all", "check_scored", "describe", "failed_rules", "what_would_change"]


def check_all(facts: PairFacts) -> np.ndarray:
    """The ``failed`` bit mask of every pair for every rule that needs no score: 0 where it is eligible so far."""
    failed = np.zeros(len(facts.kind), dtype=np.int64)
    for rule in RULES:
        if not rule.needs_score:
            np.bitwise_or(failed, BIT[rule.id], out=failed, where=np.asarray(rule.check(facts), dtype=bool))
    return failed


def check_scored(facts: PairFacts, score: np.ndarray) -> np.ndarray:
    """The bits of the rules that read the score, for pairs whose ``score`` (points) is now known.

    ``facts`` gives the settings; its other arrays need not align with ``score``.
    """
    scored = replace(facts, kind=np.zeros(len(score), dtype=object), score=np.asarray(score))
    failed = np.zeros(len(score), dtype=np.int64)
    for rule in RULES:
        if rule.needs_score:
            failed |= np.where(rule.check(scored), BIT[rule.id], 0)
    return failed


def failed_rules(mask: int) -> list[str]:
    """The rule ids in a ``failed`` bit mask, in ``RULES`` order."""
    return [rule.id for rule in RULES if mask & BIT[rule.id]]


def describe(row: Row, words: Words) -> str:
    """Plain English for every rule a pair breaks, joined in ``RULES`` order."""
    return "; ".join(BY_ID[rule].reject(row, words) for rule in failed_rules(int(row["failed"])))


def what_would_change(options: pd.DataFrame, words: Words) -> list[str]:
    """For a recipient with no eligible supporter: the nearest option that breaks one liftable rule only."""
    out = []
    for rule in RULES:
        alone = options[options["failed"].eq(BIT[rule.id])]
        if alone.empty:
            continue
        text = rule.what_would_change(alone.sort_values("distance_km").iloc[0], words)
        if text:
            out.append(text)
    return out


def relaxation_needs(failed: Iterable[int]) -> list[list[str]]:
    """For each pair's mask, the relaxable rules it breaks (by id)."""
    return [[r.id for r in RELAXABLE if mask & BIT[r.id]] for mask in failed]
