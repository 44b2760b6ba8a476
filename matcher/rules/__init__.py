"""The eligibility rules, in the order their reasons are listed: one home per rule.

Each rule is a class in a module of this package (see ``base.EligibilityRule``): its check
over every pair at once, its rejection in plain English, its part of an uncovered
recipient's reasons and its name when an infeasibility diagnosis relaxes it. Candidates,
explanations, the diagnosis and the CLI read the rules only through this registry, so adding
a rule is one module, its pair of tests, and one line in ``RULES`` below.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .base import EligibilityRule, PairFacts, Row, Words
from .excluded import Excluded
from .geography import Distance, NoLocation, SameRegion
from .sector import Sector
from .size import NoIncome, NoSize, SizeRatio
from .status import NotMcSupporter, NotSupporter, RecipientNotPersistent

#: Every eligibility rule, in the order a pair's reasons are listed (a rule's bit is its position).
RULES: tuple[EligibilityRule, ...] = (
    NotSupporter(), NotMcSupporter(), RecipientNotPersistent(), Sector(), NoLocation(), Distance(), SameRegion(),
    NoSize(), SizeRatio(), NoIncome(), Excluded(),
)
BY_ID: dict[str, EligibilityRule] = {rule.id: rule for rule in RULES}
#: Each rule's bit in a pair's ``failed`` mask.
BIT: dict[str, int] = {rule.id: 1 << i for i, rule in enumerate(RULES)}
#: Rules that, when broken, mean the kind is simply not on offer for the pair.
NOT_AN_OPTION: int = sum(BIT[r.id] for r in RULES if r.not_an_option)
#: Rules an infeasibility diagnosis may lift for one recipient and kind.
RELAXABLE: tuple[EligibilityRule, ...] = tuple(r for r in RULES if r.relaxable)

__all__ = ["BIT", "BY_ID", "NOT_AN_OPTION", "RELAXABLE", "RULES", "EligibilityRule", "PairFacts", "Words",
           "check_all", "describe", "failed_rules", "no_eligible", "what_would_change"]


def check_all(facts: PairFacts) -> np.ndarray:
    """The ``failed`` bit mask of every pair: 0 where the pair is eligible."""
    failed = np.zeros(len(facts.kind), dtype=np.int64)
    for rule in RULES:
        failed |= np.where(rule.check(facts), BIT[rule.id], 0)
    return failed


def failed_rules(mask: int) -> list[str]:
    """The rule ids in a ``failed`` bit mask, in ``RULES`` order."""
    return [rule.id for rule in RULES if mask & BIT[rule.id]]


def describe(row: Row, words: Words) -> str:
    """Plain English for every rule a pair breaks, joined in ``RULES`` order."""
    return "; ".join(BY_ID[rule].reject(row, words) for rule in failed_rules(int(row["failed"])))


def no_eligible(options: pd.DataFrame, words: Words) -> str:
    """Why no supporter is eligible for a recipient, counted rule by rule over its buddying options."""
    buddy = options[options["kind"].eq("buddy")]
    ranked = sorted((r for r in RULES if r.summary_rank is not None), key=lambda r: r.summary_rank or 0)
    parts = [text for rule in ranked if (text := rule.summary(buddy, words, BIT))]
    if not parts:
        return "No supporter is eligible."
    return f"No supporter is eligible: of {buddy['supporter'].nunique()} supporters, " + "; ".join(parts) + "."


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
