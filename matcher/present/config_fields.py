"""A configuration as form fields a policy officer can fill in, each with its label, hint and current value.

The policy pages build their edit form from this, so every key of ``Settings`` appears with its
help text and nothing is written by hand twice. Labels come from ``config_labels``; numbers and
yes/no get their own input, lists of segments, events and peer groups are checkboxes, lists of
numbers are repeated fields, the milestones and a scenario's own levers are repeated rows, names are one
per line. ``config_form`` reads
the form back into checked settings.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..domain import PeerGroup
from ..ingest.history import EVENTS
from ..settings import KNOWN_METRICS, Settings
from ..settings.weights import _default_metrics
from .config_labels import (
    EVENT_LABELS,
    LABELS,
    LEVER_HELP,
    LEVER_PARTS,
    METRIC_HELP,
    METRIC_NAMES,
    METRIC_PARTS,
    MILESTONE_HELP,
    MILESTONE_PARTS,
    SCOPE_LABELS,
    SECTION_TITLES,
    SEGMENT_LABELS,
)

#: Kinds of input: one value each, or several (checkboxes, repeated inputs, one per line).
SCALAR_KINDS = ("integer", "number", "yes_no", "choice", "text")
LIST_KINDS = ("checkboxes", "numbers", "integers", "lines")
MAX_ROWS = 20  # rows a repeated list (milestones, a scenario's own levers) may have
MAX_BANDS = 6  # income thresholds a form shows at most (steps: one more)
_SEGMENT_LISTS = {"segments.intensive", "segments.difficulty", "segments.supporter", "segments.outweighs_cqc",
                  "segments.supporter_with_good_rating", "segments.earlier_framework.intensive",
                  "segments.earlier_framework.difficulty"}


@dataclass(frozen=True)
class ConfigField:
    """One form input: its key path, kind, label, hint (the key's help text) and current value.

    ``text`` is what the form posts: one string, or a list of strings for the list kinds.
    ``group`` names the repeated group a field belongs to (``Milestone 2``), if any.
    """

    key: str
    kind: str
    label: str
    help: str
    text: str | list[str]
    optional: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    slots: int = 0
    group: str = ""


@dataclass(frozen=True)
class RowList:
    """A list of small records shown as repeated rows (``Milestone 2: bonus``): its parts, their words and inputs."""

    key: str
    title: str
    parts: dict[str, str]
    help: dict[str, str]
    kinds: dict[str, str]


ROW_LISTS = {
    "incentives.mc.milestones": RowList("incentives.mc.milestones", "Milestone", MILESTONE_PARTS, MILESTONE_HELP,
                                        {"name": "text", "amount_gbp": "number", "probability": "number"}),
    "levers": RowList("levers", "Lever", LEVER_PARTS, LEVER_HELP, {"key": "text", "notch": "number", "label": "text"}),
}


@dataclass(frozen=True)
class ConfigSection:
    """A heading of the form (``key`` '' for the top-level fields), its title, help and fields."""

    key: str
    title: str
    help: str
    fields: tuple[ConfigField, ...]


def form_sections(settings: Settings, rows: int = 0) -> tuple[ConfigSection, ...]:
    """Every key of the settings as form fields, grouped by top-level section.

    Each repeated list (the milestones, the scenario's own levers) gets two empty rows to add more,
    and at least ``rows`` rows (a refused form shows every row the person filled in).
    """
    sections: list[ConfigSection] = []
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        if name == "metrics":
            fields: tuple[ConfigField, ...] = tuple(_metric_fields(value))
            sections.append(ConfigSection(name, SECTION_TITLES[name], info.description or "", fields))
        elif name in ROW_LISTS:
            sections.append(ConfigSection(name, SECTION_TITLES[name], hint_text(info.description or ""),
                                          tuple(_rows(ROW_LISTS[name], value, rows))))
        elif isinstance(value, BaseModel):
            sections.append(ConfigSection(name, SECTION_TITLES[name], info.description or "",
                                          tuple(_fields(value, name + ".", rows))))
        elif sections and sections[-1].key == "":
            last = sections[-1]
            sections[-1] = ConfigSection("", last.title, "", (*last.fields, _leaf(name, info, value)))
        else:
            sections.append(ConfigSection("", SECTION_TITLES[""], "", (_leaf(name, info, value),)))
    return tuple(sections)


def all_fields() -> list[ConfigField]:
    """Every field the form may post, whatever the scenario (every row of each repeated list, every number slot)."""
    return [f for s in form_sections(Settings(), MAX_ROWS) for f in s.fields]


def _fields(model: BaseModel, prefix: str, rows: int) -> Iterator[ConfigField]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = prefix + name
        if key in ROW_LISTS:
            yield from _rows(ROW_LISTS[key], value, rows)
        elif key == "peer_groups.may_support":
            yield from _peer_group_fields(value, info.description or "")
        elif isinstance(value, BaseModel):
            yield from _fields(value, key + ".", rows)
        else:
            yield _leaf(key, info, value)


def _leaf(key: str, info, value: Any) -> ConfigField:
    annotation, optional = _unwrap_optional(info.annotation)
    label, hint = LABELS[key], hint_text(info.description or "", optional)
    if annotation is bool:
        return ConfigField(key, "yes_no", label, hint, "true" if value else "false")
    if annotation in (int, float):
        return ConfigField(key, "integer" if annotation is int else "number", label, hint, _number(value), optional)
    if get_origin(annotation) is Literal:
        return ConfigField(key, "choice", label, hint, str(value),
                           choices=tuple((v, SCOPE_LABELS.get(v, v)) for v in get_args(annotation)))
    items = tuple(value)
    if key in _SEGMENT_LISTS:
        return ConfigField(key, "checkboxes", label, hint, [str(v) for v in items],
                           choices=tuple((str(s), text) for s, text in SEGMENT_LABELS.items()))
    if key == "persistent.history_events":
        known = tuple(EVENTS) + tuple(v for v in items if v not in EVENTS)
        return ConfigField(key, "checkboxes", label, hint, list(items),
                           choices=tuple((str(e), EVENT_LABELS.get(str(e), str(e))) for e in known))
    if key == "capacity.income_bands_gbp_m":
        return ConfigField(key, "numbers", label, hint + " Leave a box empty to remove a threshold.",
                           [_number(v) for v in items], slots=MAX_BANDS)
    if key == "capacity.units_by_band":
        return ConfigField(key, "integers", label, hint + " One number more than there are thresholds.",
                           [str(v) for v in items], slots=MAX_BANDS + 1)
    return ConfigField(key, "lines", label, hint + " One on each line.", [str(v) for v in items])


def _peer_group_fields(value: dict, help_text: str) -> Iterator[ConfigField]:
    choices = tuple((g.value, g.label.capitalize()) for g in PeerGroup)
    for group in PeerGroup:
        yield ConfigField(f"peer_groups.may_support.{group.value}", "checkboxes",
                          f"{group.label.capitalize()} supporters may support", hint_text(help_text),
                          [g.value if isinstance(g, PeerGroup) else str(g) for g in value.get(group, ())],
                          choices=choices)


def _metric_fields(metrics: dict) -> Iterator[ConfigField]:
    defaults = _default_metrics()
    for name in KNOWN_METRICS:
        metric = metrics.get(name)
        group = METRIC_NAMES[name]
        better = (metric or defaults[name]).higher_is_better
        yield ConfigField(f"metrics.{name}.weight", "number", f"{group}: {METRIC_PARTS['weight'].lower()}",
                          METRIC_HELP["weight"], _number(metric.weight) if metric else "", optional=True, group=group)
        yield ConfigField(f"metrics.{name}.higher_is_better", "choice",
                          f"{group}: {METRIC_PARTS['higher_is_better'].lower()}", METRIC_HELP["higher_is_better"],
                          "true" if better else "false",
                          choices=(("true", "A higher value is better"), ("false", "A lower value is better")),
                          group=group)


def _rows(rows: RowList, items: tuple, at_least: int) -> Iterator[ConfigField]:
    """The list's rows: each item, then two empty rows to add more (at least ``at_least``, at most ``MAX_ROWS``)."""
    for i in range(min(max(len(items) + 2, at_least), MAX_ROWS)):
        item = items[i] if i < len(items) else None
        group = f"{rows.title} {i + 1}"
        for part, kind in rows.kinds.items():
            value = None if item is None else getattr(item, part)
            text = "" if value is None else (str(value) if kind == "text" else _number(value))
            yield ConfigField(f"{rows.key}[{i}].{part}", kind, f"{group}: {rows.parts[part].lower()}",
                              rows.help[part], text, optional=True, group=group)


def hint_text(help_text: str, optional: bool = False) -> str:
    """A key's help text as a hint: key paths in it become their labels, ``null`` becomes 'leave empty'."""
    def named(match: re.Match) -> str:
        key = match.group(0)
        return f"“{lower_first(LABELS[key])}”" if key in LABELS else key
    text = re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", named, help_text)
    text = re.sub(r"\(null for no limit\);?\s*", "", text).replace("GBP", "£")
    return text + (" Leave empty for no limit." if optional else "")


def lower_first(text: str) -> str:
    """``Annual budget`` -> ``annual budget``; an initialism such as ``CQC`` or ``A&E`` stays as it is."""
    return text if text[1:2].isupper() or text[1:2] == "&" else text[:1].lower() + text[1:]


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not NoneType]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _number(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return str(value)
