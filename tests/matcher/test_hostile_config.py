"""Hostile configurations: alias bombs, deep nesting, absurd numbers and non-ASCII digits.

Each is refused quickly, with a short message that names the key (regressions of issue 15's attack
pass and issue 14).
"""
from __future__ import annotations

import time
import typing

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from matcher.cli import cli
from matcher.errors import ConfigError
from matcher.present.config_fields import form_sections
from matcher.present.config_form import settings_from_form
from matcher.settings import Settings, parse_settings


def alias_bomb(levels: int = 7) -> str:
    """The attack pass's upload: each level repeats the one before nine times (9**7 values from ~400 bytes)."""
    lines = ["x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join([*lines, f"segments: {{intensive: *x{levels - 1}}}"]) + "\n"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="bomb.yaml")
    return [str(p) for p in caught.value.problems]


def test_an_alias_bomb_is_refused_at_its_first_alias_in_well_under_a_second():
    started = time.perf_counter()
    found = problems(alias_bomb())
    assert time.perf_counter() - started < 1.0
    assert found == ["line 2, column 10: aliases (*name) are not allowed here; write each value out in full"]


def test_yaml_nested_ten_thousand_deep_is_refused_not_a_recursion_error():
    assert problems("a: " + "[" * 10_000 + "]" * 10_000 + "\n") == [
        "line 1, column 23: lists and sections are nested more than 20 deep"]
    assert problems("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 3000))) == [
        "line 21, column 41: lists and sections are nested more than 20 deep"]


def test_a_message_quotes_only_a_short_excerpt_of_a_huge_value():
    (message,) = problems("capacity:\n  buddy_units: " + "9" * 5000 + "\n")
    assert message == "line 2, column 16: this number is longer than 30 digits"
    (message,) = problems("max_size_ratio:\n  management_contract: '" + "9" * 5000 + "'\n")
    assert message == ("max_size_ratio.management_contract must be a finite number, "
                       "got '999999999999999999999999999...9999999999999999999999999999'")
    (message,) = problems("solver: {workers: [" + ", ".join(["1"] * 20_000) + "]}\n")
    assert message == "solver.workers must be a whole number, got [1, 1, 1, 1, 1, 1, ...]"


@pytest.mark.parametrize("text, expected", [
    ("incentives: {annual_budget_gbp_m: 1e21}", "incentives.annual_budget_gbp_m must be 10,000 or less, got '1e21'"),
    ("solver: {workers: 2147483647}", "solver.workers must be 64 or less, got 2147483647"),
    ("solver: {time_limit_s: 1e12}", "solver.time_limit_s must be 3,600 or less, got '1e12'"),
    ("incentives: {mc: {years: 1000000000000000}}", "incentives.mc.years must be 25 or less, got 1000000000000000"),
    ("incentives: {buddy: {years: 26}}", "incentives.buddy.years must be 25 or less, got 26"),
    ("max_distance_km: {buddy: 1000.5}", "max_distance_km.buddy must be 1,000 or less, got 1000.5"),
    ("weights: {domain: {safe: 101}}", "weights.domain.safe must be 100 or less, got 101"),
])
def test_absurd_numbers_are_refused_naming_the_key(text, expected):
    assert problems(text + "\n") == [expected]


def _numbers(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = args[-1] if typing.get_origin(annotation) in (dict, tuple) and args else annotation
        if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType) and len(args) == 1:
            inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _numbers(inner, f"{prefix}{name}.")
        elif inner in (int, float) and typing.get_origin(annotation) is not tuple:
            yield f"{prefix}{name}", field


def test_every_number_in_the_configuration_has_an_upper_bound_written_in_its_help():
    fields = dict(_numbers(Settings))
    assert len(fields) > 40
    for key, field in fields.items():
        bounds = [m for m in field.metadata if hasattr(m, "le") or hasattr(m, "lt")]
        assert bounds, f"{key} has no upper bound"
        assert (" to " in field.description or "up to" in field.description), f"{key}'s help does not give its range"


def test_check_config_refuses_an_absurd_budget_by_its_key_with_exit_code_2(tmp_path):
    path = tmp_path / "absurd.yaml"
    path.write_text("incentives: {annual_budget_gbp_m: 1e21}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-config", str(path)])
    assert result.exit_code == 2
    assert result.output == ("There is a problem in absurd.yaml:\n"
                             "  - incentives.annual_budget_gbp_m must be 10,000 or less, got '1e21'\n")


@pytest.mark.parametrize("typed", ["²", "١٢", "１２", "1_000", "+-1", "1e", "inf"])
def test_form_numbers_accept_only_ascii_digits(typed):
    form = {f.key: f.text for s in form_sections(Settings()) for f in s.fields}
    with pytest.raises(ConfigError) as caught:
        settings_from_form({**form, "capacity.buddy_units": typed, "max_distance_km.buddy": typed})
    messages = {p.key: p.message for p in caught.value.problems}
    assert messages["capacity.buddy_units"] == f"must be a whole number, got {typed!r}"
    assert messages["max_distance_km.buddy"] == f"must be a number, got {typed!r}"


def test_every_yaml_read_goes_through_the_safe_loader():
    """The class of bug, not the instance: no module but matcher/safe_yaml.py calls PyYAML's loaders."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for folder in ("matcher", "web") for path in (root / folder).rglob("*.py")
                 if path.name != "safe_yaml.py" and re.search(r"\byaml\.(safe_)?load\(|SafeLoader", path.read_text())]
    assert offenders == []
