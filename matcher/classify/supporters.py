"""Who may support, and who may run a management contract (DOMAIN §3).

A supporter has a track record: a good segment now and in most of its last known quarters, and
no recent rating below Good. A management-contract supporter is also solvent and either rated
Outstanding or near the top of the league table of trusts like it (its own peer group).
"""
from __future__ import annotations

from ..domain import Rating, rating_label
from ..settings import Settings
from .facts import TrustFacts


def supporter(t: TrustFacts, s: Settings, reasons: list[str]) -> bool:
    """Supporter rules: a supporter segment now and in most known quarters, and no recent rating below Good."""
    rated_only = tuple(x for x in s.segments.supporter_with_good_rating if x not in s.segments.supporter)
    allowed = " or ".join(str(x) for x in (*s.segments.supporter, *rated_only))
    if t.segment is None:
        reasons.append(f"Not a supporter: no segment (supporters need segment {allowed})")
        return False
    if t.segment not in s.segments.supporter and t.segment not in rated_only:
        reasons.append(f"Not a supporter: {t.segment_text()} (supporters need segment {allowed})")
        return False
    record = _track_record(t, s, allowed, reasons)
    if record is None:
        return False
    max_age = s.supporter.max_rating_age_years
    if t.segment in rated_only and not _recent_good(t, max_age):
        reasons.append(f"Not a supporter: {t.segment_text()} supports only with a CQC rating of Good or "
                       f"better, overall and well-led, within {max_age:g} years")
        return False
    if not t.rated:
        reasons.append(f"Supporter: not rated; {t.segment_text()} counts alone ({record})")
        return True
    if t.rating_is_stale(max_age):
        reasons.append(f"Supporter: CQC rating from {t.rating_year()} is older than {max_age:g} years; "
                       f"segment {t.segment} counts alone ({record})")
        return True
    weak = [f"{label} {rating_label(v)}" for label, v in (("overall", t.overall), ("well-led", t.well_led))
            if v is not None and v < Rating.GOOD]
    if weak:
        reasons.append(f"Not a supporter: CQC {' and '.join(weak)} ({t.where()}) is within {max_age:g} years "
                       f"and below Good")
        return False
    well_led = rating_label(t.well_led) if t.well_led is not None else "not rated"
    reasons.append(f"Supporter: {t.segment_text()} ({record}), CQC overall {rating_label(t.overall)} and "
                   f"well-led {well_led} ({t.where()}, within {max_age:g} years)")
    return True


def _recent_good(t: TrustFacts, max_age: float) -> bool:
    """Rated within ``max_age`` years, Good or Outstanding overall and for well-led."""
    return (t.rated and not t.rating_is_stale(max_age) and t.overall is not None and t.overall >= Rating.GOOD
            and t.well_led is not None and t.well_led >= Rating.GOOD)


def _track_record(t: TrustFacts, s: Settings, allowed: str, reasons: list[str]) -> str | None:
    """The segment track record in words, or None (with the reason) when it falls short.

    Where fewer quarters are known than the rule looks at, every known quarter must count.
    """
    rule = s.supporter.track_record
    recent = t.history[:rule.quarters]
    supporting = {*s.segments.supporter, *s.segments.supporter_with_good_rating}
    good = sum(q.segment in supporting for q in recent)
    needed = min(rule.min_quarters, len(recent))
    words = f"segment {allowed} in {good} of its last {len(recent)} known quarter{'s' if len(recent) != 1 else ''}"
    if good < needed:
        reasons.append(f"Not a supporter: {words}; the track record needs {rule.min_quarters} of "
                       f"{rule.quarters} ({t.quarters_known()})")
        return None
    return words if len(recent) >= rule.min_quarters else f"{t.quarters_known()}"


def mc_supporter(t: TrustFacts, s: Settings, reasons: list[str]) -> bool:
    """May run a management contract: no deficit, and Outstanding or near the top of its peer group's league."""
    if t.deficit is None:
        reasons.append("Not a management-contract supporter: deficit status not known (no finance figure)")
        return False
    if t.deficit == 1:
        reasons.append(f"Not a management-contract supporter: in financial deficit ({t.deficit_source})")
        return False
    outstanding = [label for label, v in (("overall", t.overall), ("well-led", t.well_led)) if v == Rating.OUTSTANDING]
    if outstanding:
        reasons.append(f"Management-contract supporter: not in deficit, and {' and '.join(outstanding)} "
                       f"Outstanding at its latest inspection ({t.where()})")
        return True
    share = s.mc_supporter.league_top_share
    by_peers = s.mc_supporter.league_scope == "peer_group"
    rank, size = (t.peer_league_rank, t.peer_league_size) if by_peers else (t.league_rank, t.league_size)
    among = f" among {str(t.peer_group).replace('_', ' ')} trusts" if by_peers and t.peer_group else ""
    if rank is None or size is None:
        league = f"no league rank{among}"
    else:
        cutoff = share * size
        league = f"league rank {rank} of {size}{among}"
        if t.segment == s.mc_supporter.league_segment and rank <= cutoff:
            reasons.append(f"Management-contract supporter: not in deficit, segment {t.segment} and {league} "
                           f"(within the best {share:.0%})")
            return True
        if rank > cutoff:
            league += f" is outside the best {share:.0%}"
    reasons.append(f"Not a management-contract supporter: no Outstanding rating, and {league}"
                   + (f"; the league route needs segment {s.mc_supporter.league_segment}"
                      if t.segment != s.mc_supporter.league_segment else ""))
    return False
