"""Hostile data folders: ``load_dataset`` returns a dataset or one ``InputError`` naming each file.

The error names the row and column too where a cell is at fault, and a failed reload leaves the
data a running service holds unchanged.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from matcher.dataset import DEFAULT_DATA_DIR, MANIFEST, Dataset, load_dataset
from matcher.errors import ConfigError, InputError
from matcher.ingest import costs, history, metrics, oversight, ratings, register
from matcher.pipeline import CurrentData
from matcher.settings import DEFAULT_CONFIG_PATH
from tests.factories import AS_OF
from tests.fuzz.hostile_csv import hostile_csv, rows_of
from tests.fuzz.mutate import mutate
from tests.fuzz.support import count, fuzz

MANIFEST_DATA = yaml.safe_load((DEFAULT_DATA_DIR / MANIFEST).read_text(encoding="utf-8"))
SPECS = {"register": register.SHIPPED, "ratings": ratings.SHIPPED, "oversight": oversight.SHIPPED,
         "performance": metrics.SNAPSHOT, "rtt": metrics.RTT, "costs": costs.SHIPPED,
         "special_measures": history.SHIPPED}
FILES = {key: entry["file"] for key, entry in MANIFEST_DATA.items()}
BASES = {key: rows_of((DEFAULT_DATA_DIR / file).read_text(encoding="utf-8-sig")) for key, file in FILES.items()}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A scratch copy of ``data/`` (each case spoils one file and puts it back afterwards)."""
    return Path(shutil.copytree(DEFAULT_DATA_DIR, tmp_path_factory.mktemp("fuzz") / "data"))


def spoil(data: st.DataObject, folder: Path) -> Path:
    """Spoil one file of the data folder (a data file or the manifest); return its path."""
    key = data.draw(st.sampled_from([*FILES, MANIFEST]))
    if key == MANIFEST:
        path = folder / MANIFEST
        if data.draw(st.booleans()):
            path.write_text(yaml.safe_dump(mutate(MANIFEST_DATA, data, 3)), encoding="utf-8")
        else:
            path.write_bytes(data.draw(st.sampled_from([b"", b"- a\n- b\n", b"\xff\xfe\x00", b"register: [\n", b"42",
                                                         b"register:\n  file: ../../etc/hostname\n"])))
        return path
    path = folder / FILES[key]
    path.write_bytes(hostile_csv(data, BASES[key], SPECS[key], max_rows=len(BASES[key])))
    return path


def restore(folder: Path, path: Path) -> None:
    shutil.copyfile(DEFAULT_DATA_DIR / path.name, path)


def check_problems(exc: InputError, folder: Path) -> None:
    """Every problem names a file of the folder; a row problem also names the column."""
    names = set(FILES.values()) | {f"{folder.name}/{MANIFEST}"}
    assert exc.problems
    for problem in exc.problems:
        assert problem.file in names, problem
        assert problem.message.strip(), problem
        if problem.row is not None:
            assert problem.row >= 1 and problem.column, problem


@fuzz(60)
@given(data=st.data())
def test_load_dataset_of_a_spoilt_folder(data_dir, data):
    path = spoil(data, data_dir)
    count("dataset: load_dataset")
    try:
        dataset = load_dataset(data_dir)
    except InputError as exc:
        check_problems(exc, data_dir)
    else:
        assert isinstance(dataset, Dataset) and set(dataset.tables) == set(FILES)
        count("dataset: load_dataset (succeeded)")
    finally:
        restore(data_dir, path)


@pytest.fixture(scope="module")
def current() -> CurrentData:
    """The data a running service holds: the shipped files, classified."""
    return CurrentData(None, None, AS_OF)


@fuzz(25)
@given(data=st.data())
def test_a_failed_reload_leaves_the_current_data_unchanged(current, data_dir, data):
    config = None
    if data.draw(st.integers(0, 3)) == 0:  # sometimes a spoilt config instead of a spoilt file
        config = data_dir.parent / "config.yaml"
        mutated = mutate(yaml.safe_load(DEFAULT_CONFIG_PATH.read_text()), data)
        config.write_text(yaml.safe_dump(mutated), encoding="utf-8")
        path = None
    else:
        path = spoil(data, data_dir)
    before = current.current
    count("dataset: CurrentData.reload")
    try:
        fresh = current.reload(data_dir, config)
    except InputError as exc:
        check_problems(exc, data_dir)
        assert current.current is before
    except ConfigError as exc:
        assert exc.problems and all(p.key or p.message for p in exc.problems)
        assert current.current is before
    else:
        assert current.current is fresh
        count("dataset: CurrentData.reload (succeeded)")
    finally:
        if path is not None:
            restore(data_dir, path)


def test_a_manifest_that_is_not_utf8_is_a_located_problem(tmp_path):
    """Found by fuzzing: a non-UTF-8 manifest raised UnicodeDecodeError."""
    folder = Path(shutil.copytree(DEFAULT_DATA_DIR, tmp_path / "data"))
    (folder / MANIFEST).write_bytes(b"\xff\xfe")
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert [p.file for p in exc.value.problems] == ["data/manifest.yaml"]
    assert exc.value.problems[0].message.startswith("cannot be read")
