"""The standard path from files to classified trusts, shared by the CLI and the web service."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .classify import Classification, classify
from .dataset import Dataset, load_dataset
from .fit import TRACK_RECORD
from .settings import Settings, load_settings
from .trusts import build_trust_table


@dataclass(frozen=True)
class Classified:
    """A loaded dataset, the settings used, the trust table and its classifications."""

    dataset: Dataset
    settings: Settings
    trusts: pd.DataFrame
    classifications: tuple[Classification, ...]
    as_of: date


def load_and_classify(data_dir: str | Path | None = None, config: str | Path | None = None,
                      as_of: date | None = None) -> Classified:
    """Load and check the data and config, build the trust table and classify every trust.

    Raises:
        ConfigError, InputError: before any work is done, listing every problem.
    """
    return classify_dataset(load_dataset(data_dir), load_settings(config), as_of)


def classify_dataset(dataset: Dataset, settings: Settings, as_of: date | None = None,
                     track_records: Mapping[str, int] | None = None) -> Classified:
    """Build the trust table from loaded data and classify every trust under ``settings``.

    A scenario with different rules reuses the loaded data rather than reading the files again.
    ``track_records`` (supporter code -> agreements ended out of difficulty less those not, from
    ``matcher.outcomes``) becomes the table's ``track_record`` column, 0 for every other trust.
    """
    as_of = as_of or date.today()
    trusts = build_trust_table(dataset, settings)
    trusts[TRACK_RECORD] = trusts["code"].map(dict(track_records or {})).fillna(0).astype(float)
    items = classify(trusts, dataset["special_measures"], settings, as_of, dataset["oversight"])
    return Classified(dataset, settings, trusts, tuple(items), as_of)


class CurrentData:
    """Holds the classified data a long-running process (the web service) is using.

    ``reload`` loads into a new object and swaps it in only when every check passed, so a
    bad file or config leaves the current data exactly as it was.
    """

    def __init__(self, data_dir: str | Path | None = None, config: str | Path | None = None,
                 as_of: date | None = None):
        self._as_of = as_of
        self._current = load_and_classify(data_dir, config, as_of)
        self._under: dict[str, Classified] = {}

    @property
    def current(self) -> Classified:
        """The data in use."""
        return self._current

    def under(self, key: str, settings: Callable[[], Settings]) -> Classified:
        """The data in use classified under other settings (a scenario's), kept by ``key`` (their hash).

        ``settings`` is called only when this key has not been classified yet.
        """
        found = self._under.get(key)
        if found is None:
            if len(self._under) >= 8:
                self._under.clear()
            found = self._under[key] = classify_dataset(self._current.dataset, settings(), self._current.as_of)
        return found

    def reload(self, data_dir: str | Path | None = None, config: str | Path | None = None) -> Classified:
        """Load afresh; on any error raise it and keep the current data.

        Raises:
            ConfigError, InputError: the located problems; nothing was replaced.
        """
        fresh = load_and_classify(data_dir, config, self._as_of)
        self._current = fresh
        self._under.clear()
        return fresh
