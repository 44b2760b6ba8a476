"""The policy form read back into checked settings, and its problems in a policy officer's words.

``settings_from_form`` reads every field (``config_fields.all_fields``) and checks the whole
configuration, so every problem is found at once and each is put on the field it belongs to;
``form_errors`` turns those problems into the messages the error summary and the fields show
("Support units a management contract uses must be 1 or more (you entered 0)"), never a key path.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml

from .. import safe_yaml
from ..errors import ConfigError, ConfigProblem, excerpt
from ..parsing import decimal_number, whole_number
from ..settings import Settings, settings_from_mapping
from .config_fields import LIST_KINDS, ROW_LISTS, ConfigField, all_fields, form_sections
from .config_fields import lower_first as _lower

FormValue = str | Sequence[str]
_ROW = re.compile(r"^(incentives\.mc\.milestones|levers)\[(\d+)\]")


def settings_from_form(form: Mapping[str, FormValue], source: str = "the form") -> Settings:
    """Read every field of the form and check the whole configuration.

    A value is one string, or a list of strings for checkboxes and repeated inputs (a single
    string is read as a list of one). Empty milestone rows and measures without a weight are
    left out.

    Raises:
        ConfigError: every problem, at most one for each field, each on the key of its field.
    """
    fields = all_fields()
    keys = [f.key for f in fields]
    raw: dict[str, Any] = {}
    problems: list[ConfigProblem] = []
    rows: dict[str, dict[int, dict[str, Any]]] = {key: {} for key in ROW_LISTS}
    metrics: dict[str, dict[str, Any]] = {}
    for field in fields:
        try:
            value = _parse(field, _values(form, field))
        except ValueError as exc:
            problems.append(ConfigProblem(field.key, str(exc)))
            value = None
        if (row := _ROW.match(field.key)) is not None:
            rows[row.group(1)].setdefault(int(row.group(2)), {})[field.key.rsplit(".", 1)[1]] = value
        elif field.key.startswith("metrics."):
            metrics.setdefault(field.key.split(".")[1], {})[field.key.rsplit(".", 1)[1]] = value
        elif not any(p.key == field.key for p in problems):
            _put(raw, field.key, value)
    kept = {key: [i for i, row in sorted(items.items()) if any(v not in (None, "") for v in row.values())]
            for key, items in rows.items()}
    for key, items in rows.items():
        _put(raw, key, [{k: v for k, v in items[i].items() if v is not None} for i in kept[key]])
    raw["metrics"] = {name: {k: v for k, v in m.items() if v is not None} for name, m in metrics.items()
                      if m.get("weight") is not None}
    try:
        settings = settings_from_mapping(raw, source)
    except ConfigError as exc:
        problems += [ConfigProblem(field_for(_row_key(p.key, kept), keys), p.message) for p in exc.problems]
    if problems:
        first: dict[str, ConfigProblem] = {}
        for problem in problems:
            first.setdefault(problem.key, problem)
        raise ConfigError(source, sorted(first.values(),
                                         key=lambda p: keys.index(p.key) if p.key in keys else len(keys)))
    return settings


def form_errors(error: ConfigError, form: Mapping[str, FormValue]) -> dict[str, str]:
    """Each problem as the message its field shows: the field's label, what is wrong and what was typed."""
    fields = {f.key: f for f in all_fields()}
    messages = {}
    for problem in error.problems:
        field = fields.get(problem.key)
        if field is None:
            messages[problem.key or "name"] = _plain(problem.message).capitalize()
            continue
        messages[field.key] = _message(field, problem.message, form.get(field.key))
    return messages


def _message(field: ConfigField, message: str, typed: FormValue | None) -> str:
    label = field.label
    if message in ("must not be empty", "is required"):
        if field.kind == "checkboxes":
            return f"Select at least one option for “{_lower(label)}”"
        if field.group:
            return f"Enter {_lower(label.split(': ', 1)[1])} for {_lower(field.group)}"
        return f"Enter {_lower(label)}"
    if ", got " in message:
        head, got = message.split(", got ", 1)
        shown = excerpt(typed.strip())[1:-1] if isinstance(typed, str) and typed.strip() else got.strip("'")
        message = f"{head} (you entered {shown})"
    plain = _plain(message)
    if field.group and plain.startswith("moves "):  # a lever's notch: "Lever 2: moves “…” to 51, which is refused: …"
        return f"{field.group}: {plain}"
    return "“" + plain[1:2].upper() + plain[2:] if plain.startswith("“") else f"{label} {plain}"



