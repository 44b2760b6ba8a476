"""What every eligibility rule is given and what it must say.

An eligibility rule decides, for every (supporter, recipient, kind) pair at once, whether the
pair breaks it, and owns every sentence about it: the rejection shown beside a pair, its part
in "no supporter is eligible", what would change an uncovered recipient's fate, and the name
of its relaxation in an infeasibility diagnosis. ``PairFacts`` are the per-pair arrays a
check reads; ``Words`` turns codes into the names people read.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, TypeAlias

import numpy as np
import pandas as pd

from ..domain import Exclusion, Kind, display_name
from ..settings import Settings

#: One rejected or possible pair as explanations read it (a table row or its dict).
Row: TypeAlias = Mapping[str, Any] | pd.Series


@dataclass(frozen=True)
class PairFacts:
    """Aligned arrays, one entry per pair, that the rules check (nothing is looked up per pair)."""

    settings: Settings
    supporter: np.ndarray           # codes
    recipient: np.ndarray           # codes
    kind: np.ndarray                # Kind values as text
    is_supporter: np.ndarray        # the supporter side is classified a supporter
    is_mc_supporter: np.ndarray     # ... and may run management contracts
    recipient_persistent: np.ndarray
    peers_allowed: np.ndarray       # the supporter's peer group may support the recipient's (``peer_groups``)
    peers_shared: np.ndarray        # the two trusts share a peer group (False: across peer groups)
    same_group: np.ndarray          # both trusts are members of one group
    recipient_long_term_group: np.ndarray  # the recipient's group has a group chief executive or a merger
    distance_km: np.ndarray         # NaN where a location is unknown
    same_region: np.ndarray
    supporter_income: np.ndarray    # NaN where its size is unknown
    recipient_income: np.ndarray    # NaN where it cannot be estimated
    exclusions: tuple[Exclusion, ...] = ()
    recipient_status_rules: bool = True
    score: np.ndarray | None = None  # points; known only once the fit is computed (rules with ``needs_score``)

    @cached_property
    def is_mc(self) -> np.ndarray:
        """Which pairs are management contracts (worked out once: every rule about kinds reads it)."""
        return self.kind == Kind.MANAGEMENT_CONTRACT

    @property
    def size_ratio(self) -> np.ndarray:
        """Recipient income over supporter income (NaN where either is unknown)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.recipient_income / self.supporter_income

    def distance_limit(self) -> np.ndarray:
        """Each pair's distance limit, by kind."""
        limits = self.settings.max_distance_km
        return np.where(self.is_mc, limits.management_contract, limits.buddy)

    def size_limit(self) -> np.ndarray:
        """Each pair's size-ratio limit, by kind."""
        limits = self.settings.max_size_ratio
        return np.where(self.is_mc, limits.management_contract, limits.buddy)


class Words:
    """Names and facts of trusts, in the form explanations print them."""

    def __init__(self, trusts: pd.DataFrame, settings: Settings, exclusions: Sequence[Exclusion] = ()):
        self.table = trusts.set_index("code", drop=False) if "code" in trusts.columns else trusts
        self.settings = settings
        self.exclusions = tuple(exclusions)

    def trust(self, code: str) -> str:
        """"Display Name (CODE)", or the bare code of a trust not in the table."""
        if code in self.table.index:
            return f"{display_name(self.table.at[code, 'name'])} ({code})"
        return code

    def sector(self, code: str) -> str:
        """The trust's sector in words ("mental health and community")."""
        return str(self.table.at[code, "sector"]).replace("_", " ")

    def region(self, code: str) -> str:
        """The trust's NHS England region."""
        return str(self.table.at[code, "region"])

    def peer_group(self, code: str) -> str:
        """The trust's peer group in words ("general acute"), or "no known peer group"."""
        group = self.table.at[code, "peer_group"] if "peer_group" in self.table.columns else None
        return str(group).replace("_", " ") if isinstance(group, str) else "no known peer group"

    def peer_groups(self, code: str) -> tuple[str, ...]:
        """Every peer group the trust matches as (a combined trust matches two)."""
        cell = self.table.at[code, "peer_groups"] if "peer_groups" in self.table.columns else None
        return tuple(cell.split("|")) if isinstance(cell, str) and cell else ()

    def groups_of(self, code: str) -> list[str]:
        """The names of the groups the trust belongs to."""
        cell = self.table.at[code, "groups"] if "groups" in self.table.columns else None
        return cell.split(" · ") if isinstance(cell, str) else []

    def shared_group(self, a: str, b: str) -> str | None:
        """The name of a group both trusts belong to, if any."""
        return next((g for g in self.groups_of(a) if g in self.groups_of(b)), None)

    def size_limit(self, kind: str) -> float:
        """The size-ratio limit for a kind of partnership."""
        return limit_for(self.settings.max_size_ratio, kind)

    def distance_limit(self, kind: str) -> float:
        """The distance limit for a kind of partnership, in km."""
        return limit_for(self.settings.max_distance_km, kind)


def limit_for(limits: Any, kind: str) -> float:
    """A per-kind limit (a section with ``buddy`` and ``management_contract``) for one kind."""
    return float(limits.management_contract if kind == Kind.MANAGEMENT_CONTRACT else limits.buddy)


class EligibilityRule:
    """One rule a pair may break. Subclasses set ``id`` and write ``check`` and ``reject``.

    Attributes:
        id: the rule's name in data and in the ``failed_rules`` of the CLI's JSON.
        not_an_option: when broken, the kind is simply not on offer for the pair (it is not
            shown among a recipient's alternatives).
        relaxable: an infeasibility diagnosis may propose lifting this rule for a recipient.
        needs_score: the rule reads the pair's score, so it is checked once the fit is known
            (``rules.check_scored``), on the pairs every other rule allows.
    """

    id: ClassVar[str]
    not_an_option: ClassVar[bool] = False
    relaxable: ClassVar[bool] = False
    needs_score: ClassVar[bool] = False

    def check(self, facts: PairFacts) -> np.ndarray:
        """Which pairs break the rule (a Boolean array aligned with ``facts``)."""
        raise NotImplementedError

    def reject(self, row: Row, words: Words) -> str:
        """Why this pair breaks the rule, in plain English ("212 km apart, over the 200 km limit ...")."""
        raise NotImplementedError

    def what_would_change(self, nearest: Row, words: Words) -> str | None:
        """For a recipient whose best option breaks only this rule: what change would make it eligible."""
        return None

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """How a policy officer would name lifting this rule for a recipient and kind."""
        raise NotImplementedError(f"the {self.id} rule cannot be relaxed")
