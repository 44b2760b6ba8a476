"""Hostile config-edit forms: ``settings_from_form`` returns settings or one ``ConfigError``.

Every problem of the error is on a field of the form (so the error summary can link to it).
"""
from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from matcher.errors import ConfigError
from matcher.present.config_fields import all_fields, form_sections
from matcher.present.config_form import settings_from_form
from matcher.settings import Settings
from tests.fuzz.hostile import FORM_TEXT
from tests.fuzz.mutate import JUNK
from tests.fuzz.support import HOSTILE_CELLS, count, fuzz, text

FIELDS = {f.key: f for f in all_fields()}  # every field the form may post (all 20 milestone rows)
DEFAULT_FORM = {f.key: f.text for s in form_sections(Settings()) for f in s.fields}


def _yaml_text(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


#: What a careless or hostile user types into one field.
FIELD_VALUE = st.one_of(
    text, st.sampled_from(HOSTILE_CELLS), FORM_TEXT,
    st.sampled_from(["true", "false", "yes", "True", " 1 ", "1.0", "1e3", "-0"]),
    st.integers(-(10**25), 10**25).map(str), st.floats().map(str), JUNK.map(_yaml_text),
    st.sampled_from(["[4, 5", "{a: 1", "- 1\n-", "!!python/object:os.system {}", "&a [*a]", "[6]", "[]", "[4, 4]",
                     "[1, 2]", ["1", "2"], ["4", "4"], ["6"],
                     ["400", "x"], [], "{acute: [acute], unknown: [acute]}", "{foo: {higher_is_better: true}}",
                     "[{name: x, amount_gbp: -1, probability: 2}]", "[entered, nonsense]"]),
)


def mutated_form(data: st.DataObject) -> dict[str, str]:
    """The default form with a few fields changed, blanked or left out, and perhaps unknown fields added."""
    form = dict(DEFAULT_FORM)
    for _ in range(data.draw(st.integers(1, 4))):
        key = data.draw(st.sampled_from(sorted(FIELDS)))
        how = data.draw(st.sampled_from(["value", "value", "value", "blank", "delete", "other_field", "extra"]))
        if how == "value":
            form[key] = data.draw(FIELD_VALUE)
        elif how == "blank":
            form[key] = ""
        elif how == "delete":
            form.pop(key, None)
        elif how == "other_field":
            form[key] = DEFAULT_FORM[data.draw(st.sampled_from(sorted(DEFAULT_FORM)))]
        else:
            form[data.draw(st.one_of(text, st.just(key + ".x"), st.just("segments")))] = data.draw(FIELD_VALUE)
    return form


def check_form(form: dict[str, str]) -> Settings | None:
    try:
        settings = settings_from_form(form)
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.key in FIELDS, f"problem not on a field of the form: {problem}"
            assert problem.message.strip(), problem
        return None
    assert isinstance(settings, Settings)
    return settings


def test_the_default_form_gives_the_default_settings():
    assert check_form(DEFAULT_FORM) == Settings()


@fuzz(150)
@given(st.data())
def test_mutations_of_the_default_form(data):
    form = mutated_form(data)
    count("form: mutated default form")
    check_form(form)


@fuzz(100)
@example({**DEFAULT_FORM, "segments.intensive": ["1", "2"]})  # a problem with a whole section (overlap)
@example({**DEFAULT_FORM, "metrics.foo.weight": "1"})  # not a field: ignored
@example({**DEFAULT_FORM, "incentives.mc.milestones[7].name": "x"})  # a row the page did not show
@given(st.dictionaries(st.one_of(st.sampled_from(sorted(FIELDS)), text), FIELD_VALUE, max_size=12))
def test_any_form(form):
    count("form: random form")
    check_form(form)


def test_a_problem_with_a_whole_section_goes_on_its_first_field():
    """Found by fuzzing: the overlap check on ``segments`` was reported on ``segments``, which is no field."""
    with pytest.raises(ConfigError) as exc:
        settings_from_form({**DEFAULT_FORM, "segments.intensive": ["1", "2"]})
    assert [(p.key, p.message) for p in exc.value.problems] == [
        ("segments.intensive", "cannot list segment 1 as both intensive and supporter")]
