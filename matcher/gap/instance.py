"""What a GAP is and what solving one gives: ``GapInstance`` and ``GapResult``."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class GapInstance:
    """One GAP: ``cost`` and ``use`` are agents x jobs, ``capacity`` one entry per agent."""

    name: str
    cost: np.ndarray
    use: np.ndarray
    capacity: np.ndarray

    @property
    def agents(self) -> int:
        """How many agents (rows of ``cost``)."""
        return self.cost.shape[0]

    @property
    def jobs(self) -> int:
        """How many jobs (columns of ``cost``)."""
        return self.cost.shape[1]

    def value(self, assignment: np.ndarray) -> int:
        """Total cost (or profit) of giving job j to agent ``assignment[j]``."""
        return int(self.cost[assignment, np.arange(self.jobs)].sum())

    def fits(self, assignment: np.ndarray) -> bool:
        """Whether every agent's jobs fit within its capacity."""
        load = np.bincount(assignment, weights=self.use[assignment, np.arange(self.jobs)], minlength=self.agents)
        return bool(np.all(load <= self.capacity))


@dataclass(frozen=True)
class GapResult:
    """How one problem was solved; ``assignment`` gives each job's agent (None if no plan was found)."""

    instance: str
    sense: str
    status: str
    objective: int | None
    bound: float | None
    seconds: float
    assignment: tuple[int, ...] | None

    def to_dict(self) -> dict:
        """The JSON line ``gap`` prints for this problem."""
        bound = self.bound
        if bound is not None and float(bound).is_integer():
            bound = int(bound)
        return {"instance": self.instance, "objective": self.objective, "status": self.status,
                "bound": bound, "seconds": round(self.seconds, 3)}
