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
    sectors_compatible: np.ndarray  # the sectors may be paired (config ``sectors.compatible``)
    distance_km: np.ndarray         # NaN where a location is unknown
    same_region: np.ndarray
    size_ratio: np.ndarray          # recipient income / supporter income; NaN where unknown
    recipient_income: np.ndarray    # NaN where it cannot be estimated
    exclusions: tuple[Exclusion, ...] = ()
    recipient_status_rules: bool = True

    @property
    def is_mc(self) -> np.ndarray:
        """Which pairs are management contracts."""
        return self.kind == Kind.MANAGEMENT_CONTRACT

    def distance_limit(self) -> np.ndarray:
        """Each pair's distance limit, by kind."""
        limits = self.settings.max_distance_km
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

    def distance_limit(self, kind: str) -> float:
        """The distance limit for a kind of partnership, in km."""
        limits = self.settings.max_distance_km
        return limits.management_contract if kind == Kind.MANAGEMENT_CONTRACT else limits.buddy


class EligibilityRule:
    """One rule a pair may break. Subclasses set ``id`` and write ``check`` and ``reject``.

    Attributes:
        id: the rule's name in data and in the ``failed_rules`` of the CLI's JSON.
        not_an_option: when broken, the kind is simply not on offer for the pair (it is not
            shown among a recipient's alternatives).
        relaxable: an infeasibility diagnosis may propose lifting this rule for a recipient.
        summary_rank: where the rule's count appears in "No supporter is eligible: ..." (None:
            it is not counted there).
    """

    id: ClassVar[str]
    not_an_option: ClassVar[bool] = False
    relaxable: ClassVar[bool] = False
    summary_rank: ClassVar[int | None] = None

    def check(self, facts: PairFacts) -> np.ndarray:
        """Which pairs break the rule (a Boolean array aligned with ``facts``)."""
        raise NotImplementedError

    def reject(self, row: Row, words: Words) -> str:
        """Why this pair breaks the rule, in plain English ("212 km apart, over the 200 km limit ...")."""
        raise NotImplementedError

    def summary(self, buddy_options: pd.DataFrame, words: Words, bits: Mapping[str, int]) -> str | None:
        """This rule's part of "No supporter is eligible: of N supporters, ..." (None: nothing to say).

        ``buddy_options`` are every supporter's buddying option for one recipient, with ``failed`` masks.
        """
        count = int(((buddy_options["failed"] & bits[self.id]) != 0).sum())
        return f"{count} {self.summary_words}" if count else None

    #: The words after the count in the summary ("are in another region").
    summary_words: ClassVar[str] = ""

    def what_would_change(self, nearest: Row, words: Words) -> str | None:
        """For a recipient whose best option breaks only this rule: what change would make it eligible."""
        return None

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """How a policy officer would name lifting this rule for a recipient and kind."""
        raise NotImplementedError(f"the {self.id} rule cannot be relaxed")
