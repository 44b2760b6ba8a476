"""Explanations computed from the instance and the plan alone (no solver).

For each partnership: where its fit comes from and why it beat the next best option. For
each recipient: the best alternatives and why each was not chosen (the capacity it would
need and who uses it, the rule that rejected it, the budget, or the objective difference).
For each uncovered recipient: the binding reasons, and what would change them (its ``NAMED`` most
relevant eligible supporters named one by one, any others counted by reason).
``options`` indexes the facts once; ``wording`` writes the sentences.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain import Pair
from ..model.instance import MatchInstance
from ..result import Alternative
from .options import PlanIndex, fit_breakdown_of, with_fit_terms
from .unnamed import Unnamed
from .wording import NAMED, Narrator

__all__ = ["NAMED", "Explanations", "Unnamed", "explain", "fit_breakdown_of", "with_fit_terms"]


@dataclass(frozen=True)
class Explanations:
    """Text and alternatives per chosen pair and per uncovered recipient."""

    pair_text: dict[Pair, str]
    pair_breakdown: dict[Pair, dict[str, float]]
    pair_alternatives: dict[Pair, tuple[Alternative, ...]]
    uncovered_reasons: dict[str, tuple[str, ...]]
    uncovered_alternatives: dict[str, tuple[Alternative, ...]]
    #: Per uncovered recipient with more than ``NAMED`` eligible supporters: the others, counted by reason.
    uncovered_unnamed: dict[str, Unnamed] = field(default_factory=dict)


def explain(instance: MatchInstance, chosen: list[Pair]) -> Explanations:
    """Explain every chosen pair and every uncovered recipient of a plan."""
    index = PlanIndex(instance, chosen)
    narrator = Narrator(index)
    pair_text, pair_alts, breakdowns = {}, {}, {}
    for pair in chosen:
        breakdowns[pair] = fit_breakdown_of(index.arc_with_terms(pair), instance)
        alternatives = narrator.alternatives(pair.recipient, exclude=pair)
        pair_text[pair] = narrator.pair_text(pair, alternatives)
        pair_alts[pair] = tuple(alternatives)
    reasons, alts = {}, {}
    uncovered = [code for code in instance.recipients["code"] if code not in index.covered]
    narrator.check_uncovered(uncovered)
    for code in uncovered:
        reasons[code] = tuple(narrator.uncovered_reasons(code))
        alts[code] = tuple(narrator.alternatives(code, exclude=None))
    return Explanations(pair_text, breakdowns, pair_alts, reasons, alts, dict(narrator.unnamed))
