"""Reading a configuration: YAML text or a file to ``Settings``, every problem reported together with its key."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import safe_yaml
from ..errors import ConfigError, ConfigProblem, excerpt
from .levers import custom_move, moved
from .problems import problem_from
from .schema import KNOWN_METRICS, Settings
from .upgrade import upgrade

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent.parent / "config.yaml"


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate a config file; ``None`` reads the shipped ``config.yaml``.

    Raises:
        ConfigError: listing every problem with its key path, or the YAML syntax error's
            line and column. Nothing is returned on error.
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [ConfigProblem("", f"cannot read the file ({exc.strerror})")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path.name, [ConfigProblem("", "cannot read the file: it is not UTF-8 text "
                                                        f"(byte {exc.start + 1} "
                                                        f"is {exc.object[exc.start:exc.start + 1]!r})")]) from None
    return parse_settings(text, source=path.name)


def parse_settings(text: str, source: str = "config") -> Settings:
    """Validate config text (YAML). See ``load_settings``."""
    try:
        raw = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigProblem("", _yaml_problem(exc, text))]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, [ConfigProblem("", "the file must be a mapping of keys to values")])
    return settings_from_mapping(upgrade(raw), source)


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """A YAML error as ``line L, column C: what is wrong`` (a bad character has no mark, only a position)."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        found = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return f"line {line}, column {column}: {exc.reason} (found {excerpt(found)})"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else "line 1, column 1: "
    return f"{where}{getattr(exc, 'problem', None) or 'not valid YAML'}"


def settings_from_mapping(raw: dict[str, Any], source: str = "config") -> Settings:
    """Validate an already-parsed mapping. See ``load_settings``."""
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(source, [problem_from(error) for error in exc.errors()]) from None
    unknown = sorted(set(settings.metrics) - set(KNOWN_METRICS))
    if unknown:
        raise ConfigError(
            source,
            [ConfigProblem(f"metrics.{name}", f"is not a known metric; known metrics are {', '.join(KNOWN_METRICS)}")
             for name in unknown],
        )
    lever_problems = _lever_problems(settings)
    if lever_problems:
        raise ConfigError(source, lever_problems)
    return settings


def _lever_problems(settings: Settings) -> list[ConfigProblem]:
    """Each lever a scenario adds must name a number or yes/no key, and its moved value must be valid."""
    if not settings.levers:
        return []
    raw = settings.model_dump(mode="json")
    problems = []
    for index, lever in enumerate(settings.levers):
        move = custom_move(raw, lever, index)
        if isinstance(move, ConfigProblem):
            problems.append(move)
            continue
        try:
            Settings.model_validate(moved(raw, move))
        except ValidationError as exc:
            inner = problem_from(exc.errors()[0])
            problems.append(ConfigProblem(f"levers[{index}].notch" if lever.notch is not None else f"levers[{index}]",
                                          f"moves {lever.key} to {move.changes[0][1]}, which is refused: {inner}"))
    return problems


def settings_to_yaml(settings: Settings) -> str:
    """The settings as YAML text (the canonical form used for hashing and saving scenarios)."""
    return yaml.safe_dump(settings.model_dump(mode="json"), sort_keys=False)


def config_fingerprint(settings: Settings) -> str:
    """The configuration's hash as every run's fingerprint and the transparency record give it (16 hex digits)."""
    return hashlib.sha256(settings_to_yaml(settings).encode()).hexdigest()[:16]
