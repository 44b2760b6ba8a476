"""Hostile config-edit forms through the web: never a 500, and a 400 stores nothing.

Posting to ``/scenarios/1/edit`` as a policy officer gives 302 (saved as a new version) or 400
with the NHS error summary linking to each field.
"""
from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from matcher.pipeline import CurrentData
from matcher.store.tables import Scenario
from tests.factories import AS_OF
from tests.fuzz.support import count, fuzz, text
from tests.fuzz.test_fuzz_config_form import DEFAULT_FORM, mutated_form
from tests.web.conftest import PASSWORD, USERS, make_app

_SUMMARY = re.compile(r'<div class="nhsuk-error-summary.*?</div>\s*</div>', re.S)

#: Scenario names and notes: mostly sensible, sometimes blank, long, or odd.
META = st.one_of(st.just("fuzzed scenario"), st.just(""), st.just(" "), st.just("x" * 81), st.just("x" * 2001),
                 st.just("<b>bold</b> & 'quotes'"), text)


@pytest.fixture(scope="module")
def current_data() -> CurrentData:
    """The shipped data, classified as of the fixed test date (what the service holds)."""
    return CurrentData(None, None, AS_OF)


def scenario_rows(app) -> int:
    with app.extensions["db"]() as session:
        return session.scalar(select(func.count()).select_from(Scenario))


def test_posting_hostile_edit_forms(database_url, current_data):
    app = make_app(database_url, current_data, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    email = USERS["policy"][0]
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302

    @fuzz(40)
    @given(st.data())
    def post_one(data):
        if data.draw(st.integers(0, 3)) == 0:  # a sound change, so saving is exercised too
            form = {**DEFAULT_FORM, "capacity.buddy_units": str(data.draw(st.integers(1, 9)))}
        else:
            form = mutated_form(data)
        hostile_meta = data.draw(st.integers(0, 2)) == 0
        form["name"] = data.draw(META) if hostile_meta else "fuzzed scenario"
        form["note"] = data.draw(META) if hostile_meta else "a generated change"
        count("web: POST /scenarios/1/edit")
        before = scenario_rows(app)
        response = client.post("/scenarios/1/edit", data=form)
        body = response.get_data(as_text=True)
        assert response.status_code in (302, 400), f"{response.status_code}: {body[:2000]}"
        if response.status_code == 302:
            assert scenario_rows(app) == before + 1
            count("web: POST /scenarios/1/edit (302 saved)")
            return
        assert scenario_rows(app) == before, "a form with errors must store nothing"
        count("web: POST /scenarios/1/edit (400 errors)")
        summary = _SUMMARY.search(body)
        assert summary and "There is a problem" in summary.group(0), body[:2000]
        links = re.findall(r'href="#([^"]+)"', summary.group(0))
        assert links, "every error in the summary links to its field"
        for target in links:
            assert f'id="{html_lib.unescape(target)}"' in body or f'id="{target}"' in body, f"no field #{target}"

    try:
        post_one()
    finally:
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("meta", [{"name": "nul \x00 name", "note": "ok"}, {"name": "ok", "note": "nul \x00 note"}])
def test_a_nul_byte_in_the_name_or_note_is_not_a_500(database_url, current_data, meta):
    app = make_app(database_url, current_data, WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        assert client.post("/sign-in", data={"email": USERS["policy"][0], "password": PASSWORD}).status_code == 302
        before = scenario_rows(app)
        response = client.post("/scenarios/1/edit", data={**DEFAULT_FORM, **meta})
        assert response.status_code == 400  # refused at the edge (PostgreSQL cannot store NUL)
        assert scenario_rows(app) == before
    finally:
        app.extensions["db_engine"].dispose()
