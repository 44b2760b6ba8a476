"""The weights and incentives sections of the configuration model (``matcher.settings`` holds the rest).

Each field carries its default, its range and a one-line description (the attribute docstring),
which the README's config reference, ``check-config`` and the policy editor all show.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """Base for every config section: unknown keys rejected, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


class DomainWeights(Section):
    safe: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the CQC key question safe (0 to 100)."""
    effective: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the CQC key question effective (0 to 100)."""
    caring: float = Field(default=0.5, ge=0, le=100)
    """Fit weight of the CQC key question caring (0 to 100)."""
    responsive: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the CQC key question responsive (0 to 100)."""
    well_led: float = Field(default=1.5, ge=0, le=100)
    """Fit weight of the CQC key question well-led (0 to 100)."""


class OversightWeights(Section):
    access: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the oversight domain access (0 to 100)."""
    effectiveness_experience: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the oversight domain effectiveness and experience (0 to 100)."""
    finance_productivity: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the oversight domain finance and productivity (0 to 100)."""
    patient_safety: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the oversight domain patient safety (0 to 100)."""
    people_workforce: float = Field(default=1.0, ge=0, le=100)
    """Fit weight of the oversight domain people and workforce (0 to 100)."""


class Metric(Section):
    higher_is_better: bool
    """Whether a higher value of this metric is better."""
    weight: float = Field(default=0.5, ge=0, le=100)
    """Fit weight of this metric, on a 0 to 1 percentile scale (0 to 100)."""


def default_metrics() -> dict[str, Metric]:
    return {
        "ae_4hr_pct": Metric(higher_is_better=True),
        "rtt_18wk_pct": Metric(higher_is_better=True),
        "staff_engagement": Metric(higher_is_better=True),
        "shmi": Metric(higher_is_better=False),
    }


class Weights(Section):
    domain: DomainWeights = DomainWeights()
    """Fit weights per CQC key question (only where the recipient is Requires improvement or worse)."""
    oversight_domain: OversightWeights = OversightWeights()
    """Fit weights per oversight domain segment (only where the recipient's segment is 3 or worse)."""
    stale_rating_discount: float = Field(default=0.5, ge=0, le=1)
    """Multiplier on CQC fit terms when either trust's rating is older than supporter.max_rating_age_years (0 to 1)."""
    size_similarity_bonus: float = Field(default=1.0, ge=0, le=100)
    """Fit bonus for trusts of equal size, falling to 0 as the size ratio grows (0 to 100)."""
    severity: float = Field(default=3, ge=1, le=100)
    """Coverage weight of a recipient rated Inadequate or in the intensive segment (others count 1; 1 to 100)."""
    persistent: float = Field(default=8, ge=1, le=100)
    """Coverage weight of a recipient in persistent difficulty (the worst state there is; 1 to 100)."""
    buddy_for_persistent: float = Field(default=0.5, ge=0, le=1)
    """Share of coverage a buddying earns for a recipient in persistent difficulty (a management contract earns all; 0 to 1)."""


class BuddyIncentive(Section):
    fixed: float = Field(default=250_000, ge=0, le=100_000_000)
    """Fixed annual payment to a buddying supporter, in GBP (up to 100,000,000)."""
    per_income: float = Field(default=0.001, ge=0, le=1)
    """Annual payment to a buddying supporter as a share of recipient estimated income (0 to 1)."""
    years: int = Field(default=2, ge=1, le=25)
    """Length of a buddying agreement, in years (1 to 25)."""


class Milestone(Section):
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


class McIncentive(Section):
    fee_share: float = Field(default=0.005, ge=0, le=1)
    """Annual management fee as a share of recipient estimated income (0 to 1)."""
    years: int = Field(default=5, ge=1, le=25)
    """Length of a management contract, in years (1 to 25)."""
    milestones: tuple[Milestone, ...] = Field(default_factory=_default_milestones, max_length=20)
    """Milestone bonuses of a management contract, each with an amount and an assumed probability (up to 20)."""


class Incentives(Section):
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
