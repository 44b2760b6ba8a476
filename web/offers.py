"""A trust executive's pages: the offers involving their own trust, answering them, and declaring capacity.

Every lookup is scoped to the executive's trust, so another trust's offer answers 404 exactly
like one that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from matcher.errors import BuddyingError
from matcher.parsing import count_from
from matcher.present.offer_letter import OfferText
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
from matcher.store.tables import Declaration, Offer

from . import cache, db, offer_text
from .auth import roles_required
from .ids import MAX_ID

bp = Blueprint("offers", __name__, url_prefix="/my-trust")
MAX_SPARE_UNITS = 10


@bp.get("/")
@roles_required("trust_exec")
def index():
    """Every offer that involves the executive's trust, as supporter or recipient, withdrawn and declined ones too."""
    code = current_user.trust_code
    return cache.page(("offers.index", offer_versions(db.session(), code)), lambda: _index(code))


def _index(code: str) -> str:
    offers = offers_for_trust(db.session(), code, include_withdrawn=True)
    offers.sort(key=lambda o: o.status != "pending")  # waiting for an answer first, then the rest, newest first
    items = [(offer, _text(offer, code)) for offer in offers]
    return render_template("offers/index.html", items=items, code=code,
                           waiting=sum(o.status == "pending" for o in offers))


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
@roles_required("trust_exec")
def show(offer_id: int):
    """What is asked of the trust, and the form to accept or decline it.

    The form goes to the check page (``check``) first; the check page's button posts here, which
    records the answer (its "Change" button posts here with ``change`` to bring the form back filled in).
    """
    code = current_user.trust_code
    offer = _offer(offer_id, code)
    errors: dict[str, str] = {}
    form = _answer_form()
    if request.method == "POST" and not request.form.get("change"):
        answer = _request(offer_id, code, form)
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
                return redirect(url_for("offers.answered", offer_id=offer_id))
    return _show(offer, code, form, errors), 400 if errors else 200


@bp.get("/offers/<int:offer_id>/answered")
@roles_required("trust_exec")
def answered(offer_id: int):
    """The confirmation once the trust has answered: what it said and what happens next."""
    code = current_user.trust_code
    offer = _offer(offer_id, code)
    side = side_of(offer, code)
    mine = next((d for d in offer.decisions if d.side == side), None)
    if mine is None:  # not answered yet: the offer page is where to answer
        return redirect(url_for("offers.show", offer_id=offer_id))
    return render_template("offers/answered.html", offer=offer, mine=mine, text=_text(offer, code))


@bp.post("/offers/<int:offer_id>/check")
@roles_required("trust_exec")
def check(offer_id: int):
    """Check your answer before sending it: an answer is final, so it is shown back first."""
    code = current_user.trust_code
    offer = _offer(offer_id, code)
    form = _answer_form()
    errors = check_request(_request(offer_id, code, form))
    if errors:
        return _show(offer, code, form, errors), 400
    return render_template("offers/check.html", offer=offer, text=_text(offer, code), form=form,
                           reason=DECLINE_REASONS.get(form["reason_code"], ""))


def _offer(offer_id: int, code: str) -> Offer:
    offer = offer_for_trust(db.session(), offer_id, code)
    if offer is None:
        abort(404)
    return offer


def _answer_form() -> dict[str, str]:
    form = {k: request.form.get(k, "") for k in ("decision", "reason_code", "reason_text", "version")}
    if form["decision"] == "accepted":  # reasons are asked only when declining
        form["reason_code"] = form["reason_text"] = ""
    return form


def _request(offer_id: int, code: str, form: dict[str, str]) -> DecisionRequest:
    return DecisionRequest(offer_id, code, form["decision"], form["reason_code"], form["reason_text"],
                           count_from(form["version"], 0, MAX_ID))


def _show(offer: Offer, code: str, form: dict[str, str], errors: dict[str, str]) -> str:
    side = side_of(offer, code)
    mine = next((d for d in offer.decisions if d.side == side), None)
    return render_template("offers/show.html", offer=offer, side=side, mine=mine, text=_text(offer, code),
                           errors=errors, form=form, reasons=list(DECLINE_REASONS.items()))


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


def _text(offer: Offer, code: str) -> OfferText | None:
    """The offer in the chief executive's words (None if its run no longer has the partnership)."""
    pair = partnership_of(db.session(), offer)
    return offer_text.for_offer(offer, code, pair) if pair is not None else None
