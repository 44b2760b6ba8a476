"""Pydantic's validation errors as located, plain-English problems a policy officer can act on.

A message quotes at most a short excerpt of the value it refuses (``matcher.errors.excerpt``): the
input may be large or hostile, and an error page or log line must never grow with it.
"""
from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ..errors import ConfigProblem, excerpt
from .reference import section_inside
from .schema import Settings


def problem_from(error: ErrorDetails) -> ConfigProblem:
    """Turn one pydantic error into a located, plain-English problem."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind in ("extra_forbidden", "invalid_key"):
        name = loc[-1] if not isinstance(loc[-1], str) or (loc[-1] and loc[-1].strip() == loc[-1]) else excerpt(loc[-1])
        key = _key_path((*loc[:-1], name, "[key]"))  # the last part is a key even when it is a number or blank
        return ConfigProblem(key, "is not a known key" + (_did_you_mean(loc) if kind == "extra_forbidden" else ""))
    key = _key_path(loc)
    if loc and loc[-1] == "[key]" and kind == "string_type":
        return ConfigProblem(key, f"must be named with text, got {excerpt(loc[-2])}")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = _number(next(iter(ctx.values())))
        words = {"greater_than_equal": f"{bound} or more", "greater_than": f"more than {bound}",
                 "less_than_equal": f"{bound} or less", "less_than": f"less than {bound}"}[kind]
        return ConfigProblem(key, f"must be {words}, got {excerpt(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return ConfigProblem(key, f"must be a whole number, got {excerpt(value)}")
    if kind == "finite_number":
        return ConfigProblem(key, f"must be a finite number, got {excerpt(value)}")
    if kind in ("float_type", "float_parsing"):
        return ConfigProblem(key, f"must be a number, got {excerpt(value)}")
    if kind in ("bool_type", "bool_parsing"):
        return ConfigProblem(key, f"must be true or false, got {excerpt(value)}")
    if kind == "enum":
        return ConfigProblem(key, f"must be one of {ctx.get('expected')}, got {excerpt(value)}")
    if kind == "missing":
        return ConfigProblem(key, "is required")
    if kind in ("model_type", "dict_type"):
        return ConfigProblem(key, f"must be a section of keys and values, got {excerpt(value)}")
    if kind in ("tuple_type", "list_type"):
        return ConfigProblem(key, f"must be a list, got {excerpt(value)}")
    if kind == "too_short":
        return ConfigProblem(key, "must not be empty")
    if kind == "string_too_long":
        return ConfigProblem(key, f"must be {ctx.get('max_length')} characters or fewer")
    if kind == "too_long":
        return ConfigProblem(key, f"must have {ctx.get('max_length')} items or fewer")
    message = str(error.get("msg", "is not valid"))
    return ConfigProblem(key, message.removeprefix("Value error, "))


def _number(bound: float) -> str:
    """A bound as a person writes it: ``10,000``, ``0.5``, ``2,147,483,647``."""
    if isinstance(bound, float) and bound.is_integer():
        bound = int(bound)
    return f"{bound:,}" if isinstance(bound, int) else f"{bound:,g}"


def _key_path(loc: tuple[Any, ...]) -> str:
    """``('incentives', 'mc', 'milestones', 0, 'name')`` -> ``incentives.mc.milestones[0].name``."""
    path = ""
    for i, part in enumerate(loc):
        if isinstance(part, int) and path and loc[i + 1:i + 2] != ("[key]",):
            path += f"[{part}]"  # a list index (a number followed by "[key]" is a mapping key)
        elif str(part) == "[key]":  # pydantic marks a bad mapping key this way
            continue
        elif not str(part).startswith("function-"):  # pydantic's internal validator names
            path += f".{part}" if path else str(part)
    return path


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    """Suggest the closest known key at the same level of the config, if any is close."""
    model: type[BaseModel] | None = Settings
    parts = list(loc[:-1])
    while parts and model is not None:
        field = model.model_fields.get(str(parts.pop(0)))
        model, suffix = section_inside(field.annotation) if field else (None, "")
        if suffix in (".<name>.", "[].") and parts:
            parts.pop(0)  # the mapping key or list index
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f"; did you mean '{_key_path((*loc[:-1], close[0]))}'?" if close else ""
