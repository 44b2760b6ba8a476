"""An offer in a chief executive's words: what is asked, workload, payment, dates, and nothing about other trusts."""
from datetime import date

import pytest

from matcher.present.offer_letter import Answer, Timetable, offer_text
from matcher.result import Partnership

NAMES = {"SOM": "Somerset", "RXW": "Shrewsbury", "YRK": "York"}
PAIR = Partnership(supporter="SOM", recipient="RXW", kind="buddy", units=1, fit=6.5, distance_km=66.4, score=317,
                   incentive_annual_gbp=300_000, incentive_term_gbp=600_000, coverage=1.0,
                   explanation="Buddying by Somerset: fit 6.48 ... Chosen over York: York is full: its capacity of 2 "
                               "is taken by ...",
                   fit_breakdown={"finance and productivity segment": 3.0, "well-led (CQC)": 2.0,
                                  "similar size": 0.5, "A&E 4-hour": 0.0})


def text(side="supporter", status="pending", answers=(), **overrides):
    values = {"trust": "SOM" if side == "supporter" else "RXW", "side": side,
              "partner": "RXW" if side == "supporter" else "SOM", "kind": "buddy", "status": status, "pair": PAIR,
              "names": NAMES, "own_capacity": 2, "offered_on": date(2026, 12, 1), "changed_on": date(2026, 12, 9),
              "answers": list(answers), "timetable": Timetable(28, 56), "contact": "The team: team@example.nhs.uk"}
    return offer_text(**(values | overrides))


def test_the_supporter_reads_what_is_asked_its_workload_payment_dates_and_contact():
    t = text()
    assert t.heading == "Your trust is asked to support Shrewsbury (RXW)"
    assert t.asked == ("Buddying: your trust's leaders would work alongside the leaders of Shrewsbury to help it "
                       "improve.")
    assert t.workload == ("1 support unit of your trust's capacity to support others (a buddying takes 1). Your trust "
                          "can take on 2 units of support in all, set by its size and any spare capacity it declared.")
    assert t.payment.startswith("£300,000 a year; £600,000 over the whole term of 2 years, paid to your trust.")
    assert (t.reply_by, t.start) == (date(2026, 12, 29), date(2027, 1, 26))
    assert t.contact == "The team: team@example.nhs.uk"


def test_why_this_partner_names_the_strongest_areas_in_words_and_never_the_solver_or_another_trust():
    t = text(side="recipient")
    assert t.why == ("Somerset does well where Shrewsbury most needs to improve: finance and productivity "
                     "(NHS oversight framework) and leadership (CQC well-led rating). Their head offices are 66 km "
                     "apart.")
    everything = " ".join(str(v) for v in vars(t).values())
    for word in ("York", "score", "fit ", "Chosen over", "capacity of 2"):
        assert word not in everything
    assert t.workload == "1 support unit of Somerset's capacity to support others (a buddying takes 1)."
    assert t.payment.startswith("£300,000 a year; £600,000 over the whole term of 2 years, paid to Somerset.")


@pytest.mark.parametrize("status, side, heading", [
    ("pending", "recipient", "Somerset (SOM) is proposed to support your trust"),
    ("accepted", "recipient", "Agreed: Somerset (SOM) will support your trust"),
    ("declined", "recipient", "Declined: the offer for Somerset (SOM) to support your trust"),
    ("withdrawn", "supporter", "Withdrawn: the offer for your trust to support Shrewsbury (RXW)"),
])
def test_the_heading_matches_the_status(status, side, heading):
    assert text(side=side, status=status).heading == heading


def test_the_status_says_who_answered_when_and_why():
    declined = text(status="declined", answers=[Answer("RXW", "declined", "our board has decided against it",
                                                       date(2026, 12, 5))])
    assert declined.status_detail == ("This offer will not go ahead: Shrewsbury declined it on 5 December 2026: our "
                                      "board has decided against it. The regulator will not propose this "
                                      "partnership again.")
    withdrawn = text(status="withdrawn")
    assert withdrawn.status_detail.startswith("The regulator withdrew this offer on 9 December 2026")
    waiting = text(answers=[Answer("SOM", "accepted", "", date(2026, 12, 2))])
    assert waiting.status_detail == "Waiting for the other trust's answer (your trust accepted it on 2 December 2026)."


@pytest.mark.parametrize("reply, start", [(0, 10), (30, 20), (28, 400)])
def test_a_timetable_out_of_bounds_is_refused(reply, start):
    with pytest.raises(ValueError):
        Timetable(reply, start)
