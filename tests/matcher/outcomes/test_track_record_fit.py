"""``weights.track_record``: a supporter's record feeds its fit, as the README and DOMAIN §8 say.

The term is the weight times (agreements that ended with the recipient out of difficulty, less those
that ended with it still in difficulty). At the default weight of 0 there is no such term and every
plan is as before.
"""
from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from matcher.candidates import fit_terms_for
from matcher.cli import cli
from matcher.fit import TERM_LABELS
from matcher.outcomes import Agreement, Observation
from matcher.pipeline import classify_dataset
from matcher.planning import plan
from matcher.settings import Settings
from matcher.store.outcomes import import_agreements, record_observations


def weights(track_record: float) -> Settings:
    base = Settings()
    return base.model_copy(update={"weights": base.weights.model_copy(update={"track_record": track_record})})


def test_a_track_record_adds_its_weight_per_net_agreement_to_fit(shipped_dataset, as_of):
    records = {"RBV": 2, "RJ1": -1}
    before = fit_terms_for(classify_dataset(shipped_dataset, weights(0), as_of, records).trusts, weights(0), as_of,
                           ["RBV", "RJ1", "RTH"], ["RXL", "RXL", "RXL"])
    after = fit_terms_for(classify_dataset(shipped_dataset, weights(1.5), as_of, records).trusts, weights(1.5),
                          as_of, ["RBV", "RJ1", "RTH"], ["RXL", "RXL", "RXL"])
    assert "fit_track_record" not in before
    assert after["fit_track_record"].tolist() == [3.0, -1.5, 0.0]
    assert (after["fit"] - before["fit"]).round(3).tolist() == [3.0, -1.5, 0.0]


def test_a_plan_shows_the_track_record_in_the_fit_of_a_supporter_that_has_one(shipped_dataset, national_plan, as_of):
    supporter = national_plan.pairs[0].supporter
    lifted = plan(shipped_dataset, weights(2.0), as_of, track_records={supporter: 1})
    pair = next(p for p in lifted.pairs if p.supporter == supporter)
    assert pair.fit_breakdown[TERM_LABELS["fit_track_record"]] == 2.0
    assert TERM_LABELS["fit_track_record"] not in national_plan.pairs[0].fit_breakdown


def test_propose_reads_track_records_from_the_database_when_asked(db, database_url, national_plan, tmp_path):
    supporter = national_plan.pairs[0].supporter
    with db.begin() as session:
        import_agreements(session, [Agreement("RD1", supporter, "buddy", date(2024, 1, 1), date(2025, 1, 1), "t")],
                          "past.csv", None)
        record_observations(session, [Observation("RD1", date(2023, 12, 31), 4, 3, 3, True),
                                      Observation("RD1", date(2025, 3, 31), 2, 3, 3, False)], "t")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("weights:\n  track_record: 2\n", encoding="utf-8")
    args = ["propose", "--format", "json", "--config", str(scenario), "--as-of", "2026-11-23", "--no-progress"]
    env = {"DATABASE_URL": database_url}
    without = CliRunner().invoke(cli, args, env=env)
    assert "Note: weights.track_record is 2, but no track records were read" in without.stderr
    read = CliRunner().invoke(cli, [*args, "--track-records"], env=env)
    pair = next(p for p in json.loads(read.stdout)["pairs"] if p["supporter"] == supporter)
    assert pair["fit_breakdown"]["track record"] == 2.0
