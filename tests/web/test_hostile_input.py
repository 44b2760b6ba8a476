"""Input that used to give a server error in issue 15's attack pass.

Each now gets a plain answer that says what is wrong, and nothing is stored.
"""
from __future__ import annotations

import io
import json
import time

import pytest
from sqlalchemy import func, select

from matcher.store.tables import Offer, Scenario
from tests.matcher.test_hostile_config import alias_bomb
from tests.web.conftest import PASSWORD, USERS, make_app, post
from web.security import UNSTORABLE_TEXT


def scenarios(app) -> int:
    with app.extensions["db"]() as session:
        return session.scalar(select(func.count()).select_from(Scenario))


def upload(client, text: str, name: str = "bomb.yaml"):
    return client.post("/scenarios/upload", data={"name": "hostile", "note": "an attack",
                                                  "file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_the_alias_bomb_upload_is_refused_in_under_a_second_with_a_small_page(app, client_for):
    policy = client_for("policy")
    started = time.perf_counter()
    response = upload(policy, alias_bomb())
    seconds = time.perf_counter() - started
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and seconds < 1.0 and len(response.data) < 50_000
    assert "bomb.yaml has 1 problem" in html
    assert "<li>line 2, column 10: aliases (*name) are not allowed here; write each value out in full</li>" in html
    assert scenarios(app) == 1


def test_yaml_nested_ten_thousand_deep_in_an_upload_or_a_form_field_is_a_field_error(app, client_for):
    policy = client_for("policy")
    response = upload(policy, "metrics: " + "[" * 10_000 + "]" * 10_000 + "\n", "deep.yaml")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<li>line 1, column 29: lists and sections are nested more than 20 deep</li>" in html
    from tests.fuzz.test_fuzz_config_form import DEFAULT_FORM
    html = post(policy, "/scenarios/1/edit", {**DEFAULT_FORM, "name": "deep", "note": "deep",
                                               "segments.programme.regimes": "[" * 10_000 + "]" * 10_000}, 400)
    assert "Names of the intensive-support programme must be 200 characters or fewer" in html
    assert scenarios(app) == 1


def test_an_upload_with_thousands_of_problems_lists_the_first_ten(app, client_for):
    text = "".join(f"unknown_{i}: 1\n" for i in range(5000))
    html = upload(client_for("policy"), text, "many.yaml").get_data(as_text=True)
    assert "many.yaml has 5,000 problems" in html
    assert "<li>unknown_9 is not a known key</li><li>and 4,990 more problems</li>" in html
    assert "unknown_10 " not in html


def test_an_absurd_budget_in_the_scenario_form_is_an_error_summary_and_saves_nothing(app, client_for):
    from tests.fuzz.test_fuzz_config_form import DEFAULT_FORM
    html = post(client_for("policy"), "/scenarios/1/edit", {**DEFAULT_FORM, "name": "rich", "note": "more money",
                                                            "incentives.annual_budget_gbp_m": "1e21"}, 400)
    assert ('<a href="#f-incentives-annual-budget-gbp-m"> Annual budget for incentive payments (£ millions) must be '
            '10,000 or less (you entered 1e21) </a>') in " ".join(html.split())
    assert ('<span class="nhsuk-u-visually-hidden">Error:</span> Annual budget for incentive payments (£ millions) '
            'must be 10,000 or less (you entered 1e21)') in " ".join(html.split())  # on the field too
    assert "in £ millions (up to 10,000)." in html  # the field's help gives the range
    assert scenarios(app) == 1


@pytest.mark.parametrize("target", ["/dashboard\r\nSet-Cookie: x=1", "/\\evil.example", "//evil.example/",
                                    "https://evil.example/", "/dash\x7fboard"])
def test_a_next_page_with_a_line_break_or_another_host_is_ignored_after_signing_in(client_for, target):
    response = client_for(None).post("/sign-in?next=" + target.replace("\r", "%0D").replace("\n", "%0A"),
                                     data={"email": USERS["regulator"][0], "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("query", ["a=²&b=1", "a=99999999999999999999999&b=1", "a=١&b=1", "a=-1&b=1", "a=+1&b=1"])
def test_comparing_runs_by_a_strange_number_asks_for_two_runs(client_for, query):
    response = client_for("regulator").get(f"/runs/compare?{query}")
    assert response.status_code == 400
    assert "Select two runs to compare" in response.get_data(as_text=True)


def test_a_strange_version_on_an_offer_form_is_not_a_server_error(app, client_for, published):
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
    html = post(client_for("rxl"), f"/my-trust/offers/{offer.id}", {"decision": "maybe", "version": "²"}, 400)
    assert "Select whether you accept or decline the offer" in html


@pytest.mark.parametrize("spare", ["²", "１", "1_0", "99999999999999999999999"])
def test_strange_spare_capacity_is_a_field_error(client_for, spare):
    html = post(client_for("rxl"), "/my-trust/capacity", {"willing": "yes", "spare_units": spare, "note": ""}, 400)
    assert "Enter spare capacity as a whole number from 0 to 10" in html


def test_a_lone_surrogate_in_a_json_answer_is_refused_and_nothing_is_stored(app, client_for, published):
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
    body = '{"decision": "declined", "reason_code": "other", "reason_text": "\\ud800x", "version": 1}'
    response = client_for("rxl").post(f"/api/offers/{offer.id}/decision", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json == {"error": UNSTORABLE_TEXT}
    with app.extensions["db"]() as session:
        assert not session.get(Offer, offer.id).decisions


def test_json_nested_ten_thousand_deep_is_a_bad_request(client_for):
    response = client_for("regulator").post("/api/runs", data="[" * 10_000 + "]" * 10_000,
                                            content_type="application/json")
    assert response.status_code == 400 and response.json == {"error": "Send a JSON object"}
    deep = json.dumps({"scenario_id": 1, "purpose": json.loads("[" * 25 + "]" * 25)})
    response = client_for("regulator").post("/api/runs", data=deep, content_type="application/json")
    assert response.status_code == 400 and response.json == {"error": "Send a JSON object"}


def test_the_json_api_is_never_cached(client_for, proposal):
    for url in ("/api/runs", f"/api/runs/{proposal}/plan", "/api/openapi.json"):
        assert client_for("regulator").get(url).headers["Cache-Control"] == "no-store", url


def test_in_production_plain_http_is_sent_to_https_and_https_answers_with_hsts(database_url, current_data):
    app = make_app(database_url, current_data, FORCE_HTTPS=True)
    try:
        response = app.test_client().get("/sign-in?next=/runs")
        assert response.status_code == 308 and response.location == "https://localhost/sign-in?next=/runs"
        assert "Strict-Transport-Security" not in response.headers
        secure = app.test_client().get("/sign-in", base_url="https://localhost")
        assert secure.status_code == 200
        assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    finally:
        app.extensions["db_engine"].dispose()


def test_behind_a_trusted_proxy_the_client_address_and_https_come_from_the_proxy(database_url, current_data):
    app = make_app(database_url, current_data, WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1, FORCE_HTTPS=True)
    try:
        def sign_in(address: str, password: str):
            return app.test_client().post("/sign-in", data={"email": USERS["policy"][0] if password == PASSWORD
                                                            else f"guess{time.perf_counter_ns()}@x.nhs.uk",
                                                            "password": password},
                                          headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})
        for _ in range(20):
            assert sign_in("203.0.113.9", "wrong").status_code == 400  # one attacker, through the proxy
        assert sign_in("203.0.113.9", PASSWORD).status_code == 429  # locked: that address only
        assert sign_in("198.51.100.7", PASSWORD).status_code == 302  # everyone else signs in
    finally:
        app.extensions["db_engine"].dispose()


def test_the_proxy_setting_must_be_a_small_whole_number():
    from matcher.errors import BuddyingError
    from web.security import trusted_proxies
    assert trusted_proxies({}) == 0 and trusted_proxies({"BUDDYING_TRUSTED_PROXIES": "2"}) == 2
    for bad in ("²", "-1", "6", "yes"):
        with pytest.raises(BuddyingError, match="BUDDYING_TRUSTED_PROXIES must be the number of proxies in front of"):
            trusted_proxies({"BUDDYING_TRUSTED_PROXIES": bad})
