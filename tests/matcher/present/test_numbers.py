"""The words for a plan's figures, in one place."""
from __future__ import annotations

from matcher.present.numbers import fit_term_scale, meanings, severity_words, stage_name
from matcher.settings import parse_settings


def test_severity_is_a_number_and_a_meaning_and_higher_is_worse():
    assert severity_words(1) == "1 (in difficulty)"
    assert severity_words(3) == "3 (intensive support or rated Inadequate)"
    assert severity_words(8) == "8 (persistent difficulty, the most severe)"
    assert severity_words(4) == "4 (persistent difficulty with a buddying, which counts 50%)"
    assert severity_words(5) == "5 (weighted by the scenario)"
    weights = parse_settings("weights: {persistent: 10}\n").weights
    assert severity_words(10, weights) == "10 (persistent difficulty, the most severe)"


def test_solver_stage_names_are_words():
    assert [stage_name(s) for s in ("coverage", "kept_offers", "score", "spend")] == [
        "Coverage", "Offers kept", "Score", "Spend"]


def test_each_fit_line_says_how_it_is_counted():
    assert fit_term_scale("well-led (CQC)") == "rating steps the supporter is ahead, times the weight"
    assert fit_term_scale("access segment") == "segments the supporter is ahead, times the weight"
    assert fit_term_scale("mortality (SHMI)") == "percentile the supporter is ahead, from 0 to 1, times the weight"
    assert fit_term_scale("similar size") == "smaller income over larger, from 0 to 1, times the bonus"


def test_every_meaning_is_explained_once_and_follows_the_settings():
    items = meanings()
    assert len({m.anchor for m in items}) == len(items)
    assert {m.anchor for m in items} >= {"severity", "coverage", "fit", "fit-points", "score", "support-units",
                                         "bound", "gap", "fingerprints", "stages"}
    score = {m.anchor: m.text for m in meanings(parse_settings("geography: {distance_penalty_per_km: 0.1}\n"))}
    assert "fit less 0.1 for each km" in score["score"]
    coverage = {m.anchor: m.text for m in meanings()}["coverage"]
    assert coverage.startswith("Recipients covered, weighted by severity") and "50%" in coverage
