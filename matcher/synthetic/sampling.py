"""Small pure helpers that draw values from the real data's empirical distributions.

The generator keeps each group's real distribution and imposes an order from a latent score
(a rank-based copula): ``value_pools`` gathers the real values per group, ``ranked_draw``
reads them at the latent's quantiles, ``pick`` chooses donors. All randomness comes from the
``numpy.random.Generator`` passed in, so a seed fixes every file.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

MIN_POOL = 10          # a group with fewer real values borrows those of a wider group
MIN_DONORS = 3         # fewer donors of the same type and segment: take donors of any type
#: numpy's date unit for a date of each length: YYYY-MM-DD, YYYY-MM, YYYY.
_UNITS: dict[int, Literal["D", "M", "Y"]] = {10: "D", 7: "M", 4: "Y"}

Key = TypeVar("Key", bound=Hashable)


def floats(values: pd.Series | np.ndarray) -> np.ndarray:
    """Cells as floats (blank or non-numeric: NaN)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not pd.api.types.is_float_dtype(series):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype=float)


def numeric_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``frame`` with the named text columns read as floats."""
    return frame.assign(**{c: floats(frame[c]) for c in columns})


def _uniform_ranks(w: np.ndarray) -> np.ndarray:
    """Ranks of ``w`` mapped into (0, 1): the empirical copula of a latent score."""
    return (np.argsort(np.argsort(w, kind="stable"), kind="stable") + 0.5) / len(w)


def value_pools(values: np.ndarray, groups: np.ndarray, coarse: np.ndarray | None = None) -> dict[object, np.ndarray]:
    """Real values per group (non-missing), for groups with at least ``MIN_POOL`` of them.

    A smaller group takes the values of its ``coarse`` group (when given and big enough), else
    all values (also kept under the key ``None``).
    """
    present = ~pd.isna(values)
    pooled = values[present].astype(float)
    coarse = groups if coarse is None else coarse
    out: dict[object, np.ndarray] = {None: pooled}
    for group, wider in dict(zip(groups, coarse, strict=True)).items():
        own = values[present & (groups == group)].astype(float)
        wide = values[present & (coarse == wider)].astype(float)
        out[group] = own if len(own) >= MIN_POOL else wide if len(wide) >= MIN_POOL else pooled
    return out


def ranked_draw(w: np.ndarray, groups: np.ndarray, mask: np.ndarray, pools: Mapping[object, np.ndarray],
                 discrete: bool = False) -> np.ndarray:
    """For masked rows, the real values of each group at the quantiles given by the ranks of ``w``.

    The result has each group's real distribution and the order of ``w``: a rank-based
    (Gaussian-free) copula. ``discrete`` keeps observed values (no interpolation).
    """
    out = np.full(len(w), np.nan)
    method: Literal["inverted_cdf", "linear"] = "inverted_cdf" if discrete else "linear"
    for group in sorted(set(groups[mask]), key=str):
        idx = np.flatnonzero(mask & (groups == group))
        pool = pools.get(group, pools[None])
        out[idx] = np.quantile(pool, _uniform_ranks(w[idx]), method=method)
    return out


def latent(rng: np.random.Generator, z: np.ndarray, rho: float) -> np.ndarray:
    """A score correlated ``rho`` with the quality ``z``."""
    return rho * z + np.sqrt(1 - rho * rho) * rng.standard_normal(len(z))


def pick(u: np.ndarray, keys: Iterable[Key | None], pools: Mapping[Key, np.ndarray]) -> np.ndarray:
    """For each row, an element of its key's pool chosen by the uniform draw ``u`` (-1 without a pool)."""
    rows: dict[Key, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            rows.setdefault(key, []).append(i)
    out = np.full(len(u), -1, dtype=int)
    for key, idx in rows.items():
        pool = pools.get(key)
        if pool is not None and len(pool):
            out[idx] = pool[np.minimum((u[idx] * len(pool)).astype(int), len(pool) - 1)]
    return out


def donor_pools(keys: Sequence[tuple], fallback: Sequence[object]) -> dict[tuple, np.ndarray]:
    """Row positions per key (keys with fewer than ``MIN_DONORS`` rows left out), plus ``("any", fallback)`` pools."""
    keys = list(keys)
    by_key: dict[tuple, list[int]] = {}
    by_fallback: dict[object, list[int]] = {}
    for i, (key, back) in enumerate(zip(keys, fallback, strict=True)):
        by_key.setdefault(key, []).append(i)
        by_fallback.setdefault(back, []).append(i)
    out = {key: np.array(rows) for key, rows in by_key.items() if len(rows) >= MIN_DONORS}
    out.update({("any", back): np.array(rows) for back, rows in by_fallback.items()})
    return out


def int_column(values: np.ndarray) -> pd.Series:
    """Whole numbers with missing values kept blank (not ``12.0``)."""
    return pd.Series(np.round(values)).astype("Int64")


def dates_text(days: np.ndarray) -> np.ndarray:
    """Day numbers since 1970-01-01 as YYYY-MM-DD strings (blank where missing)."""
    days = np.asarray(days, dtype=float)
    text = np.datetime_as_string(np.nan_to_num(days).astype(np.int64).astype("datetime64[D]"), unit="D")
    return np.where(np.isnan(days), "", text).astype(object)


def periods(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates or partial dates as (first day, number of days): YYYY-MM-DD one day, YYYY-MM a month, YYYY a year.

    Days count from 1970-01-01; anything else (such as "unknown") is NaN.
    """
    first, length = [], []
    for text in texts:
        text = text.strip()
        unit = _UNITS.get(len(text))
        try:
            start = np.datetime64(text, unit) if unit else None
        except ValueError:
            start = None
        if start is None:
            first.append(np.nan)
            length.append(np.nan)
            continue
        day = start.astype("datetime64[D]")
        first.append(float(day.astype(int)))
        length.append(float(((start + 1).astype("datetime64[D]") - day).astype(int)))
    return np.array(first), np.array(length)
