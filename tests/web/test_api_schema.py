"""Schemathesis against the service's own OpenAPI document.

Generated requests to every API operation never get a server error, and every response matches
the documented schema.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.databases import fresh_database_url
from tests.web.conftest import PASSWORD, USERS, make_app
from web.worker import work_once

CASES: dict[str, int] = {}


@pytest.fixture(scope="module")
def api_app(tmp_path_factory, current_data) -> Iterator:
    """The service with a published run and answered offers, shared by all generated cases."""
    with fresh_database_url(tmp_path_factory.mktemp("api-schema"), "test_api") as url:
        app = make_app(url, current_data)
        client = app.test_client()
        _sign_in(client, "regulator")
        client.post("/api/runs", json={"scenario_id": 1}, headers={"X-CSRFToken": _token(client)})
        work_once(app.extensions["db"], app.extensions["buddying"], "schema-test")
        client.post("/api/runs/1/publish", headers={"X-CSRFToken": _token(client)})
        yield app
        app.extensions["db_engine"].dispose()


def _token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/runs").get_data(as_text=True)
                     or client.get("/my-trust/").get_data(as_text=True)).group(1)


def _sign_in(client, who: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/sign-in", data={"email": USERS[who][0], "password": PASSWORD,
                                         "csrf_token": token}).status_code == 302


@pytest.fixture(scope="module")
def role_headers(api_app) -> dict[str, dict[str, dict[str, str]]]:
    """A session cookie and CSRF token for a regulator and for a trust executive."""
    headers = {}
    for who, home in (("regulator", "/runs"), ("rxl", "/my-trust/")):
        client = api_app.test_client()
        _sign_in(client, who)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(home).get_data(as_text=True)).group(1)
        headers[who] = {"headers": {"X-CSRFToken": token},
                        "cookies": {"buddying_session": client.get_cookie("buddying_session").value}}
    return headers


def test_every_api_operation_conforms_to_its_schema_and_never_errors(api_app, role_headers):
    """Each generated request is sent as a regulator and as a trust executive (so 403s and 404s are checked too)."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11

    for operation in operations:
        _check_operation(operation, role_headers)
    print("\nSchemathesis cases per operation (each sent as two roles):")
    for label, count in sorted(CASES.items()):
        print(f"  {label:45} {count}")
    assert sum(CASES.values()) >= 11 * 10


def _check_operation(operation, role_headers) -> None:
    """Send an operation's generated cases as each role (a function, so ``check`` binds this operation)."""
    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        CASES[operation.label] = CASES.get(operation.label, 0) + 1
        for credentials in role_headers.values():
            case.call_and_validate(**credentials)
    check()
