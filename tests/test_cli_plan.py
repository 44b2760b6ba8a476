"""``propose`` and ``candidates``: the JSON contracts other tools read, re-match through files, and errors."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matcher.cli import cli
from tests.independent import solve_lexicographic

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


def test_the_national_plan_is_the_one_domain_md_describes(plan_and_instance):
    """DOMAIN §3 (version 2): the national plan is the size the spec expects.

    About 20 partnerships, 1 or 2 management contracts, every persistent recipient covered, about 12-15m a
    year; general acute supply binds.
    """
    plan, _, _ = plan_and_instance
    assert len(plan["pairs"]) + len(plan["uncovered"]) == 62
    assert 15 <= len(plan["pairs"]) <= 25
    assert 1 <= sum(p["kind"] == "management_contract" for p in plan["pairs"]) <= 2
    assert not [u for u in plan["uncovered"] if u["severity"] == 8]
    assert 10_000_000 <= plan["objective"]["spend"] <= 16_000_000


def test_the_national_plan_keeps_to_past_practice(plan_and_instance):
    """DOMAIN §6.1 and the issue's done-when: the plan keeps the version 2 rules.

    No pair across peer groups or inside a group, recipients of one supporter at most 100 km apart, and a
    quality object on the plan.
    """
    plan, _, _ = plan_and_instance
    quality = plan["quality"]
    assert quality["share_same_peer_group"] == 1.0 and quality["outside_past_practice"] == []
    assert quality["pairs_inside_group"] == 0
    assert quality["largest_corecipient_km"] <= 100
    assert quality["largest_load_ratio"] <= 1.5 and quality["largest_size_ratio"] <= 2.0
    assert quality["on_record"] == {"median_distance_km": 48.0, "share_within_80km": 0.59,
                                    "largest_corecipient_km": 45.0}


def test_exported_instance_carries_every_constraint_the_objective_used(plan_and_instance):
    plan, instance, _ = plan_and_instance
    assert {"supporters", "recipients", "arcs", "locked", "excluded", "conflicts", "pair_bonuses",
            "budget_annual_gbp", "objective"} <= set(instance)
    assert instance["objective"] == ["coverage", "score", "spend"]
    assert all({"load_limit_gbp", "capacity_units"} <= set(s) for s in instance["supporters"])
    assert all(isinstance(a["load_gbp"], int) for a in instance["arcs"])
    assert instance["conflicts"] and all(set(c) == {"a", "b"} for c in instance["conflicts"])
    arcs = {(a["supporter"], a["recipient"], a["kind"]): a for a in instance["arcs"]}
    chosen = {(p["supporter"], p["recipient"], p["kind"]) for p in plan["pairs"]}
    bonus = sum(b["score"] for b in instance["pair_bonuses"]
                if (b["a"]["supporter"], b["a"]["recipient"], b["a"]["kind"]) in chosen
                and (b["b"]["supporter"], b["b"]["recipient"], b["b"]["kind"]) in chosen)
    assert sum(arcs[k]["score"] for k in chosen) + bonus == plan["objective"]["score"]
    assert sum(arcs[k]["incentive_annual_gbp"] for k in chosen) == plan["objective"]["spend"]
    assert sum(arcs[k]["coverage"] for k in chosen) == pytest.approx(plan["objective"]["coverage"])
    conflicts = {frozenset({(c["a"]["supporter"], c["a"]["recipient"], c["a"]["kind"]),
                            (c["b"]["supporter"], c["b"]["recipient"], c["b"]["kind"])}) for c in instance["conflicts"]}
    assert not [c for c in conflicts if c <= chosen]


def test_an_independent_solver_confirms_the_plan_is_lexicographically_optimal(plan_and_instance):
    plan, instance, _ = plan_and_instance
    values = solve_lexicographic(instance)
    assert values["coverage"] == pytest.approx(plan["objective"]["coverage"])
    assert values["score"] == pytest.approx(plan["objective"]["score"])
    assert values["spend"] == pytest.approx(plan["objective"]["spend"])


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
    # With segment 4 read as intensive support (version 1's reading), an ambulance trust must be covered
    (tmp_path / "mm.yaml").write_text("must_match_intensive: true\nsegments:\n  intensive: [4, 5]\n  difficulty: []\n")
    result = run("propose", "--config", str(tmp_path / "mm.yaml"))
    assert result.exit_code == 2
    assert result.output.startswith("No plan satisfies the rules. Relaxing all of these would make one possible:")
    assert "must-match for RYF" in result.output  # an ambulance trust no supporter may serve
