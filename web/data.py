"""The classified data the service shows: trust names, regions and sectors by code.

The service's settings are those of the latest version of the default scenario ("National
default", created from ``config.yaml`` on an empty database): the trust pages classify with the
same rules a regulator's run of that scenario uses, and follow it when policy staff change it.
"""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy import select

from matcher.domain import display_name
from matcher.pipeline import Classified
from matcher.store.scenarios import DEFAULT_NAME, settings_of
from matcher.store.tables import Scenario

from . import db

_DEFAULT = select(Scenario).where(Scenario.name == DEFAULT_NAME).order_by(Scenario.version.desc()).limit(1)


def classified() -> Classified:
    """The loaded data, classified under the default scenario's latest settings (once per request)."""
    if "classified" not in g:
        current = current_app.extensions["buddying"]
        scenario = db.session().scalar(_DEFAULT)
        g.classified = current.current if scenario is None else current.under(
            scenario.config_hash, lambda: settings_of(scenario))
    return g.classified


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
