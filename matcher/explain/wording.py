"""The sentences of an explanation: why a pair, why not each alternative, why a recipient is uncovered.

Every sentence reads the plan facts of ``options.PlanIndex``; a rule's own words (a rejection,
its count in "no supporter is eligible", what would lift it) come from the rule itself
(``matcher.rules``), so the explanation can never disagree with the check.
"""
from __future__ import annotations

import pandas as pd

from .. import rules
from ..domain import Kind, Pair, display_name
from ..result import Alternative
from .options import PlanIndex, fit_breakdown_of
from .plan_arrays import Supporters
from .uncovered import OTHER_LIMITS, GroupsOf, SwapCheck
from .unnamed import Crowd, Found, Unnamed
from .why_uncovered import NAMED, UncoveredWords, _and

__all__ = ["NAMED", "Narrator"]


class Narrator(UncoveredWords):
    """Writes the explanations of one plan (an uncovered recipient's by ``UncoveredWords``)."""

    def __init__(self, index: PlanIndex):
        self.index = index
        self.instance = index.instance
        self.settings = index.settings
        trusts = self.instance.trusts
        self.names = trusts.set_index("code")["name"].to_dict() if len(trusts) else {}  # shown by ``name``
        self.words = rules.Words(trusts, self.settings, self.instance.exclusions) if len(trusts) else None
        self.groups_of = GroupsOf(self.words) if self.words is not None else None
        self._swaps: SwapCheck | None = None
        self._supporters: Supporters | None = None
        self.unnamed: dict[str, Unnamed] = {}
        self._found: dict[str, tuple[Crowd, Found]] = {}
        self._named: dict[str, str] = {}
        self._members: dict[str, list[str]] | None = None

    def name(self, code: str) -> str:
        """"Display Name (CODE)"."""
        named = self._named.get(code)
        if named is None:
            raw = self.names.get(code)
            named = self._named[code] = f"{code if raw is None else display_name(raw)} ({code})"
        return named

    def label(self, row: pd.Series | dict) -> str:
        """"a buddying with Name (CODE)"."""
        return f"{Kind(row['kind']).with_article} with {self.name(row['supporter'])}"

    def pair_text(self, pair: Pair, alternatives: list[Alternative]) -> str:
        """The whole explanation of a chosen pair: what it is, and why it beat the next best option."""
        arc = self.index.arc_with_terms(pair)
        lines = [self.describe_arc(arc)]
        if alternatives:
            best = alternatives[0]
            lines.append(f"Chosen over {best.label}: {best.why_not}.")
        else:
            lines.append("It was the only option for this trust.")
        return " ".join(lines)

    def describe_arc(self, arc: pd.Series) -> str:
        """A chosen pair in one sentence: fit and its strongest terms, distance, score, units and payment."""
        terms = sorted(fit_breakdown_of(arc, self.instance).items(), key=lambda kv: -kv[1])[:3]
        strengths = ", ".join(f"{label} +{value:.2f}" for label, value in terms) or "no stronger areas"
        is_buddy = arc["kind"] == Kind.BUDDY
        years = self.settings.incentives.buddy.years if is_buddy else self.settings.incentives.mc.years
        kind = "Buddying" if is_buddy else "Management contract"
        return (f"{kind} by {self.name(arc['supporter'])}: fit {arc['fit']:.2f} (strongest where this trust is weak: "
                f"{strengths}), {arc['distance_km']:.0f} km apart, score {int(arc['score'])} points, "
                f"{int(arc['units'])} support unit{'s' if int(arc['units']) != 1 else ''}; "
                f"£{int(arc['incentive_annual_gbp']):,} a year, "
                f"£{int(arc['incentive_term_gbp']):,} over {years} years.")

    def alternatives(self, recipient: str, exclude: Pair | None, limit: int = 3) -> list[Alternative]:
        """A recipient's best options other than ``exclude``, each with why it was not chosen."""
        rows = self.index.top(recipient)
        if exclude is not None:
            rows = [r for r in rows
                    if not (str(r["supporter"]) == exclude.supporter and str(r["kind"]) == exclude.kind)]
        return [Alternative(supporter=str(row["supporter"]), kind=str(row["kind"]), eligible=bool(row["eligible"]),
                            score=int(row["score"]), fit=float(row["fit"]), distance_km=float(row["distance_km"]),
                            label=self.label(row), why_not=self.why_not(row, exclude)) for row in rows[:limit]]

    def why_not(self, row: pd.Series | dict, chosen: Pair | None) -> str:
        """Why an option lost: the rules it breaks, capacity and who uses it, the budget, or the objective."""
        ix = self.index
        if not row["eligible"]:
            words = self.words or rules.Words(self.instance.trusts, self.settings, self.instance.exclusions)
            return rules.describe(row, words)
        supporter, units = row["supporter"], int(row["units"])
        freed = int(ix.arc(chosen)["units"]) if chosen is not None and chosen.supporter == supporter else 0
        spare = ix.capacity.get(supporter, 0) - ix.used[supporter] + freed
        if units > spare:
            users = [p for p in ix.pairs_of.get(supporter, []) if chosen is None or p != chosen]
            parts = [f"{Kind(p.kind).with_article} with {self.name(p.recipient)} (counting {int(ix.arc(p)['units'])})"
                     for p in users]
            return (f"{self.name(supporter)} is full: its capacity of {ix.capacity.get(supporter, 0)} is taken by "
                    f"{_and(parts)}, and {Kind(row['kind']).with_article} would count {units}")
        blocked = self._load_or_spread(row, chosen)
        if blocked:
            return blocked
        current = int(ix.arc(chosen)["incentive_annual_gbp"]) if chosen is not None else 0
        new_spend = ix.spend - current + int(row["incentive_annual_gbp"])
        if new_spend > self.instance.budget_annual_gbp:
            return (f"it would take annual incentives to {_money(new_spend)}, over the "
                    f"{_money(self.instance.budget_annual_gbp)} budget")
        if chosen is None:
            return OTHER_LIMITS
        return _lost_on_objective(row, ix.arc(chosen), ix.severity[row["recipient"]])

    def _load_or_spread(self, row: pd.Series | dict, chosen: Pair | None) -> str | None:
        """Why an option with spare units still cannot be added: the supporter's load limit, or the spread rule."""
        ix, supporter, recipient = self.index, str(row["supporter"]), str(row["recipient"])
        others = [r for r in ix.served[supporter] if chosen is None or r != chosen.recipient]
        freed = int(ix.arc(chosen)["load_gbp"]) if chosen is not None and chosen.supporter == supporter else 0
        load = ix.load[supporter] - freed + int(row["load_gbp"])
        limit = float(ix.load_limit.get(supporter, 0))
        income = float(ix.income.get(supporter, 0)) or 1.0
        if load > limit:
            return (f"{self.name(supporter)}'s recipients would together be {load / income:.2f} times its income, "
                    f"over its overstretch limit of {self.settings.capacity.max_load_ratio:g}")
        km = self.settings.geography.max_corecipient_km
        far = [(r, ix.apart_km(recipient, r)) for r in others]
        far = [(r, d) for r, d in far if not d <= km]
        if far:
            r, d = far[0]
            return (f"{self.name(supporter)} already supports {self.name(r)}, {d:.0f} km away, and one supporter's "
                    f"recipients must be within {km:g} km of each other")
        return None

def _lost_on_objective(row: pd.Series | dict, best: dict, severity: float) -> str:
    """Why an eligible option that fits capacity and budget lost to the chosen pair: the objective order."""
    if row["coverage"] < best["coverage"]:
        return (f"it covers less: a buddying counts {row['coverage']:g} of {severity:g} "
                f"for a trust in persistent difficulty, a management contract counts it all")
    if int(row["score"]) < int(best["score"]):
        return (f"lower score, {int(row['score'])} against {int(best['score'])} points (fit {row['fit']:.2f} "
                f"against {best['fit']:.2f}; {row['distance_km']:.0f} km against {best['distance_km']:.0f} km)")
    if int(row["incentive_annual_gbp"]) > int(best["incentive_annual_gbp"]):
        diff = int(row["incentive_annual_gbp"]) - int(best["incentive_annual_gbp"])
        return f"same coverage and score but £{diff:,} a year more"
    return "equally good on every objective; the plan keeps the other"


def _money(gbp: int) -> str:
    """"£11.61m" from a million up, "£600,000" below."""
    return f"£{gbp / 1e6:,.2f}m" if gbp >= 1_000_000 else f"£{gbp:,}"


