"""The sentences of an explanation: why a pair, why not each alternative, why a recipient is uncovered.

Every sentence reads the plan facts of ``options.PlanIndex``; a rule's own words (a rejection,
its count in "no supporter is eligible", what would lift it) come from the rule itself
(``matcher.rules``), so the explanation can never disagree with the check.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.core.sorting import nargsort

from .. import rules
from ..domain import Kind, Pair, display_name
from ..result import Alternative
from .options import PlanIndex, fit_breakdown_of


class Narrator:
    """Writes the explanations of one plan."""

    def __init__(self, index: PlanIndex):
        self.index = index
        self.instance = index.instance
        self.settings = index.settings
        trusts = self.instance.trusts
        self.names = trusts.set_index("code")["name"].map(display_name).to_dict() if len(trusts) else {}
        self.words = rules.Words(trusts, self.settings, self.instance.exclusions) if len(trusts) else None

    def name(self, code: str) -> str:
        """"Display Name (CODE)"."""
        return f"{self.names.get(code, code)} ({code})"

    def label(self, row: pd.Series | dict) -> str:
        """"a buddying with Name (CODE)"."""
        return f"{Kind(row['kind']).with_article} with {self.name(row['supporter'])}"

    def pair_text(self, pair: Pair, alternatives: list[Alternative]) -> str:
        """The whole explanation of a chosen pair: what it is, and why it beat the next best option."""
        lines = [self.describe_arc(self.index.arc_with_terms(pair))]
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
            users = [r for r in ix.served[supporter] if chosen is None or r != chosen.recipient]
            return (f"{self.name(supporter)} has no spare capacity: it would need {units} unit"
                    f"{'s' if units != 1 else ''}, and {ix.used[supporter] - freed} of its "
                    f"{ix.capacity.get(supporter, 0)} go to {', '.join(self.name(u) for u in users)}")
        current = int(ix.arc(chosen)["incentive_annual_gbp"]) if chosen is not None else 0
        new_spend = ix.spend - current + int(row["incentive_annual_gbp"])
        if new_spend > self.instance.budget_annual_gbp:
            return (f"it would take annual incentives to £{new_spend / 1e6:,.2f}m, over the "
                    f"£{self.instance.budget_annual_gbp / 1e6:,.1f}m budget")
        if chosen is None:
            return "choosing it would lower the coverage of more severe recipients"
        return _lost_on_objective(row, ix.arc(chosen), ix.severity[row["recipient"]])

    def uncovered_reasons(self, recipient: str) -> list[str]:
        """What binds an uncovered recipient, and what would change it."""
        ix = self.index
        at = ix.eligible_positions(recipient)
        if not len(at):
            options = ix.options_for(recipient)
            words = self.words or rules.Words(self.instance.trusts, self.settings, self.instance.exclusions)
            return [rules.no_eligible(options, words), *rules.what_would_change(options, words)]
        # Best score first, ties as pandas' (unstable) quicksort orders them, so the text never changes.
        at = at[nargsort(ix.arc_score[at], kind="quicksort", ascending=False)]
        at_capacity = ix.arc_units[at] > ix.arc_spare[at]
        incentive = ix.arc_cost[at]
        over_budget = ~at_capacity & (ix.spend + incentive > self.instance.budget_annual_gbp)
        reasons = self._capacity_reasons(at[at_capacity], blocked_budget=bool(over_budget.any()))
        if over_budget.any():
            cheapest, left = int(incentive[over_budget].min()), self.instance.budget_annual_gbp - ix.spend
            reasons.append(f"The budget is spent: covering it needs at least £{cheapest:,} a year "
                           f"and £{left:,} is left.")
            reasons.append(f"What would change it: £{cheapest - left:,} more annual budget.")
        return reasons or ["Covering it would lower the coverage of more severe recipients."]

    def _capacity_reasons(self, full: np.ndarray, blocked_budget: bool) -> list[str]:
        """The supporters at capacity among a recipient's options (best first), and the unit that would help."""
        ix = self.index
        codes = list(dict.fromkeys(str(s) for s in ix.arc_supporter[full]))
        if not codes:
            return []
        n = len(codes)
        listed = ", ".join(codes[:12]) + (f" and {n - 12} more" if n > 12 else "")
        if n == 1 and not blocked_budget:
            who = f"The only eligible supporter, {self.name(codes[0])}, is at capacity"
        elif not blocked_budget:
            who = f"All {n} eligible supporters are at capacity ({listed})"
        else:
            who = f"{n} of the eligible supporters are at capacity ({listed})"
        best = self.instance.arcs.iloc[int(full[0])]
        cost, left = int(best["incentive_annual_gbp"]), self.instance.budget_annual_gbp - ix.spend
        money = f" and £{cost - left:,} more annual budget (£{left:,} is left)" if cost > left else ""
        return [f"{who}; their partnerships cover more severe recipients or score higher.",
                f"What would change it: one more support unit at {self.name(best['supporter'])}{money} "
                f"would allow {self.label(best)} (score {int(best['score'])} points)."]


def _lost_on_objective(row: pd.Series | dict, best: pd.Series, severity: float) -> str:
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
