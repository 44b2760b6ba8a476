"""The assignment core's input and output as plain arrays: stages, side rules, stage results and options.

Both the Buddying plan and the OR-Library GAP benchmarks are solved from a ``CoreProblem``; every
solver path (``core``, ``large``, ``diagnose``) reads this one description, so each rule has one
meaning wherever it is solved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..result import StageOutcome as StageResult
from .spread import conflicting_pairs

__all__ = ["CoreProblem", "CoreSolution", "SolverOptions", "Spread", "Stage", "StageResult", "held_value"]


@dataclass(frozen=True)
class Stage:
    """One level of the lexicographic objective: integer coefficients per arc and a direction."""

    name: str
    coefficients: np.ndarray
    sense: str  # "max" or "min"


@dataclass(frozen=True)
class Spread:
    """Where each job (recipient) is, and how far apart two jobs of one agent may be."""

    job_lat: np.ndarray
    job_lon: np.ndarray
    limit_km: float


@dataclass(frozen=True)
class CoreProblem:
    """A generalised assignment problem in arrays (one entry per arc, agent or job), with Buddying's side rules.

    Beyond the classical problem (one arc per job, agent capacities): an optional budget row,
    fixed arcs, extra ``<=`` limits, a second knapsack per agent (``load`` within ``load_limit``),
    the spread rule (two jobs of one agent at most ``spread.limit_km`` apart), and bonus pairs:
    ``bonus_values[k]`` is added to the ``bonus_stage`` objective when both arcs of
    ``bonus_pairs[k]`` are chosen.
    """

    agent: np.ndarray
    job: np.ndarray
    use: np.ndarray
    capacity: np.ndarray
    must_cover: np.ndarray
    stages: tuple[Stage, ...]
    budget_cost: np.ndarray | None = None
    budget_limit: int | None = None
    fixed: np.ndarray | None = None
    limits: tuple[tuple[np.ndarray, int], ...] = ()
    load: np.ndarray | None = None
    load_limit: np.ndarray | None = None
    spread: Spread | None = None
    bonus_pairs: np.ndarray | None = None
    bonus_values: np.ndarray | None = None
    bonus_stage: str = "score"

    @property
    def n_arcs(self) -> int:
        """How many arcs the problem has."""
        return len(self.agent)

    def conflicts(self, arcs: np.ndarray | None = None) -> np.ndarray:
        """The pairs of arcs (among ``arcs``, default all) that break the spread rule together."""
        if self.spread is None:
            return np.zeros((0, 2), dtype=np.int64)
        s = self.spread
        return conflicting_pairs(self.agent, self.job, s.job_lat, s.job_lon, s.limit_km, arcs)

    def bonus_of(self, stage: Stage, chosen: np.ndarray) -> int:
        """The bonus a plan earns in a stage (pairs of which both arcs are chosen)."""
        if not self.bonus_of_stage(stage) or self.bonus_pairs is None or self.bonus_values is None:
            return 0
        both = chosen[self.bonus_pairs[:, 0]] & chosen[self.bonus_pairs[:, 1]]
        return int(self.bonus_values[both].sum())

    def value(self, stage: Stage, chosen: np.ndarray) -> int:
        """A plan's value in a stage: its arcs' coefficients plus any bonus it earns."""
        return int(stage.coefficients[chosen].sum()) + self.bonus_of(stage, chosen)

    def bonus_of_stage(self, stage: Stage) -> bool:
        """Whether a stage's objective includes bonuses."""
        return stage.name == self.bonus_stage and self.bonus_pairs is not None and len(self.bonus_pairs) > 0

    def bonus_ceiling(self, stage: Stage) -> int:
        """The most bonus any plan could earn in a stage.

        A bonus pair joins two jobs of one group covered by one agent; each job is covered once,
        and an agent covers at most ``capacity / smallest use`` jobs, so a group of ``k`` jobs earns
        at most one bonus for each pair among ``min(k, that many)`` of them.
        """
        if not self.bonus_of_stage(stage) or self.bonus_pairs is None or self.bonus_values is None:
            return 0
        jobs = self.job[self.bonus_pairs]
        parent = {int(j): int(j) for j in np.unique(jobs)}

        def root(j: int) -> int:
            while parent[j] != j:
                parent[j] = parent[parent[j]]
                j = parent[j]
            return j

        for a, b in jobs.tolist():
            parent[root(a)] = root(b)
        sizes = np.bincount([root(j) for j in parent])
        most = int(self.capacity.max() // max(1, int(self.use.min()))) if len(self.use) else 0
        per = np.minimum(sizes[sizes > 0], most)
        return int((per * (per - 1) // 2).sum() * max(0, int(self.bonus_values.max())))


@dataclass(frozen=True)
class CoreSolution:
    """The chosen arcs (a Boolean mask) and every stage's result; ``feasible`` False if none exists."""

    chosen: np.ndarray
    stages: tuple[StageResult, ...]
    feasible: bool
    status: str = field(default="OPTIMAL")


@dataclass(frozen=True)
class SolverOptions:
    """Time limit per stage (s), search workers, random seed, when to use reduced-cost fixing, and the hold tolerance.

    ``hold_tolerance``: the share of an earlier stage's value a later stage may give up (0: strict order).
    """

    time_limit_s: float = 30.0
    workers: int = 1
    seed: int = 0
    reduce_above: int = 5_000  # arcs; larger instances are cut down by LP reduced-cost fixing
    hold_tolerance: float = 0.0


def held_value(value: int, sense: str, tolerance: float) -> int:
    """The value a later stage must keep for an earlier one: at most ``tolerance`` of it given up, rounded inwards.

    >>> held_value(10_000, "max", 0.001), held_value(10_000, "min", 0.001), held_value(10_000, "max", 0)
    (9990, 10010, 10000)
    """
    slack = int(tolerance * abs(value) + 1e-9)  # floor: never more than the share
    return value - slack if sense == "max" else value + slack


def next_preference(later: tuple[Stage, ...], n: int) -> np.ndarray:
    """Per arc, how much the next stage likes it, signed so that larger is better (zeros if none): a tie-break."""
    if not later:
        return np.zeros(n)
    return (1.0 if later[0].sense == "max" else -1.0) * later[0].coefficients.astype(np.float64)
