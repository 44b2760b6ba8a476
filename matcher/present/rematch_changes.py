"""What a re-match changed, in a regulator's words: each recipient's old and new partner and why.

The read model of a run page's list of changes. It compares the plan a re-match started from
(the published run) with the new plan, and names for each recipient whose partner changed the
old and the new partner and the reason: a trust declined, the regulator excluded the pair, a
supporter said it could take on no more, or the supporter was moved to free its capacity for
another recipient. It also lists the offers publishing would send for the first time and the
offers waiting for an answer that it would withdraw.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..domain import Pair
from ..rematch import RuledOut
from ..result import Partnership, Plan


@dataclass(frozen=True)
class PartnerChange:
    """One recipient whose partnership differs between the two plans (a None supporter: no partner)."""

    recipient: str
    old_supporter: str | None
    old_kind: str | None
    new_supporter: str | None
    new_kind: str | None
    reason: str


@dataclass(frozen=True)
class RematchChanges:
    """Every changed recipient, the offers that would be new, and the offers that would be withdrawn."""

    previous_pairs: int
    changes: tuple[PartnerChange, ...]
    new_offers: tuple[Pair, ...]
    withdrawn: tuple[Pair, ...]
    no_longer_offered: tuple[Pair, ...]

    @property
    def unchanged(self) -> int:
        """Partnerships of the earlier plan that the new plan keeps as they were."""
        return self.previous_pairs - len(self.withdrawn) - len(self.no_longer_offered)


def rematch_changes(previous: Plan, current: Plan, ruled_out: Mapping[tuple[str, str], RuledOut],
                    unwilling: frozenset[str], names: Mapping[str, str]) -> RematchChanges:
    """Compare the plan the re-match started from with the new one.

    Args:
        previous: the published plan the re-match started from.
        current: the new plan.
        ruled_out: pairs (supporter, recipient) that a trust declined or the regulator excluded.
        unwilling: supporters that declared they can take on no more.
        names: trust code -> name, for the reasons.
    """
    old = {p.recipient: p for p in previous.pairs}
    new = {p.recipient: p for p in current.pairs}
    old_pairs, new_pairs = {p.pair for p in previous.pairs}, {p.pair for p in current.pairs}
    changes = []
    for recipient in sorted(old.keys() | new.keys(), key=lambda code: (names.get(code, code), code)):
        before, after = old.get(recipient), new.get(recipient)
        if before is not None and after is not None and before.pair == after.pair:
            continue
        changes.append(PartnerChange(
            recipient, before.supporter if before else None, before.kind if before else None,
            after.supporter if after else None, after.kind if after else None,
            _reason(before, after, old, new, ruled_out, unwilling, names)))
    gone = [p for p in previous.pairs if p.pair not in new_pairs]
    ruled = [p.pair for p in gone if (p.supporter, p.recipient) in ruled_out]
    return RematchChanges(
        previous_pairs=len(previous.pairs), changes=tuple(changes),
        new_offers=tuple(p.pair for p in current.pairs if p.pair not in old_pairs),
        withdrawn=tuple(p.pair for p in gone if p.pair not in ruled), no_longer_offered=tuple(ruled))


def _reason(before: Partnership | None, after: Partnership | None, old: Mapping[str, Partnership],
            new: Mapping[str, Partnership], ruled_out: Mapping[tuple[str, str], RuledOut],
            unwilling: frozenset[str], names: Mapping[str, str]) -> str:
    """Why one recipient's partnership changed, in a sentence."""
    def name(code: str) -> str:
        return names.get(code, code)

    if before is None:
        if after is None:  # a recipient in neither plan is never compared
            return "No partner before or now."
        freed = _moved_away(after.supporter, old, new)
        if freed:
            return f"Newly covered, with the capacity {name(after.supporter)} had for {name(freed[0])}."
        return f"Newly covered, with capacity {name(after.supporter)} had free."
    ruled = ruled_out.get((before.supporter, before.recipient))
    if ruled is not None and ruled.declined_by is not None:
        return f"Declined by {name(ruled.declined_by)}: {ruled.reason}."
    if ruled is not None:
        return f"Excluded by the regulator: {ruled.reason}."
    if before.supporter in unwilling:
        return f"{name(before.supporter)} said it cannot take on more support."
    if after is not None and after.supporter == before.supporter:
        return "The kind of support changed."
    taken = _moved_away(before.supporter, new, old)
    if taken:
        return f"Moved to free {name(before.supporter)}'s capacity for {name(taken[0])}."
    if after is None:
        return "Left without a partner, so that recipients of greater need or better matches are covered."
    return "The new plan covers more recipients or matches them better with this change."


def _moved_away(supporter: str, plan: Mapping[str, Partnership], other: Mapping[str, Partnership]) -> list[str]:
    """Recipients of ``supporter`` in ``plan`` that ``other`` gives a different partner (or none), by code."""
    return sorted(code for code, p in plan.items()
                  if p.supporter == supporter and (code not in other or other[code].supporter != supporter))
