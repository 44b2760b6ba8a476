"""Policy configuration: ``config.yaml`` loaded into a strict, frozen, typed model.

Every rule, weight and limit from the product specification lives here with its default
and a one-line description (the attribute docstring), which the README's config reference,
``check-config`` and the policy editor all show. Unknown keys, wrong types and out-of-range
values are reported together, each with its dotted key path, in plain English.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Iterator

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from . import safe_yaml
from .config_problems import problem_from, section_inside, yaml_problem
from .domain import Sector
from .errors import ConfigError, ConfigProblem
from .settings_sections import (BuddyIncentive, DomainWeights, Incentives, McIncentive, Metric, Milestone,  # noqa: F401
                                OversightWeights, Section, Weights, default_metrics)

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.yaml"


_Section = Section  # every section: unknown keys refused, values frozen


class Segments(_Section):
    intensive: tuple[int, ...] = Field(default=(4, 5), min_length=1)
    """Oversight segments (1 to 5) that count as intensive support (the Recovery Support Programme)."""
    supporter: tuple[int, ...] = Field(default=(1, 2), min_length=1)
    """Oversight segments a trust must be in to be a supporter."""
    outweighs_cqc: tuple[int, ...] = (1, 2)
    """Current segments that outweigh an older Requires improvement rating with weak well-led."""

    @field_validator("intensive", "supporter", "outweighs_cqc")
    @classmethod
    def _segments_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for segment in value:
            if not 1 <= segment <= 5:
                raise ValueError(f"must list segments from 1 to 5, got {segment}")
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> "Segments":
        overlap = set(self.intensive) & set(self.supporter)
        if overlap:
            raise ValueError(f"cannot list segment {min(overlap)} as both intensive and supporter")
        return self


class Persistent(_Section):
    min_inspections: int = Field(default=2, ge=1, le=10)
    """Persistent difficulty if in difficulty on each of this many latest inspections (1 to 10)."""
    min_months: int = Field(default=24, ge=1, le=120)
    """Persistent difficulty if in the intensive segment for at least this many months (1 to 120)."""
    history_events: tuple[Annotated[str, Field(max_length=60)], ...] = Field(default=("entered", "entry_recommended"),
                                                                             max_length=20)
    """Special-measures history events that count as having been placed in special measures before."""


class SupporterRules(_Section):
    max_rating_age_years: float = Field(default=5, gt=0, le=25)
    """A CQC rating younger than this must be Good or Outstanding (overall and well-led) for a supporter (up to 25 years)."""


class McSupporterRules(_Section):
    league_top_share: float = Field(default=0.15, gt=0, le=1)
    """Share of its oversight league table a segment 1 trust must be within to run management contracts (above 0, up to 1)."""
    league_segment: int = Field(default=1, ge=1, le=5)
    """Segment a trust must be in for the league-table route to management-contract supporter (1 to 5)."""


class Capacity(_Section):
    base_units: int = Field(default=2, ge=0, le=100)
    """Support units every supporter has, before any extra it declares (0 to 100)."""
    buddy_units: int = Field(default=1, ge=1, le=100)
    """Support units one buddying uses (1 to 100)."""
    mc_units: int = Field(default=2, ge=1, le=100)
    """Support units a management contract uses, times the recipient-to-supporter size ratio (rounded up; 1 to 100)."""
    max_size_ratio: float = Field(default=1.5, gt=0, le=100)
    """A supporter may not manage a trust more than this many times its own size (estimated income; up to 100)."""


class MaxDistanceKm(_Section):
    buddy: float = Field(default=200, gt=0, le=1000)
    """Longest great-circle distance between head offices for a buddying, in km (up to 1,000)."""
    management_contract: float = Field(default=80, gt=0, le=1000)
    """Longest great-circle distance between head offices for a management contract, in km (up to 1,000)."""


class Geography(_Section):
    same_region: bool = False
    """Only pair trusts in the same NHS England region."""
    distance_penalty_per_km: float = Field(default=0.005, ge=0, le=10)
    """Score taken off a pair for each km between head offices (0 to 10)."""


def _default_compatibility() -> dict[Sector, tuple[Sector, ...]]:
    return {
        Sector.ACUTE: (Sector.ACUTE, Sector.SPECIALIST),
        Sector.SPECIALIST: (Sector.SPECIALIST, Sector.ACUTE),
        Sector.MENTAL_HEALTH: (Sector.MENTAL_HEALTH, Sector.COMMUNITY),
        Sector.COMMUNITY: (Sector.COMMUNITY, Sector.MENTAL_HEALTH),
        Sector.AMBULANCE: (Sector.AMBULANCE,),
    }


class Sectors(_Section):
    compatible: dict[Sector, tuple[Sector, ...]] = Field(default_factory=_default_compatibility)
    """For each supporter sector, the recipient sectors it may support (combined trusts match as either sector)."""


_INT32_MAX = 2**31 - 1  # the solver's parameters are 32-bit


class Solver(_Section):
    time_limit_s: float = Field(default=30, gt=0, le=3600)
    """Time limit for each stage of the lexicographic solve, in seconds (up to 3,600)."""
    workers: int = Field(default=1, ge=1, le=64)
    """CP-SAT search workers; 1 is deterministic and fastest on national data (more use a slower deterministic interleaved search; 1 to 64)."""
    seed: int = Field(default=0, ge=0, le=_INT32_MAX)
    """Random seed, for reproducible plans (0 to 2,147,483,647)."""


class Rematch(_Section):
    disruption_budget: int | None = Field(default=None, ge=0, le=10_000)
    """Most pending offers a re-match may change (null for no limit); fewest changes is always the second objective (0 to 10,000)."""


class Settings(_Section):
    segments: Segments = Segments()
    """Which oversight segments mean what."""
    persistent: Persistent = Persistent()
    """When a trust in difficulty is in persistent difficulty."""
    supporter: SupporterRules = SupporterRules()
    """Who may be a supporter."""
    mc_supporter: McSupporterRules = McSupporterRules()
    """Who may run a management contract."""
    capacity: Capacity = Capacity()
    """Supporter capacity in support units."""
    max_distance_km: MaxDistanceKm = MaxDistanceKm()
    """Distance limits per kind of partnership."""
    geography: Geography = Geography()
    """Other geography rules."""
    sectors: Sectors = Sectors()
    """Which sectors may support which."""
    weights: Weights = Weights()
    """Fit and coverage weights."""
    metrics: dict[str, Metric] = Field(default_factory=default_metrics)
    """Performance metrics used in fit; names must be columns of the trust table."""
    must_match_intensive: bool = False
    """Force every intensive-segment recipient to be covered (the plan is infeasible if that is impossible)."""
    incentives: Incentives = Incentives()
    """Incentive payments and the budget."""
    solver: Solver = Solver()
    """Solver limits."""
    rematch: Rematch = Rematch()
    """Minimal-change re-match."""


#: Metric names the trust table provides (see ``matcher.trusts``).
KNOWN_METRICS = ("ae_4hr_pct", "rtt_18wk_pct", "staff_engagement", "shmi")


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate a config file; ``None`` reads the shipped ``config.yaml``.

    Raises:
        ConfigError: listing every problem with its key path, or the YAML syntax error's
            line and column. Nothing is returned on error.
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [ConfigProblem("", f"cannot read the file ({exc.strerror})")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path.name, [ConfigProblem("", f"cannot read the file: it is not UTF-8 text (byte {exc.start + 1} "
                                                        f"is {exc.object[exc.start:exc.start + 1]!r})")]) from None
    return parse_settings(text, source=path.name)


def parse_settings(text: str, source: str = "config") -> Settings:
    """Validate config text (YAML). See ``load_settings``."""
    try:
        raw = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigProblem("", yaml_problem(exc, text))]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, [ConfigProblem("", "the file must be a mapping of keys to values")])
    return settings_from_mapping(raw, source)


def settings_from_mapping(raw: dict[str, Any], source: str = "config") -> Settings:
    """Validate an already-parsed mapping. See ``load_settings``."""
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(source, [problem_from(error, Settings) for error in exc.errors()]) from None
    unknown = sorted(set(settings.metrics) - set(KNOWN_METRICS))
    if unknown:
        raise ConfigError(
            source,
            [ConfigProblem(f"metrics.{name}", f"is not a known metric; known metrics are {', '.join(KNOWN_METRICS)}")
             for name in unknown],
        )
    return settings


def iter_keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every documented key path with its description, depth first (for docs and forms).

    Entries of a named mapping are shown as ``metrics.<name>.weight`` and items of a list
    of sections as ``incentives.mc.milestones[].amount_gbp``.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, field.description or ""
        inner, suffix = section_inside(field.annotation)
        if inner is not None:
            yield from iter_keys(inner, path + suffix)


def settings_to_yaml(settings: Settings) -> str:
    """The settings as YAML text (the canonical form used for hashing and saving scenarios)."""
    return yaml.safe_dump(settings.model_dump(mode="json"), sort_keys=False)
