"""The whole configuration: every section, the solver limits and the re-match rules, in one frozen model."""
from __future__ import annotations

from pydantic import Field

from .levers import Lever
from .pairing import Capacity, Geography, GroupRules, MaxDistanceKm, MaxSizeRatio, PeerGroups
from .payments import Incentives
from .sections import McSupporterRules, Persistent, RecipientRules, Segments, SupporterRules, _Section
from .weights import Metric, Weights, _default_metrics

_INT32_MAX = 2**31 - 1  # the solver's parameters are 32-bit


class Solver(_Section):
    """Solver limits (``solver``): reproducible by default, at the price of one worker."""

    time_limit_s: float = Field(default=30, gt=0, le=3600)
    """Time limit for each stage of the lexicographic solve, in seconds (up to 3,600)."""
    workers: int = Field(default=1, ge=1, le=64)
    """CP-SAT search workers; 1 is deterministic and fastest on national data (more use a slower deterministic interleaved search; 1 to 64)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    seed: int = Field(default=0, ge=0, le=_INT32_MAX)
    """Random seed, for reproducible plans (0 to 2,147,483,647)."""
    hold_tolerance: float = Field(default=0, ge=0, le=0.05)
    """Share of an earlier stage's value each later stage may give up (coverage first); 0 keeps the strict order (0 to 0.05)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form


class RematchRules(_Section):
    """How much a re-match may change pending offers (``rematch``)."""

    disruption_budget: int | None = Field(default=None, ge=0, le=10_000)
    """Most pending offers a re-match may change (null for no limit); fewest changes is always the second objective (0 to 10,000)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form


class Settings(_Section):
    """The whole policy configuration: ``config.yaml`` or a scenario, checked as it is read."""

    segments: Segments = Segments()
    """Which oversight segments mean what."""
    recipient: RecipientRules = RecipientRules()
    """Which data may make a trust a recipient."""
    persistent: Persistent = Persistent()
    """When a trust in difficulty is in persistent difficulty."""
    supporter: SupporterRules = SupporterRules()
    """Who may be a supporter."""
    mc_supporter: McSupporterRules = McSupporterRules()
    """Who may run a management contract."""
    peer_groups: PeerGroups = PeerGroups()
    """Which peer groups may support which."""
    capacity: Capacity = Capacity()
    """Supporter capacity in support units, by size, and the load limit."""
    max_size_ratio: MaxSizeRatio = MaxSizeRatio()
    """How much larger than its supporter one recipient may be, per kind of partnership."""
    max_distance_km: MaxDistanceKm = MaxDistanceKm()
    """Distance limits per kind of partnership."""
    geography: Geography = Geography()
    """Other geography rules and preferences, and the spread between one supporter's recipients."""
    groups: GroupRules = GroupRules()
    """How existing groups of trusts shape the plan."""
    weights: Weights = Weights()
    """Fit and coverage weights."""
    metrics: dict[str, Metric] = Field(default_factory=_default_metrics)
    """Performance metrics used in fit; names must be columns of the trust table."""
    must_match_intensive: bool = False
    """Force every intensive-segment recipient to be covered (the plan is infeasible if that is impossible)."""
    incentives: Incentives = Incentives()
    """Incentive payments and the budget."""
    solver: Solver = Solver()
    """Solver limits."""
    rematch: RematchRules = RematchRules()
    """Minimal-change re-match."""
    levers: tuple[Lever, ...] = Field(default=(), max_length=20)
    """Policy levers of this scenario, tried on top of the built-in ones on the "What would cover more" page (up to 20)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form


#: Metric names the trust table provides (see ``matcher.trusts``).
KNOWN_METRICS = ("ae_4hr_pct", "rtt_18wk_pct", "staff_engagement", "shmi")
