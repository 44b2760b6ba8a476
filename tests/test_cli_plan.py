"""``propose`` and ``candidates``: the JSON contracts other tools read, re-match through files, and errors."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matcher.cli import cli

AS_OF = ["--as-of", "2026-11-23"]


def run(*args: str):
    result = CliRunner().invoke(cli, [*args, *AS_OF])
    return result


@pytest.fixture(scope="module")
def plan_and_instance(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    result = run("propose", "--format", "json", "--export-instance", str(folder / "instance.json"))
    assert result.exit_code == 0, result.output
    return json.loads(result.output), json.loads((folder / "instance.json").read_text()), folder


def test_plan_json_contract(plan_and_instance):
    plan, _, _ = plan_and_instance
    assert {"status", "objective", "pairs", "uncovered", "supporters", "fingerprint"} <= set(plan)
    assert plan["status"] == "OPTIMAL"
    assert set(plan["objective"]) == {"coverage", "score", "spend"}
    for p in plan["pairs"]:
        assert {"supporter", "recipient", "kind", "units", "fit", "distance_km", "score", "incentive_annual_gbp",
                "incentive_term_gbp", "explanation"} <= set(p)
        assert p["kind"] in ("buddy", "management_contract")
    assert all({"recipient", "reasons"} <= set(u) and u["reasons"] for u in plan["uncovered"])
    assert all({"code", "capacity_units", "used_units"} <= set(s) for s in plan["supporters"])
    assert {"data", "config", "solver"} <= set(plan["fingerprint"])


def test_the_national_plan_covers_about_half_with_one_or_two_management_contracts(plan_and_instance):
    plan, _, _ = plan_and_instance
    assert len(plan["pairs"]) + len(plan["uncovered"]) == 64
    assert 25 <= len(plan["pairs"]) <= 40
    assert 1 <= sum(p["kind"] == "management_contract" for p in plan["pairs"]) <= 3
    assert plan["objective"]["spend"] <= 35_000_000


def test_exported_instance_is_exactly_what_the_objective_used(plan_and_instance):
    plan, instance, _ = plan_and_instance
    assert {"supporters", "recipients", "arcs", "locked", "excluded", "budget_annual_gbp", "objective"} <= set(instance)
    assert instance["objective"] == ["coverage", "score", "spend"]
    arcs = {(a["supporter"], a["recipient"], a["kind"]): a for a in instance["arcs"]}
    chosen = [arcs[(p["supporter"], p["recipient"], p["kind"])] for p in plan["pairs"]]
    assert sum(a["score"] for a in chosen) == plan["objective"]["score"]
    assert sum(a["incentive_annual_gbp"] for a in chosen) == plan["objective"]["spend"]
    assert sum(a["coverage"] for a in chosen) == pytest.approx(plan["objective"]["coverage"])
    assert all(isinstance(a["score"], int) and isinstance(a["incentive_annual_gbp"], int) for a in instance["arcs"])


def test_rematch_keeps_accepted_never_repeats_declined_and_reports_changes(plan_and_instance):
    plan, _, folder = plan_and_instance
    (folder / "plan.json").write_text(json.dumps(plan))
    accepted, declined = plan["pairs"][0], plan["pairs"][1]
    (folder / "decisions.csv").write_text(
        "supporter,recipient,kind,decision\n"
        f"{accepted['supporter']},{accepted['recipient']},{accepted['kind']},accepted\n"
        f"{declined['supporter']},{declined['recipient']},{declined['kind']},declined\n")
    result = run("propose", "--previous", str(folder / "plan.json"), "--decisions", str(folder / "decisions.csv"),
                 "--format", "json", "--export-instance", str(folder / "rematch.json"))
    assert result.exit_code == 0, result.output
    new = json.loads(result.output)
    pairs = {(p["supporter"], p["recipient"], p["kind"]) for p in new["pairs"]}
    assert (accepted["supporter"], accepted["recipient"], accepted["kind"]) in pairs
    assert (declined["supporter"], declined["recipient"], declined["kind"]) not in pairs
    exported = json.loads((folder / "rematch.json").read_text())
    locked = [(a["supporter"], a["recipient"]) for a in exported["locked"]]
    assert locked == [(accepted["supporter"], accepted["recipient"])]
    excluded = [(e["supporter"], e["recipient"]) for e in exported["excluded"]]
    assert excluded == [(declined["supporter"], declined["recipient"])]
    old = {(p["supporter"], p["recipient"], p["kind"]) for p in plan["pairs"]}
    moved = list(new["changes"])
    assert all({"recipient", "from", "to"} <= set(c) for c in moved)
    pending_lost = ({(p[0], p[1], p[2]) for p in old - pairs}
                    - {(declined["supporter"], declined["recipient"], declined["kind"])})
    assert {(c["from"], c["recipient"]) for c in moved} == {(s, r) for s, r, _ in pending_lost}
    assert len(moved) <= 3  # one decline disturbs few other offers


def test_a_bad_decisions_file_exits_2_with_its_location(tmp_path):
    (tmp_path / "d.csv").write_text("supporter,recipient,kind,decision\nRBV,RXL,buddy,maybe\n")
    result = run("propose", "--decisions", str(tmp_path / "d.csv"))
    assert result.exit_code == 2
    assert "d.csv, row 2, column 'decision': 'maybe' is not one of accepted, declined, pending" in result.output


def test_candidates_json_lists_eligible_first_with_every_failed_rule():
    result = run("candidates", "RXL", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert len(items) == 198 * 2
    flags = [i["eligible"] for i in items]
    assert flags == sorted(flags, reverse=True)
    eligible = [i for i in items if i["eligible"]]
    assert [i["score"] for i in eligible] == sorted((i["score"] for i in eligible), reverse=True)
    for item in items:
        assert {"supporter", "kind", "eligible", "score", "fit", "distance_km", "failed_rules", "reason"} <= set(item)
        assert item["eligible"] == (item["failed_rules"] == [])
    oxford = next(i for i in items if i["supporter"] == "RTH" and i["kind"] == "buddy")
    assert "not_supporter" in oxford["failed_rules"]


def test_candidates_for_a_trust_that_is_not_a_recipient_today():
    result = run("candidates", "RBV", "--kind", "buddy", "--format", "json")
    assert result.exit_code == 0
    assert all(i["kind"] == "buddy" for i in json.loads(result.output))


def test_candidates_for_an_unknown_trust_exits_2():
    result = run("candidates", "ZZZ")
    assert result.exit_code == 2
    assert "ZZZ is not an open English NHS trust in the data" in result.output


def test_propose_table_is_readable():
    result = run("propose")
    assert result.exit_code == 0
    assert result.output.startswith("Plan (OPTIMAL): ")
    assert "Uncovered:" in result.output


def test_must_match_infeasible_exits_2_with_the_diagnosis(tmp_path):
    (tmp_path / "mm.yaml").write_text("must_match_intensive: true\n")
    result = run("propose", "--config", str(tmp_path / "mm.yaml"))
    assert result.exit_code == 2
    assert result.output.startswith("No plan satisfies the rules. Relaxing all of these would make one possible:")
    assert "must-match for RYF" in result.output  # an ambulance trust no supporter may serve
