"""OR-Library generalised assignment problems (GAP), solved by the same engine as the Buddying plan.

A GAP is the Buddying model with nothing but its core: agents (supporters) with a capacity,
jobs (trusts in difficulty) that each use some of the capacity of the agent they go to, and
a cost or profit per pair. Solving the published instances to their published optima is how
we show the engine is right and fast. This module reads the OR-Library files, turns each
problem into a ``CoreProblem``, builds a good starting plan to hint the solver with, and
solves it with ``solve_core``; ``gap_command`` is the ``python -m matcher gap`` command.

File format (whitespace-separated integers; line breaks carry no meaning): the number of
problems P, then for each problem the agents m and jobs n, the m x n costs, the m x n
resource uses and the m capacities.
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
import numpy as np

from .errors import InputError, Problem

if TYPE_CHECKING:  # the solver is imported only when solving, so reading a file never loads OR-Tools
    from .model.core import CoreProblem

#: Stop listing words that are not whole numbers after this many.
MAX_LISTED = 5
#: Share of the time limit the starting-plan heuristic may use (the solver gets the rest).
START_SHARE = 0.1


@dataclass(frozen=True, eq=False)
class GapInstance:
    """One GAP: ``cost`` and ``use`` are agents x jobs, ``capacity`` one entry per agent."""

    name: str
    cost: np.ndarray
    use: np.ndarray
    capacity: np.ndarray

    @property
    def agents(self) -> int:
        return self.cost.shape[0]

    @property
    def jobs(self) -> int:
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


# --- Reading -------------------------------------------------------------------------------

def default_sense(path: str | Path) -> str:
    """``max`` for OR-Library's gap1..gap12 (published as profit maximisation), ``min`` otherwise."""
    return "max" if re.fullmatch(r"gap\d+", Path(path).stem) else "min"


def instance_name(stem: str, number: int, agents: int, jobs: int) -> str:
    """The name used in optima.csv: ``gap1-3`` for gap1..gap12, ``c10200`` for gapa..gape (m=10, n=200)."""
    if re.fullmatch(r"gap[a-z]", stem):
        return f"{stem[3]}{agents:02d}{jobs}"
    return f"{stem}-{number}"


