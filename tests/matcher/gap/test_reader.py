"""Reading OR-Library GAP files and the ``python -m matcher gap`` command."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from matcher.errors import InputError
from matcher.gap import default_sense, gap_command, instance_name, read_gap

from .orlib import OPTIMA, ORLIB, TINY, write


def problems(caught: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


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
