"""What the answers so far add to a plan: the typed input of a minimal-change re-match.

The command line reads it from files (``ingest/decisions.py``: a decisions CSV and a previous
plan) and the service builds it from the offers and rules in its database
(``store/offers.rematch_from_offers``); both hand the same value to ``matcher.plan``.

**What a decline means.** A declined offer rules the supporter out for that recipient under
either kind (``Exclusion.kind`` None): the reasons a trust gives (capacity, distance, fit, a
conflict of interest, its board's decision) are about the partner, not the form of support,
so a re-match never offers the same partner again as a management contract instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .domain import Exclusion, Pair


@dataclass(frozen=True)
class Rematch:
    """Accepted pairs (locked), pairs ruled out, pending offers to keep if possible, and declared capacity.

    Attributes:
        locks: accepted offers and the regulator's locks; they stay in the plan.
        exclusions: declined offers and the regulator's exclusions; they never return.
        pending: offers not yet answered; the re-match changes as few of them as it can.
        extra_capacity: support units supporters declared on top of their own.
        unwilling: supporters that declared they cannot take on more; they keep only the
            capacity their locked partnerships use.
    """

    locks: tuple[Pair, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    pending: tuple[Pair, ...] = ()
    extra_capacity: Mapping[str, int] = field(default_factory=dict)
    unwilling: frozenset[str] = frozenset()

    @classmethod
    def from_answers(cls, accepted: Iterable[Pair] = (), declined: Iterable[Exclusion] = (),
                     pending: Iterable[Pair] = (), previous: Iterable[Pair] = (), **declared) -> Rematch:
        """The re-match of a previous plan after these answers: every pair of it not yet answered is pending.

        Duplicates are dropped; a pair both accepted and pending is locked only.
        """
        locks = tuple(dict.fromkeys(accepted))
        declined = tuple(declined)
        decided = set(locks)
        keep = [p for p in dict.fromkeys([*pending, *previous])
                if p not in decided and not any(e.matches(p) for e in declined)]
        return cls(locks=locks, exclusions=declined, pending=tuple(keep), **declared)

    def after_decline(self, proposed: Iterable[Pair], declined: Pair) -> Rematch:
        """The re-match that follows if ``declined`` is declined and every other proposed pair is still pending.

        What a backup is computed from (``matcher.backups``), and what the service and the command line
        build when that decline comes in: the locks, exclusions and declarations stay as they are.
        """
        exclusion = Exclusion(declined.supporter, declined.recipient, None,
                              f"declined by {declined.supporter} or {declined.recipient}")
        decided = set(self.locks)
        keep = [p for p in dict.fromkeys([*self.pending, *proposed])
                if p != declined and p not in decided and not any(e.matches(p) for e in self.exclusions)]
        return Rematch(locks=self.locks, exclusions=(*self.exclusions, exclusion), pending=tuple(keep),
                       extra_capacity=self.extra_capacity, unwilling=self.unwilling)

    def capacity_of(self, supporter: str, own_units: int, locked_units: int) -> int:
        """A supporter's capacity in this run.

        That is its own units plus what it declared, or, if it declared itself unwilling, only
        what its locked partnerships already use.
        """
        if supporter in self.unwilling:
            return locked_units
        return own_units + int(self.extra_capacity.get(supporter, 0))


@dataclass(frozen=True)
class RuledOut:
    """Why a pair may not return: one of its trusts declined it, or the regulator excluded it.

    Attributes:
        supporter, recipient: the pair (under either kind).
        declined_by: the trust that declined it, or None when the regulator excluded it.
        reason: the trust's reason (its own words for "another reason") or the regulator's.
    """

    supporter: str
    recipient: str
    declined_by: str | None
    reason: str
