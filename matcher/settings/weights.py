"""The fit and coverage weights of the configuration (DOMAIN §3-§4)."""
from __future__ import annotations

from pydantic import Field

from .sections import _Section


class DomainWeights(_Section):
    """Fit weight of each CQC key question (``weights.domain``)."""

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


class OversightWeights(_Section):
    """Fit weight of each oversight domain (``weights.oversight_domain``)."""

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


class Metric(_Section):
    """A performance metric in fit: which way is better, and its weight (``metrics.<name>``)."""

    higher_is_better: bool
    """Whether a higher value of this metric is better."""
    weight: float = Field(default=0.5, ge=0, le=100)
    """Fit weight of this metric, on a 0 to 1 percentile scale (0 to 100)."""


def _default_metrics() -> dict[str, Metric]:
    return {
        "ae_4hr_pct": Metric(higher_is_better=True),
        "rtt_18wk_pct": Metric(higher_is_better=True),
        "staff_engagement": Metric(higher_is_better=True),
        "shmi": Metric(higher_is_better=False),
    }


class Weights(_Section):
    """Fit and coverage weights (``weights``): what makes a good pair and whose cover matters most."""

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
    track_record: float = Field(default=0, ge=0, le=100)
    """Fit for each of a supporter's past agreements that ended with the recipient out of difficulty, less the same for each that ended with it still in difficulty (a policy lever; 0 leaves track record out; 0 to 100)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    buddy_for_persistent: float = Field(default=0.5, ge=0, le=1)
    """Share of coverage a buddying earns for a recipient in persistent difficulty (a management contract earns all; 0 to 1)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
