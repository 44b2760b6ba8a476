"""The layer rule: ``matcher`` is the domain core and never imports Flask or the web package."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

MATCHER = Path(__file__).resolve().parent.parent / "matcher"
FORBIDDEN = ("flask", "web", "jinja2", "werkzeug")


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(MATCHER.rglob("*.py")), ids=lambda p: str(p.relative_to(MATCHER)))
def test_matcher_module_imports_no_web_framework(path):
    assert _imported_roots(path).isdisjoint(FORBIDDEN)


def test_the_import_check_sees_a_flask_import(tmp_path):
    """Guard the guard: the scanner must notice both import forms."""
    sample = tmp_path / "sample.py"
    sample.write_text("import flask\nfrom web.trusts import bp\n")
    assert _imported_roots(sample) >= {"flask", "web"}


def test_required_top_level_layout_exists():
    root = MATCHER.parent
    for name in ("matcher", "web", "data", "tests", "config.yaml", "requirements.txt", "README.md"):
        assert (root / name).exists(), name