def _plain(message: str) -> str:
    """Key names inside a message (``income_bands_gbp_m``) in the form's words."""
    fields = {f.key: f.label for f in all_fields()}
    labels = {key.rsplit(".", 1)[-1]: label for key, label in fields.items()}

    def named(match: re.Match) -> str:
        word = match.group(0)
        return f"“{_lower(labels[word])}”" if word in labels else word

    def path(match: re.Match) -> str:
        key = match.group(0)
        return f"“{_lower(fields[key])}”" if key in fields else key
    return re.sub(r"(?<![“\w.])[a-z_]+_[a-z_]+\b(?!”)", named,
                  re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", path, message))


def form_from_yaml(text: str) -> dict[str, FormValue]:
    """The form for a stored configuration that no longer passes its checks (saved before a bound existed).

    The defaults, with each number, yes/no and choice the YAML sets put in its field as written,
    so the form shows what must change.
    """
    form: dict[str, FormValue] = {f.key: f.text for s in form_sections(Settings()) for f in s.fields}
    try:
        raw = safe_yaml.load(text)
    except yaml.YAMLError:
        return form
    for key, value in _leaves(raw if isinstance(raw, dict) else {}):
        if key in form and isinstance(form[key], str) and isinstance(value, (int, float, str, bool)):
            form[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return form


def _leaves(raw: dict, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in raw.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def field_for(key: str, keys: list[str]) -> str:
    """The form field a problem's key path belongs to (the longest field key it starts with).

    A problem with a whole section (``segments``: intensive and supporter overlap) goes on the
    section's first field, so the error summary can still link to it.
    """
    matches = [k for k in keys if key == k or key.startswith(k + ".") or key.startswith(k + "[")]
    if matches:
        return max(matches, key=len)
    return next((k for k in keys if k.startswith(key + ".") or k.startswith(key + "[")), key)


def _row_key(key: str, kept: dict[str, list[int]]) -> str:
    """A repeated row's problem key with the row as the form numbers it (empty rows were left out)."""
    match = _ROW.match(key)
    if match is None or int(match.group(2)) >= len(kept[match.group(1)]):
        return key
    return f"{match.group(1)}[{kept[match.group(1)][int(match.group(2))]}]" + key[match.end():]


def _values(form: Mapping[str, FormValue], field: ConfigField) -> tuple[str, ...]:
    value = form.get(field.key)
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _parse(field: ConfigField, values: tuple[str, ...]) -> Any:
    if field.kind in LIST_KINDS:
        return _parse_list(field, values)
    text = values[0].strip() if values else ""
    if text == "":
        if field.optional:
            return None
        raise ValueError("must not be empty")
    if field.kind == "yes_no":
        if text not in ("true", "false"):
            raise ValueError("must be yes or no")
        return text == "true"
    if field.kind == "choice":
        if text not in dict(field.choices):
            raise ValueError("must be one of the options shown")
        return {"true": True, "false": False}.get(text, text)
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
    return text


def _parse_list(field: ConfigField, values: tuple[str, ...]) -> list[Any]:
    if field.kind == "lines":
        return [line.strip() for value in values for line in value.splitlines() if line.strip()]
    typed = [v.strip() for v in values if v.strip()]
    if field.kind == "checkboxes":
        known = [value for value, _ in field.choices]
        unknown = [v for v in typed if v not in known]
        if unknown:
            raise ValueError(f"must be chosen from the options shown, got {excerpt(unknown[0])}")
        chosen = [v for v in known if v in typed]
        return [int(v) for v in chosen] if all(v.isdigit() for v in known) else chosen
    if len(typed) > field.slots:
        raise ValueError(f"must have {field.slots} numbers or fewer")
    read = whole_number if field.kind == "integers" else decimal_number
    numbers = [read(v) for v in typed]
    bad = next((v for v, n in zip(typed, numbers, strict=True) if n is None), None)
    if bad is not None:
        raise ValueError(f"must each be a {'whole number' if field.kind == 'integers' else 'number'}, "
                         f"got {excerpt(bad)}")
    return numbers


def _put(raw: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    node = raw
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
