"""Scenarios: named configurations, each save a new version checked by the settings loader."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import BuddyingError
from ..settings import Settings, parse_settings
from .audit import record
from .tables import Scenario

DEFAULT_NAME = "National default"


def save_scenario(session: Session, name: str, config_yaml: str, note: str = "", author_id: int | None = None
                  ) -> Scenario:
    """Check the YAML and store it as the next version of ``name``.

    Raises:
        ConfigError: the YAML is not a valid configuration (every problem, by key path).
        BuddyingError: the name is empty or too long.
    """
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise BuddyingError("Give the scenario a name of 1 to 80 characters")
    parse_settings(config_yaml, source=f"scenario '{name}'")
    latest = session.scalar(select(func.max(Scenario.version)).where(Scenario.name == name)) or 0
    scenario = Scenario(name=name, version=latest + 1, config_yaml=config_yaml, note=note.strip(),
                        config_hash=hashlib.sha256(config_yaml.encode()).hexdigest(), author_id=author_id)
    session.add(scenario)
    session.flush()
    record(session, author_id, "scenario.save", scenario.label, note=scenario.note)
    return scenario


def settings_of(scenario: Scenario) -> Settings:
    """The scenario's configuration as settings (it was checked when saved)."""
    return parse_settings(scenario.config_yaml, source=f"scenario '{scenario.label}'")


def ensure_default(session: Session, config_yaml: str) -> Scenario:
    """The first version of the default scenario, created from ``config.yaml`` on an empty database."""
    existing = session.scalar(select(Scenario).where(Scenario.name == DEFAULT_NAME).order_by(Scenario.version))
    return existing or save_scenario(session, DEFAULT_NAME, config_yaml, "From config.yaml")


def latest_versions(session: Session) -> list[Scenario]:
    """The newest version of every scenario, by name."""
    newest = select(Scenario.name, func.max(Scenario.version).label("v")).group_by(Scenario.name).subquery()
    query = select(Scenario).join(newest, (Scenario.name == newest.c.name) & (Scenario.version == newest.c.v))
    return list(session.scalars(query.order_by(Scenario.name)))


def versions_of(session: Session, name: str) -> list[Scenario]:
    """Every version of one scenario, newest first."""
    return list(session.scalars(select(Scenario).where(Scenario.name == name).order_by(Scenario.version.desc())))
