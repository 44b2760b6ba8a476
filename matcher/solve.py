"""``propose``: from a ``MatchInstance`` to a checked, explained ``Plan``.

Maps the instance onto the assignment core, solves the lexicographic stages (coverage by
severity; for a re-match, fewest changed offers; score; spend), checks the answer with the
solver-independent validator, and explains it. An infeasible instance raises
``InfeasibleError`` with a verified minimal diagnosis, never an empty plan.
"""
from __future__ import annotations

from dataclasses import replace
from importlib.metadata import version

import numpy as np
import pandas as pd

from .domain import COVERAGE_SCALE, Pair
from .errors import BuddyingError
from .explain import Explanations, explain
from .model.core import CoreProblem, SolverOptions, Spread, Stage, solve_core
from .model.diagnose import InfeasibleError, diagnose
from .model.instance import MatchInstance, pair_mask
from .quality import plan_quality
from .result import Change, Fingerprint, Objective, Partnership, Plan, SupporterUse, Uncovered
from .settings import config_fingerprint
from .validate import check_pairs

#: Above this many arcs, stages are solved by column generation instead of CP-SAT on every arc:
#: on supporter patterns (``model/patterns.py``) when supporters have a load limit or a spread
#: rule (version 2), else from Lagrangian prices over arcs (``model/large.py``); both report a
#: proven Lagrangian bound. Below it CP-SAT solves each stage directly.
LARGE_ARCS = 10_000


def options_from(instance: MatchInstance) -> SolverOptions:
    """Solver options from the instance's settings (``solver`` section of the config)."""
    s = instance.settings.solver
    return SolverOptions(time_limit_s=s.time_limit_s, workers=s.workers, seed=s.seed, hold_tolerance=s.hold_tolerance)


def core_problem(instance: MatchInstance) -> CoreProblem:
    """The instance in the core's arrays, with the stages in lexicographic order."""
    arcs = instance.arcs
    agent = pd.Index(instance.supporters["code"]).get_indexer(arcs["supporter"].astype(str))
    job = pd.Index(instance.recipients["code"]).get_indexer(arcs["recipient"].astype(str))
    kept = pair_mask(arcs, instance.pending).astype(np.int64)
    stages = [Stage("coverage", arcs["coverage_points"].to_numpy(np.int64), "max")]
    limits: tuple = ()
    if instance.pending:
        stages.append(Stage("kept_offers", kept, "max"))
        if instance.disruption_budget is not None:
            limits = ((-kept, instance.disruption_budget - len(instance.pending)),)
    stages += [Stage("score", arcs["score"].to_numpy(np.int64), "max"),
               Stage("spend", arcs["incentive_annual_gbp"].to_numpy(np.int64), "min")]
    recipients = instance.recipients
    return CoreProblem(
        agent=agent.astype(np.int64), job=job.astype(np.int64),
        use=arcs["units"].to_numpy(np.int64), capacity=instance.supporters["capacity_units"].to_numpy(np.int64),
        must_cover=recipients["must_match"].to_numpy(bool), stages=tuple(stages),
        budget_cost=arcs["incentive_annual_gbp"].to_numpy(np.int64), budget_limit=instance.budget_annual_gbp,
        fixed=arcs["locked"].to_numpy(bool), limits=limits,
        load=arcs["load_gbp"].to_numpy(np.int64), load_limit=instance.supporters["load_limit_gbp"].to_numpy(np.int64),
        spread=Spread(recipients["latitude"].to_numpy(float), recipients["longitude"].to_numpy(float),
                      instance.settings.geography.max_corecipient_km),
        bonus_pairs=instance.bonus_pairs,
        bonus_values=np.full(len(instance.bonus_pairs), instance.bonus_value, dtype=np.int64),
    )


