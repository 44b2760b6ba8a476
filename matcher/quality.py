"""Plan quality (DOMAIN §6.1): would a regulator sign this plan? Figures from the plan and the data alone.

Measured against the partnerships on record (2013-2018): every supporter was a general acute trust
of the recipient's own peer group; the median distance was 48 km with 59% of pairs within 80 km;
most supporters took one recipient, and the two that took two had them 36-45 km apart; no pair
was inside an existing group.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from statistics import median

import pandas as pd

from .domain import Pair
from .geography import haversine_km
from .peers import peer_groups_in
from .result import ON_RECORD, Quality

NEAR_KM = 80

__all__ = ["FIGURES", "ON_RECORD", "Quality", "figure_text", "plan_quality", "worse_figures"]


def plan_quality(pairs: list[Pair], distance_km: list[float], trusts: pd.DataFrame) -> Quality:
    """The quality figures of a plan's pairs (with each pair's distance), from the trust table."""
    table = trusts.set_index("code")
    n = len(pairs)
    peers = {c: set(peer_groups_in(v)) for c, v in table["peer_groups"].items()} if "peer_groups" in table else {}
    same = [bool(peers.get(p.supporter, set()) & peers.get(p.recipient, set())) for p in pairs]
    outside = tuple(str(p) for p, s in zip(pairs, same, strict=True) if not s)
    groups = {c: set(str(v).split(" · ")) for c, v in table["groups"].items() if isinstance(v, str)} \
        if "groups" in table else {}
    inside = sum(bool(groups.get(p.supporter, set()) & groups.get(p.recipient, set())) for p in pairs)
    income = table["income_gbp"].astype(float) if "income_gbp" in table else pd.Series(dtype=float)
    served: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        served[p.supporter].append(p.recipient)
    spread, spread_at = _largest_spread(served, table)
    ratios = [(float(income.get(p.recipient, float("nan"))) / float(income.get(p.supporter, float("nan"))), str(p))
              for p in pairs]
    ratios = [r for r in ratios if r[0] == r[0]]
    loads = [(sum(float(income.get(r, 0.0)) for r in rs) / float(income.get(s, float("nan"))), s)
             for s, rs in served.items()]
    loads = [r for r in loads if r[0] == r[0]]
    size = max(ratios, default=(0.0, None))
    load = max(loads, default=(0.0, None))
    return Quality(
        pairs=n, share_same_peer_group=round(sum(same) / n, 3) if n else 1.0,
        median_distance_km=round(median(distance_km), 1) if n else 0.0,
        share_within_80km=round(sum(d <= NEAR_KM for d in distance_km) / n, 3) if n else 0.0,
        recipients_per_supporter={str(k): v for k, v in sorted(Counter(len(r) for r in served.values()).items())},
        largest_corecipient_km=spread, largest_corecipient_supporter=spread_at, pairs_inside_group=inside,
        largest_size_ratio=round(size[0], 2), largest_size_ratio_pair=size[1],
        largest_load_ratio=round(load[0], 2), largest_load_ratio_supporter=load[1], outside_past_practice=outside)


def _largest_spread(served: dict[str, list[str]], table: pd.DataFrame) -> tuple[float, str | None]:
    """The largest distance between two recipients of one supporter, and that supporter."""
    best: tuple[float, str | None] = (0.0, None)
    for supporter, recipients in served.items():
        for i, a in enumerate(recipients):
            for b in recipients[i + 1:]:
                d = float(haversine_km(table.at[a, "latitude"], table.at[a, "longitude"],
                                       table.at[b, "latitude"], table.at[b, "longitude"]))
                if d == d and d > best[0]:
                    best = (round(d, 1), supporter)
    return best


#: The §6.1 figures a lever can make worse: (field, what a page calls it, True when higher is worse, unit).
FIGURES = (
    ("share_same_peer_group", "pairs within one peer group", False, "share"),
    ("median_distance_km", "median distance", True, "km"),
    ("share_within_80km", "pairs within 80 km", False, "share"),
    ("largest_corecipient_km", "largest distance between two recipients of one supporter", True, "km"),
    ("pairs_inside_group", "pairs inside a group", True, "count"),
    ("largest_size_ratio", "largest size ratio", True, "ratio"),
    ("largest_load_ratio", "largest load ratio", True, "ratio"),
)


def figure_text(value: float, unit: str) -> str:
    """A quality figure as a page shows it: ``96 km``, ``39%``, ``1.4``, ``0``."""
    if unit == "share":
        return f"{value:.0%}"
    if unit == "km":
        return f"{value:.0f} km"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:g}"


def worse_figures(base: Quality, other: Quality) -> tuple[tuple[str, str, str], ...]:
    """The quality figures that are worse in ``other`` than in ``base``: (what, before, after) in words.

    More pairs outside past practice counts as worse too.
    """
    out = []
    for name, label, higher_is_worse, unit in FIGURES:
        before, after = float(getattr(base, name)), float(getattr(other, name))
        worse = (after > before) if higher_is_worse else (after < before)
        if worse and figure_text(before, unit) != figure_text(after, unit):  # not a change the page cannot show
            out.append((label, figure_text(before, unit), figure_text(after, unit)))
    if len(other.outside_past_practice) > len(base.outside_past_practice):
        out.append(("pairs outside past practice", str(len(base.outside_past_practice)),
                    str(len(other.outside_past_practice))))
    return tuple(out)
