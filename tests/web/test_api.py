"""The JSON API: the same permissions as the pages, JSON errors, and the plan contract."""
from __future__ import annotations

from sqlalchemy import select

from matcher.store.tables import Offer


def test_signed_out_requests_get_401_json_not_a_page(client_for):
    response = client_for(None).get("/api/runs")
    assert response.status_code == 401 and response.json == {"error": "Sign in first: this needs a session"}


def test_the_openapi_document_is_public_and_lists_every_api_route(app, client_for):
    doc = client_for(None).get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    routes = {rule.rule.replace("<int:", "{").replace(">", "}") for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"}
    assert routes == set(doc["paths"])


def test_a_regulator_queues_a_run_follows_the_job_and_reads_the_plan(regulator, run_jobs):
    response = regulator.post("/api/runs", json={"scenario_id": 1})
    assert response.status_code == 202 and response.json["status"] == "queued"
    assert response.headers["Location"] == f"/api/jobs/{response.json['id']}"
    run_jobs()
    job = regulator.get(response.headers["Location"]).json
    assert job["status"] == "succeeded" and job["run_id"] == 1
    plan = regulator.get("/api/runs/1/plan").json
    assert set(plan) >= {"status", "objective", "pairs", "uncovered", "supporters", "fingerprint"}
    assert set(plan["pairs"][0]) >= {"supporter", "recipient", "kind", "units", "fit", "distance_km", "score",
                                     "incentive_annual_gbp", "incentive_term_gbp", "explanation"}
    summary = regulator.get("/api/runs/1").json
    assert (summary["pairs"], summary["uncovered"], summary["status"]) == (18, 44, "OPTIMAL")
    assert [r["id"] for r in regulator.get("/api/runs").json] == [1]


def test_bad_run_requests_name_the_field(regulator):
    assert regulator.post("/api/runs", json={}).json == {"errors": {"scenario_id": "Give the id of a scenario "
                                                                                   "(a whole number)"}}
    assert regulator.post("/api/runs", json={"scenario_id": 99}).json == {"error": "There is no scenario 99"}
    assert regulator.post("/api/runs", json={"scenario_id": 1, "purpose": "x"}).status_code == 400
    response = regulator.post("/api/runs", data="not json", content_type="application/json")
    assert response.status_code == 400 and response.json == {"error": "Send a JSON object"}


def test_policy_staff_may_run_what_ifs_but_not_proposals_or_publish(client_for, proposal):
    policy = client_for("policy")
    assert policy.post("/api/runs", json={"scenario_id": 1, "purpose": "what_if"}).status_code == 202
    assert policy.post("/api/runs", json={"scenario_id": 1}).status_code == 403
    assert policy.post(f"/api/runs/{proposal}/publish").status_code == 403
    assert policy.get("/api/offers").status_code == 403


def test_publishing_through_the_api_is_idempotent(regulator, proposal):
    first = regulator.post(f"/api/runs/{proposal}/publish").json
    second = regulator.post(f"/api/runs/{proposal}/publish").json
    assert (first["new"], first["already_published"]) == (18, False)
    assert (second["new"], second["already_published"]) == (0, True)
    assert regulator.post("/api/runs/999/publish").status_code == 404


def test_a_trust_executive_sees_and_answers_only_their_own_offers(app, client_for, published):
    rxl = client_for("rxl")
    offers = rxl.get("/api/offers").json
    assert len(offers) == 1 and offers[0]["recipient"] == "RXL" and offers[0]["your_side"] == "recipient"
    with app.extensions["db"]() as session:
        other = session.scalar(select(Offer.id).where(Offer.recipient != "RXL", Offer.supporter != "RXL"))
    assert rxl.get(f"/api/offers/{other}").status_code == 404
    assert rxl.post(f"/api/offers/{other}/decision", json={"decision": "accepted"}).status_code == 404
    mine = offers[0]["id"]
    bad = rxl.post(f"/api/offers/{mine}/decision", json={"decision": "declined"})
    assert bad.status_code == 400 and bad.json == {"errors": {"reason_code": "Select a reason for declining"}}
    assert rxl.post(f"/api/offers/{mine}/decision", json={"decision": 5}).status_code == 400
    done = rxl.post(f"/api/offers/{mine}/decision", json={"decision": "accepted", "version": offers[0]["version"]})
    assert done.status_code == 200 and done.json["decisions"][0]["decision"] == "accepted"
    again = rxl.post(f"/api/offers/{mine}/decision", json={"decision": "accepted"})
    assert again.status_code == 409 and again.json == {"error": "Your trust has already answered this offer."}
    assert len(client_for("regulator").get("/api/offers").json) == 18


def test_ids_too_large_for_the_database_are_not_found_or_refused_never_a_server_error(regulator):
    assert regulator.get("/api/runs/99999999999999999999").status_code == 404
    assert regulator.get("/runs/99999999999999999999").status_code == 404
    response = regulator.post("/api/runs", json={"scenario_id": 2**63})
    assert response.status_code == 400 and "scenario_id" in response.json["errors"]
