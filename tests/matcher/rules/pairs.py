"""One pair's facts for testing a rule alone: an eligible buddying unless a test says otherwise."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matcher.domain import Exclusion
from matcher.rules import BIT, BY_ID, PairFacts, Words
from matcher.settings import Settings, parse_settings

#: A supporter (RSS, 1.2bn) and a recipient (RRR, 0.6bn) 50 km apart in one region: every rule passes.
DEFAULTS: dict[str, Any] = {
    "kind": "buddy", "is_supporter": True, "is_mc_supporter": True, "recipient_persistent": True,
    "peers_allowed": True, "peers_shared": True, "same_group": False, "recipient_long_term_group": False,
    "distance_km": 50.0, "same_region": True,
    "supporter_income": 1.2e9, "recipient_income": 6e8,
}

TRUSTS = pd.DataFrame({
    "code": ["RSS", "RRR"], "name": ["SUPPORTING HOSPITALS NHS TRUST", "RECEIVING HOSPITALS NHS TRUST"],
    "sector": ["acute", "acute"], "region": ["Midlands", "London"], "peer_group": ["general_acute", "general_acute"],
    "peer_groups": ["general_acute", "general_acute"],
    "groups": ["Example Hospitals Group", "Example Hospitals Group"],
})


def facts(settings: Settings | None = None, exclusions: tuple[Exclusion, ...] = (), **overrides: Any) -> PairFacts:
    """The facts of the pair RSS -> RRR with ``overrides``."""
    values = DEFAULTS | overrides
    score = values.pop("score", None)
    arrays = {k: np.array([v], dtype=object if k == "kind" else None) for k, v in values.items()}
    arrays["score"] = score
    return PairFacts(settings=settings or Settings(), supporter=np.array(["RSS"], dtype=object),
                     recipient=np.array(["RRR"], dtype=object), exclusions=exclusions, **arrays)


def breaks(rule_id: str, settings: Settings | None = None, **overrides: Any) -> bool:
    """Whether the pair breaks the rule."""
    return bool(BY_ID[rule_id].check(facts(settings, **overrides))[0])


def reject(rule_id: str, settings: Settings | None = None, exclusions: tuple[Exclusion, ...] = (),
           **row: Any) -> str:
    """The rule's rejection of the pair RSS -> RRR, with the row's figures."""
    base = {"supporter": "RSS", "recipient": "RRR", "kind": "buddy", "distance_km": 212.0, "size_ratio": 2.5,
            "failed": BIT[rule_id]}
    return BY_ID[rule_id].reject(base | row, Words(TRUSTS, settings or Settings(), exclusions))


def config(text: str) -> Settings:
    """Settings from YAML text."""
    return parse_settings(text)
