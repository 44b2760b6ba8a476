"""The record's words: fixed statements about the tool, and sentences built from the configuration in force."""
from __future__ import annotations

from ..settings import Settings

NAME = "Buddying: proposing support partnerships between NHS trusts"


def description() -> str:
    """Tier 1: how and why the tool is used, for the general public."""
    return ("Buddying helps NHS England's oversight staff decide which NHS trusts in difficulty should be offered "
            "a supporting partner trust, and which trust that should be. It reads public data about every open "
            "English NHS trust (Care Quality Commission ratings, NHS Oversight Framework segments, performance and "
            "cost data), finds the trusts in difficulty and the trusts with a track record of high performance, and "
            "proposes pairs, as a buddying or a management contract, with the incentive payments, within a budget. "
            "Every proposal is explained. People decide: regulators choose which proposals to offer, and both trusts "
            "must accept an offer before it becomes an agreement.")


NOT_DECIDED = [
    "It does not decide which trusts are in difficulty for any regulatory purpose: the classification only "
    "selects whom the matcher considers, and every classification gives its reasons.",
    "It does not make offers: a regulator reads the proposal, may lock or exclude pairs, and chooses to publish.",
    "It does not bind any trust: each trust accepts or declines an offer, with a reason.",
    "It does not set or pay incentives: the payments it shows are policy defaults for budgeting.",
    "It makes no decision about any patient or member of staff, and uses no personal data about them.",
]

BENEFITS = ("A proposal that covers as many trusts in difficulty as the supply of suitable supporters allows, "
            "weighted by how serious their difficulty is, with the reason why each trust left uncovered is "
            "uncovered and what would change it, in seconds rather than weeks of manual comparison.")

ALTERNATIVES = ("Matching by hand, as in 2013-2018 (every partnership on record then was chosen by officials); the "
                "tool keeps that judgement with people and compares its plans with the partnerships on record.")

PROCESS = ("Regulators run the matcher on a named configuration (a scenario), read the proposal, its explanations "
           "and the alternatives for each trust, adjust locks and exclusions, and publish offers. After trusts "
           "answer, a re-match keeps accepted pairs, never repeats a declined pair and changes as few other offers "
           "as possible. Policy staff run what-if scenarios that are never published.")

PROVIDED = ("For each proposed pair: the fit (where the supporter is strong and the recipient weak), the distance, "
            "the capacity it uses, the incentive per year and over the term, and why it beat the next best option. "
            "For each trust left uncovered: the rule that binds it, in words, and what would change it. Plan quality "
            "figures are compared with the partnerships on record.")

HUMAN_OVERSIGHT = [
    "Regulators decide: nothing is offered to a trust until a regulator publishes it, and a regulator may lock or "
    "exclude any pair, with a reason that is recorded.",
    "Trusts may decline: an offer becomes an agreement only when both trusts accept it; a declined pair is never "
    "proposed again.",
    "Every change (run, publication, answer, lock, exclusion, scenario) is written to an append-only audit log.",
]

TRAINING = ("Regulators and policy staff should read the README sections on classification and on how partnerships "
            "are proposed, including the payments, which are policy choices, not published rates.")

APPEALS = [
    "A trust that disagrees with an offer declines it through the service, choosing a reason and explaining it; "
    "the regulator sees the reason and the next re-match will not propose that pair again.",
    "A trust that disagrees with how it was classified, or with the data about it, writes to the contact email "
    "above; the classification page shows every reason and the data each used, and the data page names each "
    "source and its date so errors can be traced to the file and row.",
    "A regulator may exclude or lock any pair, with a recorded reason, and run the matcher again.",
]

PERSONAL_DATA = ("None about patients or staff. The service keeps the sign-in email and role of each account, and "
                 "the audit log of what each account did.")

IMPACT_ASSESSMENTS = ("None recorded in this record. The operator should add any data protection or equality "
                      "impact assessment here before publishing.")


