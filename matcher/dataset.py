"""Load every shipped data file named in ``manifest.yaml`` into one immutable ``Dataset``.

All files are read and checked before anything is returned, and the problems of every
file are reported together. A failed load returns nothing, so whatever the caller already
holds (for example the dataset a running service is using) stays as it was.

The segmentation may come as several files, one per quarter (``oversight: files: [...]``),
each naming the oversight framework its segments belong to; the latest quarter is current
and the others are each trust's history.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import safe_yaml
from .errors import InputError, Problem
from .ingest import costs, groups, history, metrics, oversight, ratings, register

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = "manifest.yaml"


@dataclass(frozen=True)
class Source:
    """One data file as described in the manifest."""

    key: str
    file: str
    layout: str
    as_of: str
    source: str
    licence: str
    framework: str | None = None  # the oversight framework of a segmentation file ("2025/26", "2021-25")


#: Each dataset key, its loader, and the layouts that loader accepts.
_LOADERS: dict[str, tuple[Callable[..., pd.DataFrame], tuple[str, ...]]] = {
    "register": (register.load_register, tuple(register.LAYOUTS)),
    "ratings": (ratings.load_ratings, tuple(ratings.LAYOUTS)),
    "oversight": (lambda path, layout: oversight.load_oversight(path), ("shipped",)),
    "groups": (lambda path, layout: groups.load_groups(path), ("shipped",)),
    "performance": (lambda path, layout: metrics.load_snapshot(path), ("shipped",)),
    "rtt": (lambda path, layout: metrics.load_rtt(path), ("shipped",)),
    "costs": (lambda path, layout: costs.load_costs(path), ("shipped",)),
    "special_measures": (lambda path, layout: history.load_history(path), ("shipped",)),
}


@dataclass(frozen=True)
class Dataset:
    """Every input table, checked, with where each came from and a hash of the files."""

    directory: Path
    sources: tuple[Source, ...]
    tables: dict[str, pd.DataFrame]
    fingerprint: str

    def __getitem__(self, key: str) -> pd.DataFrame:
        """The loaded table for a manifest key (``register``, ``ratings``, ...)."""
        return self.tables[key]

    def source(self, key: str) -> Source:
        """The manifest entry for a dataset key."""
        return next(s for s in self.sources if s.key == key)


def load_dataset(directory: str | Path | None = None) -> Dataset:
    """Read the manifest and every file it names from ``directory`` (default: ``data/``).

    Raises:
        InputError: listing the problems of every file (and of the manifest) at once.
    """
    directory = Path(directory) if directory is not None else DEFAULT_DATA_DIR
    sources = read_manifest(directory)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for source in sources:
        loader, _ = _LOADERS[source.key]
        path = directory / source.file
        try:
            table = loader(path, source.layout)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if source.key == "oversight":
            table = table.assign(framework=source.framework or oversight.CURRENT_FRAMEWORK)
        tables[source.key] = pd.concat([tables[source.key], table], ignore_index=True) \
            if source.key in tables else table
        digest.update(source.key.encode() + b"\0" + path.read_bytes())
    if "oversight" in tables:
        problems += oversight.check_quarters(tables["oversight"], [s.file for s in sources if s.key == "oversight"])
    if problems:
        raise InputError(problems)
    return Dataset(directory=directory, sources=sources, tables=tables, fingerprint=digest.hexdigest()[:16])


def read_manifest(directory: Path) -> tuple[Source, ...]:
    """Read and check ``manifest.yaml``: every dataset present once, with a known layout."""
    path = directory / MANIFEST
    name = f"{directory.name}/{MANIFEST}"
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem(name, "is missing; it names each data file")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, f"is not valid YAML ({exc})")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(name, f"cannot be read ({exc})")]) from None
    if not isinstance(raw, dict):
        raise InputError([Problem(name, "must map each dataset to its file")])
    problems = [Problem(name, f"unknown dataset '{key}'; known datasets are {', '.join(_LOADERS)}")
                for key in raw if key not in _LOADERS]
    problems += [Problem(name, f"dataset '{key}' is missing") for key in _LOADERS if key not in raw]
    sources = []
    for key, entry in raw.items():
        if key not in _LOADERS:
            continue
        files = entry.get("files") if isinstance(entry, dict) and key == "oversight" else None
        entries = files if isinstance(files, list) and files else [entry]
        for item in entries:
            source, problem = _source(key, item, entry, name)
            if problem:
                problems.append(problem)
            elif source is not None:
                sources.append(source)
    if problems:
        raise InputError(problems)
    return tuple(sources)


def _source(key: str, item: object, entry: object, name: str) -> tuple[Source | None, Problem | None]:
    """One file of a dataset as the manifest describes it (``item``), with the dataset's own fields as defaults."""
    if not isinstance(item, dict) or not item.get("file"):
        return None, Problem(name, f"dataset '{key}' needs a 'file'")
    shared = entry if isinstance(entry, dict) else {}
    layout = str(item.get("layout", shared.get("layout", "shipped")))
    if layout not in _LOADERS[key][1]:
        return None, Problem(name, f"dataset '{key}' has unknown layout '{layout}'; "
                                   f"use one of {', '.join(_LOADERS[key][1])}")
    framework = item.get("framework", shared.get("framework"))
    if framework is not None and str(framework) not in oversight.FRAMEWORKS:
        return None, Problem(name, f"dataset '{key}' names an unknown framework '{framework}'; "
                                   f"use one of {', '.join(oversight.FRAMEWORKS)}")
    return Source(key=key, file=str(item["file"]), layout=layout,
                  as_of=str(item.get("as_of", shared.get("as_of", "unknown"))),
                  source=str(item.get("source", shared.get("source", ""))),
                  licence=str(item.get("licence", shared.get("licence", ""))),
                  framework=None if framework is None else str(framework)), None
