"""Why an uncovered recipient's eligible supporters do not take it, checked swap by swap (DOMAIN §6.2).

For each eligible supporter the plan's facts answer one question: what stops it taking this
recipient? A supporter with room is stopped by its overstretch limit, the spread between its
recipients, or the budget. A supporter without room would have to give up one of its recipients,
and each such swap is checked against what the plan optimises, in its order: a kept recipient of
greater need (coverage comes first), room a swap would not free, the spread, the overstretch
limit, the budget, and only then the score ("a better match"). Every sentence states a checked
fact, so "scores higher" is never said of a partnership that does not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..domain import Kind, Pair
from .options import PlanIndex

#: Causes in the order the plan weighs them: coverage (need) first, then what a swap could not
#: keep (an agreement, room, the overstretch limit, the spread, the budget), then the score.
CAUSES = ("need", "locked", "units", "load", "spread", "budget", "match", "kept")

#: What stops an option when no rule, capacity or budget does: the plan's other limits.
OTHER_LIMITS = ("another of the plan's limits stops it (a trust that must be covered, or the re-match's limit on "
                "changes), or the solver's time limit where the plan is not proven optimal")

#: What a swap would give up, as the first sentence names it ("... would give up a trust of greater need").
GIVES_UP = {"need": "a trust of greater need", "locked": "an accepted agreement", "match": "a better match"}
#: What a swap would break ("... or break its overstretch limit"); ``{km}`` is the spread limit.
BREAKS = {"units": "its capacity", "load": "its overstretch limit",
          "spread": "the {km} km limit between its recipients", "budget": "the budget",
          "kept": "another of the plan's limits"}


#: Each cause's place in the plan's order.
_RANK = {c: k for k, c in enumerate(CAUSES)}


@dataclass(frozen=True)
class _Held:
    """The facts of a chosen pair that every swap giving it up reads."""

    recipient: str
    locked: bool
    units: int
    coverage: float
    load_gbp: int
    cost: int                # incentive_annual_gbp
    score: int
    keep: int                # its score with the group bonus beside the supporter's other recipients
    distance_km: float
    others: list[str]        # the supporter's other recipients


@dataclass(frozen=True)
class Kept:
    """One recipient a supporter keeps instead of this one, and every check a swap fails."""

    recipient: str
    distance_km: float
    causes: tuple[str, ...]
    details: tuple[str, ...]


@dataclass(frozen=True)
class Taken:
    """Why one eligible supporter does not take the recipient."""

    supporter: str
    distance_km: float
    has_room: bool
    kept: tuple[Kept, ...]       # when it has no room: each recipient it keeps, and why
    blocked: tuple[str, ...]     # when it has room: what stops it, in words

    @property
    def causes(self) -> tuple[str, ...]:
        """Every cause over the recipients it keeps, distinct, in the plan's order."""
        found = {c for k in self.kept for c in k.causes}
        return tuple(c for c in CAUSES if c in found)


class GroupsOf:
    """Each trust's groups, as ``Words.groups_of`` reads them, with the whole column parsed once."""

    def __init__(self, words):
        self.words = words
        table = words.table
        self._of: dict[str, list[str]] = {} if "groups" not in table.columns else {
            str(c): g.split(" · ") if isinstance(g, str) else [] for c, g in zip(table.index, table["groups"],
                                                                                strict=True)}

    def __call__(self, code: str) -> list[str]:
        """The names of the groups the trust belongs to."""
        groups = self._of.get(code)
        if groups is None:
            groups = self._of[code] = self.words.groups_of(code)
        return groups