def scope(trusts: int, recipients: int, supporters: int) -> str:
    """Who the tool considers, with the counts of the data in use."""
    return (f"The {trusts} open English NHS trusts in the data in use: {recipients} are classified as in difficulty "
            f"(possible recipients) and {supporters} as possible supporters. Other providers are out of scope.")


def scale(trusts: int) -> str:
    """How often and on how much the tool runs."""
    return (f"On demand, when a regulator or policy officer runs it; each run considers all {trusts} trusts and "
            "takes seconds on the national data. The data is refreshed when new quarterly segments or ratings are "
            "published.")


def model(settings: Settings, solver: str) -> list[str]:
    """The model and its objective order, with the numbers of the configuration in force."""
    w, g, d = settings.weights, settings.geography, settings.max_distance_km
    return [
        "Classification: a trust is in difficulty when it is in intensive support "
        f"({_segments(settings.segments.intensive)}), in {_segments(settings.segments.difficulty)}, or recently rated "
        "Inadequate (or Requires improvement with weak leadership); a supporter is in "
        f"{_segments(settings.segments.supporter)} with a track record and no poor recent rating. A CQC rating "
        f"older than {settings.recipient.max_rating_age_years:g} years cannot alone make a trust a recipient.",
        f"Assignment: an optimisation model solved with {solver} chooses at most one partnership per recipient, "
        "within each supporter's capacity (by size), the overstretch limit "
        f"({settings.capacity.max_load_ratio:g} times the supporter's income), distance limits ({d.buddy:g} km for a "
        f"buddying, {d.management_contract:g} km for a management contract), the spread between one supporter's "
        f"recipients ({g.max_corecipient_km:g} km) and the budget (£{settings.incentives.annual_budget_gbp_m:g}m a "
        "year).",
        "Objective, in strict order: first, cover as many recipients as possible weighted by severity (persistent "
        f"difficulty {w.persistent:g}, intensive support or a recent Inadequate rating {w.severity:g}, others 1; a "
        f"buddying counts {w.buddy_for_persistent:g} of a management contract for persistent difficulty); second, "
        f"the greatest total fit less {g.distance_penalty_per_km:g} fit a km of distance; third, the least incentive "
        "spend.",
        f"Track record: weights.track_record is {w.track_record:g}"
        + (" (a supporter's past agreements do not affect its fit)." if w.track_record == 0 else
           ": each of a supporter's past agreements that ended with the recipient out of difficulty adds this to its "
           "fit, and each that ended with it still in difficulty takes it away."),
        "Every plan is checked again against every rule without the solver, and explained pair by pair.",
    ]


def risks(settings: Settings) -> list[str]:
    """The main risks and how the tool mitigates them."""
    return [
        "Stale or partial data (old CQC ratings, one quarter of segments, estimated income): ratings older than "
        f"{settings.recipient.max_rating_age_years:g} years are never used alone, every reason names the data it used "
        "and what was missing, and the data page lists each source's date and known flaws.",
        "Automation bias (a proposal taken as a decision): every pair is explained with its alternatives, regulators "
        "publish offers, and trusts may decline.",
        "Overstretching a supporter: capacity by size, an overstretch limit on the size of its recipients, a limit "
        "on the distance between them, and a warning when a supporter's own segment falls while it supports someone.",
        "Partnerships that past practice would reject (a specialist trust supporting a general hospital, pairs inside "
        "an existing group): not allowed by default; a scenario that allows them flags every such pair.",
        "Uncovered trusts in difficulty: each is listed with the rule that binds it and what would change it, so the "
        "gap is shown rather than hidden.",
    ]


def _segments(values) -> str:
    """``segment 5``, ``segments 1 and 2``, or ``no segment``."""
    items = [str(v) for v in values]
    if not items:
        return "no segment"
    if len(items) == 1:
        return f"segment {items[0]}"
    return f"segments {', '.join(items[:-1])} and {items[-1]}"
