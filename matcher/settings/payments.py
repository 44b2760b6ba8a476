"""The incentive payments and the budget of the configuration (DOMAIN §5)."""
from __future__ import annotations

from pydantic import Field

from .sections import _Section


class BuddyIncentive(_Section):
    """Payments for a buddying.

    Calibrated on the one published figure: Monitor paid about 148k per buddy trust for about seven months
    in 2013/14, with a bonus of up to 100% of costs for leaving special measures.
    """

    fixed: float = Field(default=250_000, ge=0, le=100_000_000)
    """Fixed annual payment to a buddying supporter, in GBP (a policy choice; up to 100,000,000)."""
    per_income: float = Field(default=0.0, ge=0, le=1)
    """Annual payment to a buddying supporter as a share of recipient estimated income (a policy choice; 0 to 1)."""
    years: int = Field(default=2, ge=1, le=25)
    """Length of a buddying agreement, in years (1 to 25)."""
    exit_bonus_share: float = Field(default=1.0, ge=0, le=10)
    """One-off bonus, a share of the annual fixed fee, if the recipient leaves difficulty within the term (0 to 10)."""
    exit_bonus_probability: float = Field(default=0.4, ge=0, le=1)
    """Assumed chance the recipient leaves difficulty within the term, to budget the expected exit bonus (0 to 1)."""


class Milestone(_Section):
    """A milestone bonus of a management contract (``incentives.management_contract.milestones``)."""

    name: str = Field(min_length=1, max_length=200)
    """What must happen for the bonus to be paid."""
    amount_gbp: float = Field(ge=0, le=100_000_000)
    """Bonus paid when the milestone is reached, in GBP (up to 100,000,000)."""
    probability: float = Field(ge=0, le=1)
    """Assumed chance the milestone is reached within the term, used to budget the expected cost (0 to 1)."""


def _default_milestones() -> tuple[Milestone, ...]:
    return (
        Milestone(name="out of the intensive segment", amount_gbp=500_000, probability=0.5),
        Milestone(name="overall rating up one step", amount_gbp=250_000, probability=0.4),
        Milestone(name="overall Good", amount_gbp=500_000, probability=0.25),
    )


class McIncentive(_Section):
    """Payments for a management contract (``incentives.management_contract``)."""

    fee_share: float = Field(default=0.005, ge=0, le=1)
    """Annual management fee as a share of recipient estimated income (0 to 1)."""
    years: int = Field(default=5, ge=1, le=25)
    """Length of a management contract, in years (1 to 25)."""
    milestones: tuple[Milestone, ...] = Field(default_factory=_default_milestones, max_length=20)
    """Milestone bonuses of a management contract, each with an amount and an assumed probability (up to 20)."""


class Incentives(_Section):
    """The incentive payments and their budget (``incentives``)."""

    annual_budget_gbp_m: float = Field(default=35, ge=0, le=10_000)
    """Budget for the annual incentive payments of all chosen partnerships, in GBP millions (up to 10,000)."""
    cost_to_income_ratio: float = Field(default=0.875, gt=0, le=2)
    """Estimated income = National Cost Collection total cost divided by this ratio (above 0, up to 2)."""
    income_per_fte_gbp: float = Field(default=100_000, gt=0, le=10_000_000)
    """Estimated income per workforce FTE, used where no cost figure exists (up to 10,000,000)."""
    fte_correction: float = Field(default=0.5, gt=0, le=1)
    """Multiplier on the shipped workforce FTE column, which is about twice the real FTE (above 0, up to 1)."""
    buddy: BuddyIncentive = BuddyIncentive()
    """Payments for a buddying."""
    mc: McIncentive = McIncentive()
    """Payments for a management contract."""
