"""OR-Library GAP: the reader, the engine against published optima, and the ``gap`` command.

The 60 gap1..gap12 problems must each be proven optimal at OR-Library's published maximum;
minimising must give the published minimum too. The files are vendored in bench/instances/orlib-gap.
"""
from __future__ import annotations

import csv
import functools
import json
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from bench.gap_solvers import ORLIB_GAP
from matcher.errors import InputError
from matcher.gap import (
    GapInstance,
    default_sense,
    gap_command,
    instance_name,
    read_gap,
    solve_gap,
    start_assignment,
    to_core,
)
from matcher.gap.neighbourhoods import improve_by_neighbourhoods
from matcher.gap.relaxation import lp_relaxation, useful_arcs
from matcher.gap.subproblem import solve_on_arcs
from matcher.gap.tabu import tabu_search

ORLIB = ORLIB_GAP
TIME_LIMIT_S = 10.0

#: 2 agents x 3 jobs, capacity 5 each. Maximising, 9+8+6 = 23 and 9+8+5 = 22 overload agent 0 and
#: 9+7+6 = 22 overloads agent 1, so the best is 9+7+5 = 21 (jobs 0 and 2 to agent 0). Minimising,
#: 4+7+5 = 16 overloads agent 1, so the cheapest is 4+8+5 = 17 (job 0 to agent 1).
TINY = """1
2 3
9 8 5
4 7 6
3 3 1
3 3 3
5 5
"""


def _optima() -> dict[tuple[str, str], int]:
    with (ORLIB / "optima.csv").open(newline="") as handle:
        return {(row["instance"], row["sense"]): int(row["optimum_or_best_known"]) for row in csv.DictReader(handle)}


OPTIMA = _optima()
GAP_1_TO_12 = [name for (name, sense) in OPTIMA if sense == "max"]


@functools.cache
def instances(file: str) -> dict[str, GapInstance]:
    return {instance.name: instance for instance in read_gap(ORLIB / file)}


def instance(name: str) -> GapInstance:
    return instances(name.split("-")[0] + ".txt")[name]


def write(tmp_path: Path, text: str, name: str = "bad.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(caught: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


# --- Published optima ----------------------------------------------------------------------

def test_there_are_sixty_gap1_to_12_problems_with_a_published_maximum():
    assert len(GAP_1_TO_12) == 60


@pytest.mark.parametrize("name", GAP_1_TO_12)
def test_each_gap1_to_12_problem_is_proven_optimal_at_the_published_maximum(name):
    problem = instance(name)
    result = solve_gap(problem, "max", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "max")])
    plan = np.array(result.assignment)
    assert problem.fits(plan) and problem.value(plan) == result.objective


@pytest.mark.parametrize("name", ["gap1-1", "gap1-2", "gap1-3"])
def test_minimising_gives_the_published_minimum(name):
    result = solve_gap(instance(name), "min", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "min")])


def test_a_tiny_problem_by_hand_in_both_senses(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    best = solve_gap(tiny, "max", TIME_LIMIT_S)
    cheapest = solve_gap(tiny, "min", TIME_LIMIT_S)
    assert (best.objective, best.assignment, best.status) == (21, (0, 1, 0), "OPTIMAL")
    assert (cheapest.objective, cheapest.assignment) == (17, (1, 0, 0))


def test_an_impossible_problem_is_reported_without_a_plan(tmp_path):
    (stuck,) = read_gap(write(tmp_path, "1\n1 2\n1 1\n5 5\n9\n", "stuck.txt"))
    result = solve_gap(stuck, "min", TIME_LIMIT_S)
    assert (result.status, result.objective, result.assignment) == ("INFEASIBLE", None, None)


def test_the_core_problem_has_one_arc_per_pair_and_covers_every_job(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    core = to_core(tiny, "max")
    assert list(zip(core.agent, core.job)) == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2)]
    assert core.use.tolist() == [3, 3, 3, 3, 1, 3] and core.capacity.tolist() == [5, 5]
    assert core.must_cover.all()
    (stage,) = core.stages
    assert (stage.sense, stage.coefficients.tolist()) == ("max", [9, 4, 8, 7, 5, 6])


def test_a_maximised_problem_reports_its_bound_in_its_own_sense():
    result = solve_gap(instance("gap1-1"), "max", TIME_LIMIT_S)
    assert result.bound == result.objective == OPTIMA[("gap1-1", "max")]


# --- LP bound, reduced-cost fixing and the local search ------------------------------------