def propose(instance: MatchInstance, options: SolverOptions | None = None, data_fingerprint: str = "",
            as_of: str = "", explained: bool = True) -> Plan:
    """Solve, check and explain a plan for the instance.

    ``explained=False`` leaves out the sentences and alternatives (the pairs, figures and quality are the
    same): for the re-solves behind the levers and the backups, which show only who gets whom.

    Raises:
        InfeasibleError: no plan satisfies the rules; carries a verified minimal diagnosis.
        PlanInvalidError: the solver's answer broke a rule (a defect, never expected).
    """
    options = options or options_from(instance)
    problem = core_problem(instance)
    if problem.n_arcs <= LARGE_ARCS:
        solution = solve_core(problem, options)
    elif problem.spread is not None or problem.load_limit is not None:
        from .model.patterns import solve_patterns  # imported here: a national run never needs the large paths
        solution = solve_patterns(problem, options)
    else:
        from .model.large import solve_large
        solution = solve_large(problem, options)
    if not solution.feasible and solution.status == "UNKNOWN":
        raise BuddyingError(f"No plan was found within the solver's time limit ({options.time_limit_s:g} s a stage); "
                            f"raise solver.time_limit_s or reduce the data")
    if not solution.feasible:
        raise InfeasibleError(diagnose(instance, options))
    arcs = instance.arcs
    chosen_rows = arcs[solution.chosen]
    pairs = [Pair(s, r, k) for s, r, k in
             zip(chosen_rows["supporter"], chosen_rows["recipient"], chosen_rows["kind"], strict=True)]
    # The objective as the solver's own coefficients give it for the final plan (a later stage
    # may improve an earlier stage that ran out of time), then recomputed independently.
    value = {st.name: problem.value(st, solution.chosen) for st in problem.stages}
    reported = Objective(coverage=value["coverage"] / COVERAGE_SCALE, score=value["score"], spend=value["spend"])
    objective = check_pairs(instance, pairs, reported)
    notes = explain(instance, pairs) if explained else _unexplained(instance, pairs)
    quality = plan_quality(pairs, [float(d) for d in chosen_rows["distance_km"]], instance.trusts) \
        if "peer_groups" in instance.trusts.columns else None
    outside = set(quality.outside_past_practice) if quality is not None else set()
    partnerships = tuple(
        Partnership(supporter=p.supporter, recipient=p.recipient, kind=p.kind, units=int(row["units"]),
                    fit=float(row["fit"]), distance_km=float(row["distance_km"]), score=int(row["score"]),
                    incentive_annual_gbp=int(row["incentive_annual_gbp"]),
                    incentive_term_gbp=int(row["incentive_term_gbp"]), coverage=float(row["coverage"]),
                    explanation=notes.pair_text[p], fit_breakdown=notes.pair_breakdown[p],
                    alternatives=notes.pair_alternatives[p], locked=bool(row["locked"]),
                    outside_past_practice=str(p) in outside)
        for p, (_, row) in zip(pairs, chosen_rows.iterrows(), strict=True))
    severity = dict(zip(instance.recipients["code"], instance.recipients["severity"], strict=True))
    unnamed = {code: {"full": dict(u.full), "room": dict(u.room)} for code, u in notes.uncovered_unnamed.items()}
    uncovered = tuple(Uncovered(code, float(severity[code]), reasons, notes.uncovered_alternatives[code],
                                unnamed.get(code))
                      for code, reasons in notes.uncovered_reasons.items())
    used = chosen_rows.groupby("supporter")["units"].sum().to_dict()
    supporters = tuple(SupporterUse(code, int(cap), int(used.get(code, 0)))
                       for code, cap in
                       zip(instance.supporters["code"], instance.supporters["capacity_units"], strict=True))
    return Plan(
        status=solution.status, objective=objective, pairs=partnerships, uncovered=uncovered,
        supporters=supporters, stages=tuple(replace(s, seconds=round(s.seconds, 3)) for s in solution.stages),
        fingerprint=fingerprint(instance, options, data_fingerprint, as_of),
        changes=_changes(instance, pairs) if instance.pending else None,
        budget_annual_gbp=instance.budget_annual_gbp, quality=quality, hold_tolerance=options.hold_tolerance,
    )


def _unexplained(instance: MatchInstance, pairs: list[Pair]) -> Explanations:
    """No words: every pair and every uncovered recipient with empty text (``propose(explained=False)``)."""
    covered = {p.recipient for p in pairs}
    return Explanations(dict.fromkeys(pairs, ""), {p: {} for p in pairs}, dict.fromkeys(pairs, ()),
                        {c: () for c in instance.recipients["code"] if c not in covered},
                        {c: () for c in instance.recipients["code"] if c not in covered})


def fingerprint(instance: MatchInstance, options: SolverOptions, data_fingerprint: str, as_of: str) -> Fingerprint:
    """What a run depends on: data hash, config hash, solver version, seed and date."""
    return Fingerprint(data=data_fingerprint, config=config_fingerprint(instance.settings),
                       solver=f"ortools {version('ortools')}", seed=options.seed, workers=options.workers, as_of=as_of)


def _changes(instance: MatchInstance, pairs: list[Pair]) -> tuple[Change, ...]:
    """Every pending offer that is no longer in the plan, and where its recipient went."""
    now = {p.recipient: p for p in pairs}
    kept = set(pairs)
    out = []
    for old in instance.pending:
        if old in kept:
            continue
        new = now.get(old.recipient)
        out.append(Change(old.recipient, old.supporter, old.kind, new.supporter if new else None,
                          new.kind if new else None))
    return tuple(out)
