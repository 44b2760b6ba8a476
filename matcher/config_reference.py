"""The README's configuration reference, generated from the settings model (``make docs`` writes it)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import BaseModel

from .config_problems import section_inside
from .settings import Settings, iter_keys


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
