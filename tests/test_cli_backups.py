"""A named backup per offer (DOMAIN §8): who a re-match proposes if that offer is declined, and it does."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matcher.cli import cli
from tests.factories import AS_OF

DATE = ["--as-of", AS_OF.isoformat()]


@pytest.fixture(scope="module")
def proposed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backups")
    result = CliRunner().invoke(cli, ["propose", "--format", "json", *DATE])
    assert result.exit_code == 0, result.output
    (folder / "plan.json").write_text(result.output)
    return json.loads(result.output), folder


def test_every_pair_has_a_backup_or_the_reason_it_has_none(proposed):
    plan, _ = proposed
    for pair in plan["pairs"]:
        assert "backup" in pair
        if pair["backup"] is None:
            assert pair["backup_reason"]
        else:
            backup = pair["backup"]
            assert pair["backup_reason"] is None
            assert backup["supporter"] != pair["supporter"]
            assert backup["score_difference"] == backup["score"] - pair["score"]
    assert any(p["backup"] for p in plan["pairs"]) and any(p["backup"] is None for p in plan["pairs"])
    no_one = next(p for p in plan["pairs"] if p["recipient"] == "RXR")  # East Lancashire: one eligible supporter
    assert no_one["backup_reason"] == "it has no other eligible supporter, so a re-match would leave it uncovered"


def decline_and_rematch(folder, pair) -> dict:
    (folder / "decisions.csv").write_text("supporter,recipient,kind,decision\n"
                                          f"{pair['supporter']},{pair['recipient']},{pair['kind']},declined\n")
    result = CliRunner().invoke(cli, ["propose", "--previous", str(folder / "plan.json"), "--decisions",
                                      str(folder / "decisions.csv"), "--format", "json", *DATE])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_declining_an_offer_and_rematching_gives_its_backup(proposed):
    plan, folder = proposed
    pair = next(p for p in plan["pairs"] if p["backup"] is not None)
    after = decline_and_rematch(folder, pair)
    new = next(p for p in after["pairs"] if p["recipient"] == pair["recipient"])
    backup = pair["backup"]
    assert (new["supporter"], new["kind"], new["score"]) == (backup["supporter"], backup["kind"], backup["score"])
    assert len([c for c in after["changes"] if c["recipient"] != pair["recipient"]]) == backup["other_changes"]


def test_declining_an_offer_without_a_backup_leaves_its_recipient_uncovered(proposed):
    plan, folder = proposed
    pair = next(p for p in plan["pairs"] if p["backup"] is None)
    after = decline_and_rematch(folder, pair)
    assert pair["recipient"] in {u["recipient"] for u in after["uncovered"]}
