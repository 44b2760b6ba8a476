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


# --- Layers inside matcher: saving and loading never reach the solver ------------------------------

#: Modules that solve or explain: the store and the loaders must not import them, even indirectly.
SOLVER_SIDE = ("matcher.model", "matcher.solve", "matcher.explain", "matcher.planning", "matcher.execute",
               "matcher.candidates", "ortools")


def _module_name(path: Path) -> str:
    parts = path.relative_to(MATCHER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved, ``from x import y`` as x.y too)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def _closure(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        for imported in graph.get(name, ()):
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return seen


GRAPH = {_module_name(p): _imports(p) for p in MATCHER.rglob("*.py")}
SAVE_AND_LOAD = sorted(m for m in GRAPH if m.startswith(("matcher.store", "matcher.ingest")))


@pytest.mark.parametrize("module", SAVE_AND_LOAD)
def test_the_store_and_the_loaders_never_reach_the_solver_or_the_explanations(module):
    reached = _closure(module, GRAPH)
    assert not {m for m in reached if m.startswith(SOLVER_SIDE)}


def test_the_closure_follows_relative_imports():
    """Guard the guard: the worker's job reaches the solver through matcher.planning."""
    assert "matcher.solve" in _closure("matcher.execute", GRAPH)


# --- Size and self-containment ------------------------------------------------------------------------

ROOT = MATCHER.parent
SOURCE = sorted([*MATCHER.rglob("*.py"), *(ROOT / "web").rglob("*.py")])


@pytest.mark.parametrize("path", SOURCE, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_fits_on_a_few_screens(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


def test_nothing_in_the_project_reads_outside_its_own_tree():
    texts = [p for p in [*ROOT.glob("*.*"), *ROOT.glob("Makefile"), *(ROOT / ".ci").glob("*")] if p.is_file()]
    for folder in ("matcher", "web", "tests", "bench", "scripts"):
        texts += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".sh", ".md", ".yaml", ".cfg", ".toml")]
    outside = [str(p.relative_to(ROOT)) for p in texts
               if p != Path(__file__) and any(s in p.read_text(encoding="utf-8", errors="ignore")
                                              for s in ("../shared", '"shared"', "'shared'"))]
    assert outside == []
