"""Why no supporter is eligible for a recipient, in a regulator's words: the first rule that leaves none (DOMAIN §6.2).

The supporters are narrowed rule by rule in the order a regulator reasons: its own peer group,
not its own group, within the distance limit, in its region (when that rule is on), large enough,
and not ruled out. The first step that leaves nobody is the binding reason, named with the trust
that came closest ("no general acute supporter within 200 km is large enough: the largest, ...").
"""
from __future__ import annotations

import math

import pandas as pd

from .. import rules
from ..domain import Kind

#: The funnel: (the rules a step removes, the step's name). Order is the order a regulator reasons in.
_STEPS = (
    (("peer_group",), "peer"),
    (("same_group",), "group"),
    (("no_location", "distance"), "distance"),
    (("same_region",), "region"),
    (("supporter_size", "size_ratio", "overload"), "size"),
    (("low_score",), "score"),
    (("excluded",), "excluded"),
)


def no_eligible_reasons(options: pd.DataFrame, words: rules.Words, recipient: str) -> list[str]:
    """The binding reason a recipient has no eligible supporter, then what would change it."""
    buddy = options[options["kind"].astype(str).eq(Kind.BUDDY)]
    if not len(buddy):
        return ["No supporter is eligible: there are no supporters in this plan."]
    if (buddy["failed"] & rules.BIT["no_income"]).all():
        return ["Its income cannot be estimated (no National Cost Collection cost or workforce figure), so no "
                "partnership can be priced."]
    group = words.peer_group(recipient)
    left = buddy
    for step_rules, step in _STEPS:
        mask = sum(rules.BIT[r] for r in step_rules)
        passing = left[(left["failed"] & mask) == 0]
        if len(passing):
            left = passing
            continue
        return [_sentence(step, left, words, recipient, group, len(buddy)), *_what_would_change(step, left, words)]
    return ["No supporter is eligible."]


def _sentence(step: str, left: pd.DataFrame, words: rules.Words, recipient: str, group: str, total: int) -> str:
    """The binding reason at the step that left no supporter (``left``: those that passed every step before)."""
    limit = words.distance_limit(Kind.BUDDY)
    if step == "peer":
        gap = _unsegmented(words, recipient)
        if gap:
            return (f"No {group} trust qualifies as a supporter: {gap}, and every supporter on record supported a "
                    f"trust of its own peer group.")
        return (f"No {group} supporter exists: none of the {total} supporters is {_a(group)} {group} trust, and "
                f"every supporter on record supported a trust of its own peer group.")
    if step == "group":
        names = ", ".join(words.trust(s) for s in left["supporter"].astype(str))
        shared = words.shared_group(str(left["supporter"].iloc[0]), recipient) or "its group"
        return (f"The only {group} supporters ({names}) are in its own group, {shared}, so they already share "
                f"leadership.")
    if step == "distance":
        nearest = left.sort_values("distance_km").iloc[0]
        where = (f"the nearest, {words.trust(nearest['supporter'])}, is {nearest['distance_km']:.0f} km away"
                 if not math.isnan(nearest["distance_km"]) else "no location is known")
        return f"No {group} supporter is within {limit:g} km: {where}."
    if step == "region":
        return (f"No {group} supporter within {limit:g} km is in its region ({words.region(recipient)}), and only "
                f"same-region pairs are allowed.")
    if step == "size":
        known = left[left["size_ratio"].notna()]
        if not len(known):
            return f"No {group} supporter within {limit:g} km has a known size, so none can take it on."
        largest = known.sort_values("size_ratio").iloc[0]
        needed = 1 / min(words.size_limit(Kind.BUDDY), words.settings.capacity.max_load_ratio)
        return (f"No {group} supporter within {limit:g} km is large enough: the largest, "
                f"{words.trust(largest['supporter'])}, is {1 / largest['size_ratio']:.1f} times its size, and a "
                f"buddying needs a supporter at least {needed:.2f} times its size.")
    if step == "score":
        best = left.sort_values("score", ascending=False).iloc[0]
        return (f"No {group} supporter within {limit:g} km and large enough is worth the distance: the best, "
                f"{words.trust(best['supporter'])}, {best['distance_km']:.0f} km away, scores {int(best['score']):,} "
                f"points (fit {float(best['fit']):.2f}), under the minimum of "
                f"{words.settings.geography.min_pair_score:,}.")
    reasons = "; ".join(dict.fromkeys(rules.describe(row, words) for _, row in left.iterrows()))
    return f"Every {group} supporter within reach is ruled out: {reasons}."


def _what_would_change(step: str, left: pd.DataFrame, words: rules.Words) -> list[str]:
    """The smallest change of the binding rule that would make the closest supporter eligible."""
    if step == "distance":
        alone = left[left["failed"].eq(rules.BIT["distance"])]
        if len(alone):
            text = rules.BY_ID["distance"].what_would_change(alone.sort_values("distance_km").iloc[0], words)
            return [text] if text else []
    if step == "score":
        alone = left[left["failed"].eq(rules.BIT["low_score"])]
        if len(alone):
            text = rules.BY_ID["low_score"].what_would_change(alone.sort_values("score").iloc[-1], words)
            return [text] if text else []
    if step == "size":
        alone = left[left["failed"].eq(rules.BIT["size_ratio"]) | left["failed"].eq(
            rules.BIT["size_ratio"] | rules.BIT["overload"]) | left["failed"].eq(rules.BIT["overload"])]
        if len(alone):
            best = alone.sort_values("size_ratio").iloc[0]
            return [f"What would change it: a size limit of {math.ceil(best['size_ratio'] * 10) / 10:g} times the "
                    f"supporter's income (buddying and the load limit) would make {words.trust(best['supporter'])} "
                    f"eligible; that is a policy choice, as the limit guards against overstretch."]
    return []


def _a(word: str) -> str:
    """"a" or "an" before a word."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _unsegmented(words: rules.Words, recipient: str) -> str:
    """"the other 9 ambulance trusts have no oversight segment in this data (...)", when a data gap may be why."""
    table = words.table
    if "segment" not in table.columns or "peer_groups" not in table.columns:
        return ""
    mine = set(words.peer_groups(recipient))
    peers = [c for c, cell in table["peer_groups"].items()
             if c != recipient and isinstance(cell, str) and mine & set(cell.split("|"))]
    missing = [c for c in peers if pd.isna(table.at[c, "segment"])]
    if not missing:
        return ""
    group, n = words.peer_group(recipient), len(missing)
    who = f"the other {n} {group} trusts have" if n == len(peers) and n > 1 else \
        f"{n} other {group} trust{'s have' if n != 1 else ' has'}"
    return f"{who} no oversight segment in this data (a gap in the data, not proof that none could help)"