def cheapest(name: str) -> tuple[GapInstance, np.ndarray]:
    """A published minimisation problem and the engine's optimal plan for it."""
    problem = instance(name)
    result = solve_gap(problem, "min", TIME_LIMIT_S)
    assert (result.status, result.objective) == ("OPTIMAL", OPTIMA[(name, "min")])
    return problem, np.array(result.assignment)


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_the_lp_bound_rounded_up_is_at_most_the_published_minimum(name):
    problem = instance(name)
    relaxation = lp_relaxation(problem, problem.cost)
    assert relaxation.feasible
    assert relaxation.bound <= relaxation.whole_bound <= OPTIMA[(name, "min")]
    unused = relaxation.x < 1e-9                    # an arc the LP leaves out can only add to the cost
    assert (relaxation.reduced_cost[unused] >= -1e-6).all()


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_reduced_cost_fixing_keeps_every_arc_of_a_cheaper_plan(name):
    problem, best = cheapest(name)
    costly = start_assignment(problem, "max")       # a fitting plan that is far from the cheapest
    assert problem.value(costly) > problem.value(best)
    keep = useful_arcs(lp_relaxation(problem, problem.cost), problem.cost, costly)
    jobs = np.arange(problem.jobs)
    assert keep[best, jobs].all() and keep[costly, jobs].all()


@pytest.mark.parametrize("name", ["gap1-1", "gap5-3", "gap12-2"])
def test_against_an_optimal_plan_reduced_cost_fixing_drops_arcs_but_keeps_the_plan(name):
    problem, best = cheapest(name)
    keep = useful_arcs(lp_relaxation(problem, problem.cost), problem.cost, best)
    assert keep[best, np.arange(problem.jobs)].all() and keep.sum() < keep.size


def test_a_subproblem_moves_only_the_freed_jobs(tmp_path):
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    plan = np.array([1, 0, 0])                      # cost 4 + 8 + 5 = 17, the minimum
    every = np.ones((2, 3), dtype=bool)
    freed = np.array([1, 2])                        # job 0 stays with agent 1 and uses 3 of its 5
    outcome = solve_on_arcs(tiny, tiny.cost, every, freed, np.array([5, 2]), plan, 1.0, TIME_LIMIT_S, 0)
    assert outcome.status == "OPTIMAL" and outcome.plan.tolist() == [1, 0, 0] and outcome.bound == 13


def search(problem: GapInstance, start: np.ndarray, lower: int, work: float) -> tuple[np.ndarray, float]:
    """The neighbourhood search on LP-reduced arcs, guided by the LP alone."""
    relaxation = lp_relaxation(problem, problem.cost)
    far = time.perf_counter() + 3600
    return improve_by_neighbourhoods(problem, problem.cost, relaxation.x, relaxation.x, start, lower, work, far, 0,
                                     lambda plan: useful_arcs(relaxation, problem.cost, plan))


def test_the_local_search_keeps_a_fitting_plan_never_worsens_it_and_repeats_itself():
    problem = instances("gapc.txt")["c05100"]
    start = start_assignment(problem, "min")
    lower = lp_relaxation(problem, problem.cost).whole_bound
    (plan, used), (again, _) = search(problem, start, lower, 0.5), search(problem, start, lower, 0.5)
    assert problem.fits(plan) and problem.value(plan) <= problem.value(start)
    assert problem.value(plan) >= OPTIMA[("c05100", "min")]
    assert 0 < used <= 0.5 + 0.1 and np.array_equal(plan, again)


def test_the_tabu_search_keeps_a_fitting_plan_never_worsens_it_and_repeats_itself():
    problem = instances("gapc.txt")["c20100"]
    start = start_assignment(problem, "min")
    relaxation = lp_relaxation(problem, problem.cost)
    arcs = useful_arcs(relaxation, problem.cost, start)
    far = time.perf_counter() + 3600
    plans = [tabu_search(problem, problem.cost, arcs, start, relaxation.whole_bound, 300, far) for _ in range(2)]
    assert problem.fits(plans[0]) and problem.value(plans[0]) <= problem.value(start)
    assert problem.value(plans[0]) >= OPTIMA[("c20100", "min")]
    assert np.array_equal(plans[0], plans[1])


def test_the_local_search_stops_at_once_when_the_plan_meets_the_bound():
    problem = instances("gapc.txt")["c05100"]
    start = start_assignment(problem, "min")
    assert search(problem, start, problem.value(start), 1.0) == (start, 0.0)


# --- Reading -------------------------------------------------------------------------------

def test_gap1_reads_as_five_named_problems_with_the_file_numbers():
    problems_ = read_gap(ORLIB / "gap1.txt")
    assert [p.name for p in problems_] == ["gap1-1", "gap1-2", "gap1-3", "gap1-4", "gap1-5"]
    first = problems_[0]
    assert (first.agents, first.jobs) == (5, 15)
    assert first.cost[0, :3].tolist() == [17, 21, 22] and first.use[0, :3].tolist() == [8, 15, 14]
    assert first.capacity.tolist() == [36, 34, 38, 27, 33]


def test_gapa_problems_are_named_by_agents_and_jobs_in_file_order():
    assert [p.name for p in read_gap(ORLIB / "gapa.txt")] == ["a05100", "a05200", "a10100", "a10200", "a20100",
                                                              "a20200"]


