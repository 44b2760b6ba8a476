"""Policy configuration: ``config.yaml`` loaded into a strict, frozen, typed model.

Every rule, weight and limit from the product specification lives here with its default
and a one-line description (the attribute docstring), which the README's config reference,
``check-config`` and the policy editor all show. Unknown keys, wrong types and out-of-range
values are reported together, each with its dotted key path, in plain English.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterator, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .domain import Sector
from .errors import ConfigError, ConfigProblem

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.yaml"


class _Section(BaseModel):
    """Base for every config section: unknown keys rejected, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


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
    min_inspections: int = Field(default=2, ge=1)
    """Persistent difficulty if in difficulty on each of this many latest inspections."""
    min_months: int = Field(default=24, ge=1)
    """Persistent difficulty if in the intensive segment for at least this many months."""
    history_events: tuple[str, ...] = ("entered", "entry_recommended")
    """Special-measures history events that count as having been placed in special measures before."""


class SupporterRules(_Section):
    max_rating_age_years: float = Field(default=5, gt=0)
    """A CQC rating younger than this must be Good or Outstanding (overall and well-led) for a supporter."""


class McSupporterRules(_Section):
    league_top_share: float = Field(default=0.15, gt=0, le=1)
    """Share of its oversight league table a segment 1 trust must be within to run management contracts."""
    league_segment: int = Field(default=1, ge=1, le=5)
    """Segment a trust must be in for the league-table route to management-contract supporter."""


class Capacity(_Section):
    base_units: int = Field(default=2, ge=0)
    """Support units every supporter has, before any extra it declares."""
    buddy_units: int = Field(default=1, ge=1)
    """Support units one buddying uses."""
    mc_units: int = Field(default=2, ge=1)
    """Support units a management contract uses, times the recipient-to-supporter size ratio (rounded up)."""
    max_size_ratio: float = Field(default=1.5, gt=0)
    """A supporter may not manage a trust more than this many times its own size (estimated income)."""


class MaxDistanceKm(_Section):
    buddy: float = Field(default=200, gt=0)
    """Longest great-circle distance between head offices for a buddying, in km."""
    management_contract: float = Field(default=80, gt=0)
    """Longest great-circle distance between head offices for a management contract, in km."""


class Geography(_Section):
    same_region: bool = False
    """Only pair trusts in the same NHS England region."""
    distance_penalty_per_km: float = Field(default=0.005, ge=0)
    """Score taken off a pair for each km between head offices."""


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


class DomainWeights(_Section):
    safe: float = Field(default=1.0, ge=0)
    """Fit weight of the CQC key question safe."""
    effective: float = Field(default=1.0, ge=0)
    """Fit weight of the CQC key question effective."""
    caring: float = Field(default=0.5, ge=0)
    """Fit weight of the CQC key question caring."""
    responsive: float = Field(default=1.0, ge=0)
    """Fit weight of the CQC key question responsive."""
    well_led: float = Field(default=1.5, ge=0)
    """Fit weight of the CQC key question well-led."""


class OversightWeights(_Section):
    access: float = Field(default=1.0, ge=0)
    """Fit weight of the oversight domain access."""
    effectiveness_experience: float = Field(default=1.0, ge=0)
    """Fit weight of the oversight domain effectiveness and experience."""
    finance_productivity: float = Field(default=1.0, ge=0)
    """Fit weight of the oversight domain finance and productivity."""
    patient_safety: float = Field(default=1.0, ge=0)
    """Fit weight of the oversight domain patient safety."""
    people_workforce: float = Field(default=1.0, ge=0)
    """Fit weight of the oversight domain people and workforce."""


class Metric(_Section):
    higher_is_better: bool
    """Whether a higher value of this metric is better."""
    weight: float = Field(default=0.5, ge=0)
    """Fit weight of this metric, on a 0 to 1 percentile scale."""


def _default_metrics() -> dict[str, Metric]:
    return {
        "ae_4hr_pct": Metric(higher_is_better=True),
        "rtt_18wk_pct": Metric(higher_is_better=True),
        "staff_engagement": Metric(higher_is_better=True),
        "shmi": Metric(higher_is_better=False),
    }


class Weights(_Section):
    domain: DomainWeights = DomainWeights()
    """Fit weights per CQC key question (only where the recipient is Requires improvement or worse)."""
    oversight_domain: OversightWeights = OversightWeights()
    """Fit weights per oversight domain segment (only where the recipient's segment is 3 or worse)."""
    stale_rating_discount: float = Field(default=0.5, ge=0, le=1)
    """Multiplier on CQC fit terms when either trust's rating is older than supporter.max_rating_age_years."""
    size_similarity_bonus: float = Field(default=1.0, ge=0)
    """Fit bonus for trusts of equal size, falling to 0 as the size ratio grows."""
    severity: float = Field(default=3, ge=1)
    """Coverage weight of a recipient rated Inadequate or in the intensive segment (others count 1)."""
    persistent: float = Field(default=8, ge=1)
    """Coverage weight of a recipient in persistent difficulty (the worst state there is)."""
    buddy_for_persistent: float = Field(default=0.5, ge=0, le=1)
    """Share of coverage a buddying earns for a recipient in persistent difficulty (a management contract earns all)."""


