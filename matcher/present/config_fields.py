"""A configuration as form fields, and form fields back into a checked configuration.

The policy pages build their edit form from this, so every key of ``Settings`` appears with
its help text and nothing is written by hand twice. Simple values (numbers, yes/no) get their
own input; lists and mappings are edited as a small YAML block.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from .. import safe_yaml
from ..errors import ConfigError, ConfigProblem, excerpt
from ..parsing import decimal_number, whole_number
from ..settings import Settings, settings_from_mapping


@dataclass(frozen=True)
class ConfigField:
    """One form field: its key path, what kind of input it needs, its help text and current text."""

    key: str
    kind: str  # "integer", "number", "yes_no" or "yaml"
    help: str
    text: str
    optional: bool = False

    @property
    def label(self) -> str:
        """``base units`` for ``capacity.base_units``."""
        return self.key.rsplit(".", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class ConfigSection:
    """A heading of the form and the fields under it (top-level fields have key '')."""

    key: str
    help: str
    fields: tuple[ConfigField, ...]


def form_sections(settings: Settings) -> tuple[ConfigSection, ...]:
    """Every key of the settings as form fields, grouped by top-level section."""
    sections = []
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, BaseModel):
            sections.append(ConfigSection(name, info.description or "", tuple(_fields(value, name + "."))))
        else:
            sections.append(ConfigSection("", "", (_leaf(name, info, value),)))
    merged: list[ConfigSection] = []
    for section in sections:  # consecutive top-level keys share one unnamed section
        if merged and section.key == "" and merged[-1].key == "":
            merged[-1] = ConfigSection("", "", merged[-1].fields + section.fields)
        else:
            merged.append(section)
    return tuple(merged)


def _fields(model: BaseModel, prefix: str) -> Iterator[ConfigField]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _fields(value, f"{prefix}{name}.")
        else:
            yield _leaf(prefix + name, info, value)


def _leaf(key: str, info, value: Any) -> ConfigField:
    annotation, optional = _unwrap_optional(info.annotation)
    if annotation is bool:
        return ConfigField(key, "yes_no", info.description or "", "true" if value else "false")
    if annotation in (int, float):
        kind = "integer" if annotation is int else "number"
        return ConfigField(key, kind, info.description or "", "" if value is None else f"{value:g}"
                           if isinstance(value, float) else str(value), optional)
    plain = _plain(value)
    text = yaml.safe_dump(plain, default_flow_style=None, sort_keys=False).strip()
    return ConfigField(key, "yaml", info.description or "", text.removesuffix("...").strip(), optional)


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not NoneType]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _plain(value: Any) -> Any:
    """The value as YAML-ready data (enums as their text, tuples as lists, sections as mappings)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return getattr(value, "value", value)


def settings_from_form(form: Mapping[str, str], source: str = "the form") -> Settings:
    """Read every field of the form and check the whole configuration.

    Raises:
        ConfigError: every problem, each located by the key path of its field (a problem deep inside
            a YAML block is reported on that block's key).
    """
    fields = [f for s in form_sections(Settings()) for f in s.fields]
    raw: dict[str, Any] = {}
    problems = []
    for field in fields:
        text = form.get(field.key, "").strip()
        try:
            value = _parse(field, text)
        except ValueError as exc:
            problems.append(ConfigProblem(field.key, str(exc)))
            continue
        _put(raw, field.key, value)
    keys = [f.key for f in fields]
    try:
        settings = settings_from_mapping(raw, source)  # unreadable fields are left out, so the rest are checked too
    except ConfigError as exc:
        problems += [ConfigProblem(field_for(p.key, keys), p.message if p.key in keys else f"({p.key}) {p.message}")
                     for p in exc.problems]
    if problems:
        raise ConfigError(source, sorted(problems, key=lambda p: keys.index(p.key) if p.key in keys else len(keys)))
    return settings


def field_for(key: str, keys: list[str]) -> str:
    """The form field a problem's key path belongs to (the longest field key it starts with).

    A problem with a whole section (``segments``: intensive and supporter overlap) goes on the
    section's first field, so the error summary can still link to it.
    """
    matches = [k for k in keys if key == k or key.startswith(k + ".") or key.startswith(k + "[")]
    if matches:
        return max(matches, key=len)
    return next((k for k in keys if k.startswith(key + ".")), key)


def _parse(field: ConfigField, text: str) -> Any:
    if text == "":
        if field.optional:
            return None
        raise ValueError("must not be empty")
    if field.kind == "yes_no":
        if text not in ("true", "false"):
            raise ValueError("must be yes or no")
        return text == "true"
    if field.kind == "integer":
        whole = whole_number(text)
        if whole is None:
            raise ValueError(f"must be a whole number, got {excerpt(text)}")
        return whole
    if field.kind == "number":
        number = decimal_number(text)
        if number is None:
            raise ValueError(f"must be a number, got {excerpt(text)}")
        return number
    try:
        return safe_yaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ValueError(f"is not valid YAML{where}: {getattr(exc, 'problem', None) or 'cannot be read'}") from None


def _put(raw: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    node = raw
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
