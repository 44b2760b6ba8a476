"""A trust executive's journey: see what is asked of their trust, answer it, declare capacity."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from matcher.store.tables import Decision, Declaration, Offer
from tests.web.conftest import flashes, page, post
from web.filters import day


@pytest.fixture
def rxl_offer(app, published) -> Offer:
    """The published offer for Blackpool (RXL), a recipient in intensive support."""
    with app.extensions["db"]() as session:
        return session.scalar(select(Offer).where(Offer.recipient == "RXL"))


def test_the_offer_list_shows_the_partner_kind_and_incentive(client_for, rxl_offer):
    html = page(client_for("rxl"), "/my-trust/")
    assert "Offers for Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in html
    assert "Being supported" in html and f"({rxl_offer.supporter})" in html and "Waiting for an answer" in html


def test_with_no_offers_the_list_says_so(client_for):
    assert "There are no offers for your trust at the moment." in page(client_for("rjl"), "/my-trust/")


def test_the_offer_page_says_exactly_what_is_asked_and_why(client_for, rxl_offer):
    html = page(client_for("rxl"), f"/my-trust/offers/{rxl_offer.id}")
    assert "is proposed to support your trust" in html
    assert "Expected workload" in html and "support unit" in html
    assert "Incentive paid to the supporter" in html and "over the whole term" in html
    assert "Why this partner" in html
    assert "Does your trust accept this offer?" in html


def test_accepting_records_the_answer_and_the_offer_waits_for_the_other_trust(app, client_for, rxl_offer):
    client = client_for("rxl")
    html = page(client, post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "accepted",
                                                                           "version": str(rxl_offer.version)}))
    text = text_of(html)
    assert "Answer sent Thank you: your answer is recorded and the regulator has been told." in text
    assert "Your trust accepted this offer" in text and "Does your trust accept" not in text
    assert "What happens next The regulator has been told. The partnership goes ahead only when the other trust" in text
    offer_page = page(client, f"/my-trust/offers/{rxl_offer.id}")
    assert "Your trust accepted this offer" in offer_page and "Does your trust accept" not in offer_page
    with app.extensions["db"]() as session:
        offer = session.get(Offer, rxl_offer.id)
        assert offer.status == "pending" and [d.side for d in offer.decisions] == ["recipient"]


def test_declining_needs_a_reason_from_the_list(client_for, rxl_offer):
    client = client_for("rxl")
    html = post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "declined"}, 400)
    assert 'href="#f-reason_code"' not in html  # ids never contain underscores
    assert 'href="#f-reason-code"' in html and "Select a reason for declining" in html
    html = post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "declined", "reason_code": "other"}, 400)
    assert "Explain why you are declining" in html
    html = post(client, f"/my-trust/offers/{rxl_offer.id}", {}, 400)
    assert "Select whether you accept or decline the offer" in html


def test_declining_with_a_reason_declines_the_offer_for_both_trusts(app, client_for, rxl_offer):
    client = client_for("rxl")
    post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "declined", "reason_code": "distance",
                                                      "reason_text": "Too far for weekly visits"})
    with app.extensions["db"]() as session:
        decision = session.scalar(select(Decision))
        assert (decision.trust_code, decision.reason_code, decision.reason_text) == ("RXL", "distance",
                                                                                     "Too far for weekly visits")
        assert session.get(Offer, rxl_offer.id).status == "declined"


def test_a_second_answer_from_the_same_trust_is_refused_and_the_first_stands(app, client_for, rxl_offer):
    first, second = client_for("rxl"), client_for("rxl")
    post(first, f"/my-trust/offers/{rxl_offer.id}", {"decision": "accepted"})
    html = page(second, post(second, f"/my-trust/offers/{rxl_offer.id}", {"decision": "declined",
                                                                          "reason_code": "board"}))
    assert flashes(html)[-1] == "Your trust has already answered this offer."
    with app.extensions["db"]() as session:
        assert [d.decision for d in session.scalars(select(Decision))] == ["accepted"]


def test_an_answer_to_an_offer_that_changed_since_it_was_opened_is_refused(client_for, rxl_offer):
    client = client_for("rxl")
    html = page(client, post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "accepted",
                                                                           "version": "99"}))
    assert "This offer changed since you opened it" in flashes(html)[-1]


def test_capacity_and_willingness_are_checked_and_saved_for_the_next_run(app, client_for):
    client = client_for("rbv")
    html = post(client, "/my-trust/capacity", {"willing": "yes", "spare_units": "-1"}, 400)
    assert "Enter spare capacity as a whole number from 0 to 10" in html
    html = post(client, "/my-trust/capacity", {}, 400)
    assert "Select whether your trust is willing to support other trusts" in html
    html = page(client, post(client, "/my-trust/capacity", {"willing": "yes", "spare_units": "2", "note": "New team"}))
    assert re.search(r"willing to support, with 2 spare units", html)
    with app.extensions["db"]() as session:
        declaration = session.scalar(select(Declaration))
        assert (declaration.trust_code, declaration.willing, declaration.spare_units) == ("RBV", True, 2)


def test_a_declared_unwilling_supporter_gets_no_new_partnership(app, client_for, regulator, run_jobs):
    post(client_for("rbv"), "/my-trust/capacity", {"willing": "no"})
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    from matcher.store.runs import plan_of
    from matcher.store.tables import Run
    with app.extensions["db"]() as session:
        plan = plan_of(session, session.scalar(select(Run)))
    assert "RBV" not in {p.supporter for p in plan.pairs}
    assert plan.use_of("RBV").capacity_units == 0


def text_of(html: str) -> str:
    """The words of a page's main content, as a reader sees them."""
    main = html.split('id="maincontent"')[1].split("</main>")[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def test_the_offer_is_written_for_a_chief_executive_with_dates_and_a_contact_and_no_other_trust(app, client_for,
                                                                                                 rxl_offer):
    text = text_of(page(client_for("rxl"), f"/my-trust/offers/{rxl_offer.id}"))
    offered = rxl_offer.created_at.date()
    assert f"Reply by {day(offered + timedelta(days=28))} (the offer was made on {day(offered)})" in text
    assert f"Proposed start {day(offered + timedelta(days=56))}" in text
    assert "Contact The buddying programme team at the regulator" in text
    assert "What is asked A management contract: " in text or "What is asked Buddying: the leaders of " in text
    assert ("of its capacity" not in text and "support unit of " in text) or "support units of " in text
    assert "Their head offices are" in text and "does well where" in text
    for solver_word in ("score", "points", "Chosen over", "fit ", "counting"):
        assert solver_word not in text, solver_word
    codes = set(re.findall(r"\(([A-Z0-9]{3})\)", text)) - {"CQC"}
    assert codes == {rxl_offer.supporter}, "only the partner is named (and the reader's own trust)"


def test_an_answer_is_checked_before_it_is_sent_and_nothing_is_stored_until_then(app, client_for, rxl_offer):
    client = client_for("rxl")
    url = f"/my-trust/offers/{rxl_offer.id}"
    text = text_of(post(client, f"{url}/check", {"decision": "accepted", "reason_code": "board",
                                                 "version": str(rxl_offer.version)}, 200))
    assert "Check your answer before sending it" in text and "Your answer Yes, we accept" in text
    assert "Why your trust declines" not in text  # no reasons when accepting
    assert "By sending this answer your trust accepts the offer." in text
    assert 'value="board"' not in post(client, f"{url}/check", {"decision": "accepted", "reason_code": "board"}, 200)
    with app.extensions["db"]() as session:
        assert session.scalars(select(Decision)).all() == []
    text = text_of(post(client, f"{url}/check", {"decision": "declined", "reason_code": "distance",
                                                 "reason_text": "Too far"}, 200))
    assert "Your answer No, we decline" in text
    assert "Why your trust declines The partner trust is too far away to support well" in text
    assert "Anything else for the regulator Too far" in text
    changed = post(client, url, {"decision": "declined", "reason_code": "distance", "reason_text": "Too far",
                                 "change": "1"}, 200)
    assert 'value="distance" checked' in changed and "Too far</textarea>" in changed
    assert "There is a problem" in post(client, f"{url}/check", {"decision": "declined"}, 400)
    with app.extensions["db"]() as session:
        assert session.scalars(select(Decision)).all() == []


def test_a_declined_offer_stays_in_the_list_with_who_declined_and_why(app, client_for, rxl_offer):
    client = client_for("rxl")
    post(client, f"/my-trust/offers/{rxl_offer.id}", {"decision": "declined", "reason_code": "distance"})
    listing = text_of(page(client, "/my-trust/"))
    assert "Your trust's offers (1)" in listing and "0 offers waiting for an answer." in listing
    assert "Declined This offer will not go ahead: your trust declined it on" in listing
    assert "the partner trust is too far away to support well" in listing
    shown = text_of(page(client, f"/my-trust/offers/{rxl_offer.id}"))
    assert re.search(r"Declined: the offer for [^.]+ to support your trust Declined\. This offer will not go ahead",
                     shown)
    assert "is proposed to support your trust" not in shown


def test_a_withdrawn_offer_stays_in_the_list_and_its_heading_says_withdrawn(app, client_for, rxl_offer):
    with app.extensions["db"].begin() as session:
        session.get(Offer, rxl_offer.id).status = "withdrawn"
    client = client_for("rxl")
    listing = text_of(page(client, "/my-trust/"))
    assert "Your trust's offers (1)" in listing and "Withdrawn The regulator withdrew this offer on" in listing
    shown = text_of(page(client, f"/my-trust/offers/{rxl_offer.id}"))
    assert "Withdrawn: the offer for " in shown and "is proposed to support your trust" not in shown
    assert "There is nothing to answer." in shown and "Does your trust accept" not in shown
