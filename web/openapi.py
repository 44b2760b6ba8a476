"""The OpenAPI 3 document of the JSON API (served at /api/openapi.json)."""
from __future__ import annotations

from typing import Any

from .ids import MAX_ID

STRING, INTEGER, NUMBER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
KIND = {"type": "string", "enum": ["buddy", "management_contract"]}
OBJECTS = {"type": "array", "items": {"type": "object"}}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


#: Eligible supporters an uncovered recipient's reasons do not name, counted by reason (only beyond the first five).
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}

SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": STRING}),
    "FieldErrors": _object({"errors": {"type": "object", "additionalProperties": STRING}}),
    "Job": _object({"id": INTEGER, "status": {"type": "string", "enum": ["queued", "running", "succeeded", "failed"]},
                    "purpose": {"type": "string", "enum": ["proposal", "what_if", "levers"]}, "scenario_id": INTEGER,
                    "progress": STRING, "error": NULLABLE_STRING, "run_id": {"type": ["integer", "null"]},
                    "levers_of": {"type": ["integer", "null"]}, "created_at": STRING}),
    "RunSummary": _object({
        "id": INTEGER, "scenario": STRING, "scenario_id": INTEGER, "purpose": STRING, "status": STRING,
        "published_at": NULLABLE_STRING, "created_at": STRING, "seconds": NUMBER, "gap": NUMBER,
        "hold_tolerance": NUMBER,
        "objective": _object({"coverage": NUMBER, "score": INTEGER, "spend": INTEGER}),
        "budget_annual_gbp": INTEGER, "pairs": INTEGER, "uncovered": INTEGER, "mean_distance_km": NUMBER,
        "mean_fit": NUMBER, "fingerprint": {"type": "object"}}),
    "Plan": _object({
        "status": STRING, "objective": _object({"coverage": NUMBER, "score": NUMBER, "spend": NUMBER}),
        "pairs": {"type": "array", "items": _object({
            "supporter": STRING, "recipient": STRING, "kind": KIND, "units": INTEGER, "fit": NUMBER,
            "distance_km": NUMBER, "score": INTEGER, "incentive_annual_gbp": INTEGER, "incentive_term_gbp": INTEGER,
            "explanation": STRING}, ["supporter", "recipient", "kind", "units", "fit", "distance_km", "score",
                                    "incentive_annual_gbp", "incentive_term_gbp", "explanation"])},
        "uncovered": {"type": "array", "items": _object({
            "recipient": STRING, "reasons": {"type": "array", "items": STRING},
            "unnamed": _object({"full": COUNTS, "room": COUNTS})}, ["recipient", "reasons"])},
        "supporters": {"type": "array", "items": _object({"code": STRING, "capacity_units": INTEGER,
                                                          "used_units": INTEGER})},
        "fingerprint": {"type": "object"}}, ["status", "objective", "pairs", "uncovered", "supporters",
                                             "fingerprint"]),
    "Decision": _object({"side": {"type": "string", "enum": ["supporter", "recipient"]}, "trust": STRING,
                         "decision": {"type": "string", "enum": ["accepted", "declined"]}, "reason_code": STRING,
                         "reason_text": STRING, "decided_at": STRING}),
    "Offer": _object({"id": INTEGER, "supporter": STRING, "recipient": STRING, "kind": KIND,
                      "status": {"type": "string", "enum": ["pending", "accepted", "declined", "withdrawn"]},
                      "run_id": INTEGER, "version": INTEGER,
                      "your_side": {"type": ["string", "null"], "enum": ["supporter", "recipient", None]},
                      "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}}}),
    "LeverReport": _object({
        "coverage": NUMBER, "pairs": INTEGER, "covered": INTEGER, "recipients": INTEGER, "spend": INTEGER,
        "budget_annual_gbp": INTEGER, "seconds": NUMBER,
        "levers": {"type": "array", "items": _object({
            "id": STRING, "label": STRING, "change": STRING, "flag": STRING, "coverage": NUMBER,
            "coverage_gained": NUMBER, "gained_by_severity": {"type": "object", "additionalProperties": INTEGER},
            "gained": OBJECTS, "lost": OBJECTS, "upgraded": OBJECTS, "downgraded": OBJECTS, "pairs": INTEGER,
            "spend": INTEGER, "spend_change": INTEGER, "worse": OBJECTS,
            "error": NULLABLE_STRING})}}),
    "Publication": _object({"run_id": INTEGER, "new": INTEGER, "kept": INTEGER, "withdrawn": INTEGER,
                            "already_published": BOOLEAN}),
    "RunRequest": {"type": "object", "properties": {"scenario_id": {"type": "integer", "minimum": 1,
                                                                    "maximum": MAX_ID}, "purpose": {
        "type": "string", "enum": ["proposal", "what_if"], "default": "proposal"}}, "required": ["scenario_id"]},
    "DecisionRequest": {"type": "object", "properties": {
        "decision": {"type": "string", "enum": ["accepted", "declined"]},
        "reason_code": {"type": "string", "enum": ["capacity", "distance", "fit", "conflict", "board", "other"]},
        "reason_text": {"type": "string", "maxLength": 2000, "pattern": "^[^\\x00]*$"},  # no NUL: refused at the edge
        "version": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}, "required": ["decision"],
        "allOf": [  # a decline needs a reason; "other" needs it in words
            {"if": {"properties": {"decision": {"const": "declined"}}, "required": ["decision"]},
             "then": {"required": ["reason_code"]}},
            {"if": {"properties": {"decision": {"const": "declined"}, "reason_code": {"const": "other"}},
                    "required": ["decision", "reason_code"]},
             "then": {"required": ["reason_text"], "properties": {"reason_text": {"pattern": "\\S"}}}}]},
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {"401": _json(_ref("Error"), "Not signed in"), "403": _json(_ref("Error"), "The role may not do this"),
          "404": _json(_ref("Error"), "No such item, or not visible to this account")}
ID = {"in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _operation(summary: str, ok: dict[str, Any], *, code: str = "200", body: str | None = None,
               params: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {code: ok, **ERRORS, **(extra or {})}}
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
        operation["responses"]["400"] = _json({"oneOf": [_ref("FieldErrors"), _ref("Error")]}, "The request is invalid")
    return operation


def document() -> dict[str, Any]:
    """The whole document."""
    run_id, job_id, offer_id = ({**ID, "name": "run_id"}, {**ID, "name": "job_id"}, {**ID, "name": "offer_id"})
    conflict = {"409": _json(_ref("Error"), "Already decided, changed meanwhile, or made before the latest decisions")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Buddying API", "version": "1.0.0",
                 "description": "Runs, plans, offers and decisions. Sign in through /sign-in; send the session "
                                "cookie, and the CSRF token in an X-CSRFToken header on POST."},
        "paths": {
            "/api/runs": {
                "get": _operation("Every run, newest first", _json({"type": "array", "items": _ref("RunSummary")},
                                                                   "Runs")),
                "post": _operation("Queue a run of a scenario", _json(_ref("Job"), "Queued"), code="202",
                                   body="RunRequest", extra={"429": _json(_ref("Error"), "This account already has "
                                                                          "3 runs waiting or running")})},
            "/api/runs/{run_id}": {"get": _operation("A run's figures", _json(_ref("RunSummary"), "The run"),
                                                     params=[run_id])},
            "/api/runs/{run_id}/plan": {"get": _operation("A run's plan", _json(_ref("Plan"), "The plan"),
                                                          params=[run_id])},
            "/api/runs/{run_id}/levers": {
                "get": _operation("What would cover more: the run's newest lever report", _json(
                    _ref("LeverReport"), "Each lever moved one notch, most coverage gained first"), params=[run_id]),
                "post": _operation("Try the policy levers on a run (one background job)", _json(_ref("Job"), "Queued"),
                                   code="202", params=[run_id], extra={"429": _json(_ref("Error"), "This account "
                                                                                    "already has 3 jobs waiting")})},
            "/api/runs/{run_id}/publish": {"post": _operation("Publish a run as offers", _json(
                _ref("Publication"), "Published (or already published)"), params=[run_id], extra=conflict)},
            "/api/jobs/{job_id}": {"get": _operation("A queued run's progress", _json(_ref("Job"), "The job"),
                                                     params=[job_id])},
            "/api/offers": {"get": _operation("Offers visible to this account", _json(
                {"type": "array", "items": _ref("Offer")}, "Offers"))},
            "/api/offers/{offer_id}": {"get": _operation("One offer", _json(_ref("Offer"), "The offer"),
                                                         params=[offer_id])},
            "/api/offers/{offer_id}/decision": {"post": _operation(
                "Answer an offer for your own trust", _json(_ref("Offer"), "Recorded"), body="DecisionRequest",
                params=[offer_id], extra=conflict)},
        },
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "buddying_session"}}},
        "security": [{"session": []}],
    }
