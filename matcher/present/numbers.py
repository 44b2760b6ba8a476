"""What the numbers mean: one home for the plain words every page uses for a plan's figures.

Fit, score, severity, coverage, support units, the solver's objective, bound and gap, and the
data and settings fingerprints are each explained once here, with their scale and which way is
better; the pages show the words beside the figures and link to the whole list. Figures quoted
in the explanations are the national defaults, read from ``Settings`` so they cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings
from ..settings.weights import Weights


@dataclass(frozen=True)
class Meaning:
    """One figure: its anchor on the explanation page, its name, and what it means in plain words."""

    anchor: str
    term: str
    text: str


def meanings(settings: Settings | None = None) -> tuple[Meaning, ...]:
    """Every figure the service shows, explained (with the given settings' weights, else the defaults)."""
    s = settings or Settings()
    w, g = s.weights, s.geography
    return (
        Meaning("severity", "Severity",
                f"How serious a recipient's difficulty is, as a number: higher is worse. "
                f"{severity_words(1, w)}; {severity_words(w.severity, w)}; {severity_words(w.persistent, w)}. "
                "Severity is also how much covering that recipient counts."),
        Meaning("coverage", "Coverage",
                f"Recipients covered, weighted by severity: each recipient given a partner adds its severity "
                f"(a buddying adds {w.buddy_for_persistent:.0%} of it for a trust in persistent difficulty, which "
                "needs a management contract). Higher is better; the plan makes it as high as possible first."),
        Meaning("fit", "Fit",
                "How strong the supporter is where the recipient is weak: the sum of the points in the pair's fit "
                "breakdown. 0 means no strength where it is needed; higher is better. Most proposed pairs have a "
                "fit between 5 and 25."),
        Meaning("fit-points", "Fit breakdown points",
                "Each line of a fit breakdown is the supporter's lead over the recipient, times that line's weight. "
                "CQC key questions count where the recipient is rated Requires improvement or worse: one point a "
                "rating step (Inadequate, Requires improvement, Good, Outstanding), halved for a rating older than "
                f"{s.supporter.max_rating_age_years:g} years. Oversight domains count where the recipient is in "
                "segment 3 or worse: one point a segment. Performance measures count where the recipient is below "
                "the middle trust: the gap in percentile, from 0 to 1. Similar size adds up to "
                f"{w.size_similarity_bonus:g} for two trusts of equal income."),
        Meaning("score", "Score",
                f"Fit less the cost of distance, in points: 100 times (fit less {g.distance_penalty_per_km:g} for "
                f"each km between head offices), less {g.cross_region_penalty} points across an NHS England region "
                "boundary, plus points when two trusts of one group share a supporter. Higher is better; after "
                "coverage, the plan makes the total score as high as possible."),
        Meaning("support-units", "Support units",
                "How much support a supporter can give at once, by its size: "
                + ", ".join(f"{u} unit{'s' if u != 1 else ''}" for u in s.capacity.units_by_band)
                + " from the smallest size band to the largest, plus any spare capacity it declares. A buddying uses "
                f"{s.capacity.buddy_units} unit{'s' if s.capacity.buddy_units != 1 else ''}; a management contract "
                f"uses {s.capacity.mc_units} or more, depending on how large the managed trust is."),
        Meaning("incentive", "Incentive",
                "The payment to the supporter, a year and over the whole term, priced on the recipient's estimated "
                "income. Payments are policy choices, not published rates; the plan spends as little as it can "
                "once coverage and score are settled."),
        Meaning("stages", "Solver stages",
                "The plan is solved in order of importance: coverage first, then (when re-matching) the offers "
                "already made that are kept, then score, then spend. Each stage keeps what the earlier ones "
                "reached."),
        Meaning("bound", "Best possible (bound)",
                "For each stage, the best value any plan could reach, as proven by the solver. When the plan "
                "reaches it, the plan is the best possible for that stage."),
        Meaning("gap", "Gap",
                "How far the plan might be from the best possible in a stage: the difference between the plan's "
                "value and the bound, as a share of the bound. 0% means proven best; a small gap means the solver "
                "ran out of time before proving it."),
        Meaning("fingerprints", "Data and settings fingerprints",
                "Short codes worked out from the data files and from the scenario's settings. Two runs with the "
                "same codes used exactly the same inputs; a different code means something changed. They say "
                "nothing about quality."),
    )


def severity_words(severity: float, weights: Weights | None = None) -> str:
    """``8 (persistent difficulty, the most severe)``: a severity as its number and its meaning."""
    w = weights or Weights()
    if severity == w.persistent:
        meaning = "persistent difficulty, the most severe"
    elif severity == w.severity:
        meaning = "intensive support or rated Inadequate"
    elif severity == 1:
        meaning = "in difficulty"
    elif severity == w.persistent * w.buddy_for_persistent:
        meaning = f"persistent difficulty with a buddying, which counts {w.buddy_for_persistent:.0%}"
    else:
        meaning = "weighted by the scenario"
    return f"{severity:g} ({meaning})"


#: Each solver stage's name as people read it.
STAGE_NAMES = {"coverage": "Coverage", "kept_offers": "Offers kept", "score": "Score", "spend": "Spend"}


def stage_name(name: str) -> str:
    """``Offers kept`` for the solver's ``kept_offers``."""
    return STAGE_NAMES.get(name, name.replace("_", " ").capitalize())


def fit_term_scale(label: str) -> str:
    """How one line of a fit breakdown is counted, from its label (``well-led (CQC)``)."""
    if label.endswith("(CQC)"):
        return "rating steps the supporter is ahead, times the weight"
    if label.endswith("segment"):
        return "segments the supporter is ahead, times the weight"
    if label == "similar size":
        return "smaller income over larger, from 0 to 1, times the bonus"
    return "percentile the supporter is ahead, from 0 to 1, times the weight"