class BuddyIncentive(_Section):
    fixed: float = Field(default=250_000, ge=0)
    """Fixed annual payment to a buddying supporter, in GBP."""
    per_income: float = Field(default=0.001, ge=0, le=1)
    """Annual payment to a buddying supporter as a share of recipient estimated income."""
    years: int = Field(default=2, ge=1)
    """Length of a buddying agreement, in years."""


class Milestone(_Section):
    name: str = Field(min_length=1)
    """What must happen for the bonus to be paid."""
    amount_gbp: float = Field(ge=0)
    """Bonus paid when the milestone is reached, in GBP."""
    probability: float = Field(ge=0, le=1)
    """Assumed chance the milestone is reached within the term, used to budget the expected cost."""


def _default_milestones() -> tuple[Milestone, ...]:
    return (
        Milestone(name="out of the intensive segment", amount_gbp=500_000, probability=0.5),
        Milestone(name="overall rating up one step", amount_gbp=250_000, probability=0.4),
        Milestone(name="overall Good", amount_gbp=500_000, probability=0.25),
    )


class McIncentive(_Section):
    fee_share: float = Field(default=0.005, ge=0, le=1)
    """Annual management fee as a share of recipient estimated income."""
    years: int = Field(default=5, ge=1)
    """Length of a management contract, in years."""
    milestones: tuple[Milestone, ...] = Field(default_factory=_default_milestones)
    """Milestone bonuses of a management contract, each with an amount and an assumed probability."""


class Incentives(_Section):
    annual_budget_gbp_m: float = Field(default=35, ge=0)
    """Budget for the annual incentive payments of all chosen partnerships, in GBP millions."""
    cost_to_income_ratio: float = Field(default=0.875, gt=0, le=2)
    """Estimated income = National Cost Collection total cost divided by this ratio."""
    income_per_fte_gbp: float = Field(default=100_000, gt=0)
    """Estimated income per workforce FTE, used where no cost figure exists."""
    fte_correction: float = Field(default=0.5, gt=0, le=1)
    """Multiplier on the shipped workforce FTE column, which is about twice the real FTE."""
    buddy: BuddyIncentive = BuddyIncentive()
    """Payments for a buddying."""
    mc: McIncentive = McIncentive()
    """Payments for a management contract."""


_INT32_MAX = 2**31 - 1  # the solver's parameters are 32-bit


class Solver(_Section):
    time_limit_s: float = Field(default=30, gt=0)
    """Time limit for each stage of the lexicographic solve, in seconds."""
    workers: int = Field(default=1, ge=1, le=_INT32_MAX)
    """CP-SAT search workers; 1 is deterministic and fastest on national data (more use a slower deterministic interleaved search)."""
    seed: int = Field(default=0, ge=0, le=_INT32_MAX)
    """Random seed, for reproducible plans."""


