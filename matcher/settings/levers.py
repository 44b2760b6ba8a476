"""Policy levers (DOMAIN §6.2): the built-in ones, those a policy officer adds (``levers``), and moving one a notch.

A lever is one change to the configuration. The built-in levers are the questions a regulator
asks when general acute supply binds; a scenario adds its own under ``levers``: any number or
yes/no key of the configuration and its notch. Each is checked when the configuration is read,
like every other key: the key must exist and be a number or a yes/no, a number needs a notch,
and the moved value must itself be a valid configuration.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ..domain import PeerGroup
from ..errors import ConfigProblem, excerpt
from .sections import _Section

_KEY = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


class Lever(_Section):
    """A lever a policy officer adds (``levers[]``): a number or yes/no key of this configuration and its notch."""

    key: str = Field(min_length=1, max_length=120)
    """The configuration key to move, such as ``capacity.max_load_ratio`` (a number) or ``geography.same_region`` (a yes/no)."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    notch: float | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    """How far to move a number key (added to it; -1,000,000 to 1,000,000); leave out for a yes/no key, which is switched."""  # noqa: E501  the key's one-line description, shown whole in the docs and the form
    label: str = Field(default="", max_length=120)
    """What the lever is called on the page (default: the key and its notch)."""


@dataclass(frozen=True)
class Move:
    """One lever moved one notch: its id, what the page calls it, and the key paths it sets to new values."""

    id: str
    label: str
    changes: tuple[tuple[str, Any], ...]
    flag: str = ""

    @property
    def change_text(self) -> str:
        """``capacity.units_by_band: [1, 2, 4]``: what the lever sets, for the page and the spreadsheet."""
        return "; ".join(f"{key}: {_text(value)}" for key, value in self.changes)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def builtin_moves(raw: dict[str, Any]) -> list[Move]:
    """The levers of DOMAIN §6.2 for a configuration (as ``model_dump(mode='json')``), each one notch on.

    A lever already at its notch (segment 3 already supports, the group rule already off) is left out.
    """
    moves = []
    segments = raw["segments"]
    if 3 not in segments["supporter"] and 3 not in segments["supporter_with_good_rating"]:
        moves.append(Move("segment_3_supporters", "Supporters from segment 3 with a recent Good rating",
                          (("segments.supporter_with_good_rating",
                            sorted({*segments["supporter_with_good_rating"], 3})),)))
    may = raw["peer_groups"]["may_support"]
    specialist, general = PeerGroup.SPECIALIST_ACUTE.value, PeerGroup.GENERAL_ACUTE.value
    if general not in may.get(specialist, []):
        moves.append(Move("specialist_to_general", "Specialist trusts may support general acute trusts",
                          ((f"peer_groups.may_support.{specialist}", [*may.get(specialist, []), general]),),
                          flag="outside past practice: buddying only, and each such pair is flagged"))
    units = list(raw["capacity"]["units_by_band"])
    if units[-1] < 20:
        moves.append(Move("largest_capacity", "Capacity of the largest supporters +1",
                          (("capacity.units_by_band", [*units[:-1], units[-1] + 1]),)))
    buddy_km = raw["max_distance_km"]["buddy"]
    if buddy_km + 50 <= 1000:
        moves.append(Move("buddy_distance", "Buddying distance +50 km", (("max_distance_km.buddy", buddy_km + 50),)))
    spread = raw["geography"]["max_corecipient_km"]
    if spread + 50 <= 1000:
        moves.append(Move("spread", "Spread between one supporter's recipients +50 km",
                          (("geography.max_corecipient_km", spread + 50),)))
    budget = raw["incentives"]["annual_budget_gbp_m"]
    if 0 < budget <= 9000:
        moves.append(Move("budget", "Budget +10%", (("incentives.annual_budget_gbp_m", round(budget * 1.1, 4)),)))
    if not raw["groups"]["allow_mc_in_group"]:
        moves.append(Move("group_rule", "The group rule off (management contracts inside a group allowed)",
                          (("groups.allow_mc_in_group", True),)))
    return moves


def custom_move(raw: dict[str, Any], lever: Lever, index: int) -> Move | ConfigProblem:
    """The move of a lever a policy officer added, or the problem with it (located at ``levers[i]``)."""
    where = f"levers[{index}]"
    if not _KEY.match(lever.key):
        return ConfigProblem(f"{where}.key", f"must be a configuration key such as capacity.max_load_ratio, "
                                                   f"got {excerpt(lever.key)}")
    value: Any = raw
    for part in lever.key.split("."):
        if not isinstance(value, dict) or part not in value:
            return ConfigProblem(f"{where}.key", f"'{lever.key}' is not a key of the configuration")
        value = value[part]
    if isinstance(value, bool):
        if lever.notch is not None:
            return ConfigProblem(f"{where}.notch", f"must be left out: {lever.key} is a yes/no key, "
                                                         "which the lever switches")
        new: Any = not value
        words = f"{lever.key} {'on' if new else 'off'}"
    elif isinstance(value, (int, float)):
        if lever.notch is None or lever.notch == 0:
            return ConfigProblem(f"{where}.notch", f"is required and not 0: {lever.key} is a number")
        new = value + lever.notch
        if isinstance(value, int) and float(lever.notch).is_integer():
            new = int(new)
        words = f"{lever.key} {'+' if lever.notch > 0 else ''}{lever.notch:g}"
    else:
        return ConfigProblem(f"{where}.key", f"{lever.key} is not a number or a yes/no, so it has no notch")
    return Move(f"custom_{index + 1}", lever.label or words, ((lever.key, new),))


def moved(raw: dict[str, Any], move: Move) -> dict[str, Any]:
    """A copy of the configuration data with the lever's changes made (key paths through mappings)."""
    out = copy.deepcopy(raw)
    for key, value in move.changes:
        *parents, last = key.split(".")
        target = out
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return out