@pytest.mark.parametrize("stem, number, agents, jobs, expected", [
    ("gap12", 5, 10, 60, "gap12-5"), ("gapc", 1, 20, 200, "c20200"), ("gape", 2, 5, 100, "e05100"),
    ("mine", 2, 5, 100, "mine-2"),
])
def test_instance_names_follow_optima_csv(stem, number, agents, jobs, expected):
    assert instance_name(stem, number, agents, jobs) == expected


@pytest.mark.parametrize("file, sense", [("gap1.txt", "max"), ("gap12.txt", "max"), ("gapa.txt", "min"),
                                         ("d05100.txt", "min")])
def test_gap1_to_12_are_maximised_and_other_files_minimised_by_default(file, sense):
    assert default_sense(Path("some/folder") / file) == sense


def test_line_breaks_carry_no_meaning(tmp_path):
    (one_line,) = read_gap(write(tmp_path, " ".join(TINY.split()), "flat.txt"))
    (tiny,) = read_gap(write(tmp_path, TINY, "tiny.txt"))
    assert np.array_equal(one_line.cost, tiny.cost) and np.array_equal(one_line.use, tiny.use)


@pytest.mark.parametrize("text, message", [
    ("", "bad.txt: the file is empty; it should start with the number of problems"),
    ("0\n", "bad.txt: the number of problems is 0; it must be at least 1"),
    ("2\n" + TINY[2:], "bad.txt: the file ends before the sizes of problem 2 (it says it has 2 problems)"),
    ("1\n-2 3\n", "bad.txt: problem 1 has -2 agents; there must be at least 1"),
    ("1\n2 0\n", "bad.txt: problem 1 has 0 jobs; there must be at least 1"),
    ("1\n2 3\n9 8 5 4 7 6\n3 3 1\n", ("bad.txt: problem 1 (2 agents x 3 jobs) needs 14 numbers after its sizes "
                                      "(costs, resource uses and capacities) but the file has only 9 left")),
    (TINY.replace("\n5 5\n", "\n5 -5\n"),
     "bad.txt: problem 1 has a negative resource use or capacity; they must be 0 or more"),
    (TINY + "4 2\n", "bad.txt: there are 2 numbers after the last of the 1 problems; is the number of problems right?"),
])
def test_a_malformed_file_is_named_with_what_is_wrong(tmp_path, text, message):
    with pytest.raises(InputError) as caught:
        read_gap(write(tmp_path, text))
    assert problems(caught) == [message]


def test_every_word_that_is_not_a_whole_number_is_located_by_line(tmp_path):
    with pytest.raises(InputError) as caught:
        read_gap(write(tmp_path, TINY.replace("9 8 5", "9 8.5 5").replace("\n5 5\n", "\n5 five\n")))
    assert problems(caught) == ["bad.txt: line 3: '8.5' is not a whole number",
                                "bad.txt: line 7: 'five' is not a whole number"]
    assert str(caught.value).startswith("There are 2 problems with the data:\n  - bad.txt: line 3:")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError) as caught:
        read_gap(tmp_path / "gap13.txt")
    assert problems(caught) == ["gap13.txt: cannot be read (No such file or directory)"]


# --- The gap command -----------------------------------------------------------------------

def run_gap(*args: str):
    return CliRunner().invoke(gap_command, list(args))


def test_gap_prints_one_json_line_per_problem(tmp_path):
    result = run_gap(str(write(tmp_path, TINY, "gap99.txt")), "--time-limit", "5")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert list(record) == ["instance", "objective", "status", "bound", "seconds"]
    assert (record["instance"], record["objective"], record["status"], record["bound"]) == (
        "gap99-1", 21, "OPTIMAL", 21)
    assert 0 <= record["seconds"] < 5


def test_gap_sense_can_be_overridden(tmp_path):
    result = run_gap(str(write(tmp_path, TINY, "gap99.txt")), "--sense", "min")
    assert json.loads(result.stdout)["objective"] == 17


def test_gap_lists_the_problems_of_every_file_in_order():
    result = run_gap(str(ORLIB / "gap1.txt"), "--time-limit", "5")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["instance"], r["objective"]) for r in records] == [
        (name, OPTIMA[(name, "max")]) for name in ("gap1-1", "gap1-2", "gap1-3", "gap1-4", "gap1-5")]


def test_gap_reports_bad_files_on_stderr_with_exit_status_2(tmp_path):
    good = write(tmp_path, TINY, "good.txt")
    result = run_gap(str(good), str(write(tmp_path, "1\n2 x\n")), str(tmp_path / "none.txt"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("There are 2 problems with the data:\n"
                             "  - bad.txt: line 2: 'x' is not a whole number\n"
                             "  - none.txt: cannot be read (No such file or directory)\n")
    assert "Traceback" not in result.output
