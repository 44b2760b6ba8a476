"""The public API: ``from matcher import plan`` is the one planning service the CLI and the worker both call."""
from __future__ import annotations

import inspect

import pytest

import matcher
from matcher import cli_plan, execute, planning


def test_plan_is_the_planning_service_and_both_callers_use_it():
    from matcher import plan
    assert plan is planning.plan
    assert cli_plan.plan is plan and execute.plan is plan
    assert list(inspect.signature(plan).parameters)[:4] == ["dataset", "settings", "as_of", "rematch"]


@pytest.mark.parametrize("name", matcher.__all__)
def test_every_public_name_imports(name):
    assert getattr(matcher, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'propose_everything'"):
        matcher.propose_everything  # noqa: B018
