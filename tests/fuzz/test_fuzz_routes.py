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
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from matcher.pipeline import CurrentData
from matcher.store.tables import Job, Offer, SignInAttempt
from tests.databases import fresh_database_url
from tests.factories import AS_OF
from tests.fuzz.hostile import ALL_FORM_VALUES, FORM_TEXT, JSON_VALUE, SURROGATES, SWEEP, nested_json
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
    "/scenarios/1/edit": ("form", ("name", "note", "capacity.buddy_units", "max_distance_km.buddy", "metrics",
                                   "incentives.annual_budget_gbp_m", "solver.workers", "segments.intensive")),
    "/scenarios/upload": ("file", ("name", "note", "file")),
    "/outcomes/import": ("file", ("file",)),
    "/my-trust/offers/{offer}": ("form", ("decision", "reason_code", "reason_text", "version", "change")),
    "/my-trust/offers/{offer}/check": ("form", ("decision", "reason_code", "reason_text", "version")),
    "/offers": ("query", ("status", "region", "trust")),
    "/my-trust/capacity": ("form", ("willing", "spare_units", "note")),
    "/admin/users": ("form", ("email", "role", "trust", "password")),
    "/trusts": ("query", ("role",)),
    "/api/runs": ("json", ("scenario_id", "purpose")),
    "/api/offers/{offer}/decision": ("json", ("decision", "reason_code", "reason_text", "version")),
}
SIGN_IN = ("POST", "/sign-in", None)
PLACES = [route for route in ROUTES if route[1] != "/sign-out"] + [SIGN_IN]
#: The places that read inputs: each gets a budget of its own.
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


SOUND = {"scenario_id": "1", "decision": "declined", "reason_code": "other", "willing": "yes", "rule": "exclude",
         "supporter": "RBV", "recipient": "RXL", "role": "policy", "a": "1", "b": "1", "name": "fuzzed",
         "note": "a change", "email": "fuzz@x.nhs.uk", "password": "granite puffin lantern", "version": "1",
         "spare_units": "2", "reason": "fuzzing", "purpose": "what_if", "reason_text": "why", "next": "/runs"}


def _fields(data, names: tuple[str, ...]) -> dict[str, str]:
    """One field (the target) gets a value of the attack pass; each other field a sound one, another or none.

    Most other fields are sound, so that each probe reaches the target's own check.
    """
    target = data.draw(st.sampled_from(names))
    values = {}
    for name in names:
        if name == target:
            values[name] = data.draw(st.one_of(st.sampled_from(ALL_FORM_VALUES), st.sampled_from(ALL_FORM_VALUES),
                                               FORM_TEXT))
        else:
            how = data.draw(st.integers(0, 5))
            if how < 4:
                values[name] = SOUND.get(name, "x")
            elif how == 4:
                values[name] = data.draw(FORM_TEXT)
    return values


def _deliver(client, method: str, url: str, where: str, values: dict, upload: str | None = None,
             body: str | None = None):
    """Send ``values`` the way the route reads them: a form, a query string, a JSON body or a file upload."""
    if where == "json":
        return client.open(url, method=method, data=body if body is not None else json.dumps(values),
                           content_type="application/json")
    if where == "file":
        form = {k: v for k, v in values.items() if k != "file"}
        text = upload if upload is not None else values.get("file", "")
        form["file"] = (io.BytesIO(text.encode("utf-8", "replace")), "upload.yaml")
        return client.open(url, method=method, data=form, content_type="multipart/form-data")
    if where == "query" or method == "GET":
        return client.open(url, method=method, query_string=values)
    return client.open(url, method=method, data=values)


def _signing_in(app, url: str, values: dict) -> tuple[str, dict]:
    """Sign-in probes use a real account, so a sound email and password sign in and follow ``next``.

    Each starts with no failed tries on record: the probes test input, not throttling.
    """
    with app.extensions["db"].begin() as session:
        session.execute(delete(SignInAttempt))
    real = {"email": USERS["policy"][0], "password": PASSWORD}
    values = {k: real.get(k, v) if v == SOUND.get(k) else v for k, v in values.items()}
    target = values.pop("next", "/")
    return url + "?next=" + quote(target, safe="/"), values


