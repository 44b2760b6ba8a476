"""A supporter's track record: how the agreements it supported ended (the review's "credentialing", DOMAIN §8)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .follow import Outcome


@dataclass(frozen=True)
class TrackRecord:
    """A supporter's ended agreements by outcome, and those still live."""

    supporter: str
    out_of_difficulty: int = 0
    still_in_difficulty: int = 0
    not_known: int = 0
    live: int = 0

    @property
    def net(self) -> int:
        """Ended agreements that lifted the recipient out of difficulty, less those that did not (what fit uses)."""
        return self.out_of_difficulty - self.still_in_difficulty

    def sentence(self) -> str:
        """The record in words: "2 agreements ended with the recipient out of difficulty and 1 with it still in ..."."""
        ended = self.out_of_difficulty + self.still_in_difficulty + self.not_known
        if not ended:
            live = f"{self.live} {'is' if self.live == 1 else 'are'} live" if self.live else "none is live"
            return f"No agreement has ended yet; {live}."
        parts = [f"{_count(self.out_of_difficulty, 'agreement')} ended with the recipient out of difficulty",
                 f"{self.still_in_difficulty} with it still in difficulty"]
        if self.not_known:
            parts.append(f"{self.not_known} with the outcome not yet known")
        text = ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.live:
            text += f"; {self.live} {'is' if self.live == 1 else 'are'} live"
        return text + "."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def track(outcomes: Iterable[Outcome]) -> dict[str, TrackRecord]:
    """Each supporter's track record from the followed agreements."""
    tallies: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        tally = tallies.setdefault(outcome.agreement.supporter, {"out": 0, "still": 0, "unknown": 0, "live": 0})
        if outcome.status == "live":
            tally["live"] += 1
        elif outcome.left_difficulty is None:
            tally["unknown"] += 1
        else:
            tally["out" if outcome.left_difficulty else "still"] += 1
    return {code: TrackRecord(code, t["out"], t["still"], t["unknown"], t["live"]) for code, t in tallies.items()}
