"""Estimated annual income (DOMAIN §5): the size measure behind incentives and capacity.

No per-trust income file exists, so income is estimated, and every estimate carries the
method and the figures used so that screens and exports can say so.
"""
from __future__ import annotations

import pandas as pd

from .settings import Incentives

NCC_COST = "ncc_cost"
WORKFORCE = "workforce_fte"
NONE = "none"


def estimate_income(trusts: pd.DataFrame, rules: Incentives) -> pd.DataFrame:
    """Estimate each trust's income from its cost, else its workforce, else not at all.

    Args:
        trusts: a frame with ``ncc_cost_gbp_m``, ``cost_year`` and ``workforce_fte_reported``.
        rules: the ``incentives`` section of the settings.

    Returns:
        A frame indexed like ``trusts`` with ``income_gbp`` (missing when it cannot be
        estimated), ``income_method`` and ``income_basis`` (a sentence showing the sum).
    """
    cost = trusts["ncc_cost_gbp_m"].astype("Float64")
    fte = trusts["workforce_fte_reported"].astype("Float64") * rules.fte_correction
    by_cost = cost * 1_000_000 / rules.cost_to_income_ratio
    by_fte = fte * rules.income_per_fte_gbp
    income = by_cost.where(cost.notna(), by_fte)
    method = pd.Series(NONE, index=trusts.index, dtype=object)
    method[fte.notna()] = WORKFORCE
    method[cost.notna()] = NCC_COST
    basis = [
        _basis(m, c, y, f, r, rules)
        for m, c, y, f, r in zip(method, cost, trusts["cost_year"], fte, trusts["workforce_fte_reported"], strict=True)
    ]
    return pd.DataFrame({"income_gbp": income, "income_method": method, "income_basis": basis}, index=trusts.index)


def _basis(method: str, cost: float, year: str, fte: float, reported: float, rules: Incentives) -> str:
    """Say how one trust's income was estimated, with the figures."""
    if method == NCC_COST:
        return (f"estimated income: National Cost Collection {year} total cost £{cost:,.1f}m "
                f"divided by {rules.cost_to_income_ratio:g} (cost is not income)")
    if method == WORKFORCE:
        return (f"estimated income: {fte:,.0f} FTE (reported {reported:,.0f}, times {rules.fte_correction:g} "
                f"because the column is doubled) times £{rules.income_per_fte_gbp:,.0f} per FTE")
    return "cannot be priced: no cost figure and no workforce figure"
