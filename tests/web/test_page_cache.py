"""Whole pages are kept per person and session (web/cache.py), and never served stale or to someone else."""
from __future__ import annotations

import re

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from matcher.store.offers import DecisionRequest, decide
from matcher.store.tables import Offer
from tests.web.conftest import USERS, flashes, page, post
from web import cache


def test_the_proposal_page_shows_its_publication_at_once(regulator, proposal):
    before = page(regulator, f"/runs/{proposal}")
    assert "Draft" in before and "Publish offers" in before
    assert page(regulator, f"/runs/{proposal}") == before  # the same page again, from the cache
    page(regulator, post(regulator, f"/runs/{proposal}/publish"))  # made afresh: it shows a message once
    after = page(regulator, f"/runs/{proposal}")
    assert "Published" in after and "Publish offers" not in after


def test_a_message_shown_once_is_never_kept_in_a_cached_page(regulator, proposal):
    shown = page(regulator, post(regulator, f"/runs/{proposal}/publish"))
    assert flashes(shown)[0].startswith(f"Run {proposal} is published")
    again = page(regulator, f"/runs/{proposal}")
    assert flashes(again) == [] and "Published" in again


def test_each_person_gets_their_own_page(client_for, proposal):
    regulator, policy = client_for("regulator"), client_for("policy")
    for_regulator = page(regulator, f"/runs/{proposal}")
    for_policy = page(policy, f"/runs/{proposal}")
    assert USERS["regulator"][0] in for_regulator and USERS["policy"][0] not in for_regulator
    assert USERS["policy"][0] in for_policy and USERS["regulator"][0] not in for_policy
    assert "Publish offers" in for_regulator and "Publish offers" not in for_policy


def test_the_offers_page_shows_the_other_trusts_answer_at_once(app, client_for, published):
    rxl = client_for("rxl")
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
    assert "Waiting for an answer" in page(rxl, "/my-trust/")
    cached = len(cache.pages._items)
    page(rxl, "/my-trust/")
    assert len(cache.pages._items) == cached  # served from the cache, nothing new made
    # The supporting trust declines in another process: the offer's version moves on.
    decide(app.extensions["db"], DecisionRequest(offer.id, offer.supporter, "declined", "capacity", ""), None)
    html = page(rxl, "/my-trust/")
    assert "Declined" in html and "Waiting for an answer" not in html


def test_a_new_session_never_sees_a_page_made_for_an_earlier_one(app, client_for, proposal):
    first = client_for("regulator")
    page(first, f"/runs/{proposal}")
    first.post("/sign-out")
    second = client_for("regulator")
    html = page(second, f"/runs/{proposal}")
    with second.session_transaction() as state:
        raw = state["csrf_token"]
    signer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', html)
    assert tokens and all(signer.loads(token) == raw for token in tokens)  # every form carries this session's token
