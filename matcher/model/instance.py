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

from .. import rules
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

    supporters: pd.DataFrame  # code, capacity_units, income_gbp, load_limit_gbp
    recipients: pd.DataFrame  # code, severity, must_match, persistent, intensive, latitude, longitude
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
    bonus_pairs: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64), repr=False)

    @property
    def bonus_value(self) -> int:
        """Score points for covering two recipients of one group with one supporter (each bonus pair)."""
        return int(self.settings.groups.same_supporter_bonus)



def build_instance(classified: Classified, rematch: Rematch | None = None,
                   settings: Settings | None = None) -> MatchInstance:
    """Build the solver's input from the classified trusts and what earlier answers add (``rematch``).

    Locked pairs (accepted agreements, or set by a regulator) are arcs the plan must keep; a lock
    overrides no rule, so one that breaks a rule is refused, naming the rule (DOMAIN §4). Excluded
    pairs (declined offers, conflicts of interest) are never arcs.

    Raises:
        BuddyingError: a lock or pending pair names a trust that is not an open English trust,
            a lock is also excluded, or a lock breaks a rule.
    """
    settings = settings or classified.settings
    rematch = rematch or Rematch()
    classes = {c.code: c for c in classified.classifications}
    locks, exclusions, pending = rematch.locks, rematch.exclusions, rematch.pending
    _check_pairs(locks + pending, classes)
    for lock in locks:
        if any(e.matches(lock) for e in exclusions):
            raise BuddyingError(f"{lock} is both locked and excluded; remove one of them")

    def with_role(role: Role) -> set[str]:
        return {c.code for c in classes.values() if c.role is role}

    supporter_codes = sorted(with_role(Role.SUPPORTER) | {p.supporter for p in locks})
    recipient_codes = sorted(with_role(Role.RECIPIENT) | {p.recipient for p in locks})
    large = len(supporter_codes) * len(recipient_codes) * len(KINDS) > LARGE_PAIRS
    pairs = evaluate_pairs(classified.trusts, classes, settings, classified.as_of, supporter_codes, recipient_codes,
                           KINDS, exclusions, keep_rejected=not large or bool(locks), fit_terms=not large)
    locked_mask = pair_mask(pairs, locks)
    _refuse_locks_that_break_rules(pairs[locked_mask & pairs["failed"].ne(0).to_numpy()], classified.trusts,
                                   settings)
    eligible = pairs["failed"].eq(0).to_numpy() | locked_mask
    arcs = pairs[eligible].copy()
    arcs["locked"] = locked_mask[eligible]
    arcs["coverage_points"] = np.round(arcs["coverage"].astype(float) * COVERAGE_SCALE).astype(np.int64)
    arcs = arcs.sort_values(["recipient", "supporter", "kind"]).reset_index(drop=True)

    table = classified.trusts.set_index("code")
    recipients = pd.DataFrame({
        "code": recipient_codes,
        "severity": [classes[c].severity for c in recipient_codes],
        "persistent": [classes[c].persistent for c in recipient_codes],
        "intensive": [classes[c].intensive for c in recipient_codes],
        "latitude": table.loc[recipient_codes, "latitude"].astype(float).to_numpy(),
        "longitude": table.loc[recipient_codes, "longitude"].astype(float).to_numpy(),
    })
    recipients["must_match"] = recipients["intensive"] & settings.must_match_intensive
    supporters = _supporters(supporter_codes, table, arcs, rematch, settings)
    return MatchInstance(
        supporters=supporters, recipients=recipients, arcs=arcs,
        rejected=pairs[~eligible].reset_index(drop=True),
        budget_annual_gbp=round(settings.incentives.annual_budget_gbp_m * 1_000_000),
        locked=locks, exclusions=exclusions, pending=pending,
        disruption_budget=settings.rematch.disruption_budget, settings=settings, trusts=classified.trusts,
        as_of=classified.as_of, bonus_pairs=_bonus_pairs(arcs, table) if settings.groups.same_supporter_bonus else
        np.zeros((0, 2), dtype=np.int64),
    )


def _refuse_locks_that_break_rules(broken: pd.DataFrame, trusts: pd.DataFrame, settings: Settings) -> None:
    """Raise, naming each locked pair and the rules it breaks, if there is any."""
    if not len(broken):
        return
    words = rules.Words(trusts, settings)
    lines = [f"{Pair(row['supporter'], row['recipient'], row['kind'])}: {rules.describe(row, words)}"
             for row in broken.to_dict("records")]
    raise BuddyingError(
        "A lock overrides no rule, and these locked pairs break one:\n" + "\n".join(f"  - {line}" for line in lines)
        + "\nRemove the lock (or withdraw the accepted agreement), or change the rule in the scenario.")


def _supporters(codes: list[str], table: pd.DataFrame, arcs: pd.DataFrame, rematch: Rematch,
                settings: Settings) -> pd.DataFrame:
    """Each supporter's capacity (by size, plus what it declared) and load limit (a multiple of its income)."""
    income = table.loc[codes, "income_gbp"].astype(float).to_numpy() if codes else np.zeros(0)
    locked_units = arcs[arcs["locked"]].groupby("supporter", observed=True)["units"].sum().to_dict()
    capacity = [rematch.capacity_of(s, settings.capacity.units_for(i), int(locked_units.get(s, 0)))
                for s, i in zip(codes, income, strict=True)]
    return pd.DataFrame({"code": codes, "capacity_units": capacity, "income_gbp": income,
                         "load_limit_gbp": np.nan_to_num(income * settings.capacity.max_load_ratio)})


def _bonus_pairs(arcs: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Pairs of arcs (positions) by which one supporter covers two recipients of one group.

    Ordered by supporter (in the order of its first arc to a grouped recipient), then by the first
    arc's position, then the second's. Arcs are joined on (supporter, group) rather than compared
    pairwise per supporter, which took 24 s at 20,000 providers.
    """
    groups = table["groups"] if "groups" in table.columns else pd.Series(dtype=object)
    names = {code: set(cell.split(" · ")) for code, cell in groups.items() if isinstance(cell, str)}
    members = pd.DataFrame([(code, name) for code, found in names.items() for name in found],
                           columns=["recipient", "group"], dtype=object)
    grouped = pd.DataFrame({"position": np.arange(len(arcs), dtype=np.int64),
                            "supporter": arcs["supporter"].astype(str).to_numpy(dtype=object),
                            "recipient": arcs["recipient"].astype(str).to_numpy(dtype=object)})
    grouped = grouped[grouped["recipient"].isin(names.keys())]
    first = grouped.groupby("supporter", sort=False)["position"].min()
    both = grouped.merge(members, on="recipient").merge(
        grouped.merge(members, on="recipient"), on=["supporter", "group"], suffixes=("_a", "_b"))
    both = both[(both["position_a"] < both["position_b"]) & (both["recipient_a"] != both["recipient_b"])]
    both = both.drop_duplicates(["position_a", "position_b"])
    order = np.lexsort((both["position_b"].to_numpy(), both["position_a"].to_numpy(),
                        both["supporter"].map(first).to_numpy()))
    out = both[["position_a", "position_b"]].to_numpy(dtype=np.int64)[order]
    return out.reshape(-1, 2)


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
