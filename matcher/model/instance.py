"""``MatchInstance``: the single validated input to the solver, built from classified trusts.

One row per eligible (supporter, recipient, kind) arc, the table of rejected pairs beside it,
supporter capacities, recipient severities, the budget, locks, exclusions and (for a
re-match) the pending pairs of the previous plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..candidates import evaluate_pairs
from ..domain import COVERAGE_SCALE, KINDS, Exclusion, Pair, Role
from ..errors import BuddyingError
from ..pipeline import Classified
from ..rematch import Rematch
from ..settings import Settings

#: Above this many possible pairs, only eligible arcs are kept (no rejected-pair table) and fit is
#: kept as a total, in compact dtypes: 20,000 providers give about 6 million arcs in about 300 MB.
LARGE_PAIRS = 1_000_000


@dataclass(frozen=True)
class MatchInstance:
    """Everything the solver sees, and nothing else."""

    supporters: pd.DataFrame  # code, capacity_units
    recipients: pd.DataFrame  # code, severity, must_match, persistent, intensive
    arcs: pd.DataFrame        # eligible arcs (plus locked ones), with fit, distance, units, score, cost, coverage
    rejected: pd.DataFrame    # supporter x recipient x kind pairs that break at least one rule
    budget_annual_gbp: int
    locked: tuple[Pair, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    pending: tuple[Pair, ...] = ()
    disruption_budget: int | None = None
    settings: Settings = field(default_factory=Settings, repr=False)
    trusts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    as_of: date | None = None



def build_instance(classified: Classified, rematch: Rematch | None = None,
                   settings: Settings | None = None) -> MatchInstance:
    """Build the solver's input from the classified trusts and what earlier answers add (``rematch``).

    Locked pairs (accepted agreements) stay in the arcs even if a rule would now reject them;
    excluded pairs (declined offers, conflicts of interest) are never arcs.

    Raises:
        BuddyingError: a lock or pending pair names a trust that is not an open English trust,
            or a lock is also excluded.
    """
    settings = settings or classified.settings
    rematch = rematch or Rematch()
    classes = {c.code: c for c in classified.classifications}
    locks, exclusions, pending = rematch.locks, rematch.exclusions, rematch.pending
    _check_pairs(locks + pending, classes)
    for lock in locks:
        if any(e.matches(lock) for e in exclusions):
            raise BuddyingError(f"{lock} is both locked and excluded; remove one of them")
    supporter_codes = sorted({c.code for c in classes.values() if c.role is Role.SUPPORTER}
                             | {p.supporter for p in locks})
    recipient_codes = sorted({c.code for c in classes.values() if c.role is Role.RECIPIENT}
                             | {p.recipient for p in locks})
    large = len(supporter_codes) * len(recipient_codes) * len(KINDS) > LARGE_PAIRS
    pairs = evaluate_pairs(classified.trusts, classes, settings, classified.as_of, supporter_codes, recipient_codes,
                           KINDS, exclusions, keep_rejected=not large or bool(locks), fit_terms=not large)
    locked_mask = pair_mask(pairs, locks)
    eligible = pairs["failed"].eq(0).to_numpy() | locked_mask
    arcs = pairs[eligible].copy()
    arcs["locked"] = locked_mask[eligible]
    arcs["coverage_points"] = np.round(arcs["coverage"].astype(float) * COVERAGE_SCALE).astype(np.int64)
    arcs = arcs.sort_values(["recipient", "supporter", "kind"]).reset_index(drop=True)

    intensive = set(settings.segments.intensive)
    segment = classified.trusts.set_index("code")["segment"]
    recipients = pd.DataFrame({
        "code": recipient_codes,
        "severity": [classes[c].severity for c in recipient_codes],
        "persistent": [classes[c].persistent for c in recipient_codes],
        "intensive": [(not pd.isna(segment.get(c))) and int(segment.get(c)) in intensive for c in recipient_codes],
    })
    recipients["must_match"] = recipients["intensive"] & settings.must_match_intensive
    locked_units = arcs[arcs["locked"]].groupby("supporter", observed=True)["units"].sum().to_dict()
    supporters = pd.DataFrame({"code": supporter_codes, "capacity_units": [
        rematch.capacity_of(s, settings.capacity.base_units, int(locked_units.get(s, 0))) for s in supporter_codes]})
    return MatchInstance(
        supporters=supporters, recipients=recipients, arcs=arcs,
        rejected=pairs[~eligible].reset_index(drop=True),
        budget_annual_gbp=round(settings.incentives.annual_budget_gbp_m * 1_000_000),
        locked=locks, exclusions=exclusions, pending=pending,
        disruption_budget=settings.rematch.disruption_budget, settings=settings, trusts=classified.trusts,
        as_of=classified.as_of,
    )


def pair_mask(frame: pd.DataFrame, pairs: tuple[Pair, ...]) -> np.ndarray:
    """Which rows of a pair table are the given pairs (vectorised; empty pairs -> all False)."""
    if not pairs:
        return np.zeros(len(frame), dtype=bool)
    wanted = pd.MultiIndex.from_tuples([(p.supporter, p.recipient, p.kind) for p in pairs])
    index = pd.MultiIndex.from_arrays([frame["supporter"].astype(str), frame["recipient"].astype(str),
                                       frame["kind"].astype(str)])
    return index.isin(wanted)


def _check_pairs(pairs: tuple[Pair, ...], classes: dict) -> None:
    unknown = sorted({c for p in pairs for c in (p.supporter, p.recipient) if c not in classes})
    if unknown:
        raise BuddyingError(f"not open English trusts: {', '.join(unknown)}")
    bad_kind = sorted({p.kind for p in pairs if p.kind not in KINDS})
    if bad_kind:
        raise BuddyingError(f"unknown kind {', '.join(bad_kind)}; use buddy or management_contract")


def instance_to_dict(instance: MatchInstance) -> dict:
    """The exact model the solver saw, as JSON-ready data (``propose --export-instance``).

    ``score``, ``incentive_annual_gbp`` and ``coverage`` are the objective coefficients of
    each arc; coverage is the recipient's severity, times ``weights.buddy_for_persistent``
    for a buddying of a recipient in persistent difficulty.
    """
    def arc(row) -> dict:
        return {"supporter": row["supporter"], "recipient": row["recipient"], "kind": row["kind"],
                "units": int(row["units"]), "score": int(row["score"]),
                "incentive_annual_gbp": int(row["incentive_annual_gbp"]), "coverage": float(row["coverage"])}

    arcs = [arc(row) for _, row in instance.arcs.iterrows()]
    out = {
        "supporters": [{"code": c, "capacity_units": int(u)} for c, u in
                       zip(instance.supporters["code"], instance.supporters["capacity_units"], strict=True)],
        "recipients": [{"code": c, "severity": float(s), "must_match": bool(m)}
                       for c, s, m in zip(instance.recipients["code"], instance.recipients["severity"],
                                          instance.recipients["must_match"], strict=True)],
        "arcs": arcs,
        "locked": [a for a, locked in zip(arcs, instance.arcs["locked"], strict=True) if locked],
        "excluded": [{"supporter": e.supporter, "recipient": e.recipient, "kind": e.kind, "reason": e.reason}
                     for e in instance.exclusions],
        "budget_annual_gbp": instance.budget_annual_gbp,
        "objective": ["coverage", "score", "spend"],
        "coverage_rule": "sum of arc coverage over chosen arcs (maximised first); then sum of arc score "
                         "(maximised); then sum of arc incentive_annual_gbp (minimised)",
    }
    if instance.pending:
        out["pending"] = [{"supporter": p.supporter, "recipient": p.recipient, "kind": p.kind}
                          for p in instance.pending]
        out["disruption_budget"] = instance.disruption_budget
        out["objective"] = ["coverage", "changes", "score", "spend"]
    return out