class SwapCheck:
    """Checks the swaps that would cover one recipient, against one plan's facts."""

    def __init__(self, index: PlanIndex, words, name, groups_of: GroupsOf | None = None):
        self.ix = index
        self.instance = index.instance
        self.settings = index.settings
        self.words = words
        self.name = name
        recipients = self.instance.recipients.set_index("code")
        self.need = {c: _need_text(bool(p), bool(i), float(s)) for c, p, i, s in zip(
            recipients.index, recipients["persistent"], recipients["intensive"], recipients["severity"], strict=True)}
        self.groups_of = groups_of or GroupsOf(words)
        self._held_of: dict[Pair, _Held] = {}

    def supporters(self, options: list[dict]) -> list[Taken]:
        """Why each eligible supporter of one recipient does not take it (``options``: its arcs, best score first).

        Supporters come in the order of their best-scoring option; each one's options by coverage, then score.
        """
        by_supporter: dict[str, list[dict]] = {}
        for row in options:
            by_supporter.setdefault(str(row["supporter"]), []).append(row)
        out = []
        for supporter, arcs in by_supporter.items():
            rows = sorted(arcs, key=_by_coverage_then_score) if len(arcs) > 1 else arcs
            spare = self.ix.capacity.get(supporter, 0) - self.ix.used.get(supporter, 0)
            distance = float(rows[0]["distance_km"])
            room = [r for r in rows if int(r["units"]) <= spare]
            if room:
                out.append(Taken(supporter, distance, True, (), tuple(self._blocked(supporter, room[0]))))
                continue
            kept = tuple(self._kept(supporter, rows, pair) for pair in self.ix.pairs_of.get(supporter, []))
            out.append(Taken(supporter, distance, False, kept, ()))
        return out

    def _blocked(self, supporter: str, row: dict) -> list[str]:
        """What stops a supporter with room from adding the option: load, spread or budget (all that apply)."""
        ix, out = self.ix, []
        recipient = str(row["recipient"])
        limit = float(ix.load_limit.get(supporter, np.inf))
        load = ix.load[supporter] + int(row["load_gbp"])
        if load > limit:
            income = float(ix.income.get(supporter, 0)) or 1.0
            out.append(f"its recipients would together be {load / income:.2f} times its income, over its "
                       f"overstretch limit of {self.settings.capacity.max_load_ratio:g}")
        far = self._far(recipient, ix.served[supporter])
        if far:
            out.append(self._spread_words(recipient, *far))
        if ix.spend + int(row["incentive_annual_gbp"]) > self.instance.budget_annual_gbp:
            out.append(f"the budget has £{self.instance.budget_annual_gbp - ix.spend:,} a year left and "
                       f"{Kind(row['kind']).with_article} costs £{int(row['incentive_annual_gbp']):,}")
        return out or [OTHER_LIMITS]

    def _kept(self, supporter: str, rows: list[dict], pair: Pair) -> Kept:
        """Why a full supporter keeps ``pair`` rather than swap it for one of the options in ``rows``."""
        held = self._held(pair)
        far = self._far(str(rows[0]["recipient"]), held.others)  # every row is an option of one recipient
        # Of the recipient's options with this supporter, the one a swap comes nearest to allowing
        # (the first of those whose first failed check comes latest in the plan's order).
        best_row, best_causes = rows[0], self._causes(supporter, rows[0], held, far)
        for row in rows[1:]:
            causes = self._causes(supporter, row, held, far)
            if _RANK[causes[0]] > _RANK[best_causes[0]]:
                best_row, best_causes = row, causes
        return Kept(pair.recipient, held.distance_km, best_causes,
                    self._details(supporter, best_row, held, far, best_causes))

    def _held(self, pair: Pair) -> _Held:
        """What a swap would give up of a chosen pair, worked out once per pair."""
        held = self._held_of.get(pair)
        if held is None:
            arc = self.ix.arc(pair)
            others = [r for r in self.ix.served[pair.supporter] if r != pair.recipient]
            bonus = self.settings.groups.same_supporter_bonus
            keep = int(arc["score"]) + bonus * sum(1 for r in others if self._share_a_group(pair.recipient, r))
            held = self._held_of[pair] = _Held(
                pair.recipient, bool(arc.get("locked", False)), int(arc["units"]), float(arc["coverage"]),
                int(arc["load_gbp"]), int(arc["incentive_annual_gbp"]), int(arc["score"]), keep,
                float(arc["distance_km"]), others)
        return held

    def _causes(self, supporter: str, row: dict, held: _Held, far: tuple[str, float] | None) -> tuple[str, ...]:
        """Every check the swap (drop the held pair, add the option ``row``) fails, in the plan's order.

        ``far``: the held pair's other recipients farthest beyond the spread limit from the option's recipient.
        """
        ix = self.ix
        found = []
        coverage = float(row["coverage"])
        if held.coverage > coverage:
            found.append("need")
        if held.locked:
            found.append("locked")
        if ix.used[supporter] - held.units + int(row["units"]) > ix.capacity.get(supporter, 0):
            found.append("units")
        if ix.load[supporter] - held.load_gbp + int(row["load_gbp"]) > float(ix.load_limit.get(supporter, np.inf)):
            found.append("load")
        if far:
            found.append("spread")
        if ix.spend - held.cost + int(row["incentive_annual_gbp"]) > self.instance.budget_annual_gbp:
            found.append("budget")
        if not found:
            if held.coverage == coverage and held.keep >= self._take(row, held):
                return ("match",)
            return ("kept",)
        return tuple(found)

    def _take(self, row: dict, held: _Held) -> int:
        """The option's score with the group bonus it would earn beside the supporter's other recipients."""
        recipient = str(row["recipient"])
        bonus = self.settings.groups.same_supporter_bonus
        return int(row["score"]) + bonus * sum(1 for r in held.others if self._share_a_group(recipient, r))

    def _details(self, supporter: str, row: dict, held: _Held, far: tuple[str, float] | None,
                 causes: tuple[str, ...]) -> tuple[str, ...]:
        """The words for each failed check of a swap, in the order of ``causes``."""
        ix, s = self.ix, self.settings
        recipient, kind = str(row["recipient"]), Kind(row["kind"])
        words = []
        for cause in causes:
            if cause == "locked":
                words.append("an accepted agreement")
            elif cause == "need":
                need = self.need.get(held.recipient, "in difficulty")
                words.append(f"greater need ({need}, weighted {held.coverage:g} against this "
                             f"trust's {float(row['coverage']):g})")
            elif cause == "units":
                words.append(f"{kind.with_article} would need room for {int(row['units'])}, and giving it up frees "
                             f"{held.units}")
            elif cause == "load":
                load = ix.load[supporter] - held.load_gbp + int(row["load_gbp"])
                income = float(ix.income.get(supporter, 0)) or 1.0
                words.append(f"with this trust instead, its recipients would be {load / income:.2f} times its "
                             f"income, over its overstretch limit of {s.capacity.max_load_ratio:g}")
            elif cause == "spread" and far:
                words.append(self._spread_words(recipient, *far))
            elif cause == "budget":
                words.append("the swap would take spending over the budget")
            elif cause == "match":
                keep, take = held.keep, self._take(row, held)
                with_bonus = " with the group bonus" if keep != held.score or take != int(row["score"]) else ""
                words.append(f"a better match: {keep:,} points against {take:,} for this trust{with_bonus}")
            else:
                words.append(OTHER_LIMITS.replace("stops it", "keeps it"))
        return tuple(words)

    def _share_a_group(self, a: str, b: str) -> bool:
        """Whether two trusts belong to one group (``Words.shared_group``)."""
        theirs = self.groups_of(b)
        return any(g in theirs for g in self.groups_of(a))

    def _far(self, recipient: str, others: list[str]) -> tuple[str, float] | None:
        """The farthest of ``others`` beyond the spread limit from ``recipient``, if any."""
        km = self.settings.geography.max_corecipient_km
        apart = self.ix.apart_km
        far = [(r, d) for r, d in ((r, apart(recipient, r)) for r in others) if d > km]
        return min(far, key=lambda f: (-f[1], f[0])) if far else None

    def _spread_words(self, recipient: str, other: str, km_apart: float) -> str:
        km = self.settings.geography.max_corecipient_km
        return (f"this trust is {km_apart:.0f} km from its recipient {self.name(other)}, and one supporter's "
                f"recipients must be within {km:g} km of each other")


def _by_coverage_then_score(row: dict) -> tuple[bool, float, float]:
    """Sort key: greater coverage first (unknown last), then higher score; ties keep their order."""
    coverage = float(row["coverage"])
    return math.isnan(coverage), -coverage, -float(row["score"])


def _need_text(persistent: bool, intensive: bool, severity: float) -> str:
    """A recipient's need in words."""
    if persistent:
        return "in persistent difficulty"
    if intensive:
        return "in intensive support"
    if severity > 1:
        return "rated Inadequate"
    return "in difficulty"
