"""Explanations computed from the instance and the plan alone (no solver).

For each partnership: where its fit comes from and why it beat the next best option. For
each recipient: the best alternatives and why each was not chosen (the capacity it would
need and who uses it, the rule that rejected it, the budget, or the objective difference).
For each uncovered recipient: the binding reasons, and what would change them.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pandas.core.sorting import nargsort

from .candidates import BIT, KIND_LABEL, describe_failures, fit_terms_for
from .domain import display_name
from .fit import term_columns
from .incentives import BUDDY
from .model.instance import MatchInstance, Pair, pair_mask

#: Rejections that mean the kind is simply not on offer for this pair; not shown as alternatives.
_NOT_AN_OPTION = BIT["not_supporter"] | BIT["not_mc_supporter"] | BIT["recipient_not_persistent"] | BIT["sector"]

#: Options kept per recipient for the alternatives (the chosen one plus three).
_TOP = 4

_TERM_LABELS = {
    "fit_cqc_safe": "safe (CQC)", "fit_cqc_effective": "effective (CQC)", "fit_cqc_caring": "caring (CQC)",
    "fit_cqc_responsive": "responsive (CQC)", "fit_cqc_well_led": "well-led (CQC)",
    "fit_seg_access": "access segment", "fit_seg_effectiveness_experience": "effectiveness and experience segment",
    "fit_seg_finance_productivity": "finance and productivity segment", "fit_seg_patient_safety": "patient safety segment",
    "fit_seg_people_workforce": "people and workforce segment", "fit_metric_ae_4hr_pct": "A&E 4-hour",
    "fit_metric_rtt_18wk_pct": "18-week RTT", "fit_metric_staff_engagement": "staff engagement",
    "fit_metric_shmi": "mortality (SHMI)", "fit_size": "similar size",
}


@dataclass(frozen=True)
class Explanations:
    """Text and alternatives per chosen pair and per uncovered recipient."""

    pair_text: dict[Pair, str]
    pair_breakdown: dict[Pair, dict[str, float]]
    pair_alternatives: dict[Pair, tuple[dict[str, Any], ...]]
    uncovered_reasons: dict[str, tuple[str, ...]]
    uncovered_alternatives: dict[str, tuple[dict[str, Any], ...]]


def explain(instance: MatchInstance, chosen: list[Pair]) -> Explanations:
    """Explain every chosen pair and every uncovered recipient of a plan."""
    ctx = _Context(instance, chosen)
    pair_text, pair_alts, breakdowns = {}, {}, {}
    for pair in chosen:
        arc = ctx.arc_with_terms(pair)
        breakdowns[pair] = fit_breakdown_of(arc, instance)
        alternatives = ctx.alternatives(pair.recipient, exclude=pair)
        lines = [ctx.describe_arc(arc)]
        if alternatives:
            best = alternatives[0]
            lines.append(f"Chosen over {best['label']}: {best['why_not']}.")
        else:
            lines.append("It was the only option for this trust.")
        pair_text[pair] = " ".join(lines)
        pair_alts[pair] = tuple(alternatives)
    reasons, alts = {}, {}
    for code in instance.recipients["code"]:
        if code in ctx.covered:
            continue
        reasons[code] = tuple(ctx.uncovered_reasons(code))
        alts[code] = tuple(ctx.alternatives(code, exclude=None))
    return Explanations(pair_text, breakdowns, pair_alts, reasons, alts)


def fit_breakdown_of(arc: pd.Series, instance: MatchInstance) -> dict[str, float]:
    """The non-zero fit terms of an arc, by readable label (empty if the arc was stored without them)."""
    return {_TERM_LABELS.get(c, c): float(arc[c]) for c in term_columns(instance.settings)
            if c in arc.index and float(arc[c]) > 0}


def with_fit_terms(instance: MatchInstance, rows: pd.DataFrame) -> pd.DataFrame:
    """Arc rows with their fit breakdown columns, computing them when the instance stored fit only."""
    columns = term_columns(instance.settings)
    if all(c in rows.columns for c in columns) or rows.empty:
        return rows
    terms = fit_terms_for(instance.trusts, instance.settings, instance.as_of or date.today(),
                          rows["supporter"].astype(str).tolist(), rows["recipient"].astype(str).tolist())
    return pd.concat([rows.reset_index(drop=True), terms[columns].reset_index(drop=True)], axis=1).set_axis(rows.index)


class _Context:
    """Plan facts shared by all explanations: capacity used, by whom, spend, and lookups."""

    def __init__(self, instance: MatchInstance, chosen: list[Pair]):
        self.instance = instance
        self.settings = instance.settings
        self.names = instance.trusts.set_index("code")["name"].map(display_name).to_dict() if len(instance.trusts) else {}
        chosen_mask = pair_mask(instance.arcs, tuple(chosen))
        self.arcs = instance.arcs[chosen_mask].astype({"supporter": str, "recipient": str, "kind": str}).set_index(
            ["supporter", "recipient", "kind"], drop=False)
        self.chosen = chosen
        self.by_recipient = {p.recipient: p for p in chosen}
        self.covered = set(self.by_recipient)
        self.capacity = dict(zip(instance.supporters["code"], instance.supporters["capacity_units"]))
        self.used: dict[str, int] = defaultdict(int)
        self.served: dict[str, list[str]] = defaultdict(list)
        for p in chosen:
            self.used[p.supporter] += int(self.arc(p)["units"])
            self.served[p.supporter].append(p.recipient)
        self.spend = sum(int(self.arc(p)["incentive_annual_gbp"]) for p in chosen)
        rows = pd.DataFrame([self.arc(p) for p in chosen]) if chosen else instance.arcs.iloc[0:0]
        self.chosen_rows = with_fit_terms(instance, rows.reset_index(drop=True)).set_index(
            ["supporter", "recipient", "kind"], drop=False)
        self.severity = dict(zip(instance.recipients["code"], instance.recipients["severity"]))
        self.capacity_of = pd.Series(self.capacity, dtype="int64")
        self.used_of = pd.Series(dict(self.used), dtype="int64")
        self._index_options(instance)

    def _index_options(self, instance: MatchInstance) -> None:
        """Each recipient's options (its arcs, then its rejected pairs, each in table order) and its best few.

        Nothing the size of the arcs table is copied: per-recipient positions come from one stable
        sort of integer keys, and only the ranked best few rows are built as a frame. The best
        few are the eligible options first (coverage, then score), then the rejected pairs that are
        real alternatives, by score, ties in table order.
        """
        arcs, rejected = instance.arcs, instance.rejected
        parts = [arcs] + ([rejected] if len(rejected) else [])
        keys = _sorted_codes([p["recipient"] for p in parts])
        self.positions: list[dict[str, np.ndarray]] = [_group_positions(k, names) for k, names in keys]
        # The dtypes the whole options table would have (scores sort and print as that dtype).
        self.score_dtype = pd.concat([p["score"].iloc[:0] for p in parts]).dtype if len(parts) > 1 else arcs["score"].dtype
        supporter_codes, supporter_names = _codes(arcs["supporter"])
        spare = np.array([self.capacity.get(s, 0) - self.used.get(s, 0) for s in supporter_names], dtype=np.float64)
        self.arc_spare = spare[supporter_codes] if len(supporter_names) else np.zeros(len(arcs))
        self.arc_supporter = np.asarray(supporter_names, dtype=object)[supporter_codes] if len(arcs) else \
            np.zeros(0, dtype=object)
        self.arc_score = arcs["score"].to_numpy().astype(self.score_dtype.numpy_dtype if hasattr(
            self.score_dtype, "numpy_dtype") else self.score_dtype, copy=False)
        self.arc_units = arcs["units"].to_numpy()
        self.arc_cost = arcs["incentive_annual_gbp"].to_numpy()
        # Best few: arcs by coverage then score (stable), then real rejected alternatives by score.
        picked = []
        arc_key, _ = keys[0]
        order = np.lexsort((-arcs["score"].to_numpy(np.float64), -arcs["coverage"].to_numpy(np.float64), arc_key))
        picked.append((0, order[_rank_in_group(arc_key[order]) < _TOP]))
        if len(parts) > 1:
            rej_key, _ = keys[1]
            real = np.flatnonzero((rejected["failed"].to_numpy() & _NOT_AN_OPTION) == 0)
            order = real[np.lexsort((-rejected["score"].to_numpy(np.float64)[real], rej_key[real]))]
            picked.append((1, order[_rank_in_group(rej_key[order]) < _TOP]))
        frames = [parts[k].iloc[np.sort(pos)].assign(eligible=(k == 0)) for k, pos in picked]
        top = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
        top["recipient"] = top["recipient"].astype(str)
        top["_eligible"] = top["eligible"].astype(int)
        top["_coverage"] = top["coverage"].where(top["eligible"], 0)
        top = top.sort_values(["recipient", "_eligible", "_coverage", "score"], ascending=[True, False, False, False],
                              kind="stable")
        top = top.groupby("recipient", sort=False).head(_TOP)
        self.top: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, row in top.iterrows():
            self.top[row["recipient"]].append(dict(row))

    def arc(self, pair: Pair) -> pd.Series:
        return self.arcs.loc[(pair.supporter, pair.recipient, pair.kind)]

    def arc_with_terms(self, pair: Pair) -> pd.Series:
        return self.chosen_rows.loc[(pair.supporter, pair.recipient, pair.kind)]

    def name(self, code: str) -> str:
        return f"{self.names.get(code, code)} ({code})"

    def label(self, row: pd.Series | dict) -> str:
        kind = "a buddying" if row["kind"] == BUDDY else "a management contract"
        return f"{kind} with {self.name(row['supporter'])}"

    def describe_arc(self, arc: pd.Series) -> str:
        terms = sorted(fit_breakdown_of(arc, self.instance).items(), key=lambda kv: -kv[1])[:3]
        strengths = ", ".join(f"{label} +{value:.2f}" for label, value in terms) or "no stronger areas"
        years = self.settings.incentives.buddy.years if arc["kind"] == BUDDY else self.settings.incentives.mc.years
        kind = "Buddying" if arc["kind"] == BUDDY else "Management contract"
        return (f"{kind} by {self.name(arc['supporter'])}: fit {arc['fit']:.2f} (strongest where this trust is weak: "
                f"{strengths}), {arc['distance_km']:.0f} km apart, score {int(arc['score'])} points, "
                f"{int(arc['units'])} support unit{'s' if int(arc['units']) != 1 else ''}; "
                f"£{int(arc['incentive_annual_gbp']):,} a year, £{int(arc['incentive_term_gbp']):,} over {years} years.")

    def options_for(self, recipient: str) -> pd.DataFrame:
        """Every pair considered for a recipient, eligible or not (arcs first, then rejected pairs)."""
        parts = [self.instance.arcs.assign(eligible=True).iloc[self.positions[0].get(recipient, _NONE)]]
        if len(self.positions) > 1:
            parts.append(self.instance.rejected.assign(eligible=False).iloc[self.positions[1].get(recipient, _NONE)])
        rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        rows["recipient"] = rows["recipient"].astype(str)
        return rows

    def spare_capacity(self, rows: pd.DataFrame) -> np.ndarray:
        """Units each row's supporter has left in the plan."""
        supporters = rows["supporter"].astype(str)
        return (supporters.map(self.capacity_of).fillna(0) - supporters.map(self.used_of).fillna(0)).to_numpy()

    def alternatives(self, recipient: str, exclude: Pair | None, limit: int = 3) -> list[dict[str, Any]]:
        rows = self.top.get(recipient, [])
        if exclude is not None:
            rows = [r for r in rows if not (str(r["supporter"]) == exclude.supporter and str(r["kind"]) == exclude.kind)]
        out = []
        for row in rows[:limit]:
            out.append({"supporter": row["supporter"], "kind": row["kind"], "eligible": bool(row["eligible"]),
                        "score": int(row["score"]), "fit": float(row["fit"]), "distance_km": float(row["distance_km"]),
                        "label": self.label(row), "why_not": self.why_not(row, exclude)})
        return out

    def why_not(self, row: pd.Series, chosen: Pair | None) -> str:
        if not row["eligible"]:
            return describe_failures(row, self.instance.trusts, self.settings, self.instance.exclusions)
        supporter, units = row["supporter"], int(row["units"])
        freed = int(self.arc(chosen)["units"]) if chosen is not None and chosen.supporter == supporter else 0
        spare = self.capacity.get(supporter, 0) - self.used[supporter] + freed
        if units > spare:
            users = [r for r in self.served[supporter] if chosen is None or r != chosen.recipient]
            return (f"{self.name(supporter)} has no spare capacity: it would need {units} unit"
                    f"{'s' if units != 1 else ''}, and {self.used[supporter] - freed} of its "
                    f"{self.capacity.get(supporter, 0)} go to {', '.join(self.name(u) for u in users)}")
        current = int(self.arc(chosen)["incentive_annual_gbp"]) if chosen is not None else 0
        new_spend = self.spend - current + int(row["incentive_annual_gbp"])
        if new_spend > self.instance.budget_annual_gbp:
            return (f"it would take annual incentives to £{new_spend / 1e6:,.2f}m, over the "
                    f"£{self.instance.budget_annual_gbp / 1e6:,.1f}m budget")
        if chosen is None:
            return "choosing it would lower the coverage of more severe recipients"
        best = self.arc(chosen)
        if row["coverage"] < best["coverage"]:
            return (f"it covers less: a buddying counts {row['coverage']:g} of {self.severity[row['recipient']]:g} "
                    f"for a trust in persistent difficulty, a management contract counts it all")
        if int(row["score"]) < int(best["score"]):
            return (f"lower score, {int(row['score'])} against {int(best['score'])} points (fit {row['fit']:.2f} "
                    f"against {best['fit']:.2f}; {row['distance_km']:.0f} km against {best['distance_km']:.0f} km)")
        if int(row["incentive_annual_gbp"]) > int(best["incentive_annual_gbp"]):
            diff = int(row["incentive_annual_gbp"]) - int(best["incentive_annual_gbp"])
            return f"same coverage and score but £{diff:,} a year more"
        return "equally good on every objective; the plan keeps the other"

    def uncovered_reasons(self, recipient: str) -> list[str]:
        at = self.positions[0].get(recipient, _NONE)
        reasons = []
        if not len(at):
            rows = self.options_for(recipient)
            reasons.append(self._no_eligible(rows))
            reasons += self._what_would_help_rules(rows)
            return reasons
        # Best score first, ties as pandas' (unstable) quicksort orders them, so the text never changes.
        at = at[nargsort(self.arc_score[at], kind="quicksort", ascending=False)]
        at_capacity = self.arc_units[at] > self.arc_spare[at]
        incentive = self.arc_cost[at]
        over_budget = ~at_capacity & (self.spend + incentive > self.instance.budget_annual_gbp)
        blocked_budget = bool(over_budget.any())
        codes = list(dict.fromkeys(str(s) for s in self.arc_supporter[at[at_capacity]]))
        n_capacity = len(codes)
        left = self.instance.budget_annual_gbp - self.spend
        if n_capacity:
            listed = ", ".join(codes[:12]) + (f" and {n_capacity - 12} more" if n_capacity > 12 else "")
            if n_capacity == 1 and not blocked_budget:
                who = f"The only eligible supporter, {self.name(codes[0])}, is at capacity"
            elif not blocked_budget:
                who = f"All {n_capacity} eligible supporters are at capacity ({listed})"
            else:
                who = f"{n_capacity} of the eligible supporters are at capacity ({listed})"
            reasons.append(f"{who}; their partnerships cover more severe recipients or score higher.")
            best = self.instance.arcs.iloc[int(at[at_capacity][0])]
            cost = int(best["incentive_annual_gbp"])
            money = f" and £{cost - left:,} more annual budget (£{left:,} is left)" if cost > left else ""
            reasons.append(f"What would change it: one more support unit at {self.name(best['supporter'])}{money} "
                           f"would allow {self.label(best)} (score {int(best['score'])} points).")
        if blocked_budget:
            cheapest = int(incentive[over_budget].min())
            reasons.append(f"The budget is spent: covering it needs at least £{cheapest:,} a year and £{left:,} is left.")
            reasons.append(f"What would change it: £{cheapest - left:,} more annual budget.")
        if not reasons:
            reasons.append("Covering it would lower the coverage of more severe recipients.")
        return reasons

    def _no_eligible(self, rows: pd.DataFrame) -> str:
        buddy = rows[rows["kind"].eq(BUDDY)]
        counts = {rule: int(((buddy["failed"] & bit) != 0).sum()) for rule, bit in BIT.items()}
        parts = []
        if counts["sector"]:
            parts.append(f"{counts['sector']} are in another sector")
        in_sector = buddy[(buddy["failed"] & BIT["sector"]) == 0]
        far = in_sector[(in_sector["failed"] & BIT["distance"]) != 0]
        if len(far):
            nearest = far.sort_values("distance_km").iloc[0]
            parts.append(f"{len(far)} in a matching sector are more than {self.settings.max_distance_km.buddy:g} km "
                         f"away (nearest: {self.name(nearest['supporter'])} at {nearest['distance_km']:.0f} km)")
        for rule, text in (("same_region", "are in another region"), ("excluded", "are ruled out"),
                           ("no_location", "have no known location"), ("no_income", "cannot be priced")):
            if counts[rule]:
                parts.append(f"{counts[rule]} {text}")
        total = buddy["supporter"].nunique()
        return f"No supporter is eligible: of {total} supporters, " + "; ".join(parts) + "." if parts else \
            "No supporter is eligible."

    def _what_would_help_rules(self, rows: pd.DataFrame) -> list[str]:
        distance_only = rows[rows["failed"].eq(BIT["distance"])]
        if distance_only.empty:
            return []
        nearest = distance_only.sort_values("distance_km").iloc[0]
        limit = math.ceil(nearest["distance_km"])
        return [f"What would change it: a distance limit of {limit} km for {KIND_LABEL[nearest['kind']]} would make "
                f"{self.name(nearest['supporter'])} eligible."]


_NONE = np.zeros(0, dtype=np.int64)


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a column and the text each code stands for."""
    codes, uniques = pd.factorize(values)
    return codes, [str(u) for u in uniques]


def _sorted_codes(columns: list[pd.Series]) -> list[tuple[np.ndarray, list[str]]]:
    """Codes shared by several columns, numbered in text order (so sorting codes sorts the text)."""
    factored = [_codes(c) for c in columns]
    names = sorted(set().union(*(set(n) for _, n in factored)))
    number = {n: k for k, n in enumerate(names)}
    return [(np.array([number[n] for n in own], dtype=np.int64)[codes] if len(own) else codes.astype(np.int64), names)
            for codes, own in factored]


def _group_positions(keys: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Positions of each key's rows, in table order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(keys) else _NONE
    ends = np.r_[starts[1:], len(keys)]
    return {names[sorted_keys[a]]: order[a:b] for a, b in zip(starts, ends)}


def _rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """Each row's rank within its run of equal keys."""
    if not len(sorted_keys):
        return _NONE
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    return np.arange(len(sorted_keys)) - np.repeat(starts, np.diff(np.r_[starts, len(sorted_keys)]))
