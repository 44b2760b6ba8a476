"""What changed between two configurations, setting by setting, in the policy form's words.

A scenario's page lists each setting whose value differs from the version before (or, for a new
scenario, from the one it is compared with): its section, its label, the value before and after.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings
from .config_fields import MAX_ROWS, ConfigField, all_fields, form_sections


@dataclass(frozen=True)
class Change:
    """One setting that differs: where it is on the form, its label, and its value before and after in words."""

    section: str
    label: str
    before: str
    after: str


def changes(before: Settings, after: Settings) -> list[Change]:
    """Every setting whose value differs, in the order of the form."""
    old = {f.key: (s.title, f) for s in form_sections(before, MAX_ROWS) for f in s.fields}
    new = {f.key: (s.title, f) for s in form_sections(after, MAX_ROWS) for f in s.fields}
    out = []
    for field in all_fields():
        (title, was), (_, now) = old[field.key], new[field.key]
        if _words(was) != _words(now):
            out.append(Change(title, field.label, _words(was), _words(now)))
    return out


def _words(field: ConfigField | None) -> str:
    """A field's value as a person reads it: ``Segment 4, Segment 5``, ``Yes``, ``200``, or ``none``."""
    if field is None:
        return "none"
    names = dict(field.choices)
    if isinstance(field.text, list):
        return ", ".join(names.get(v, v) for v in field.text) or "none"
    if field.kind == "yes_no":
        return "Yes" if field.text == "true" else "No"
    return names.get(field.text, field.text) or "none"
