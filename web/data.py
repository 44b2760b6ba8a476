"""The classified data the service shows: trust names, regions and sectors by code."""
from __future__ import annotations

from flask import current_app

from matcher.domain import display_name
from matcher.pipeline import Classified


def classified() -> Classified:
    """The data and classifications in use (loaded and checked when the app started)."""
    return current_app.extensions["buddying"].current


def names() -> dict[str, str]:
    """Trust code -> readable name."""
    return _facts(classified())[0]


def coordinates() -> dict[str, tuple[float, float]]:
    """Trust code -> (latitude, longitude) of its head office."""
    table = classified().trusts
    return dict(zip(table["code"], zip(table["latitude"], table["longitude"], strict=True), strict=True))


def facts() -> dict[str, dict[str, str]]:
    """Trust code -> {name, region, sector, role} for filters and tables."""
    return _facts(classified())[1]


_CACHE: dict[int, tuple[Classified, tuple]] = {}


def _facts(data: Classified) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Computed once per loaded data (keyed by identity: a reload brings a new object)."""
    cached = _CACHE.get(id(data))
    if cached is None or cached[0] is not data:
        _CACHE.clear()
        cached = _CACHE[id(data)] = (data, _compute(data))
    return cached[1]


def _compute(data: Classified) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    table = data.trusts.set_index("code")
    roles = {c.code: c.role.value for c in data.classifications}
    by_code = {code: {"name": display_name(row["name"]), "region": str(row["region"]), "sector": str(row["sector"]),
                      "role": roles.get(code, "")} for code, row in table.iterrows()}
    return {code: f["name"] for code, f in by_code.items()}, by_code
