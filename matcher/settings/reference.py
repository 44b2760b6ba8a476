"""The configuration described: every key with its meaning and default, for the README, forms and docs."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel

from .schema import Settings


def iter_keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every documented key path with its description, depth first (for docs and forms).

    Entries of a named mapping are shown as ``metrics.<name>.weight`` and items of a list
    of sections as ``incentives.mc.milestones[].amount_gbp``.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, field.description or ""
        inner, suffix = section_inside(field.annotation)
        if inner is not None:
            yield from iter_keys(inner, path + suffix)


def section_inside(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The config section type an annotation holds, and how its keys are written under it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, "."
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return args[1], ".<name>."
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], "[]."
    return None, ""


def config_reference_markdown() -> str:
    """The README's configuration reference: every key, its default and its meaning, as a Markdown table."""
    defaults = Settings().model_dump(mode="json")
    sections = set(_section_keys())
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, description in iter_keys():
        default = "(section)" if key in sections else _default_text(defaults, key)
        lines.append(f"| `{key}` | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _section_keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[str]:
    """Key paths whose value is a section of further keys."""
    for name, field in model.model_fields.items():
        inner, suffix = section_inside(field.annotation)
        if inner is not None and suffix == ".":
            yield f"{prefix}{name}"
            yield from _section_keys(inner, f"{prefix}{name}.")


def _default_text(defaults: dict[str, Any], key: str) -> str:
    value: Any = defaults
    for part in key.split("."):
        if part == "<name>" or part.endswith("[]") or not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    if isinstance(value, dict):
        return "see config.yaml"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"{len(value)} items, see config.yaml"
    if value is None:
        return "`null`"
    return "`" + yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip() + "`"
