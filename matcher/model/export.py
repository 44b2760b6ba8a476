"""The exact model the solver saw, as JSON-ready data (``propose --export-instance``).

Everything an independent solver needs to re-solve the plan and confirm it: arcs with their
objective coefficients, units and load; supporters with capacity and load limit; recipients with
severity and must-match; locks, exclusions and the budget; the spread rule as explicit pairs of
arcs that may not both be chosen (``conflicts``); and the group bonus as explicit pairs of arcs
that add score points when both are chosen (``pair_bonuses``).
"""
from __future__ import annotations

import numpy as np

from .instance import MatchInstance
from .spread import conflicting_pairs


def instance_to_dict(instance: MatchInstance) -> dict:
    """The instance as JSON-ready data; see the module text for what each part means.

    ``score``, ``incentive_annual_gbp`` and ``coverage`` are the objective coefficients of
    each arc; coverage is the recipient's severity, times ``weights.buddy_for_persistent``
    for a buddying of a recipient in persistent difficulty.
    """
    keys = [{"supporter": str(s), "recipient": str(r), "kind": str(k)} for s, r, k in
            zip(instance.arcs["supporter"], instance.arcs["recipient"], instance.arcs["kind"], strict=True)]
    arcs = [key | {"units": int(u), "score": int(sc), "incentive_annual_gbp": int(c), "coverage": float(cv),
                   "load_gbp": int(ld)}
            for key, u, sc, c, cv, ld in zip(keys, instance.arcs["units"], instance.arcs["score"],
                                             instance.arcs["incentive_annual_gbp"], instance.arcs["coverage"],
                                             instance.arcs["load_gbp"], strict=True)]
    supporters = instance.supporters
    out = {
        "supporters": [{"code": c, "capacity_units": int(u), "load_limit_gbp": int(limit) if limit > 0 else None}
                       for c, u, limit in zip(supporters["code"], supporters["capacity_units"],
                                              supporters["load_limit_gbp"], strict=True)],
        "recipients": [{"code": c, "severity": float(s), "must_match": bool(m)}
                       for c, s, m in zip(instance.recipients["code"], instance.recipients["severity"],
                                          instance.recipients["must_match"], strict=True)],
        "arcs": arcs,
        "locked": [a for a, locked in zip(arcs, instance.arcs["locked"], strict=True) if locked],
        "excluded": [{"supporter": e.supporter, "recipient": e.recipient, "kind": e.kind, "reason": e.reason}
                     for e in instance.exclusions],
        "conflicts": [{"a": keys[a], "b": keys[b]} for a, b in _conflicts(instance).tolist()],
        "pair_bonuses": [{"a": keys[a], "b": keys[b], "score": instance.bonus_value}
                         for a, b in instance.bonus_pairs.tolist()],
        "budget_annual_gbp": instance.budget_annual_gbp,
        "objective": ["coverage", "score", "spend"],
        "coverage_rule": "sum of arc coverage over chosen arcs (maximised first); then sum of arc score plus the "
                         "score of every pair bonus whose two arcs are both chosen (maximised); then sum of arc "
                         "incentive_annual_gbp (minimised)",
        "constraints": "each recipient at most one chosen arc (exactly one if must_match); per supporter, chosen "
                       "units <= capacity_units and chosen load_gbp <= load_limit_gbp (null: no limit); chosen "
                       "incentive_annual_gbp <= budget_annual_gbp; every locked arc chosen; of each conflict, at "
                       "most one arc chosen",
    }
    if instance.pending:
        out["pending"] = [{"supporter": p.supporter, "recipient": p.recipient, "kind": p.kind}
                          for p in instance.pending]
        out["disruption_budget"] = instance.disruption_budget
        out["objective"] = ["coverage", "changes", "score", "spend"]
    return out


def _conflicts(instance: MatchInstance) -> np.ndarray:
    """Every pair of arcs of one supporter whose recipients are further apart than the spread limit."""
    arcs = instance.arcs
    codes = list(instance.recipients["code"])
    position = {c: i for i, c in enumerate(codes)}
    job = np.array([position[str(r)] for r in arcs["recipient"]], dtype=np.int64)
    agent = arcs["supporter"].astype(str).factorize()[0].astype(np.int64)
    return conflicting_pairs(agent, job, instance.recipients["latitude"].to_numpy(float),
                             instance.recipients["longitude"].to_numpy(float),
                             instance.settings.geography.max_corecipient_km)
