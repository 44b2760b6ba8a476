"""A named backup for each offer (DOMAIN §8): who a re-match would propose if that offer were declined.

For each proposed pair, the re-match that would follow its decline (``Rematch.after_decline``:
the pair ruled out, every other proposed pair still pending, locks and declarations as they
are) is solved with the same planning path as any re-match, so the backup shown is what a
re-match after that decline proposes. The backup is for regulators only: trusts never see it.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from .errors import BuddyingError
from .model.instance import MatchInstance, build_instance
from .pipeline import Classified
from .rematch import Rematch
from .result import Backup, Partnership, Plan
from .settings import settings_to_yaml
from .solve import propose

#: Solves a re-match on the same classified data and settings as the plan.
Resolve = Callable[[Rematch], Plan]


#: Re-matches already solved, by everything that decides them (a run of the same scenario on the same
#: data and answers asks the same questions again): kept for the life of the process, the oldest dropped.
_SOLVED: OrderedDict[tuple, Plan] = OrderedDict()
_SOLVED_KEPT = 1024


def resolver(classified: Classified, data_fingerprint: str) -> Resolve:
    """The re-match path of ``matcher.plan`` on data already classified: build the model, solve it.

    Classifying is a pure function of the data, settings and date, so this is the plan a re-match with
    the same answers makes; only the sentences are left out (the backup needs who, not why).
    """
    config = settings_to_yaml(classified.settings)

    def resolve(after: Rematch) -> Plan:
        key = (data_fingerprint, config, classified.as_of, after.locks,
               tuple((e.supporter, e.recipient, e.kind) for e in after.exclusions), after.pending,
               tuple(sorted(after.extra_capacity.items())), tuple(sorted(after.unwilling)))
        found = _SOLVED.get(key)
        if found is None:
            found = propose(build_instance(classified, after), data_fingerprint=data_fingerprint,
                            as_of=classified.as_of.isoformat(), explained=False)
            _SOLVED[key] = found
            while len(_SOLVED) > _SOLVED_KEPT:
                _SOLVED.popitem(last=False)
        return found

    return resolve


def with_backups(result: Plan, rematch: Rematch | None, resolve: Resolve, instance: MatchInstance,
                 progress: Callable[[str], None] | None = None) -> Plan:
    """The plan with a backup (or ``backup_reason``, when there is none) on every pair."""
    base = rematch or Rematch()
    pairs = []
    for number, pair in enumerate(result.pairs, start=1):
        if progress is not None:
            progress(f"Naming backups: {number} of {len(result.pairs)}")
        pairs.append(_with_backup(pair, result, base, resolve, instance))
    return replace(result, pairs=tuple(pairs))


def _with_backup(pair: Partnership, result: Plan, base: Rematch, resolve: Resolve,
                 instance: MatchInstance) -> Partnership:
    if pair.locked:
        return replace(pair, backup=None, backup_reason="accepted or locked: a re-match keeps this partnership")
    try:
        after = resolve(base.after_decline([p.pair for p in result.pairs], pair.pair))
    except BuddyingError as exc:
        return replace(pair, backup=None, backup_reason=f"no re-match could be made without it: {exc}")
    found = after.pair_for(pair.recipient)
    if found is None:
        return replace(pair, backup=None, backup_reason=_none_reason(pair, instance))
    moved = sum(1 for c in after.changes or () if c.recipient != pair.recipient)
    return replace(pair, backup=Backup(found.supporter, found.kind, found.score, found.score - pair.score,
                                       found.distance_km, moved), backup_reason=None)


def _none_reason(pair: Partnership, instance: MatchInstance) -> str:
    arcs = instance.arcs
    others = set(arcs.loc[arcs["recipient"] == pair.recipient, "supporter"].astype(str)) - {pair.supporter}
    if not others:
        return "it has no other eligible supporter, so a re-match would leave it uncovered"
    count = f"{len(others)} other eligible supporter{'s' if len(others) != 1 else ''}"
    return (f"a re-match would leave it uncovered: its {count} could not take it on without leaving a "
            f"recipient of greater need uncovered or breaking a limit (capacity, load, spread or budget)")
