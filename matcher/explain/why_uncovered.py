"""Why a recipient is uncovered, in words: its most relevant eligible supporters named, the rest counted.

``UncoveredWords`` is the part of ``wording.Narrator`` that explains an uncovered recipient: the
swap checks of ``uncovered`` for the ``NAMED`` supporters it names, the counts of ``unnamed`` for
the rest, its group, and what would change it.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from pandas.core.sorting import nargsort

from .. import rules
from ..domain import Kind
from ..model.instance import MatchInstance
from ..settings import Settings
from .binding import no_eligible_reasons
from .options import PlanIndex
from .plan_arrays import Supporters
from .uncovered import BREAKS, GIVES_UP, OTHER_LIMITS, GroupsOf, SwapCheck, Taken
from .unnamed import Crowd, Found, Unnamed, check_all

#: Eligible supporters an uncovered recipient's explanation names one by one, the most relevant first;
#: any others are counted by reason in one sentence. Nationally a recipient has at most 5, so every one
#: is named; at 20,000 providers it may have hundreds, and naming each would be a book per recipient.
NAMED = 5

#: What stops a supporter with room, by ``unnamed.ROOM`` reason, for a count of them ("... have room, but ...").
ROOM_WORDS = {"load": "this trust would take {its} recipients over {its} overstretch limit",
              "spread": "this trust is more than {km} km from one of {its} recipients",
              "budget": "the budget has too little left",
              "other": OTHER_LIMITS.replace("stops it", "stops {them}")}


class UncoveredWords:
    """Explains uncovered recipients (mixed into ``Narrator``, which sets these attributes)."""

    index: PlanIndex
    instance: MatchInstance
    settings: Settings
    words: rules.Words | None
    groups_of: GroupsOf | None
    name: Callable[[str], str]
    unnamed: dict[str, Unnamed]       # per uncovered recipient with more than NAMED eligible supporters
    _found: dict[str, tuple[Crowd, Found]]  # checked by ``check_uncovered``, not yet explained
    _swaps: SwapCheck | None
    _supporters: Supporters | None
    _members: dict[str, list[str]] | None

    def check_uncovered(self, recipients: list[str]) -> None:
        """Run the checks over arrays for many uncovered recipients at once, for ``uncovered_reasons`` to read.

        Thousands of recipients at 20,000 providers: one pass over all of them costs a fraction of a
        pass per recipient. A recipient not checked here is checked on its own when explained.
        """
        crowds = [crowd for crowd in map(self._crowd, recipients) if crowd is not None]
        for crowd, found in zip(crowds, check_all(self._every(), crowds, NAMED), strict=True):
            self._found[crowd.recipient] = (crowd, found)

    def uncovered_reasons(self, recipient: str) -> list[str]:
        """What binds an uncovered recipient, in a regulator's words, and what would change it.

        The ``NAMED`` most relevant eligible supporters are named, each with what stops it. Most relevant
        means the best-scoring option with this recipient (score: 100 x (fit - 0.05 x km), less a region
        boundary, plus group bonuses), the measure the plan itself maximises once need is met, and the order
        this explanation has always listed supporters in; so the best-fitting and nearest come first. Any
        others are counted by reason in one sentence (``unnamed``): their checks run over arrays, and no
        words are written for them. "What would change it" still looks at every eligible supporter.
        """
        ix = self.index
        checked = self._found.pop(recipient, None)
        if checked is None:
            crowd = self._crowd(recipient)
            if crowd is None:
                words = self.words or rules.Words(self.instance.trusts, self.settings, self.instance.exclusions)
                return no_eligible_reasons(ix.options_for(recipient), words, recipient) + \
                    self._group_line(recipient)
            checked = crowd, check_all(self._every(), [crowd], NAMED)[0]
        crowd, found = checked
        every = self._every()
        supporters = every.arc_id[crowd.best]
        named = np.zeros(len(every.codes), dtype=bool)
        named[supporters[:NAMED]] = True
        options = ix.rows_at(crowd.ordered[named[every.arc_id[crowd.ordered]]])
        # Every distance the checks below read, from this recipient to its supporters' recipients, in one pass.
        ix.measure_from(recipient, [r for s in dict.fromkeys(row["supporter"] for row in options)
                                    for r in ix.served.get(s, [])])
        taken = self._swaps_check().supporters(options)
        reasons = [self._summary(taken, len(supporters))]
        if found.unnamed is not None:
            self.unnamed[recipient] = found.unnamed
            reasons.append(self._unnamed_words(found.unnamed))
        reasons += [self._detail(t) for t in taken if not t.has_room]
        reasons += self._group_line(recipient)
        reasons += self._what_would_change(found.fewest)
        return reasons

    def _crowd(self, recipient: str) -> Crowd | None:
        """A recipient's eligible arcs best score first, and each supporter's best (None: no supporter is eligible).

        Ties in score as pandas' (unstable) quicksort orders them, so the text never changes.
        """
        at = self.index.eligible_positions(recipient)
        if not len(at):
            return None
        ordered = at[_best_first(self.index.arc_score[at])]
        return Crowd(recipient, ordered, self._every().best_options(ordered))

    def _swaps_check(self) -> SwapCheck:
        """The swap checks of this plan, set up on first use."""
        if self._swaps is None:
            words = self.words or rules.Words(self.instance.trusts, self.settings, self.instance.exclusions)
            self._swaps = SwapCheck(self.index, words, self.name, self.groups_of)
        return self._swaps

    def _every(self) -> Supporters:
        """Every supporter's plan facts as arrays, set up on first use."""
        if self._supporters is None:
            self._supporters = Supporters(self._swaps_check())
        return self._supporters

    def _summary(self, taken: list[Taken], total: int) -> str:
        """One sentence naming what stops every named eligible supporter, supporters stopped alike together."""
        clauses: dict[str, list[str]] = {}
        for t in taken:
            clause = f"has room, but {', and '.join(t.blocked)}" if t.has_room else f"is full: {self._swap_words(t)}"
            clauses.setdefault(clause, []).append(t.supporter)
        if total == 1:
            return f"Its only eligible supporter, {self.name(taken[0].supporter)}, {next(iter(clauses))}."
        parts = []
        for clause, codes in clauses.items():
            if len(codes) > 1:
                clause = clause.replace("has room", "have room", 1).replace("is full", "are full", 1)
            parts.append(f"{_and([self.name(c) for c in codes])} {clause}")
        head = "Neither of its 2 eligible supporters" if total == 2 else f"None of its {total} eligible supporters"
        if total > len(taken):
            return f"{head} can take it. The {len(taken)} with the best-scoring options: {'; '.join(parts)}."
        return f"{head} can take it: {'; '.join(parts)}."

    def _unnamed_words(self, rest: Unnamed) -> str:
        """"The other 259 eligible supporters: 240 are full, and ...; 19 have room, but ..." (counts by reason)."""
        km = f"{self.settings.geography.max_corecipient_km:g}"
        parts = []
        for cause, n in rest.full.items():
            verb = "is" if n == 1 else "are"
            would = f"give up {GIVES_UP[cause]}" if cause in GIVES_UP else f"break {BREAKS[cause].format(km=km)}"
            if n > 1:
                would = would.replace(" its ", " their ")
            parts.append(f"{n:,} {verb} full, and the swap that comes nearest would still {would}")
        for reason, n in rest.room.items():
            has, its, them = ("has", "its", "it") if n == 1 else ("have", "their", "them")
            parts.append(f"{n:,} {has} room, but {ROOM_WORDS[reason].format(km=km, its=its, them=them)}")
        return f"The other {rest.total:,} eligible supporters, not named here: {'; '.join(parts)}."

    def _swap_words(self, t: Taken) -> str:
        """"taking this trust instead of one of its recipients would give up ... or break ..."."""
        km = f"{self.settings.geography.max_corecipient_km:g}"
        gives = [GIVES_UP[c] for c in t.causes if c in GIVES_UP]
        breaks = [BREAKS[c].format(km=km) for c in t.causes if c in BREAKS]
        would = ([f"give up {_or(gives)}"] if gives else []) + ([f"break {_or(breaks)}"] if breaks else [])
        return f"taking this trust instead of one of its recipients would {' or '.join(would)}"

    def _detail(self, t: Taken) -> str:
        """Where a full supporter's capacity goes, and why each of its recipients stays."""
        kept = "; ".join(f"{self.name(k.recipient)}, {k.distance_km:.0f} km away: {', and '.join(k.details)}"
                         for k in t.kept)
        return f"{self.name(t.supporter)}, {t.distance_km:.0f} km away, supports {kept}."

    def _group_line(self, recipient: str) -> list[str]:
        """The recipient's group and what the plan does for the other members in difficulty."""
        groups_of, ix = self.groups_of, self.index
        out: list[str] = []
        if groups_of is None:
            return out
        if self._members is None:
            self._members = _members_by_group(groups_of, list(ix.severity))
        for group in groups_of(recipient):
            members = [c for c in self._members.get(group, []) if c != recipient]
            if not members:
                continue
            parts = []
            for m in sorted(members):
                p = ix.partner.get(m)
                if p is None:
                    parts.append(f"{self.name(m)}, uncovered too")
                else:
                    km = float(ix.arc(p)["distance_km"])
                    parts.append(f"{self.name(m)}, given {Kind(p.kind).with_article} with {self.name(p.supporter)} "
                                 f"({km:.0f} km away)")
            out.append(f"It is in {group} with {_and(parts)}.")
        return out

    def _what_would_change(self, position: int | None) -> list[str]:
        """The fewest limits that, raised, would let one supporter take it on top of what it keeps.

        Each supporter's best option is checked against its capacity, its overstretch limit, the spread
        between its recipients and the budget, every supporter at once over arrays; ``position`` is the
        option of the supporter needing the fewest changes (``Supporters.fewest_limits``), named here with
        exactly those changes.
        """
        left = self.instance.budget_annual_gbp - self.index.spend
        if position is None:
            return []
        row = self.index.rows_at(np.array([position]))[0]
        supporter = str(row["supporter"])
        needs = self._limits_in_the_way(supporter, row, left)
        name, s = self.name(supporter), self.settings
        words = []
        for limit, value in needs:
            if limit == "capacity":
                words.append(f"{name}'s capacity from {self.index.capacity.get(supporter, 0)} to {int(value)}")
            elif limit == "load":
                words.append(f"the overstretch limit from {s.capacity.max_load_ratio:g} to {value:g} times a "
                             f"supporter's income")
            elif limit == "spread":
                words.append(f"the distance allowed between one supporter's recipients from "
                             f"{s.geography.max_corecipient_km:g} to {int(value)} km")
            else:
                words.append(f"the annual budget by £{int(value):,} (£{left:,} is left)")
        return [f"What would change it: raising {_and(words)} would allow {Kind(row['kind']).with_article} "
                f"with {name} (score {int(row['score']):,} points)."]

    def _limits_in_the_way(self, supporter: str, row: dict, left: int) -> list[tuple[str, float]]:
        """Each limit that stops a supporter adding an option on top of what it keeps, and the value it would need."""
        ix, s = self.index, self.settings
        needs: list[tuple[str, float]] = []
        units = int(row["units"])
        if ix.used[supporter] + units > ix.capacity.get(supporter, 0):
            needs.append(("capacity", ix.used[supporter] + units))
        load = ix.load[supporter] + int(row["load_gbp"])
        if load > float(ix.load_limit.get(supporter, np.inf)):
            income = float(ix.income.get(supporter, 0)) or 1.0
            needs.append(("load", math.ceil(load / income * 100) / 100))
        far = [ix.apart_km(str(row["recipient"]), r) for r in ix.served[supporter]]
        far = [d for d in far if d > s.geography.max_corecipient_km]
        if far:
            needs.append(("spread", math.ceil(max(far))))
        cost = int(row["incentive_annual_gbp"])
        if cost > left:
            needs.append(("budget", cost - left))
        return needs


def _best_first(scores: np.ndarray) -> np.ndarray:
    """Positions of ``scores`` highest first, ties as pandas' ``nargsort(kind="quicksort", ascending=False)``.

    Whole scores cannot be missing, so the same steps as ``nargsort`` without its NaN handling (a
    tenth of a millisecond a recipient, thousands of recipients at 20,000 providers).
    """
    if scores.dtype.kind not in "iu":
        return nargsort(scores, kind="quicksort", ascending=False)
    last = len(scores) - 1
    return (last - scores[::-1].argsort(kind="quicksort"))[::-1]


def _members_by_group(groups_of: GroupsOf, codes: list[str]) -> dict[str, list[str]]:
    """The trusts of ``codes`` in each group, in the order of ``codes`` (each group's members found once)."""
    members: dict[str, list[str]] = {}
    for code in codes:
        for group in dict.fromkeys(groups_of(code)):
            members.setdefault(group, []).append(code)
    return members


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _or(items: list[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1] if items else ""
