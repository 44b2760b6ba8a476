"""Scenarios: each save of a name is its next version, checked by the settings loader before it is stored."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from matcher.errors import BuddyingError, ConfigError
from matcher.settings import Settings
from matcher.store.scenarios import (
    DEFAULT_NAME,
    ensure_default,
    latest_versions,
    save_scenario,
    settings_of,
    versions_of,
)
from matcher.store.tables import AuditEntry, Scenario
from tests.running import CONFIG_YAML, count

SMALL_BUDGET = "incentives:\n  annual_budget_gbp_m: 10\n"


def test_versions_increment_per_name(db):
    with db.begin() as session:
        first = save_scenario(session, "Small budget", SMALL_BUDGET, "first try")
        second = save_scenario(session, "Small budget", SMALL_BUDGET + "must_match_intensive: true\n")
        other = save_scenario(session, "Near only", "max_distance_km:\n  buddy: 50\n")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert (first.label, second.label, other.label) == ("Small budget v1", "Small budget v2", "Near only v1")


def test_a_saved_scenario_keeps_its_text_hash_note_and_author_and_is_audited(db):
    with db.begin() as session:
        saved = save_scenario(session, "  Small   budget ", SMALL_BUDGET, "  halve it  ")
    with db() as session:
        scenario = session.get(Scenario, saved.id)
        entry = session.scalar(select(AuditEntry))
    assert (scenario.name, scenario.note, scenario.config_yaml) == ("Small budget", "halve it", SMALL_BUDGET)
    assert scenario.config_hash == hashlib.sha256(SMALL_BUDGET.encode()).hexdigest()
    assert settings_of(scenario).incentives.annual_budget_gbp_m == 10
    assert (entry.action, entry.subject, entry.detail) == ("scenario.save", "Small budget v1", {"note": "halve it"})


@pytest.mark.parametrize("text, message", [
    ("capasity:\n  buddy_units: 2\n",
     "There is a problem in scenario 'Typo':\n  - capasity is not a known key; did you mean 'capacity'?"),
    ("capacity: [1\n",
     "There is a problem in scenario 'Typo':\n  - line 2, column 1: expected ',' or ']', but got '<stream end>'"),
    ("- 1\n", "There is a problem in scenario 'Typo':\n  - the file must be a mapping of keys to values"),
    ("zzz: 1\ncapacity:\n  mc_units: -1\n",
     "There are 2 problems in scenario 'Typo':\n"
     "  - capacity.mc_units must be 1 or more, got -1\n"
     "  - zzz is not a known key"),
], ids=["unknown key", "invalid yaml", "not a mapping", "two problems"])
def test_a_bad_configuration_is_refused_by_key_and_nothing_is_stored(db, text, message):
    with pytest.raises(ConfigError) as raised, db.begin() as session:
        save_scenario(session, "Typo", text)
    assert str(raised.value) == message
    with db() as session:
        assert count(session, Scenario) == 0 and count(session, AuditEntry) == 0


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_scenario_needs_a_name_of_1_to_80_characters(db, name):
    with pytest.raises(BuddyingError, match=r"^Give the scenario a name of 1 to 80 characters$"), \
            db.begin() as session:
        save_scenario(session, name, SMALL_BUDGET)
    with db() as session:
        assert count(session, Scenario) == 0


def test_an_empty_configuration_means_the_defaults(db):
    with db.begin() as session:
        assert settings_of(save_scenario(session, "Defaults", "")) == Settings()


def test_ensure_default_creates_the_default_once(db):
    with db.begin() as session:
        first = ensure_default(session, CONFIG_YAML)
    with db.begin() as session:
        again = ensure_default(session, CONFIG_YAML)
    assert again.id == first.id
    assert (first.name, first.version, first.note) == (DEFAULT_NAME, 1, "From config.yaml")
    assert settings_of(first) == Settings()
    with db() as session:
        assert count(session, Scenario) == 1


def test_ensure_default_does_not_add_a_version_when_the_default_was_edited(db):
    with db.begin() as session:
        ensure_default(session, CONFIG_YAML)
        save_scenario(session, DEFAULT_NAME, SMALL_BUDGET)
        ensure_default(session, CONFIG_YAML)
    with db() as session:
        assert [s.version for s in versions_of(session, DEFAULT_NAME)] == [2, 1]


def test_latest_versions_gives_the_newest_of_each_name_by_name(db):
    with db.begin() as session:
        save_scenario(session, "Zeta", SMALL_BUDGET)
        for _ in range(3):
            save_scenario(session, "Alpha", SMALL_BUDGET)
        save_scenario(session, "Zeta", SMALL_BUDGET)
    with db() as session:
        assert [s.label for s in latest_versions(session)] == ["Alpha v3", "Zeta v2"]
        assert [s.label for s in versions_of(session, "Alpha")] == ["Alpha v3", "Alpha v2", "Alpha v1"]
        assert versions_of(session, "Nothing") == []
