"""Shared fixtures: default settings, a fixed classification date and a scratch copy of the data."""
from __future__ import annotations

from pathlib import Path

import pytest

from matcher.settings import Settings
from tests.factories import AS_OF, copy_shipped_data


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
