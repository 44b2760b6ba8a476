"""The backup shown on a pair is what the service's re-match proposes once the offer is declined (DOMAIN §8)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from matcher.store.tables import Offer
from tests.running import answer, stored_plan


def offer_for(db, recipient: str) -> Offer:
    with db() as session:
        return session.scalars(select(Offer).where(Offer.recipient == recipient)).one()


@pytest.mark.parametrize("side", ["recipient", "supporter"])
def test_a_decline_then_a_rematch_gives_the_backup_that_was_shown(db, run_job, published_run, side):
    shown = stored_plan(db, published_run)
    pair = next(p for p in shown.pairs if p.backup is not None and p.backup.other_changes == 0) \
        if side == "recipient" else next(p for p in shown.pairs if p.backup is not None and p.backup.other_changes)
    answer(db, offer_for(db, pair.recipient), "declined", side=side, reason_code="capacity")
    _, run_id = run_job()
    after = stored_plan(db, run_id).pair_for(pair.recipient)
    assert after is not None
    assert (after.supporter, after.kind, after.score) == (pair.backup.supporter, pair.backup.kind, pair.backup.score)
    moved = [c for c in stored_plan(db, run_id).changes or () if c.recipient != pair.recipient]
    assert len(moved) == pair.backup.other_changes


def test_a_decline_of_a_pair_with_no_backup_leaves_its_recipient_uncovered(db, run_job, published_run):
    shown = stored_plan(db, published_run)
    pair = next(p for p in shown.pairs if p.backup is None)
    assert pair.backup_reason
    answer(db, offer_for(db, pair.recipient), "declined", side="supporter", reason_code="capacity")
    _, run_id = run_job()
    assert stored_plan(db, run_id).pair_for(pair.recipient) is None


def test_a_what_if_names_no_backups(db, run_job):
    _, run_id = run_job("what_if")
    assert all(p.backup is None and p.backup_reason is None for p in stored_plan(db, run_id).pairs)
