"""The GAP benchmark reads only the repository's own files and runs every seed of the generated families."""
from __future__ import annotations

from bench.gap_bench import ORLIB, published_optima, set_runs
from bench.gap_reference import read_references
from bench.gap_solvers import ORLIB_GAP, ROOT
from matcher.gap import read_gap


def test_the_or_library_files_are_vendored_inside_the_repository():
    assert ORLIB == ORLIB_GAP and ORLIB.is_relative_to(ROOT) and (ORLIB / "README.md").exists()
    optima = published_optima()
    assert len([key for key in optima if key[1] == "max"]) == 60 and optima[("c20200", "min")] == 2391


def test_each_seed_of_a_generated_family_is_its_own_set_named_as_the_reference_file_names_it(tmp_path):
    runs = set_runs(["c", "d", "e"], tmp_path, [(5, 100), (20, 200)], [1, 3])
    assert [run.name for run in runs] == ["c", "d (generated, seed 1)", "d (generated, seed 3)",
                                          "e (generated, seed 1)", "e (generated, seed 3)"]
    assert [run.seed for run in runs] == [None, 1, 3, 1, 3]
    names = [problem.name for problem in read_gap(runs[2].files[0])]
    assert names == ["d05100", "d20200"]
    assert runs[1].files[0] != runs[2].files[0]
    assert read_gap(runs[1].files[0])[0].cost.tolist() != read_gap(runs[2].files[0])[0].cost.tolist()


def test_every_default_seed_has_a_reference_for_every_generated_instance():
    known = read_references()
    for seed in (1, 2, 3, 4):
        for family in "de":
            for size in ("05100", "10100", "20100", "10200", "20200"):
                assert (f"{family}{size}", seed) in known