def _send(app, client, data, method: str, template: str, url: str):
    """One request to ``url`` with hostile values in the route's own fields; returns the response."""
    where, names = FIELDS.get(template, ("query" if method == "GET" else "form", ("x",)))
    if template == "/sign-in":
        where = "form"
        url, values = _signing_in(app, url, _fields(data, ("email", "password", "next")))
    else:
        values = _fields(data, names)
    if template == "/scenarios/1/edit" and data.draw(st.booleans()):
        values = {**DEFAULT_FORM, **values}
    body = upload = None
    if where == "json":
        fields = {**values, data.draw(st.sampled_from(names)): data.draw(st.one_of(
            st.sampled_from(SURROGATES), st.sampled_from(ALL_FORM_VALUES), JSON_VALUE))}
        body = data.draw(st.one_of(st.just(json.dumps(fields)), st.just(json.dumps(fields)), st.sampled_from(
            [nested_json(10_000), nested_json(25), "[]", "null", "{", '"\\ud800x"'])))
    if where == "file":
        upload = data.draw(st.one_of(FORM_TEXT, st.just("segments: {intensive: " + "[" * 5000 + "]" * 5000 + "}")))
    return _deliver(client, method, url, where, values, upload, body)


@pytest.mark.parametrize("place", READERS, ids=[f"{m} {t.split('?')[0]}" for m, t, _ in READERS])
def test_every_field_meets_every_shape_of_the_attack_pass(fuzz_app, clients, place):
    """A sweep, not a draw: each field of each form, query and body gets each value of ``SWEEP``.

    A JSON body also gets each lone surrogate and deep nesting; the other fields are sound, and the
    requests are made as a role allowed to use the route.
    """
    method, template, allowed = place
    where, names = FIELDS.get(template, ("form", ("email", "password")))
    names = ("email", "password", "next") if template == "/sign-in" else names
    client = fuzz_app.test_client() if template == "/sign-in" else clients[sorted(allowed)[0]]
    base = template.format(**_ids(fuzz_app)).split("?")[0]
    shapes = SWEEP + (SURROGATES if where == "json" else ())
    problems = []
    for name in names:
        for value in shapes:
            values = {other: SOUND.get(other, "x") for other in names if other != name} | {name: value}
            url = base
            if template == "/sign-in":
                url, values = _signing_in(fuzz_app, base, values)
            elif template == "/scenarios/1/edit":
                values = {**DEFAULT_FORM, **values}
            count(f"sweep: {method} {template.split('?')[0]}")
            response = _deliver(client, method, url, "form" if template == "/sign-in" else where, values)
            if response.status_code >= 500 or (response.status_code == 302 and "\n" in response.location):
                problems.append(f"{name}={value[:30]!r}: {response.status_code}")
    if where == "json":
        for body in (nested_json(10_000), nested_json(25), '"\\ud800x"', "{"):
            response = _deliver(client, method, base, where, {}, body=body)
            if response.status_code >= 500:
                problems.append(f"body {body[:30]!r}: {response.status_code}")
    assert problems == []


@pytest.mark.parametrize("place", READERS, ids=[f"{m} {t.split('?')[0]}" for m, t, _ in READERS])
def test_hostile_values_in_each_field_of_each_form_and_body(fuzz_app, clients, place):
    """Each route that reads input gets its own budget, mostly as the roles allowed to use it."""
    method, template, allowed = place
    ids = _ids(fuzz_app)
    roles = sorted(allowed or {"anonymous"})

    @fuzz(12)
    @given(st.data())
    def one_request(data):
        who = data.draw(st.one_of(st.sampled_from(roles), st.sampled_from(roles), st.sampled_from(WHO)))
        client = fuzz_app.test_client() if template == "/sign-in" else clients[who]
        url = template.format(**ids).split("?")[0]
        count(f"routes: {method} {template.split('?')[0]}")
        response = _send(fuzz_app, client, data, method, template, url)
        assert response.status_code < 500, f"{method} {url} as {who}: {response.status_code}"
        if template == "/sign-in" and response.status_code == 302:
            assert "\n" not in response.location and "\r" not in response.location

    one_request()


def test_hostile_values_anywhere_in_the_route_role_matrix(fuzz_app, clients):
    """Every other route and role too (ids, paths and stray fields), a few cases each."""
    ids = _ids(fuzz_app)

    @fuzz(60)
    @given(st.data())
    def one_request(data):
        method, template, _ = data.draw(st.sampled_from(PLACES))
        who = data.draw(st.sampled_from(WHO))
        client = fuzz_app.test_client() if template == "/sign-in" else clients[who]
        url = template.format(**ids).split("?")[0]
        count(f"routes: {method} {template.split('?')[0]}")
        response = _send(fuzz_app, client, data, method, template, url)
        assert response.status_code < 500, f"{method} {url} as {who}: {response.status_code}"

    one_request()
