"""The incentive payments and the budget of the configuration (DOMAIN §5)."""
from __future__ import annotations

from pydantic import Field

from .sections import _Section


class BuddyIncentive(_Section):
    """What a buddying supporter is paid (``incentives.buddy``)."""

    fixed: float = Field(default=250_000, ge=0, le=100_000_000)
    """Fixed annual payment to a buddying supporter, in GBP (up to 100,000,000)."""
    per_income: float = Field(default=0.001, ge=0, le=1)
    """Annual payment to a buddying supporter as a share of recipient estimated income (0 to 1)."""
    years: int = Field(default=2, ge=1, le=25)
    """Length of a buddying agreement, in years (1 to 25)."""


class Milestone(_Section):
    """A bonus of a management contract, budgeted at its expected cost."""

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
    """What a management-contract supporter is paid (``incentives.mc``)."""

    fee_share: float = Field(default=0.005, ge=0, le=1)
    """Annual management fee as a share of recipient estimated income (0 to 1)."""
    years: int = Field(default=5, ge=1, le=25)
    """Length of a management contract, in years (1 to 25)."""
    milestones: tuple[Milestone, ...] = Field(default_factory=_default_milestones, max_length=20)
    """Milestone bonuses of a management contract, each with an amount and an assumed probability (up to 20)."""


class Incentives(_Section):
    """Incentive payments, the budget they must fit in, and how income is estimated to price them."""

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
