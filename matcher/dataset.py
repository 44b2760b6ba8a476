"""Load every shipped data file named in ``manifest.yaml`` into one immutable ``Dataset``.

All files are read and checked before anything is returned, and the problems of every
file are reported together. A failed load returns nothing, so whatever the caller already
holds (for example the dataset a running service is using) stays as it was.
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
from .ingest import costs, history, metrics, oversight, ratings, register

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


#: Each dataset key, its loader, and the layouts that loader accepts.
_LOADERS: dict[str, tuple[Callable[..., pd.DataFrame], tuple[str, ...]]] = {
    "register": (register.load_register, tuple(register.LAYOUTS)),
    "ratings": (ratings.load_ratings, tuple(ratings.LAYOUTS)),
    "oversight": (lambda path, layout: oversight.load_oversight(path), ("shipped",)),
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
            tables[source.key] = loader(path, source.layout)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        digest.update(source.key.encode() + b"\0" + path.read_bytes())
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
        if not isinstance(entry, dict) or not entry.get("file"):
            problems.append(Problem(name, f"dataset '{key}' needs a 'file'"))
            continue
        layout = str(entry.get("layout", "shipped"))
        if layout not in _LOADERS[key][1]:
            problems.append(Problem(name, f"dataset '{key}' has unknown layout '{layout}'; "
                                          f"use one of {', '.join(_LOADERS[key][1])}"))
            continue
        sources.append(Source(key=key, file=str(entry["file"]), layout=layout, as_of=str(entry.get("as_of", "unknown")),
                              source=str(entry.get("source", "")), licence=str(entry.get("licence", ""))))
    if problems:
        raise InputError(problems)
    return tuple(sources)
