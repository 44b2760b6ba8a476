"""Who may open what: every route against every role, other trusts' offers, and CSRF on every form."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from matcher.store.accounts import add_user
from matcher.store.tables import Job, Offer
from tests.web.conftest import PASSWORD, USERS, make_app

ROLES = ("anonymous", "regulator", "policy", "admin", "rxl")
STAFF = {"regulator", "policy", "admin"}
READERS = {"regulator", "policy"}
#: (method, url, roles allowed); {run}, {job}, {offer} and {pair} are filled in from a published run.
ROUTES = [
    ("GET", "/dashboard", {"regulator"}),
    ("GET", "/rules", {"regulator"}),
    ("POST", "/rules", {"regulator"}),
    ("POST", "/runs/new", {"regulator"}),
    ("POST", "/runs/{run}/publish", {"regulator"}),
    ("GET", "/runs/{run}/publish", {"regulator"}),
    ("GET", "/offers", {"regulator"}),
    ("GET", "/runs", READERS),
    ("GET", "/runs/{run}", READERS),
    ("GET", "/runs/{run}/pairs/{pair}", READERS),
    ("GET", "/runs/{run}/uncovered", READERS),
    ("GET", "/runs/{run}/map", READERS),
    ("GET", "/runs/{run}/levers", READERS),
    ("POST", "/runs/{run}/levers", READERS),
    ("GET", "/runs/{run}/export.csv", READERS),
    ("GET", "/runs/{run}/uncovered.csv", READERS),
    ("GET", "/runs/{run}/export.xlsx", READERS),
    ("GET", "/runs/{run}/pairs/{pair}/letter", {"regulator"}),
    ("GET", "/runs/compare?a={run}&b={run}", READERS),
    ("GET", "/jobs/{job}", READERS),
    ("GET", "/scenarios/", READERS),
    ("GET", "/scenarios/1", READERS),
    ("GET", "/scenarios/compare?a=x&b=y", READERS),
    ("POST", "/scenarios/1/what-if", READERS),
    ("GET", "/scenarios/1/edit", {"policy"}),
    ("POST", "/scenarios/1/edit", {"policy"}),
    ("POST", "/scenarios/upload", {"policy"}),
    ("GET", "/my-trust/", {"rxl"}),
    ("GET", "/my-trust/offers/{offer}", {"rxl"}),
    ("POST", "/my-trust/offers/{offer}", {"rxl"}),
    ("POST", "/my-trust/offers/{offer}/check", {"rxl"}),
    ("GET", "/my-trust/offers/{offer}/answered", {"rxl"}),
    ("GET", "/my-trust/offers/{offer}/letter", {"rxl"}),
    ("GET", "/my-trust/capacity", {"rxl"}),
    ("POST", "/my-trust/capacity", {"rxl"}),
    ("GET", "/admin/users", {"admin"}),
    ("POST", "/admin/users", {"admin"}),
    ("POST", "/admin/users/{spare_user}/active", {"admin"}),
    ("GET", "/admin/audit", {"admin", "regulator"}),
    ("GET", "/api/runs", READERS),
    ("POST", "/api/runs", READERS),
    ("GET", "/api/runs/{run}", READERS),
    ("GET", "/api/runs/{run}/plan", READERS),
    ("POST", "/api/runs/{run}/publish", {"regulator"}),
    ("POST", "/api/runs/{run}/levers", READERS),
    ("GET", "/api/jobs/{job}", READERS),
    ("GET", "/api/offers", {"regulator", "rxl"}),
    ("GET", "/api/offers/{offer}", {"regulator", "rxl"}),
    ("POST", "/api/offers/{offer}/decision", {"rxl"}),
    ("GET", "/trusts", STAFF),
    ("GET", "/trusts/RXL", STAFF),
    ("GET", "/outcomes", READERS),
    ("GET", "/outcomes.csv", READERS),
    ("GET", "/outcomes.xlsx", READERS),
    ("POST", "/outcomes/import", {"regulator"}),
    ("GET", "/runs/{run}/transparency", READERS),
]


@pytest.fixture
def ids(app, published):
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
        job = session.scalar(select(Job.id))
    with app.extensions["db"].begin() as session:  # an account the admin may switch off without harm
        spare = add_user(session, "spare@example.nhs.uk", "policy", "a long enough secret").id
    return {"run": published, "job": job, "offer": offer.id, "pair": "RXL", "spare_user": spare}


def test_every_route_answers_each_role_as_the_matrix_says(client_for, ids):
    clients = {role: client_for(None if role == "anonymous" else role) for role in ROLES}
    wrong = []
    for method, template, allowed in ROUTES:
        url = template.format(**ids)
        for role in ROLES:
            response = clients[role].open(url, method=method, data={})
            code = response.status_code
            if role == "anonymous" and url.startswith("/api/"):
                ok = code == 401 and response.is_json
            elif role == "anonymous":
                ok = code == 302 and response.location.startswith("/sign-in")
            elif role in allowed:
                ok = code in (200, 202, 302, 400)  # 202: a job queued (the levers need no body)
            else:
                ok = code == 403
            if not ok:
                wrong.append(f"{method} {url} as {role}: {code}")
    assert wrong == []


def test_a_trust_executive_cannot_see_or_answer_another_trusts_offer(client_for, app, published):
    with app.extensions["db"]() as session:
        others = session.scalars(select(Offer).where(Offer.recipient != "RXL", Offer.supporter != "RXL")).all()
    assert others
    client = client_for("rxl")
    for offer in others[:5]:
        assert client.get(f"/my-trust/offers/{offer.id}").status_code == 404
        assert client.post(f"/my-trust/offers/{offer.id}", data={"decision": "accepted"}).status_code == 404
    assert client.get("/my-trust/offers/999999").status_code == 404
    with app.extensions["db"]() as session:
        assert all(not o.decisions for o in session.scalars(select(Offer)))


def test_the_offer_list_shows_only_the_executives_own_trust(client_for, published):
    html = client_for("rxl").get("/my-trust/").get_data(as_text=True)
    rows = re.findall(r'href="/my-trust/offers/(\d+)"', html)
    assert len(rows) == 1


@pytest.fixture
def csrf_app(database_url, current_data):
    app = make_app(database_url, current_data)
    yield app
    app.extensions["db_engine"].dispose()


def _signed_in(app, who):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    response = client.post("/sign-in", data={"email": USERS[who][0], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_every_form_post_without_its_csrf_token_is_refused(csrf_app):
    assert csrf_app.test_client().post("/sign-in", data={"email": "x", "password": "y"}).status_code == 400
    for method, template, allowed in ROUTES:
        if method != "POST":
            continue
        who = "rxl" if "rxl" in allowed else "policy" if "policy" in allowed else "regulator"
        url = template.format(run=1, job=1, offer=1, pair="RXL", spare_user=1)
        response = _signed_in(csrf_app, who).post(url, data={"scenario_id": "1"})
        assert response.status_code == 400, url
        if url.startswith("/api/"):
            assert "CSRF token is missing" in response.json["error"]
        else:
            assert "Your session has expired" in response.get_data(as_text=True)
    assert _signed_in(csrf_app, "regulator").post("/sign-out").status_code == 400


def test_forms_carry_a_csrf_token_that_the_service_accepts(csrf_app):
    client = _signed_in(csrf_app, "regulator")
    html = client.get("/dashboard").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/runs/new", data={"scenario_id": "1", "csrf_token": token}).status_code == 302
    assert client.post("/api/runs", json={"scenario_id": 1}, headers={"X-CSRFToken": token}).status_code == 202
