"""The administrator's pages: every account, adding one, and switching one off or on."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from matcher.store import sessions
from matcher.store.accounts import ROLE_LABELS, AccountError, add_user
from matcher.store.audit import recent, record
from matcher.store.tables import User

from . import data, db
from .auth import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    """Every account, with a form to add one (the password is set here and given to the person)."""
    errors: dict[str, str] = {}
    form = {k: request.form.get(k, "").strip() for k in ("email", "role", "trust", "password")}
    if request.method == "POST":
        try:
            with db.transaction() as session:
                user = add_user(session, form["email"], form["role"], request.form.get("password", ""),
                                form["trust"] or None, set(data.facts()), by=current_user.id)
                email = user.email
        except AccountError as exc:
            errors = {field: exc.fields[field] for field in ("email", "role", "trust", "password")
                      if field in exc.fields} or {"email": str(exc)}
        else:
            flash(f"Account created for {email}.", "info")
            return redirect(url_for("admin.users"))
    accounts = list(db.session().scalars(select(User).order_by(User.role, User.email)))
    return render_template("admin/users.html", accounts=accounts, errors=errors, form=form,
                           roles=list(ROLE_LABELS.items())), 400 if errors else 200


@bp.post("/users/<int:user_id>/active")
@roles_required("admin")
def toggle(user_id: int):
    """Switch an account off (it can no longer sign in, and open sessions end) or back on."""
    if user_id == current_user.id:
        flash("You cannot switch off your own account.", "error")
        return redirect(url_for("admin.users"))
    with db.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            abort(404)
        user.active = not user.active
        if not user.active:
            sessions.end_all(session, user.id)
        record(session, current_user.id, "user.activate" if user.active else "user.deactivate", user.email)
        message = f"{user.email} can {'now' if user.active else 'no longer'} sign in."
    flash(message, "info")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@roles_required("admin", "regulator")
def audit():
    """The newest entries of the audit log."""
    emails = dict(db.session().execute(select(User.id, User.email)).all())
    return render_template("admin/audit.html", entries=recent(db.session(), 200), emails=emails)