def read_gap(path: str | Path) -> tuple[GapInstance, ...]:
    """Read every problem in an OR-Library GAP file.

    Raises:
        InputError: naming the file and what is wrong (unreadable, not whole numbers,
            sizes below 1, negative uses or capacities, too few or too many numbers).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError([Problem(path.name, f"cannot be read ({reason})")]) from None
    return parse_gap(text, path.name, path.stem)


def parse_gap(text: str, file: str, stem: str) -> tuple[GapInstance, ...]:
    """Parse the text of a GAP file; ``file`` names it in messages, ``stem`` names its problems."""
    numbers = _whole_numbers(text, file)
    if not numbers:
        raise InputError([Problem(file, "the file is empty; it should start with the number of problems")])

    def fail(message: str) -> InputError:
        return InputError([Problem(file, message)])

    count, at = numbers[0], 1
    if count < 1:
        raise fail(f"the number of problems is {count}; it must be at least 1")
    instances = []
    for number in range(1, count + 1):
        if at + 2 > len(numbers):
            raise fail(f"the file ends before the sizes of problem {number} (it says it has {count} problems)")
        m, n = numbers[at], numbers[at + 1]
        for size, what in ((m, "agents"), (n, "jobs")):
            if size < 1:
                raise fail(f"problem {number} has {size} {what}; there must be at least 1")
        at += 2
        needed = 2 * m * n + m
        if at + needed > len(numbers):
            raise fail(f"problem {number} ({m} agents x {n} jobs) needs {needed} numbers after its sizes "
                       f"(costs, resource uses and capacities) but the file has only {len(numbers) - at} left")
        block = np.array(numbers[at:at + needed], dtype=np.int64)
        at += needed
        cost, use, capacity = block[:m * n].reshape(m, n), block[m * n:2 * m * n].reshape(m, n), block[2 * m * n:]
        if (use < 0).any() or (capacity < 0).any():
            raise fail(f"problem {number} has a negative resource use or capacity; they must be 0 or more")
        instances.append(GapInstance(instance_name(stem, number, m, n), cost, use, capacity))
    if at < len(numbers):
        raise fail(f"there are {len(numbers) - at} numbers after the last of the {count} problems; "
                   "is the number of problems right?")
    return tuple(instances)


def _whole_numbers(text: str, file: str) -> list[int]:
    """Every word of the text as an integer, or an InputError listing the words that are not."""
    numbers, bad = [], []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for word in line.split():
            try:
                numbers.append(int(word))
            except ValueError:
                bad.append(Problem(file, f"line {line_number}: '{word}' is not a whole number"))
    if bad:
        listed = bad[:MAX_LISTED]
        if len(bad) > MAX_LISTED:
            listed.append(Problem(file, f"... and {len(bad) - MAX_LISTED} more words that are not whole numbers"))
        raise InputError(listed)
    return numbers


# --- Model and solve -----------------------------------------------------------------------

def to_core(instance: GapInstance, sense: str) -> "CoreProblem":
    """The instance as a ``CoreProblem``: one arc per (agent, job), every job covered, one stage.

    Arcs are ordered job by job: arc ``j * m + i`` gives job j to agent i.
    """
    from .model.core import CoreProblem, Stage

    m, n = instance.agents, instance.jobs
    job, agent = np.divmod(np.arange(m * n), m)
    return CoreProblem(agent=agent, job=job, use=instance.use.T.ravel(), capacity=instance.capacity,
                       must_cover=np.ones(n, dtype=bool), stages=(Stage("objective", instance.cost.T.ravel(), sense),))


def solve_gap(instance: GapInstance, sense: str, time_limit_s: float = 10.0, seed: int = 0) -> GapResult:
    """Solve one instance within ``time_limit_s`` seconds in all, starting from a heuristic plan.

    The CP-SAT search runs on one worker: on these instances that was measured about five
    times faster than the core's default of two interleaved workers (gap1..gap12: 9 s against
    51 s in all), and a single worker repeats its search exactly when it finishes in time.
    Status is OPTIMAL (proven) or FEASIBLE; INFEASIBLE or UNKNOWN come with no plan.
    """
    from .model.core import SolverOptions, solve_core

    if sense not in ("max", "min"):
        raise ValueError(f"sense must be 'max' or 'min', not {sense!r}")
    started = time.perf_counter()
    start = start_assignment(instance, sense, seconds=START_SHARE * time_limit_s)
    hint = None
    if start is not None:
        hint = np.zeros(instance.agents * instance.jobs, dtype=bool)
        hint[np.arange(instance.jobs) * instance.agents + start] = True
    remaining = max(time_limit_s - (time.perf_counter() - started), 0.05)
    solution = solve_core(to_core(instance, sense), SolverOptions(time_limit_s=remaining, workers=1, seed=seed), hint)
    seconds = time.perf_counter() - started
    stage = solution.stages[0]
    if not solution.feasible:
        return GapResult(instance.name, sense, stage.status, None, None, seconds, None)
    assignment = solution.chosen.reshape(instance.jobs, instance.agents).argmax(axis=1)
    return GapResult(instance.name, sense, stage.status, instance.value(assignment), stage.bound, seconds,
                     tuple(int(a) for a in assignment))


# --- Starting plan -------------------------------------------------------------------------

def start_assignment(instance: GapInstance, sense: str, seconds: float = 1.0) -> np.ndarray | None:
    """A good feasible plan (each job's agent) to hint the solver with, or None if none was found.

    Lagrangian relaxation of the capacities (subgradient steps on one multiplier per agent)
    prices each agent's capacity; a regret greedy on those prices builds plans, and shift and
    swap moves improve the best one. Stops early once the plan meets the Lagrangian bound.
    """
    cost = instance.cost if sense == "min" else -instance.cost
    use, capacity = instance.use, instance.capacity
    deadline = time.perf_counter() + seconds
    best, best_value = None, np.inf
    for desirability in (cost, cost / np.maximum(use, 1)):
        plan = _regret_greedy(use, capacity, desirability.astype(float))
        if plan is not None and cost[plan, np.arange(instance.jobs)].sum() < best_value:
            best, best_value = plan, cost[plan, np.arange(instance.jobs)].sum()
    best, best_value = _lagrangian_plans(cost, use, capacity, best, best_value, deadline)
    return None if best is None else _improve(cost, use, capacity, best)


def _lagrangian_plans(cost, use, capacity, best, best_value, deadline, iterations=300, greedy_every=10):
    """Subgradient optimisation of the capacity multipliers, keeping the best greedy plan found."""
    m, n = cost.shape
    jobs = np.arange(n)
    price = np.zeros(m)
    lower, step, stalled = -np.inf, 2.0, 0
    target = best_value if np.isfinite(best_value) else float(np.abs(cost).sum())
    for iteration in range(iterations):
        reduced = cost + price[:, None] * use
        choice = reduced.argmin(axis=0)
        bound = reduced[choice, jobs].sum() - price @ capacity
        if bound > lower + 1e-9:
            lower, stalled = bound, 0
        else:
            stalled += 1
            if stalled >= 20:
                step, stalled = step / 2, 0
        if np.ceil(lower - 1e-6) >= best_value or time.perf_counter() > deadline:
            break
        if iteration % greedy_every == 0:
            plan = _regret_greedy(use, capacity, reduced)
            if plan is not None and cost[plan, jobs].sum() < best_value:
                best, best_value = plan, cost[plan, jobs].sum()
                target = best_value
        excess = np.bincount(choice, weights=use[choice, jobs], minlength=m) - capacity
        norm = float(excess @ excess)
        if norm == 0:
            break
        price = np.maximum(0.0, price + step * max(target - bound, 1.0) / norm * excess)
    return best, best_value


def _regret_greedy(use, capacity, desirability):
    """Place jobs one by one, the job that would lose most from missing its best agent first."""
    m, n = desirability.shape
    load = np.zeros(m, dtype=np.int64)
    plan = np.full(n, -1)
    open_ = np.where(use <= capacity[:, None], desirability, np.inf)
    for _ in range(n):
        if m > 1:
            first, second = np.partition(open_, 1, axis=0)[:2]
        else:
            first, second = open_[0], np.full(n, np.inf)
        placeable = np.isfinite(first)
        if not placeable.any():
            return None
        with np.errstate(invalid="ignore"):
            regret = np.where(np.isfinite(second), second - first, np.inf)
        j = int(np.argmax(np.where(placeable, regret, -np.inf)))
        i = int(np.argmin(open_[:, j]))
        plan[j], load[i] = i, load[i] + use[i, j]
        open_[:, j] = np.inf
        open_[i, load[i] + use[i] > capacity[i]] = np.inf
    return plan if (plan >= 0).all() else None


def _improve(cost, use, capacity, plan, rounds=10_000):
    """Best-improvement local search: move one job to another agent, or swap two jobs' agents."""
    m, n = cost.shape
    jobs = np.arange(n)
    plan = plan.copy()
    load = np.bincount(plan, weights=use[plan, jobs], minlength=m).astype(np.int64)
    for _ in range(rounds):
        current = cost[plan, jobs]
        shift = np.where(load[:, None] + use <= capacity[:, None], cost - current, 0)
        shift[plan, jobs] = 0
        i, j = np.unravel_index(np.argmin(shift), shift.shape)
        if shift[i, j] < 0:
            load[plan[j]] -= use[plan[j], j]
            load[i] += use[i, j]
            plan[j] = i
            continue
        other = cost[plan[None, :], jobs[:, None]]        # [j1, j2]: cost of j1 on j2's agent
        other_use = use[plan[None, :], jobs[:, None]]
        own_use = use[plan, jobs]
        gain = other + other.T - current[:, None] - current[None, :]
        fits_first = load[plan][:, None] - own_use[:, None] + other_use.T <= capacity[plan][:, None]
        fits_second = load[plan][None, :] - own_use[None, :] + other_use <= capacity[plan][None, :]
        gain = np.where(fits_first & fits_second & (plan[:, None] != plan[None, :]), gain, 0)
        j1, j2 = np.unravel_index(np.argmin(gain), gain.shape)
        if gain[j1, j2] >= 0:
            break
        i1, i2 = plan[j1], plan[j2]
        load[i1] += use[i1, j2] - use[i1, j1]
        load[i2] += use[i2, j1] - use[i2, j2]
        plan[j1], plan[j2] = i2, i1
    return plan


# --- Command -------------------------------------------------------------------------------

@click.command("gap")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds per problem, heuristic start included.")
@click.option("--sense", type=click.Choice(["max", "min"]), default=None,
              help="Maximise or minimise (default: max for gap1..gap12, min for other files).")
def gap_command(files: tuple[Path, ...], time_limit: float, sense: str | None) -> None:
    """Solve OR-Library generalised assignment problems, printing one JSON line per problem.

    Every file is read and checked before any is solved. Each line has the instance name,
    objective, status (OPTIMAL when proven, else FEASIBLE; INFEASIBLE or UNKNOWN, with a null
    objective, when no plan exists or none was found in time), best bound and seconds.

    Example: python -m matcher gap gap1.txt gapa.txt --time-limit 10
    """
    problems, read = [], []
    for path in files:
        try:
            read.append((path, read_gap(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        click.echo(str(InputError(problems)), err=True)
        sys.exit(2)
    for path, instances in read:
        for instance in instances:
            result = solve_gap(instance, sense or default_sense(path), time_limit)
            click.echo(json.dumps(result.to_dict()))
