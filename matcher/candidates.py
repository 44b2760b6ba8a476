"""Candidate partnerships: which (supporter, recipient, kind) arcs the model may choose, and why others may not.

Every pair is checked against every rule, and *all* the rules it breaks are kept (as a bit
mask, turned into rule ids and plain English on demand), so a regulator can see the whole
reason a pair is ruled out, not just the first. Eligible arcs carry the fit breakdown,
distance, capacity units, incentive cost and the objective coefficients the solver uses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

import numpy as np
import pandas as pd

from .classify import Classification
from .domain import SECTOR_GROUPS, Role, display_name
from .fit import fit_breakdown, metric_percentiles, term_columns
from .geography import haversine_km
from .incentives import BUDDY, KINDS, MANAGEMENT_CONTRACT, incentive_gbp
from .settings import Settings

#: Score points per unit of fit (scores are whole numbers so the solver's objective is exact).
SCORE_SCALE = 100

#: Every rule a pair can break, in the order reasons are listed: (id, bit).
RULES = (
    "not_supporter", "not_mc_supporter", "recipient_not_persistent", "sector", "no_location", "distance",
    "same_region", "no_size", "size_ratio", "no_income", "excluded",
)
BIT = {rule: 1 << i for i, rule in enumerate(RULES)}

KIND_LABEL = {BUDDY: "buddying", MANAGEMENT_CONTRACT: "management contracts"}


@dataclass(frozen=True)
class Exclusion:
    """A pair the regulator ruled out, or an offer that was declined (``kind`` None = any kind)."""

    supporter: str
    recipient: str
    kind: str | None = None
    reason: str = "ruled out by the regulator"


def evaluate_pairs(trusts: pd.DataFrame, classes: dict[str, Classification], settings: Settings, as_of: date,
                   supporters: Iterable[str], recipients: Iterable[str], kinds: Iterable[str] = KINDS,
                   exclusions: Iterable[Exclusion] = (), recipient_status_rules: bool = True,
                   keep_rejected: bool = True, fit_terms: bool = True, block: int = 256) -> pd.DataFrame:
    """Check every (supporter, recipient, kind) against every rule and price the pair.

    Args:
        trusts: the canonical trust table (any index; looked up by ``code``).
        classes: classifications by trust code.
        supporters, recipients: trust codes to pair (a trust is never paired with itself).
        kinds: ``buddy`` and/or ``management_contract``.
        exclusions: pairs ruled out, with why.
        recipient_status_rules: check that a management-contract recipient is in persistent
            difficulty; off when asking "who could support this trust" of any trust.
        keep_rejected: return rejected pairs too (off for very large instances: eligible arcs only).
        fit_terms: include one column per fit term (off for very large instances: ``fit`` only).
        block: supporters handled at a time, to bound memory; rules are checked before fit is computed.

    Returns:
        One row per pair with ``failed`` (bit mask of ``RULES``; 0 = eligible), ``distance_km``,
        ``units``, the fit terms and ``fit``, ``score`` (points), ``incentive_annual_gbp``,
        ``incentive_term_gbp`` and ``coverage`` (the recipient's coverage weight for this kind).
    """
    table = trusts.set_index("code", drop=False)
    sup_codes, rec_codes, kind_list = list(supporters), list(recipients), list(kinds)
    context = _PairContext(table, classes, settings, as_of, rec_codes, exclusions, recipient_status_rules)
    context.all_supporters = sup_codes
    frames = [context.block(sup_codes[i:i + block], kind_list, keep_rejected, fit_terms)
              for i in range(0, len(sup_codes), block)]
    if not frames:
        return context.block([], kind_list, keep_rejected, fit_terms)
    return pd.concat(frames, ignore_index=True)


class _PairContext:
    """Per-trust arrays shared by every block of supporters (looked up once, indexed per pair)."""

    def __init__(self, table: pd.DataFrame, classes: dict[str, Classification], settings: Settings, as_of: date,
                 rec_codes: list[str], exclusions: Iterable[Exclusion], recipient_status_rules: bool):
        self.table, self.classes, self.settings, self.as_of = table, classes, settings, as_of
        self.rec_codes = rec_codes
        self.exclusions = tuple(exclusions)
        self.status_rules = recipient_status_rules
        self.pct = metric_percentiles(table, settings)
        labels = sorted(SECTOR_GROUPS)
        self.sector_index = {label: i for i, label in enumerate(labels)}
        compatible = _sector_matrix(settings)
        self.compatible = np.array([[compatible(a, b) for b in labels] for a in labels], dtype=bool)
        rec = table.loc[rec_codes]
        self.rec = rec
        self.r_lat, self.r_lon = rec["latitude"].astype(float).to_numpy(), rec["longitude"].astype(float).to_numpy()
        self.r_sector = rec["sector"].map(self.sector_index).to_numpy()
        self.r_region = rec["region"].to_numpy()
        self.r_size = rec["income_gbp"].astype(float).to_numpy()
        self.r_persistent = np.array([classes[c].persistent for c in rec_codes], dtype=bool)
        self.r_severity = np.array([classes[c].severity for c in rec_codes], dtype=float)

    def block(self, sup_codes: list[str], kind_list: list[str], keep_rejected: bool, fit_terms: bool) -> pd.DataFrame:
        s, table = self.settings, self.table
        si, ri, ki = (a.ravel() for a in np.meshgrid(np.arange(len(sup_codes)), np.arange(len(self.rec_codes)),
                                                      np.arange(len(kind_list)), indexing="ij"))
        s_code = np.array(sup_codes, dtype=object)[si]
        r_code = np.array(self.rec_codes, dtype=object)[ri]
        keep = s_code != r_code
        si, ri, ki, s_code, r_code = si[keep], ri[keep], ki[keep], s_code[keep], r_code[keep]
        kind = np.array(kind_list, dtype=object)[ki]
        is_mc = kind == MANAGEMENT_CONTRACT
        sup_rows = table.loc[sup_codes]
        s_lat, s_lon = sup_rows["latitude"].astype(float).to_numpy(), sup_rows["longitude"].astype(float).to_numpy()
        s_sector = sup_rows["sector"].map(self.sector_index).to_numpy()
        s_size_all = sup_rows["income_gbp"].astype(float).to_numpy()

        failed = np.zeros(len(kind), dtype=np.int64)
        role = np.array([self.classes[c].role is Role.SUPPORTER for c in sup_codes], dtype=bool)[si]
        mc_ok = np.array([self.classes[c].mc_supporter for c in sup_codes], dtype=bool)[si]
        persistent = self.r_persistent[ri]
        failed |= np.where(~role, BIT["not_supporter"], 0)
        failed |= np.where(is_mc & ~mc_ok, BIT["not_mc_supporter"], 0)
        if self.status_rules:
            failed |= np.where(is_mc & ~persistent, BIT["recipient_not_persistent"], 0)
        failed |= np.where(~self.compatible[s_sector[si], self.r_sector[ri]], BIT["sector"], 0)
        distance = haversine_km(s_lat[si], s_lon[si], self.r_lat[ri], self.r_lon[ri])
        limit = np.where(is_mc, s.max_distance_km.management_contract, s.max_distance_km.buddy)
        failed |= np.where(np.isnan(distance), BIT["no_location"], 0)
        failed |= np.where(distance > limit, BIT["distance"], 0)
        if s.geography.same_region:
            failed |= np.where(sup_rows["region"].to_numpy()[si] != self.r_region[ri], BIT["same_region"], 0)
        s_size, r_size = s_size_all[si], self.r_size[ri]
        ratio = r_size / s_size
        failed |= np.where(is_mc & np.isnan(ratio), BIT["no_size"], 0)
        failed |= np.where(is_mc & (ratio > s.capacity.max_size_ratio), BIT["size_ratio"], 0)
        failed |= np.where(np.isnan(r_size), BIT["no_income"], 0)
        failed |= _excluded(s_code, r_code, kind, self.exclusions)

        if not keep_rejected:
            rows = failed == 0
            si, ri, kind, is_mc, s_code, r_code = si[rows], ri[rows], kind[rows], is_mc[rows], s_code[rows], r_code[rows]
            failed, distance, ratio, r_size, persistent = failed[rows], distance[rows], ratio[rows], r_size[rows], persistent[rows]
        sup = sup_rows.iloc[si].reset_index(drop=True)
        rec = self.rec.iloc[ri].reset_index(drop=True)
        fit = fit_breakdown(sup, rec, self.pct.loc[sup_codes].iloc[si].reset_index(drop=True),
                            self.pct.loc[self.rec_codes].iloc[ri].reset_index(drop=True), s, self.as_of)
        score_value = fit["fit"].to_numpy() - s.geography.distance_penalty_per_km * np.nan_to_num(distance)
        annual, term = incentive_gbp(kind, r_size, s.incentives)
        mc_units = s.capacity.mc_units * np.ceil(np.nan_to_num(ratio, nan=1.0) - 1e-9).clip(min=1)
        units = np.where(is_mc, mc_units, s.capacity.buddy_units).astype(int)
        severity = self.r_severity[ri]
        coverage = np.where(~is_mc & persistent, severity * s.weights.buddy_for_persistent, severity)
        out = pd.DataFrame({
            "supporter": s_code, "recipient": r_code, "kind": kind, "failed": failed,
            "distance_km": np.round(distance, 1), "units": units,
            "score": np.round(score_value * SCORE_SCALE).astype(np.int64),
            "incentive_annual_gbp": np.round(np.nan_to_num(annual)).astype(np.int64),
            "incentive_term_gbp": np.round(np.nan_to_num(term)).astype(np.int64),
            "coverage": coverage, "size_ratio": np.round(ratio, 2),
        })
        columns = [*term_columns(s), "fit"] if fit_terms else ["fit"]
        out = pd.concat([out, fit[columns].round(3)], axis=1)
        return out if fit_terms else self.compact(out)

    def compact(self, out: pd.DataFrame) -> pd.DataFrame:
        """Small dtypes for very large arc tables (codes as categories; about 40 bytes an arc)."""
        return out.astype({
            "supporter": pd.CategoricalDtype(self.all_supporters), "recipient": pd.CategoricalDtype(self.rec_codes),
            "kind": pd.CategoricalDtype(list(KINDS)), "failed": np.int32, "distance_km": np.float32,
            "units": np.int16, "score": np.int32, "incentive_annual_gbp": np.int64, "incentive_term_gbp": np.int64,
            "coverage": np.float32, "size_ratio": np.float32, "fit": np.float32})


def fit_terms_for(trusts: pd.DataFrame, settings: Settings, as_of: date, supporters: list[str],
                  recipients: list[str]) -> pd.DataFrame:
    """The fit breakdown of aligned (supporter, recipient) pairs, for arcs stored without it."""
    table = trusts.set_index("code", drop=False)
    pct = metric_percentiles(table, settings)
    frame = fit_breakdown(table.loc[supporters].reset_index(drop=True), table.loc[recipients].reset_index(drop=True),
                          pct.loc[supporters].reset_index(drop=True), pct.loc[recipients].reset_index(drop=True),
                          settings, as_of)
    return frame.round(3)


def failed_rules(mask: int) -> list[str]:
    """The rule ids in a ``failed`` bit mask, in ``RULES`` order."""
    return [rule for rule in RULES if mask & BIT[rule]]


def describe_failures(row: pd.Series | dict, trusts: pd.DataFrame, settings: Settings,
                      exclusions: Iterable[Exclusion] = ()) -> str:
    """Plain English for every rule a pair breaks, e.g. "212 km apart, over the 200 km limit for buddying"."""
    table = trusts.set_index("code", drop=False)
    s, r, kind = row["supporter"], row["recipient"], row["kind"]
    s_name, r_name = _short(table, s), _short(table, r)
    texts = []
    for rule in failed_rules(int(row["failed"])):
        if rule == "not_supporter":
            texts.append(f"{s_name} is not a supporter")
        elif rule == "not_mc_supporter":
            texts.append(f"{s_name} may not run management contracts")
        elif rule == "recipient_not_persistent":
            texts.append(f"{r_name} is not in persistent difficulty, so no management contract is offered")
        elif rule == "sector":
            texts.append(f"sectors do not match ({_words(table.at[s, 'sector'])} cannot support "
                         f"{_words(table.at[r, 'sector'])})")
        elif rule == "no_location":
            texts.append("a head-office location is unknown, so the distance cannot be measured")
        elif rule == "distance":
            limit = settings.max_distance_km.management_contract if kind == MANAGEMENT_CONTRACT else \
                settings.max_distance_km.buddy
            texts.append(f"{row['distance_km']:.0f} km apart, over the {limit:g} km limit for {KIND_LABEL[kind]}")
        elif rule == "same_region":
            texts.append(f"different regions ({table.at[s, 'region']} and {table.at[r, 'region']}) "
                         f"and only same-region pairs are allowed")
        elif rule == "no_size":
            texts.append("a size (estimated income) is unknown, so a management contract cannot be sized")
        elif rule == "size_ratio":
            texts.append(f"{r_name} is {row['size_ratio']:.1f} times the size of {s_name}, over the "
                         f"{settings.capacity.max_size_ratio:g} limit for a management contract")
        elif rule == "no_income":
            texts.append(f"{r_name}'s income cannot be estimated, so the incentive cannot be priced")
        elif rule == "excluded":
            why = next((e.reason for e in exclusions if e.supporter == s and e.recipient == r
                        and e.kind in (None, kind)), "ruled out")
            texts.append(f"ruled out: {why}")
    return "; ".join(texts)


def capacity_units(supporters: Iterable[str], settings: Settings, extra: dict[str, int] | None = None) -> dict[str, int]:
    """Each supporter's capacity: the base units plus any extra it declared."""
    extra = extra or {}
    return {s: settings.capacity.base_units + int(extra.get(s, 0)) for s in supporters}


def _sector_matrix(settings: Settings):
    allowed = {(s.value, r.value) for s, rs in settings.sectors.compatible.items() for r in rs}

    def compatible(supporter_sector: str, recipient_sector: str) -> bool:
        return any((a.value, b.value) in allowed
                   for a in SECTOR_GROUPS.get(supporter_sector, ()) for b in SECTOR_GROUPS.get(recipient_sector, ()))
    return compatible


def _excluded(s_code: np.ndarray, r_code: np.ndarray, kind: np.ndarray, exclusions: Iterable[Exclusion]) -> np.ndarray:
    any_kind = {(e.supporter, e.recipient) for e in exclusions if e.kind is None}
    one_kind = {(e.supporter, e.recipient, e.kind) for e in exclusions if e.kind is not None}
    if not any_kind and not one_kind:
        return np.zeros(len(kind), dtype=np.int64)
    hit = [(s, r) in any_kind or (s, r, k) in one_kind for s, r, k in zip(s_code, r_code, kind)]
    return np.where(hit, BIT["excluded"], 0)


def _short(table: pd.DataFrame, code: str) -> str:
    return f"{display_name(table.at[code, 'name'])} ({code})" if code in table.index else code


def _words(sector: str) -> str:
    return sector.replace("_", " ")

