"""Reading YAML that people wrote: no aliases, limited nesting, never a Python object.

Every YAML file or form field from outside is hostile until checked. Aliases let a few hundred
bytes stand for millions of values (each ``*x`` repeats the whole of ``&x``, and aliases of
aliases multiply), and deep nesting makes any recursive reader run out of stack. Both are
refused while the document is read, before a single value is built, with the line and column
of the offending place. Everything else is PyYAML's safe loader (plain data only).
"""
from __future__ import annotations

from typing import Any, cast

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.events import AliasEvent, CollectionStartEvent

#: Deepest nesting of lists and mappings accepted (the configuration needs 4).
MAX_DEPTH = 20
ALIAS_REFUSED = "aliases (*name) are not allowed here; write each value out in full"
TOO_DEEP = f"lists and sections are nested more than {MAX_DEPTH} deep"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases and nesting beyond ``MAX_DEPTH``."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        mark = cast(Mark, event.start_mark)  # the pure-Python reader's marks (this loader never uses libyaml's)
        if isinstance(event, AliasEvent):
            raise ComposerError(None, None, ALIAS_REFUSED, mark)
        nested = isinstance(event, CollectionStartEvent)
        if nested and self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, TOO_DEEP, mark)
        self._depth += nested
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= nested


#: Longest whole number accepted, in characters (Python refuses to read beyond 4,300 digits anyway).
MAX_DIGITS = 30


def _bounded_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """A YAML whole number, refused with its place when it is longer than ``MAX_DIGITS``."""
    if len(node.value) > MAX_DIGITS:
        raise ConstructorError(None, None, f"this number is longer than {MAX_DIGITS} digits", node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)


def load(text: str) -> Any:
    """The one YAML document in ``text`` as plain data (None for an empty document).

    Raises:
        yaml.YAMLError: not YAML, an alias, or nesting deeper than ``MAX_DEPTH``; its
            ``problem_mark`` says where.
    """
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
