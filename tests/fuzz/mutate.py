"""Mutations of nested YAML-like data (mappings, lists, scalars) for the config fuzz tests."""
from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.support import text

#: Values of the wrong type, sign or size for any config key.
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([-1, -0.5, 0, 10**20, 1e308, -1e308, 2**63, 2**31]),
    text, st.sampled_from(["yes", "no", "on", "off", "~", "1e5", "five", "", "acute", "unknown_sector", "true"]),
    st.lists(st.integers(-3, 9), max_size=4), st.dictionaries(text, st.integers(), max_size=3),
    st.recursive(st.none() | st.integers() | text, lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8),
)

#: Any YAML-representable document (safe_dump can write every one of these).
YAML_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside ``node`` (keys of mappings, indexes of lists)."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((*prefix, key))
        found += paths(value, (*prefix, key))
    return found


def typo(word: str, data: st.DataObject) -> str:
    """``word`` with one character dropped, doubled, swapped or changed (or a case change)."""
    if not word:
        return "x"
    i = data.draw(st.integers(0, len(word) - 1))
    how = data.draw(st.sampled_from(["drop", "double", "swap", "change", "upper", "dash"]))
    if how == "drop":
        out = word[:i] + word[i + 1:]
    elif how == "double":
        out = word[:i] + word[i] + word[i:]
    elif how == "swap" and i + 1 < len(word):
        out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif how == "upper":
        out = word.upper()
    elif how == "dash":
        out = word.replace("_", "-")
    else:
        out = word[:i] + data.draw(st.sampled_from("aeiouxz_")) + word[i + 1:]
    return out if out != word else word + "s"


def mutate(document: Any, data: st.DataObject, max_mutations: int = 4) -> Any:
    """A copy of ``document`` with a few keys deleted, renamed with typos or given junk values."""
    doc = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, max_mutations))):
        where = paths(doc)
        if not where:
            break
        path = data.draw(st.sampled_from(where))
        *parent_path, last = path
        parent = doc
        for part in parent_path:
            parent = parent[part]
        how = data.draw(st.sampled_from(["delete", "rename", "junk", "junk", "add"]))
        if how == "delete":
            del parent[last]
        elif how == "rename" and isinstance(parent, dict):
            parent[typo(str(last), data)] = parent.pop(last)
        elif how == "add" and isinstance(parent, dict):
            key = data.draw(st.sampled_from([str(last) + "_extra", "unknown", "weight", "name", 1, True]))
            parent[key] = data.draw(JUNK)
        else:
            parent[last] = data.draw(JUNK)
    return doc