class Rematch(_Section):
    disruption_budget: int | None = Field(default=None, ge=0)
    """Most pending offers a re-match may change (null for no limit); fewest changes is always the second objective."""


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
    metrics: dict[str, Metric] = Field(default_factory=_default_metrics)
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
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigProblem("", _yaml_problem(exc, text))]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, [ConfigProblem("", "the file must be a mapping of keys to values")])
    return settings_from_mapping(raw, source)


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """A YAML error as ``line L, column C: what is wrong`` (a bad character has no mark, only a position)."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        found = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return f"line {line}, column {column}: {exc.reason} (found {found!r})"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else "line 1, column 1: "
    return f"{where}{getattr(exc, 'problem', None) or 'not valid YAML'}"


def settings_from_mapping(raw: dict[str, Any], source: str = "config") -> Settings:
    """Validate an already-parsed mapping. See ``load_settings``."""
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(source, [_problem_from(error) for error in exc.errors()]) from None
    unknown = sorted(set(settings.metrics) - set(KNOWN_METRICS))
    if unknown:
        raise ConfigError(
            source,
            [ConfigProblem(f"metrics.{name}", f"is not a known metric; known metrics are {', '.join(KNOWN_METRICS)}")
             for name in unknown],
        )
    return settings


def _problem_from(error: dict[str, Any]) -> ConfigProblem:
    """Turn one pydantic error into a located, plain-English problem."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind in ("extra_forbidden", "invalid_key"):
        name = loc[-1] if not isinstance(loc[-1], str) or (loc[-1] and loc[-1].strip() == loc[-1]) else repr(loc[-1])
        key = _key_path((*loc[:-1], name, "[key]"))  # the last part is a key even when it is a number or blank
        return ConfigProblem(key, "is not a known key" + (_did_you_mean(loc) if kind == "extra_forbidden" else ""))
    key = _key_path(loc)
    if loc and loc[-1] == "[key]" and kind == "string_type":
        return ConfigProblem(key, f"must be named with text, got {loc[-2]!r}")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return ConfigProblem(key, f"must be {op} {bound:g}, got {value!r}" if isinstance(bound, float)
                             else f"must be {op} {bound}, got {value!r}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return ConfigProblem(key, f"must be a whole number, got {value!r}")
    if kind == "finite_number":
        return ConfigProblem(key, f"must be a finite number, got {value!r}")
    if kind in ("float_type", "float_parsing"):
        return ConfigProblem(key, f"must be a number, got {value!r}")
    if kind in ("bool_type", "bool_parsing"):
        return ConfigProblem(key, f"must be true or false, got {value!r}")
    if kind == "enum":
        return ConfigProblem(key, f"must be one of {ctx.get('expected')}, got {value!r}")
    if kind == "missing":
        return ConfigProblem(key, "is required")
    if kind in ("model_type", "dict_type"):
        return ConfigProblem(key, f"must be a section of keys and values, got {value!r}")
    if kind in ("tuple_type", "list_type"):
        return ConfigProblem(key, f"must be a list, got {value!r}")
    if kind == "too_short":
        return ConfigProblem(key, "must not be empty")
    message = str(error.get("msg", "is not valid"))
    return ConfigProblem(key, message.removeprefix("Value error, "))


def _key_path(loc: tuple[Any, ...]) -> str:
    """``('incentives', 'mc', 'milestones', 0, 'name')`` -> ``incentives.mc.milestones[0].name``."""
    path = ""
    for i, part in enumerate(loc):
        if isinstance(part, int) and path and loc[i + 1:i + 2] != ("[key]",):
            path += f"[{part}]"  # a list index (a number followed by "[key]" is a mapping key)
        elif str(part) == "[key]":  # pydantic marks a bad mapping key this way
            continue
        elif not str(part).startswith("function-"):  # pydantic's internal validator names
            path += f".{part}" if path else str(part)
    return path


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    """Suggest the closest known key at the same level of the config, if any is close."""
    model: type[BaseModel] | None = Settings
    parts = list(loc[:-1])
    while parts and model is not None:
        field = model.model_fields.get(str(parts.pop(0)))
        model, suffix = _section_inside(field.annotation) if field else (None, "")
        if suffix in (".<name>.", "[].") and parts:
            parts.pop(0)  # the mapping key or list index
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f"; did you mean '{_key_path((*loc[:-1], close[0]))}'?" if close else ""


def iter_keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every documented key path with its description, depth first (for docs and forms).

    Entries of a named mapping are shown as ``metrics.<name>.weight`` and items of a list
    of sections as ``incentives.mc.milestones[].amount_gbp``.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, field.description or ""
        inner, suffix = _section_inside(field.annotation)
        if inner is not None:
            yield from iter_keys(inner, path + suffix)


def _section_inside(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The config section type an annotation holds, and how its keys are written under it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, "."
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return args[1], ".<name>."
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "[]."
    return None, ""


def settings_to_yaml(settings: Settings) -> str:
    """The settings as YAML text (the canonical form used for hashing and saving scenarios)."""
    return yaml.safe_dump(settings.model_dump(mode="json"), sort_keys=False)


def config_reference_markdown() -> str:
    """The README's configuration reference: every key, its default and its meaning, as a Markdown table."""
    defaults = Settings().model_dump(mode="json")
    sections = set(_section_keys())
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, description in iter_keys():
        default = "(section)" if key in sections else _default_text(defaults, key)
        lines.append(f"| `{key}` | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _section_keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[str]:
    """Key paths whose value is a section of further keys."""
    for name, field in model.model_fields.items():
        inner, suffix = _section_inside(field.annotation)
        if inner is not None and suffix == ".":
            yield f"{prefix}{name}"
            yield from _section_keys(inner, f"{prefix}{name}.")


def _default_text(defaults: dict[str, Any], key: str) -> str:
    value: Any = defaults
    for part in key.split("."):
        if part == "<name>" or part.endswith("[]") or not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    if isinstance(value, dict):
        return "see config.yaml"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"{len(value)} items, see config.yaml"
    if value is None:
        return "`null`"
    return "`" + yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip() + "`"
