"""Security every page keeps.

Headers, no inline script, cookie flags, sign-in throttling, the secret key, and no stack trace
ever reaching a browser.
"""
from __future__ import annotations

import re
import stat
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from matcher.errors import BuddyingError
from matcher.store.tables import SignInAttempt, utcnow
from tests.web.conftest import PASSWORD, USERS, page, post
from web import security

KEY = "3f9a1c7e5b2d8f604a1e9c3b7d5f2a8e6c4b0d9f1a3e5c7b"  # a key as secrets.token_hex makes them


def test_every_page_sends_the_security_headers(client_for, proposal):
    for who, url in (("regulator", f"/runs/{proposal}"), (None, "/sign-in"), ("rxl", "/my-trust/"),
                     ("regulator", "/no-such-page")):
        response = client_for(who).get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"


def test_no_page_has_inline_script_or_inline_style(client_for, published):
    urls = {"regulator": ["/dashboard", f"/runs/{published}", f"/runs/{published}/pairs/RXL", "/rules", "/runs",
                          f"/runs/{published}/uncovered", "/scenarios/", "/trusts"],
            "policy": ["/scenarios/1/edit"], "rxl": ["/my-trust/", "/my-trust/capacity"], "admin": ["/admin/users"]}
    for who, pages in urls.items():
        client = client_for(who)
        for url in pages:
            html = page(client, url)
            scripts = re.findall(r"<script\b[^>]*>", html)
            assert scripts and all("src=" in tag for tag in scripts), url
            assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), url


def test_the_session_cookie_is_http_only_and_same_site_lax(app):
    response = app.test_client().post("/sign-in", data={"email": USERS["regulator"][0], "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_in_production_the_cookie_is_secure_and_a_secret_key_is_required(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDDYING_ENV", "production")
    monkeypatch.delenv("BUDDYING_SECRET_KEY", raising=False)
    with pytest.raises(BuddyingError, match="BUDDYING_SECRET_KEY must be set to at least 32 random characters"):
        security.secret_key(tmp_path / "key")
    monkeypatch.setenv("BUDDYING_SECRET_KEY", "short")
    with pytest.raises(BuddyingError):
        security.secret_key(tmp_path / "key")
    for weak in (" " * 32, "k" * 40, "ab" * 20):  # the attack pass's 32 spaces, and one or two characters repeated
        monkeypatch.setenv("BUDDYING_SECRET_KEY", weak)
        refused = r"at least 32 random characters \(not spaces or one character repeated\)"
        with pytest.raises(BuddyingError, match=refused):
            security.secret_key(tmp_path / "key")
    monkeypatch.setenv("BUDDYING_SECRET_KEY", KEY)
    assert security.secret_key(tmp_path / "key") == KEY
    assert not (tmp_path / "key").exists()


def test_in_production_sessions_are_secure_cookies(monkeypatch, database_url, current_data):
    monkeypatch.setenv("BUDDYING_ENV", "production")
    monkeypatch.setenv("BUDDYING_SECRET_KEY", KEY)
    from web import create_app
    app = create_app({"DATABASE_URL": database_url, "CURRENT_DATA": current_data})
    app.extensions["db_engine"].dispose()
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SECRET_KEY"] == KEY


def test_locally_a_random_key_is_made_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("BUDDYING_ENV", raising=False)
    monkeypatch.delenv("BUDDYING_SECRET_KEY", raising=False)
    key_file = tmp_path / "instance" / "secret_key"
    first = security.secret_key(key_file)
    assert len(first) == 64 and security.secret_key(key_file) == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_five_failed_sign_ins_lock_the_account_for_fifteen_minutes_with_an_explanation(app, client_for):
    email = USERS["regulator"][0]
    for _ in range(5):
        post(client_for(None), "/sign-in", {"email": email, "password": "wrong"}, 400)
    response = client_for(None).post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many failed attempts to sign in to this account" in html and "or ask an administrator" in html
    assert post(client_for(None), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}) == "/"
    with app.extensions["db"].begin() as session:  # a quarter of an hour later
        session.execute(update(SignInAttempt).values(at=utcnow() - timedelta(minutes=16)))
    assert post(client_for(None), "/sign-in", {"email": email, "password": PASSWORD}) == "/"


def test_many_failures_from_one_address_lock_that_address(client_for):
    for index in range(20):
        post(client_for(None), "/sign-in", {"email": f"guess{index}@example.nhs.uk", "password": "x"}, 400)
    response = client_for(None).post("/sign-in", data={"email": USERS["policy"][0], "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts to sign in from your network" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_plain_page_and_never_a_stack_trace(app, client_for):
    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")
    app.testing = False  # as in production: errors are handled, not raised into the test
    response = client_for("regulator").get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html and "secret internals" not in html and "RuntimeError" not in html


def test_two_sessions_of_one_person_each_get_their_own_sign_out_token(app, client_for):
    """The header is cached, but never across sessions: each sign-out form must work for its own session."""
    first, second = client_for("regulator"), client_for("regulator")
    for client in (first, second):
        client.get("/dashboard")
        html = client.get("/runs").get_data(as_text=True)
        token = re.search(r'action="/sign-out"><input type="hidden" name="csrf_token" value="([^"]+)"', html).group(1)
        app.config["WTF_CSRF_ENABLED"] = True
        try:
            assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
        finally:
            app.config["WTF_CSRF_ENABLED"] = False


def _copy_session(app, client):
    thief = app.test_client()
    thief.set_cookie("buddying_session", client.get_cookie("buddying_session").value)
    return thief


def test_signing_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(app, client_for):
    client = client_for("regulator")
    thief = _copy_session(app, client)
    assert thief.get("/dashboard").status_code == 200
    post(client, "/sign-out")
    assert thief.get("/dashboard").status_code == 302


def test_a_session_ends_after_30_idle_minutes_and_after_12_hours_in_all(app, client_for):
    from matcher.store.tables import UserSession
    idle, old = client_for("regulator"), client_for("policy")
    with app.extensions["db"].begin() as session:
        rows = session.scalars(select(UserSession).order_by(UserSession.created_at)).all()
        rows[0].last_seen = utcnow() - timedelta(minutes=31)
        rows[1].created_at = utcnow() - timedelta(hours=13)
    assert idle.get("/dashboard").status_code == 302
    assert old.get("/scenarios/").status_code == 302
    assert client_for("regulator").get("/dashboard").status_code == 200  # signing in again starts afresh


def test_switching_off_an_account_ends_its_open_sessions(app, client_for):
    from matcher.store.tables import User, UserSession
    policy = client_for("policy")
    admin = client_for("admin")
    with app.extensions["db"]() as session:
        policy_id = session.scalar(select(User.id).where(User.email == USERS["policy"][0]))
    post(admin, f"/admin/users/{policy_id}/active")
    assert policy.get("/scenarios/").status_code == 302
    with app.extensions["db"]() as session:
        assert all(s.ended_at for s in session.scalars(select(UserSession).where(UserSession.user_id == policy_id)))
