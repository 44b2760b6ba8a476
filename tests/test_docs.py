"""The README documents every configuration key, generated from the settings model, and stays in sync."""
from __future__ import annotations

from pathlib import Path

import pytest

from matcher.settings import config_reference_markdown, iter_keys

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
KEYS = list(iter_keys())


@pytest.mark.parametrize("key", [k for k, _ in KEYS])
def test_config_key_is_in_the_readme_reference(key):
    assert f"| `{key}` |" in README


@pytest.mark.parametrize("key, description", KEYS, ids=[k for k, _ in KEYS])
def test_config_key_has_a_description(key, description):
    assert description.strip(), f"{key} has no docstring in matcher/settings.py"


def test_the_readme_reference_is_up_to_date():
    start, end = "<!-- config-reference:start -->\n", "<!-- config-reference:end -->"
    block = README[README.index(start) + len(start):README.index(end)]
    assert block == config_reference_markdown(), "run `make docs` to regenerate the README's config reference"


def test_readme_names_the_two_commands():
    assert "make run" in README and "make test" in README
