"""Who may support whom by peer group (config ``peer_groups.may_support``; DOMAIN §4).

Every supporter on record was a general acute trust; by default each peer group supports only its
own. When a scenario lets one peer group support another, such pairs are buddying only and every
screen flags them as outside past practice.
"""
from __future__ import annotations

import numpy as np

from ..settings import Settings
from .base import EligibilityRule, PairFacts, Row, Words

#: What a pair across two peer groups is called wherever it is shown.
OUTSIDE_PAST_PRACTICE = "outside past practice: no supporter on record supported another peer group"


class PeerGroup(EligibilityRule):
    """The supporter's peer group must be allowed to support the recipient's; across peer groups, buddying only."""

    id = "peer_group"
    not_an_option = True

    def check(self, facts: PairFacts) -> np.ndarray:
        """Pairs whose peer groups may not support each other, and management contracts across peer groups."""
        return ~facts.peers_allowed | (facts.is_mc & ~facts.peers_shared)

    def reject(self, row: Row, words: Words) -> str:
        """Names both peer groups, and says when buddying alone would be allowed."""
        supporter, recipient = words.peer_group(row["supporter"]), words.peer_group(row["recipient"])
        if row["kind"] != "buddy" and _allowed(words.settings, row, words):
            return f"a {supporter} trust may support a {recipient} trust by buddying only ({OUTSIDE_PAST_PRACTICE})"
        return f"peer groups do not match (a {supporter} trust does not support a {recipient} trust)"

    def relaxation(self, recipient: str, kind: str, settings: Settings) -> str:
        """Names the peer-group rule relaxed for this recipient."""
        return f"peer-group rule for {recipient} (a supporter from another peer group, outside past practice)"


def _allowed(settings: Settings, row: Row, words: Words) -> bool:
    """Whether the scenario lets the supporter's peer groups support the recipient's at all."""
    allowed, _ = compatibility(settings, [words.peer_groups(row["supporter"])], [words.peer_groups(row["recipient"])])
    return bool(allowed[0])


def compatibility(settings: Settings, supporter_peers: list[tuple[str, ...]], recipient_peers: list[tuple[str, ...]]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """For aligned supporter and recipient peer groups: (allowed by ``may_support``, share a peer group)."""
    may = {str(k): {str(g) for g in v} for k, v in settings.peer_groups.may_support.items()}
    allowed = np.array([any(r in may.get(s, ()) for s in sp for r in rp)
                        for sp, rp in zip(supporter_peers, recipient_peers, strict=True)], dtype=bool)
    shared = np.array([bool(set(sp) & set(rp)) for sp, rp in zip(supporter_peers, recipient_peers, strict=True)],
                      dtype=bool)
    return allowed, shared
