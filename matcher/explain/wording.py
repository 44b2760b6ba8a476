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
from .binding import no_eligible_reasons
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
            users = [r for r in ix.served[supporter] if chosen is None or r != chosen.recipient]
            return (f"{self.name(supporter)} has no spare capacity: it would need {units} unit"
                    f"{'s' if units != 1 else ''}, and {ix.used[supporter] - freed} of its "
                    f"{ix.capacity.get(supporter, 0)} go to {', '.join(self.name(u) for u in users)}")
        blocked = self._load_or_spread(row, chosen)
        if blocked:
            return blocked
        current = int(ix.arc(chosen)["incentive_annual_gbp"]) if chosen is not None else 0
        new_spend = ix.spend - current + int(row["incentive_annual_gbp"])
        if new_spend > self.instance.budget_annual_gbp:
            return (f"it would take annual incentives to £{new_spend / 1e6:,.2f}m, over the "
                    f"£{self.instance.budget_annual_gbp / 1e6:,.1f}m budget")
        if chosen is None:
            return "choosing it would lower the coverage of more severe recipients"
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
            return (f"{self.name(supporter)}'s recipients would together be {load / income:.1f} times its income, over "
                    f"the load limit of {self.settings.capacity.max_load_ratio:g}")
        km = self.settings.geography.max_corecipient_km
        far = [(r, ix.apart_km(recipient, r)) for r in others]
        far = [(r, d) for r, d in far if not d <= km]
        if far:
            r, d = far[0]
            return (f"{self.name(supporter)} already supports {self.name(r)}, {d:.0f} km away, and one supporter's "
                    f"recipients must be within {km:g} km of each other")
        return None

    def _even_with_room(self, full: np.ndarray, recipient: str) -> list[str]:
        """For supporters at capacity: whether the spread rule would still stop them if they had room."""
        ix, km, out = self.index, self.settings.geography.max_corecipient_km, []
        for supporter in dict.fromkeys(str(s) for s in ix.arc_supporter[full]):
            nearest = self._far_from_all(supporter, recipient)
            if nearest is not None:
                d, r = nearest
                out.append(f"Even with room, {self.name(supporter)} could not take it on: its recipient "
                           f"{self.name(r)} is {d:.0f} km away, and one supporter's recipients must be within "
                           f"{km:g} km of each other.")
        return out

    def uncovered_reasons(self, recipient: str) -> list[str]:
        """What binds an uncovered recipient, in a regulator's words, and what would change it."""
        ix = self.index
        at = ix.eligible_positions(recipient)
        words = self.words or rules.Words(self.instance.trusts, self.settings, self.instance.exclusions)
        if not len(at):
            return no_eligible_reasons(ix.options_for(recipient), words, recipient)
        # Best score first, ties as pandas' (unstable) quicksort orders them, so the text never changes.
        at = at[nargsort(ix.arc_score[at], kind="quicksort", ascending=False)]
        at_capacity = ix.arc_units[at] > ix.arc_spare[at]
        arcs = self.instance.arcs
        blocked = [self._load_or_spread(arcs.iloc[int(i)], None) if not full else None
                   for i, full in zip(at, at_capacity, strict=True)]
        held = np.array([b is not None for b in blocked], dtype=bool)
        incentive = ix.arc_cost[at]
        over_budget = ~at_capacity & ~held & (ix.spend + incentive > self.instance.budget_annual_gbp)
        eligible = len({str(ix.arc_supporter[i]) for i in at})
        reasons = self._capacity_reasons(at[at_capacity], recipient, eligible, blocked_budget=bool(over_budget.any()))
        reasons += list(dict.fromkeys(f"{b[0].upper()}{b[1:]}." for b in blocked if b))
        reasons += self._even_with_room(at[at_capacity], recipient)
        if over_budget.any():
            cheapest, left = int(incentive[over_budget].min()), self.instance.budget_annual_gbp - ix.spend
            reasons.append(f"The budget is spent: covering it needs at least £{cheapest:,} a year "
                           f"and £{left:,} is left.")
            reasons.append(f"What would change it: £{cheapest - left:,} more annual budget.")
        return reasons or ["Covering it would lower the coverage of more severe recipients."]

    def _capacity_reasons(self, full: np.ndarray, recipient: str, eligible: int, blocked_budget: bool) -> list[str]:
        """The supporters at capacity among a recipient's options, best first.

        With whom each is committed to and the unit of capacity that would help.
        """
        ix = self.index
        codes = list(dict.fromkeys(str(s) for s in ix.arc_supporter[full]))
        if not codes:
            return []
        n = len(codes)
        listed = ", ".join(codes[:12]) + (f" and {n - 12} more" if n > 12 else "")
        if n == 1 and eligible == 1:
            who = f"Its only eligible supporter, {self.name(codes[0])}, is"
        elif n == eligible:
            who = f"All {n} of its eligible supporters ({listed}) are"
        else:
            who = f"{n} of its {eligible} eligible supporters ({listed}) {'is' if n == 1 else 'are'}"
        mine = ix.severity.get(recipient, 1.0)
        theirs = [ix.severity.get(r, 0.0) for s in codes for r in ix.served[s]]
        if theirs and min(theirs) > mine:
            whom = "committed to more severe recipients"
        elif theirs and max(theirs) <= mine:
            whom = "committed to recipients as severe, whose partnerships score higher (a better fit or closer)"
        else:
            whom = "committed to recipients at least as severe, whose partnerships score higher"
        reasons = [f"{who} {whom}."]
        spread_only = {s for s in codes if self._far_from_all(s, recipient) is not None}
        usable = [int(i) for i in full if str(ix.arc_supporter[i]) not in spread_only]
        if usable:
            best = self.instance.arcs.iloc[usable[0]]
            cost, left = int(best["incentive_annual_gbp"]), self.instance.budget_annual_gbp - ix.spend
            money = f" and £{cost - left:,} more annual budget (£{left:,} is left)" if cost > left else ""
            reasons.append(f"What would change it: one more support unit at {self.name(best['supporter'])}{money} "
                           f"would allow {Kind(best['kind']).with_article} (score {int(best['score'])} points).")
        return reasons

    def _far_from_all(self, supporter: str, recipient: str) -> tuple[float, str] | None:
        """The farthest of a supporter's recipients from ``recipient``, when it is beyond the spread limit."""
        ix, km = self.index, self.settings.geography.max_corecipient_km
        far = sorted(((ix.apart_km(recipient, r), r) for r in ix.served[supporter]
                      if not ix.apart_km(recipient, r) <= km), key=lambda f: (-f[0] if f[0] == f[0] else 0, f[1]))
        return far[0] if far else None


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
