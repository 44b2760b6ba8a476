"""Shared fixtures: default settings, a fixed classification date, a scratch copy of the data and a database."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matcher.dataset import load_dataset
from matcher.settings import Settings
from matcher.store.engine import open_database
from tests.databases import fresh_database_url
from tests.factories import AS_OF, copy_shipped_data

pytest_plugins = ["tests.running"]


@pytest.fixture
def settings() -> Settings:
    """The defaults, as in DOMAIN.md."""
    return Settings()


@pytest.fixture
def as_of():
    """The date ratings are aged against in tests (fixed, so ages do not drift)."""
    return AS_OF


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    return copy_shipped_data(tmp_path / "data")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test.

    SQLite by default, or a new schema in the PostgreSQL database named by ``TEST_DATABASE_URL``
    (CI runs the whole suite once each way).
    """
    with fresh_database_url(tmp_path) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated database and its session maker."""
    engine, sessions = open_database(database_url)
    yield sessions
    engine.dispose()


@pytest.fixture(scope="session")
def shipped_dataset():
    """The shipped data, loaded once for the whole test session (it is never changed)."""
    return load_dataset(None)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2id with its cheapest parameters in tests (the algorithm and format are unchanged)."""
    from argon2 import PasswordHasher

    from matcher.store import accounts
    production = accounts.HASHER
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    accounts.HASHER = production


_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember every skipped test: this suite runs everything, database and browser tests included."""
    if report.skipped:
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test fails the run (CI must never pass by leaving tests out)."""
    if _SKIPPED and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\n{len(_SKIPPED)} test(s) were skipped, which this suite does not allow: " + ", ".join(_SKIPPED[:10]))
