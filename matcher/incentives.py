"""Incentive payments (DOMAIN §5): what a supporter is paid per year and over the whole term."""
from __future__ import annotations

import numpy as np

from .domain import Kind
from .settings import Incentives


def expected_milestones_gbp(rules: Incentives) -> float:
    """Expected value of a management contract's milestone bonuses over its whole term."""
    return sum(m.amount_gbp * m.probability for m in rules.mc.milestones)


def expected_exit_bonus_gbp(rules: Incentives) -> float:
    """Expected value of a buddying's exit bonus.

    A share of the annual fixed fee, paid once if the recipient leaves difficulty within the term, at its
    assumed probability.
    """
    return rules.buddy.exit_bonus_share * rules.buddy.fixed * rules.buddy.exit_bonus_probability


def incentive_gbp(kind: np.ndarray, recipient_income: np.ndarray, rules: Incentives) -> tuple[np.ndarray, np.ndarray]:
    """Annual and whole-term payment for each (kind, recipient income); NaN where income is unknown.

    Buddying: fixed + share of income, per year, for ``buddy.years``, plus the expected exit
    bonus. Management contract: a fee share of income per year for ``mc.years``, plus the
    expected milestone bonuses. One-off bonuses are spread evenly over the term in the annual
    figure, so the budget carries them.
    """
    kind = np.asarray(kind)
    income = np.asarray(recipient_income, float)
    exit_bonus_annual = expected_exit_bonus_gbp(rules) / rules.buddy.years
    buddy_annual = rules.buddy.fixed + rules.buddy.per_income * income + exit_bonus_annual
    mc_annual = rules.mc.fee_share * income + expected_milestones_gbp(rules) / rules.mc.years
    annual = np.where(kind == Kind.BUDDY, buddy_annual, mc_annual)
    years = np.where(kind == Kind.BUDDY, rules.buddy.years, rules.mc.years)
    return annual, annual * years
