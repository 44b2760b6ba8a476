"""Signing in and out, the signed-in account, and the role check every page uses."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from matcher.store import sessions
from matcher.store.accounts import MAX_EMAIL, ROLE_LABELS, authenticate
from matcher.store.audit import record
from matcher.store.passwords import DEMO_PASSWORD
from matcher.store.tables import User
from matcher.store.throttle import LockOut, account_key, begin_attempt, settle_attempt

from . import db, security
from .ids import form_id

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
HOME = {"regulator": "regulator.dashboard", "trust_exec": "offers.index", "policy": "scenarios.index",
        "admin": "admin.users"}


@dataclass(frozen=True)
class Account(UserMixin):
    """The signed-in person, as the pages need them (never the password hash)."""

    id: int
    email: str
    role: str
    trust_code: str | None
    session_token: str

    def get_id(self) -> str:
        """What the signed cookie holds: the user and their server-side session."""
        return f"{self.id}:{self.session_token}"

    @property
    def role_label(self) -> str:
        """``Trust executive``."""
        return ROLE_LABELS[self.role]


def init_app(app: Flask) -> None:
    """Wire sign-in and CSRF protection into the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to use Buddying."
    login_manager.login_message_category = "info"
    csrf.init_app(app)


@login_manager.unauthorized_handler
def _unauthorized():
    """Pages send people to sign in; the JSON API answers 401."""
    if request.path.startswith("/api/"):
        return jsonify(error="Sign in first: this needs a session"), 401
    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def _load(cookie_id: str) -> Account | None:
    """The signed-in person, if their server-side session is still live (see matcher.store.sessions)."""
    user_id, _, token = cookie_id.partition(":")
    if form_id(user_id) is None or not token:
        return None
    user = sessions.check(db.session(), int(user_id), token)
    return _account(user, token) if user is not None else None


def _account(user: User | sessions.LiveUser, token: str) -> Account:
    return Account(user.id, user.email, user.role, user.trust_code, token)


def roles_required(*roles: str) -> Callable:
    """Only signed-in people in one of ``roles`` may open the page; others get 403."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


@bp.get("/")
def home():
    """Each role starts on its own page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for(HOME[current_user.role]))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Email and password; a wrong pair gets one message that does not say which was wrong."""
    errors: dict[str, str] = {}
    email = request.form.get("email", "").strip()
    shown = email[:MAX_EMAIL]  # what the form shows again: never more than an address can be
    if request.method == "POST":
        password = request.form.get("password", "")
        if not email:
            errors["email"] = "Enter your email address"
        if not password:
            errors["password"] = "Enter your password"  # nosec B105  # an error message, not a password
        address = request.remote_addr or "unknown"
        if errors:
            return render_template("auth/sign_in.html", errors=errors, email=shown), 400
        attempt = begin_attempt(db.sessions(), email, address)  # counted before the password is checked
        if isinstance(attempt, LockOut):
            lock = attempt
            where = "to this account" if lock.reason == "account" else "from your network"
            errors["email"] = (f"Too many failed attempts to sign in {where}. For your security, try again "
                               f"after {lock.until:%H:%M} (UTC), or ask an administrator.")
            return render_template("auth/sign_in.html", errors=errors, email=shown), 429
        with db.transaction() as s:
            user = authenticate(s, email, password)
            if user is not None and password == DEMO_PASSWORD and security.production():
                user = None  # the published demo password never signs anyone in on a production service
            settle_attempt(s, attempt, user is not None)
            record(s, user.id if user else None, "sign_in" if user else "sign_in.failed", account_key(email),
                   address=address)
            account = _account(user, sessions.start(s, user.id)) if user else None
        if account is None:
            errors["email"] = "Enter a correct email address and password"
        else:
            session.clear()  # a new session on every sign-in
            login_user(account)
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
    return render_template("auth/sign_in.html", errors=errors, email=shown), 400 if errors else 200


@bp.post("/sign-out")
@login_required
def sign_out():
    """End the session, here and on the server (a copied cookie no longer works)."""
    with db.transaction() as s:
        sessions.end(s, current_user.session_token)
    logout_user()
    session.clear()
    flash("You have signed out. Close the browser if others use this computer.", "info")
    return redirect(url_for("auth.sign_in"))


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never another host, never a control character) may be the page to return to."""
    if not target or len(target) > 2000 or "\\" in target or not target.isprintable():
        return None  # a backslash reads as a slash to browsers ("/\\evil.example"); CR/LF would split headers
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
        else None
