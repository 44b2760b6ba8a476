"""Worth the distance: a pair scoring under ``geography.min_pair_score`` (default 0) is not proposed."""
from __future__ import annotations

import numpy as np

from matcher.rules import BIT, check_scored
from matcher.settings import Settings
from tests.matcher.rules.pairs import breaks, config, facts, reject


def test_a_pair_whose_fit_pays_for_its_distance_may_be_proposed():
    assert not breaks("low_score", score=np.array([0]))
    assert not breaks("low_score")  # before the score is known, nothing is refused on it


def test_a_pair_whose_distance_outweighs_its_fit_is_not():
    assert breaks("low_score", score=np.array([-1]))
    assert reject("low_score", score=-216, fit=6.71, distance_km=177.0) == (
        "its score, -216 points, is under the minimum of 0: at 177 km the distance outweighs the fit of 6.71")


def test_the_minimum_is_a_policy_lever():
    assert not breaks("low_score", config("geography:\n  min_pair_score: -300\n"), score=np.array([-216]))
    assert breaks("low_score", config("geography:\n  min_pair_score: 500\n"), score=np.array([499]))


def test_the_score_rule_runs_once_the_scores_are_known():
    found = check_scored(facts(Settings()), np.array([120, -5, 0]))
    assert found.tolist() == [0, BIT["low_score"], 0]
