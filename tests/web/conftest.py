"""Web fixtures: an app on a fresh database, signed-in clients per role, and a worker to run jobs.

``page`` fetches a page and checks the rules every page keeps (a title, the NHS layout, an
error summary whenever the status says the form had problems).
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matcher.pipeline import CurrentData
from matcher.store.accounts import add_user
from tests.factories import AS_OF
from web import create_app
from web.worker import work_once

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
USERS = {"regulator": ("reg@example.nhs.uk", "regulator", None), "policy": ("policy@example.nhs.uk", "policy", None),
         "admin": ("admin@example.nhs.uk", "admin", None), "rxl": ("ceo@rxl.example.nhs.uk", "trust_exec", "RXL"),
         "rbv": ("ceo@rbv.example.nhs.uk", "trust_exec", "RBV"), "rjl": ("ceo@rjl.example.nhs.uk", "trust_exec", "RJL")}


@pytest.fixture(scope="session")
def current_data() -> CurrentData:
    """The shipped data, classified as of the fixed test date, loaded once."""
    return CurrentData(None, None, AS_OF)


def make_app(database_url: str, current_data: CurrentData, **config) -> Flask:
    """The service on a database with one account per role."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CURRENT_DATA": current_data,
                      "AS_OF": AS_OF, "SECRET_KEY": "test", **config})
    with app.extensions["db"].begin() as session:
        for email, role, trust in USERS.values():
            add_user(session, email, role, PASSWORD, trust)
    return app


@pytest.fixture(scope="session")
def synthetic_data(tmp_path_factory) -> Path:
    """A national-like data set of 1,500 providers, whose solve takes long enough to kill a worker in it."""
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run([sys.executable, "-m", "matcher", "synth", "--providers", "1500", "--seed", "3", "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True, timeout=300)
    return out


@pytest.fixture
def app(database_url: str, current_data: CurrentData) -> Iterator[Flask]:
    """The service on a fresh database with one account per role (CSRF off; see test_permissions)."""
    app = make_app(database_url, current_data, WTF_CSRF_ENABLED=False)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client_for(app: Flask) -> Callable[[str | None], FlaskClient]:
    """``client_for("regulator")``: a test client signed in as that user (None: signed out)."""
    def make(who: str | None) -> FlaskClient:
        client = app.test_client()
        if who is not None:
            response = client.post("/sign-in", data={"email": USERS[who][0], "password": PASSWORD})
            assert response.status_code == 302, f"{who} could not sign in"
        return client
    return make


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], int]:
    """Carry out every queued job, as the worker would; return how many ran."""
    def run() -> int:
        count = 0
        while work_once(app.extensions["db"], app.extensions["buddying"], "test-worker") is not None:
            count += 1
        return count
    return run


@pytest.fixture
def regulator(client_for) -> FlaskClient:
    """A signed-in regulator."""
    return client_for("regulator")


@pytest.fixture
def proposal(regulator: FlaskClient, run_jobs) -> int:
    """The id of a finished proposal run on the shipped data (not yet published)."""
    response = regulator.post("/runs/new", data={"scenario_id": "1"})
    assert response.status_code == 302
    assert run_jobs() == 1
    return int(regulator.get(response.location).location.rsplit("/", 1)[-1])


@pytest.fixture
def published(regulator: FlaskClient, proposal: int) -> int:
    """The id of the proposal run, published as offers."""
    assert regulator.post(f"/runs/{proposal}/publish").status_code == 302
    return proposal


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    """GET a page, check its status and the rules every page keeps, and return its HTML."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    html = response.get_data(as_text=True)
    if status == 200 or status >= 400:
        assert re.search(r"<title>[^<]+ - Buddying - NHS</title>", html), f"{url} has no title"
        assert 'class="nhsuk-header' in html and 'id="maincontent"' in html
    return html


def post(client: FlaskClient, url: str, data: dict | None = None, status: int = 302) -> str:
    """POST a form, check the status, and return the HTML (a form with errors must show the error summary)."""
    response = client.post(url, data=data or {})
    assert response.status_code == status, f"{url}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    html = response.get_data(as_text=True)
    if status == 400:
        assert "There is a problem" in html and "nhsuk-error-summary" in html
    return response.location if status == 302 else html


def flashes(html: str) -> list[str]:
    """The messages shown at the top of a page."""
    messages = re.findall(r'class="[^"]*app-flash[^"]*"[^>]*><p>(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", m).strip() for m in messages]
