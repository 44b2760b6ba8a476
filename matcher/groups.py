"""Provider groups as the model sees them: trusts that already share leadership (DOMAIN §1, §4).

Built from the groups file and the register. A group counts when two or more of its members are
open English trusts and its arrangement shares leadership (a group or joint chief executive, a
shared chair or board, or an agreed merger); collaboratives and older arrangements (``other``)
are context only. A closed member is mapped to the open member it merged into, and a code the
register does not know is listed in the notes and ignored, never guessed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

#: Arrangements that share leadership, and how they are said in reasons.
LEADERSHIP = {
    "group_joint_ceo": "a group chief executive",
    "joint_ceo_only": "a joint chief executive",
    "merger_planned": "an agreed merger",
    "group_model_shared_chair": "a shared chair",
}
#: Arrangements that are already a long-term management arrangement (no management contract on top).
LONG_TERM = ("group_joint_ceo", "joint_ceo_only", "merger_planned")


@dataclass(frozen=True)
class Group:
    """One group of open English trusts that share leadership."""

    name: str
    arrangement: str
    members: tuple[str, ...]
    since: str | None
    uncertain: bool

    @property
    def leadership(self) -> str:
        """How the members are led together, in words ("a group chief executive")."""
        return LEADERSHIP[self.arrangement]

    @property
    def long_term(self) -> bool:
        """Whether the group is already its members' long-term arrangement (one leader, or a merger)."""
        return self.arrangement in LONG_TERM

    def describe(self) -> str:
        """"the University Hospitals of Northamptonshire group (a group chief executive since 2021-07)"."""
        since = f" since {self.since}" if self.since else ""
        doubt = "; membership or date uncertain" if self.uncertain else ""
        return f"{self.name} ({self.leadership}{since}{doubt})"


@dataclass(frozen=True)
class Groups:
    """Every group the model counts, by member, and the notes on what was mapped or ignored."""

    groups: tuple[Group, ...] = ()
    notes: tuple[str, ...] = ()

    def of(self, code: str) -> tuple[Group, ...]:
        """The groups a trust belongs to (a trust may be in two)."""
        return self._by_member.get(code, ())

    @cached_property
    def _by_member(self) -> dict[str, tuple[Group, ...]]:
        """Each member's groups, in ``groups`` order (built once: the trust table asks for every trust)."""
        found: dict[str, list[Group]] = defaultdict(list)
        for group in self.groups:
            for code in dict.fromkeys(group.members):
                found[code].append(group)
        return {code: tuple(groups) for code, groups in found.items()}

    def shared(self, a: str, b: str) -> Group | None:
        """A group both trusts belong to, if any."""
        return next((g for g in self.groups if a in g.members and b in g.members), None)

    def long_term(self, code: str) -> Group | None:
        """The trust's group that is already its long-term arrangement, if any."""
        return next((g for g in self.of(code) if g.long_term), None)

    def pairs(self) -> set[tuple[str, str]]:
        """Every ordered pair of members of one group."""
        return {(a, b) for g in self.groups for a in g.members for b in g.members if a != b}


def build_groups(table: pd.DataFrame | None, register: pd.DataFrame) -> Groups:
    """The groups the model counts, from the loaded groups file and the register.

    Args:
        table: the groups file as loaded (``ingest.groups``); None when no file is loaded.
        register: the trust register (``ingest.register``), for which codes are open English trusts.
    """
    if table is None or not len(table):
        return Groups()
    english = register[register["country"].eq("England")]
    open_codes = set(english.loc[english["is_open"], "code"])
    closed_codes = set(english.loc[~english["is_open"], "code"])
    notes: list[str] = []
    unknown = sorted(set(table["code"]) - open_codes - closed_codes)
    if unknown:
        notes.append(f"The groups file names {len(unknown)} code(s) that are not English trusts in the register; "
                     f"they were ignored: {', '.join(unknown)}.")
    rows: dict[str, list] = defaultdict(list)
    for row in table.itertuples():
        if row.arrangement in LEADERSHIP:
            rows[row.group_name].append(row)
    groups = []
    for name, members in rows.items():
        open_members = [m.code for m in members if m.code in open_codes]
        for closed in (m.code for m in members if m.code in closed_codes):
            merged_into_one = members[0].arrangement == "merger_planned" and len(open_members) == 1
            successor = open_members[0] if merged_into_one else None
            notes.append(f"{closed} in '{name}' is closed" + (f"; it is now part of {successor}." if successor
                                                                 else "; it was left out."))
        if len(set(open_members)) < 2:
            if open_members:
                notes.append(f"'{name}' has one open member ({open_members[0]}), so it is a single trust now, "
                             f"not a group.")
            continue
        arrangement = members[0].arrangement
        since = next((m.since for m in members if m.since), None)
        uncertain = any(m.confidence == "uncertain" for m in members)
        groups.append(Group(name, arrangement, tuple(dict.fromkeys(open_members)), since, uncertain))
    return Groups(tuple(groups), tuple(notes))
