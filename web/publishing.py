"""Publishing a run as offers: the one place the pages and the API do it (and tell a missing run from a refusal)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from matcher.store import runs
from matcher.store.runs import Publication

from . import db


def publish(run_id: int) -> Publication:
    """Publish the run in one transaction, as the signed-in regulator.

    A run that does not exist is a 404.

    Raises:
        BuddyingError: publishing is refused (a what-if, or a run made before the latest answers);
            its message says why and what to do.
    """
    try:
        with db.transaction() as session:
            return runs.publish(session, run_id, current_user.id)
    except LookupError:
        abort(404)
