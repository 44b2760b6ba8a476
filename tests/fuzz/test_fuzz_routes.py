"""Hostile values in every field of every route, as every role: no answer is ever a server error.

The route × role matrix of ``tests/web/test_permissions.py`` is walked with each route's own form
fields, query parameters or JSON body filled from ``tests/fuzz/hostile.py`` (digits of other scripts,
CR/LF, NUL, surrogates, nesting 10,000 deep, huge numbers and texts) mixed with ordinary values.
The app runs with ``TESTING`` on, so an unhandled exception fails the case rather than becoming a
500 page; any 5xx answer fails it too. Runs on SQLite and on PostgreSQL (whose column widths and
encoding found what SQLite let through).
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from matcher.pipeline import CurrentData
from matcher.store.tables import Job, Offer
from tests.databases import fresh_database_url
from tests.factories import AS_OF
from tests.fuzz.hostile import FORM_TEXT, JSON_VALUE, nested_json
from tests.fuzz.support import count, fuzz
from tests.fuzz.test_fuzz_config_form import DEFAULT_FORM
from tests.web.conftest import PASSWORD, USERS, make_app
from tests.web.test_permissions import ROUTES
from web.worker import work_once

WHO = ("anonymous", "regulator", "policy", "admin", "rxl")
#: Each route's own inputs: where they go ("form", "query", "json" or "file") and their names.
FIELDS = {
    "/rules": ("form", ("rule", "supporter", "recipient", "kind", "reason")),
    "/runs/new": ("form", ("scenario_id",)),
    "/runs/{run}": ("query", ("region", "kind", "sector", "sort", "order")),
    "/runs/compare?a={run}&b={run}": ("query", ("a", "b")),
    "/scenarios/compare?a=x&b=y": ("query", ("a", "b")),
    "/scenarios/1/edit": ("form", ("name", "note", "capacity.base_units", "max_distance_km.buddy", "metrics",
                                   "incentives.annual_budget_gbp_m", "solver.workers", "segments.intensive")),
    "/scenarios/upload": ("file", ("name", "note", "file")),
    "/my-trust/offers/{offer}": ("form", ("decision", "reason_code", "reason_text", "version")),
    "/my-trust/capacity": ("form", ("willing", "spare_units", "note")),
    "/admin/users": ("form", ("email", "role", "trust", "password")),
    "/trusts": ("query", ("role",)),
    "/api/runs": ("json", ("scenario_id", "purpose")),
    "/api/offers/{offer}/decision": ("json", ("decision", "reason_code", "reason_text", "version")),
}
SIGN_IN = ("POST", "/sign-in", None)
PLACES = [route for route in ROUTES if route[1] != "/sign-out"] + [SIGN_IN]
#: The places that read inputs, drawn as often as all the others together.
READERS = [place for place in PLACES if place[1] in FIELDS or place is SIGN_IN]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory) -> Iterator:
    """The service with a published run (offers to answer), its clients signed in once per role."""
    with fresh_database_url(tmp_path_factory.mktemp("routes"), "fuzz_routes") as url:
        app = make_app(url, CurrentData(None, None, AS_OF), WTF_CSRF_ENABLED=False)
        regulator = app.test_client()
        regulator.post("/sign-in", data={"email": USERS["regulator"][0], "password": PASSWORD})
        regulator.post("/runs/new", data={"scenario_id": "1"})
        work_once(app.extensions["db"], app.extensions["buddying"], "fuzz-worker")
        regulator.post("/runs/1/publish")
        yield app
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def clients(fuzz_app) -> dict:
    made = {}
    for who in WHO:
        client = fuzz_app.test_client()
        if who != "anonymous":
            assert client.post("/sign-in", data={"email": USERS[who][0], "password": PASSWORD}).status_code == 302
        made[who] = client
    return made


def _ids(app) -> dict[str, object]:
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer.id).where(Offer.recipient == "RXL"))
        job = session.scalar(select(Job.id))
    return {"run": 1, "job": job, "offer": offer, "pair": "RXL", "spare_user": 1}


def _value(data, field: str) -> str:
    """A hostile value most of the time, and a sound one now and then (so deeper checks are reached)."""
    sound = {"scenario_id": "1", "decision": "declined", "reason_code": "other", "willing": "yes", "rule": "exclude",
             "supporter": "RBV", "recipient": "RXL", "role": "policy", "a": "1", "b": "1", "name": "fuzzed",
             "note": "a change", "email": "fuzz@x.nhs.uk", "password": "granite puffin lantern"}
    if field in sound and data.draw(st.integers(0, 3)) == 0:
        return sound[field]
    return data.draw(FORM_TEXT)


def test_hostile_values_in_every_route_as_every_role_never_give_a_server_error(fuzz_app, clients):
    ids = _ids(fuzz_app)

    @fuzz(300)
    @given(st.data())
    def one_request(data):
        method, template, _ = data.draw(st.one_of(st.sampled_from(READERS), st.sampled_from(PLACES)))
        who = data.draw(st.sampled_from(WHO))
        url = template.format(**ids).split("?")[0]
        where, names = FIELDS.get(template, ("query" if method == "GET" else "form", ("x",)))
        values = {name: _value(data, name) for name in names if data.draw(st.integers(0, 5))}
        client = fuzz_app.test_client() if template == "/sign-in" else clients[who]
        if template == "/sign-in":
            where, values = "form", {"email": _value(data, "email"), "password": _value(data, "password")}
            url += "?next=" + data.draw(FORM_TEXT).replace("%", "%25").replace("#", "%23").replace("&", "%26")
        if template == "/scenarios/1/edit" and data.draw(st.booleans()):
            values = {**DEFAULT_FORM, **values}
        count(f"routes: {method} {template.split('?')[0]}")
        if where == "json":
            body = data.draw(st.one_of(
                st.fixed_dictionaries({}, optional={name: JSON_VALUE for name in names}).map(json.dumps),
                st.sampled_from([nested_json(10_000), nested_json(25), "[]", "null", "{", '"\\ud800x"'])))
            response = client.open(url, method=method, data=body, content_type="application/json")
        elif where == "file":
            upload = data.draw(st.one_of(FORM_TEXT, st.just("segments: {intensive: " + "[" * 5000 + "]" * 5000 + "}")))
            form = {k: v for k, v in values.items() if k != "file"}
            form["file"] = (io.BytesIO(upload.encode("utf-8", "replace")), data.draw(FORM_TEXT)[:100] or "x.yaml")
            response = client.open(url, method=method, data=form, content_type="multipart/form-data")
        elif where == "query" or method == "GET":
            response = client.open(url, method=method, query_string=values)
        else:
            response = client.open(url, method=method, data=values)
        assert response.status_code < 500, f"{method} {url} as {who}: {response.status_code}"
        if template == "/sign-in" and response.status_code == 302:
            assert "\n" not in response.location and "\r" not in response.location

    one_request()
