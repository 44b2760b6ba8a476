"""Plain text for the command line: fixed-width tables, and the plan as a report."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..domain import display_name
from ..result import Plan, Quality


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 48) -> str:
    """Rows under headings, each column as wide as its widest cell (cut at ``max_width``)."""
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(out)


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def render_plan(plan: Plan, trusts: pd.DataFrame) -> str:
    """The plan as a readable text report."""
    names = trusts.set_index("code")["name"].map(display_name).to_dict()
    obj = plan.objective
    lines = [f"Plan ({plan.status}): {len(plan.pairs)} partnerships, {len(plan.uncovered)} recipients uncovered; "
             f"coverage {obj.coverage:g}, score {obj.score:,} points, annual incentives "
             f"£{obj.spend / 1e6:,.2f}m of £{plan.budget_annual_gbp / 1e6:,.1f}m.",
             "Stages: " + "; ".join(f"{s.name} {s.status.lower()} (gap {s.gap:.2%}, {s.seconds:.2f} s)"
                                    for s in plan.stages), ""]
    if plan.tolerance_note:
        lines[2:2] = [plan.tolerance_note]
    rows = [(p.recipient, names.get(p.recipient, p.recipient), p.supporter, names.get(p.supporter, p.supporter),
             p.kind.replace("_", " ") + (" *" if p.outside_past_practice else ""), f"{p.distance_km:.0f}",
             f"{p.fit:.2f}", p.score, f"£{p.incentive_annual_gbp / 1e6:.2f}m") for p in plan.pairs]
    lines.append(render_table(["recipient", "", "supporter", "", "kind", "km", "fit", "score", "a year"], rows,
                              max_width=36))
    if plan.quality is not None:
        lines += ["", *quality_lines(plan.quality)]
    if plan.uncovered:
        lines += ["", "Uncovered:"]
        lines += [f"  {u.recipient} {names.get(u.recipient, u.recipient)} (severity {u.severity:g}): {u.reasons[0]}"
                  for u in plan.uncovered]
    if plan.changes is not None:
        lines += ["", f"Changes to pending offers ({len(plan.changes)}):"]
        lines += [f"  {c.recipient}: {c.from_supporter} ({c.from_kind.replace('_', ' ')}) -> "
                  f"{c.to_supporter or 'uncovered'}" for c in plan.changes]
    return "\n".join(lines)


def quality_lines(q: Quality) -> list[str]:
    """The plan's quality figures against the partnerships on record (DOMAIN §6.1), as report lines."""
    spread = ", ".join(f"{n} with {k}" for k, n in q.recipients_per_supporter.items()) or "none"
    lines = [
        "Quality (against the partnerships on record, 2013-2018):",
        f"  pairs within one peer group: {q.share_same_peer_group:.0%} (on record: 100%)",
        f"  median distance: {q.median_distance_km:.0f} km "
        f"(on record: {q.past_practice['median_distance_km']:.0f} km); "
        f"within 80 km: {q.share_within_80km:.0%} (on record: {q.past_practice['share_within_80km']:.0%})",
        f"  supporters by recipients taken: {spread}; the largest distance between two recipients of one "
        f"supporter: {q.largest_corecipient_km:.0f} km"
        + (f" ({q.largest_corecipient_supporter})" if q.largest_corecipient_supporter else ""),
        f"  pairs inside an existing group: {q.pairs_inside_group} (must be 0)",
        f"  largest recipient-to-supporter size: {q.largest_size_ratio:.2f} times"
        + (f" ({q.largest_size_ratio_pair})" if q.largest_size_ratio_pair else "")
        + f"; largest load: {q.largest_load_ratio:.2f} times the supporter's income"
        + (f" ({q.largest_load_ratio_supporter})" if q.largest_load_ratio_supporter else ""),
    ]
    if q.outside_past_practice:
        lines.append(f"  * outside past practice (a supporter from another peer group): "
                     f"{', '.join(q.outside_past_practice)}")
    return lines
