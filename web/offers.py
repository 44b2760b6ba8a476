"""A trust executive's pages: the offers involving their own trust, answering them, and declaring capacity.

Every lookup is scoped to the executive's trust, so another trust's offer answers 404 exactly
like one that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from matcher.errors import BuddyingError
from matcher.parsing import count_from
from matcher.result import Partnership
from matcher.store.audit import record
from matcher.store.offers import (
    DECLINE_REASONS,
    AlreadyDecided,
    DecisionRequest,
    check_request,
    decide,
    latest_declarations,
    offer_for_trust,
    offer_versions,
    offers_for_trust,
    side_of,
)
from matcher.store.runs import partnership_of
from matcher.store.tables import Declaration

from . import cache, db
from .auth import roles_required
from .ids import MAX_ID

bp = Blueprint("offers", __name__, url_prefix="/my-trust")
MAX_SPARE_UNITS = 10


@bp.get("/")
@roles_required("trust_exec")
def index():
    """Every current offer that involves the executive's trust, as supporter or as recipient."""
    code = current_user.trust_code
    return cache.page(("offers.index", offer_versions(db.session(), code)), lambda: _index(code))


def _index(code: str) -> str:
    items = [(offer, side_of(offer, code), _partnership(offer)) for offer in offers_for_trust(db.session(), code)]
    return render_template("offers/index.html", items=items, code=code)


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
@roles_required("trust_exec")
def show(offer_id: int):
    """What is asked of the trust, and the form to accept or decline it."""
    code = current_user.trust_code
    offer = offer_for_trust(db.session(), offer_id, code)
    if offer is None:
        abort(404)
    errors: dict[str, str] = {}
    form = {k: request.form.get(k, "") for k in ("decision", "reason_code", "reason_text", "version")}
    if request.method == "POST":
        answer = DecisionRequest(offer_id, code, form["decision"], form["reason_code"], form["reason_text"],
                                 count_from(form["version"], 0, MAX_ID))
        errors = check_request(answer)
        if not errors:
            try:
                decide(db.sessions(), answer, current_user.id)
            except LookupError:
                abort(404)
            except AlreadyDecided as exc:
                flash(str(exc), "error")
                return redirect(url_for("offers.show", offer_id=offer_id))
            except BuddyingError as exc:  # pragma: no cover - check_request catches these first
                errors = {"decision": str(exc)}
            else:
                flash("Thank you: your answer is recorded and the regulator has been told.", "info")
                return redirect(url_for("offers.show", offer_id=offer_id))
    side = side_of(offer, code)
    mine = next((d for d in offer.decisions if d.side == side), None)
    return render_template("offers/show.html", offer=offer, side=side, mine=mine, partnership=_partnership(offer),
                           errors=errors, form=form, reasons=list(DECLINE_REASONS.items())), 400 if errors else 200


@bp.route("/capacity", methods=["GET", "POST"])
@roles_required("trust_exec")
def capacity():
    """Declare, for the next run, whether the trust is willing to support others and its spare capacity."""
    code = current_user.trust_code
    errors: dict[str, str] = {}
    form = {k: request.form.get(k, "").strip() for k in ("willing", "spare_units", "note")}
    if request.method == "POST":
        if form["willing"] not in ("yes", "no"):
            errors["willing"] = "Select whether your trust is willing to support other trusts"
        spare = count_from(form["spare_units"], 0, MAX_SPARE_UNITS)
        if form["willing"] == "yes" and spare is None:
            errors["spare_units"] = f"Enter spare capacity as a whole number from 0 to {MAX_SPARE_UNITS}"
        if len(form["note"]) > 2000:
            errors["note"] = "Keep the note to 2,000 characters or fewer"
        if not errors:
            willing = form["willing"] == "yes"
            with db.transaction() as session:
                session.add(Declaration(trust_code=code, willing=willing, note=form["note"], user_id=current_user.id,
                                        spare_units=spare if willing else 0))
                record(session, current_user.id, "declaration", code, willing=willing, spare=form["spare_units"])
            flash("Saved. The regulator's next run will use it.", "info")
            return redirect(url_for("offers.capacity"))
    current = latest_declarations(db.session()).get(code)
    return render_template("offers/capacity.html", current=current, errors=errors, form=form,
                           max_units=MAX_SPARE_UNITS), 400 if errors else 200


def _partnership(offer) -> Partnership | None:
    """The offer's partnership in the run that last published it (its numbers and explanation)."""
    return partnership_of(db.session(), offer)
