"""Sign-in and accounts after issue 15's attack pass.

Concurrent guesses, overlong emails, shared addresses, the password policy, and the demo accounts
in production.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from matcher.errors import BuddyingError
from matcher.store.accounts import AccountError, add_user
from matcher.store.tables import AuditEntry, SignInAttempt, User, utcnow
from tests.web.conftest import PASSWORD, USERS, post
from tests.web.test_cli import web
from web import auth
from web.demo import DEMO_PASSWORD, DEMO_USERS

KEY = "3f9a1c7e5b2d8f604a1e9c3b7d5f2a8e6c4b0d9f1a3e5c7b"


def test_thirty_concurrent_guesses_at_one_account_check_exactly_five_passwords(app, monkeypatch):
    checked = []
    real = auth.authenticate
    monkeypatch.setattr(auth, "authenticate", lambda *a: checked.append(1) or real(*a))
    email = USERS["regulator"][0]
    codes = []

    def guess(n: int) -> None:
        client = app.test_client()
        codes.append(client.post("/sign-in", data={"email": email, "password": f"wrong {n}"}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 5 and codes.count(400) == 5 and codes.count(429) == 25  # tries queue: the first five
    # are checked and refused, the other 25 wait for the window (none checked would lock out the owner too)
    with app.extensions["db"]() as session:  # refused tries are not kept, so they do not lengthen the lock
        assert len(session.scalars(select(SignInAttempt)).all()) == len(checked)


@pytest.mark.parametrize("length", [201, 255, 900_000])
def test_an_overlong_email_is_a_failed_sign_in_that_is_counted_and_audited_in_short(app, client_for, length):
    email = ("x" * length + "@example.nhs.uk")[-length:]
    response = client_for(None).post("/sign-in", data={"email": email, "password": "a wrong password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter a correct email address and password" in html
    assert len(response.data) < 60_000  # the form shows at most an address's 254 characters again
    with app.extensions["db"]() as session:
        attempt = session.scalar(select(SignInAttempt))
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "sign_in.failed"))
    assert attempt.email == email.lower()[:254] and not attempt.succeeded
    assert entry.subject == email.lower()[:197] + "..." if length > 200 else email.lower()


def test_twenty_failures_from_a_shared_address_do_not_lock_out_people_who_sign_in_from_it(app, client_for):
    assert post(client_for(None), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}) == "/"
    for index in range(20):  # someone else guessing, from the same address
        post(client_for(None), "/sign-in", {"email": f"guess{index}@example.nhs.uk", "password": "x"}, 400)
    assert post(client_for(None), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}) == "/"
    response = client_for(None).post("/sign-in", data={"email": USERS["regulator"][0], "password": PASSWORD})
    assert response.status_code == 429  # an account not yet seen from this address waits for the window
    assert "Too many failed attempts to sign in from your network" in response.get_data(as_text=True)
    with app.extensions["db"].begin() as session:  # a success more than 30 days ago no longer vouches
        session.execute(update(SignInAttempt).where(SignInAttempt.succeeded.is_(True))
                        .values(at=utcnow() - timedelta(days=31)))
    assert client_for(None).post("/sign-in", data={"email": USERS["policy"][0], "password": PASSWORD}
                                 ).status_code == 429


@pytest.mark.parametrize("password, message", [
    ("passwordpassword", "the password is one of the most common passwords, which attackers try first; choose "
                         "another (three random words make a strong, memorable password)"),
    ("Password2024!", "the password is one of the most common passwords, which attackers try first; choose "
                      "another (three random words make a strong, memorable password)"),
    ("qwerty123456", "the password is one of the most common passwords, which attackers try first; choose "
                     "another (three random words make a strong, memorable password)"),
    ("zzzzzzzzzzzzzzzz", "the password is one of the most common passwords, which attackers try first; choose "
                         "another (three random words make a strong, memorable password)"),
    (DEMO_PASSWORD, "the password is the published demo password; choose another (three random words make a "
                    "strong, memorable password)"),
    ("newstarter2024", "the password must not contain your email name; choose another (three random words make a "
                       "strong, memorable password)"),
])
def test_the_password_policy_refuses_common_and_published_passwords(db, password, message):
    with pytest.raises(AccountError) as refused, db.begin() as session:
        add_user(session, "newstarter@x.nhs.uk", "policy", password)
    assert str(refused.value) == f"Cannot create the account: {message}"
    with db.begin() as session:
        add_user(session, "newstarter@x.nhs.uk", "policy", "granite puffin lantern")  # three random words


def test_the_admin_page_says_why_a_password_is_refused(client_for):
    html = post(client_for("admin"), "/admin/users", {"email": "cfo@rxn.nhs.uk", "role": "trust_exec", "trust": "rxn",
                                                      "password": "passwordpassword"}, 400)
    assert ('<a href="#f-password"> The password is one of the most common passwords, which attackers try '
            "first; choose another (three random words make a strong, memorable password) </a>"
            ) in " ".join(html.split())


def demo_accounts(database_url: str, current_data, **config):
    """A local service whose database holds the demo accounts, as ``python -m web demo-users`` leaves it."""
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CURRENT_DATA": current_data,
                      "SECRET_KEY": "test", **config})
    with app.extensions["db"].begin() as session:
        for email, role, trust in DEMO_USERS:
            add_user(session, email, role, DEMO_PASSWORD, trust, allow_demo_password=True)
    return app


def test_production_refuses_to_start_while_demo_accounts_can_sign_in(monkeypatch, database_url, current_data):
    demo_accounts(database_url, current_data).extensions["db_engine"].dispose()
    monkeypatch.setenv("BUDDYING_ENV", "production")
    monkeypatch.setenv("BUDDYING_SECRET_KEY", KEY)
    from web import create_app
    with pytest.raises(BuddyingError) as refused:
        create_app({"DATABASE_URL": database_url, "CURRENT_DATA": current_data})
    assert str(refused.value) == (
        "Buddying will not start in production mode (BUDDYING_ENV=production) while the demo accounts can sign in: "
        "their password is published. Switch them off first: admin@example.nhs.uk, ceo.rbv@example.nhs.uk, "
        "ceo.rxl@example.nhs.uk, policy@example.nhs.uk, regulator@example.nhs.uk (python -m web users disable "
        "--email EMAIL for each, or --demo for all of them).")


def test_the_serve_command_says_why_it_will_not_start_and_users_disable_fixes_it(database_url, current_data):
    demo_accounts(database_url, current_data).extensions["db_engine"].dispose()
    production = {"BUDDYING_ENV": "production", "BUDDYING_SECRET_KEY": KEY}
    refused = web(database_url, "serve", "--port", "0", env=production)
    assert refused.returncode == 2 and "Buddying will not start in production mode" in refused.stderr
    assert refused.stdout == ""  # it never got as far as listening
    disabled = web(database_url, "users", "disable", "--demo", env=production)
    assert disabled.returncode == 0, disabled.stderr
    assert "regulator@example.nhs.uk     switched off" in disabled.stdout
    from web import create_app
    app = create_app({"DATABASE_URL": database_url, "CURRENT_DATA": current_data})  # local mode: never refused
    with app.extensions["db"]() as session:
        assert not any(u.active for u in session.scalars(select(User).where(User.email.like("%@example.nhs.uk"))))
    app.extensions["db_engine"].dispose()


def test_in_production_the_demo_password_never_signs_anyone_in(monkeypatch, database_url, current_data):
    app = demo_accounts(database_url, current_data, WTF_CSRF_ENABLED=False)
    monkeypatch.setenv("BUDDYING_ENV", "production")  # as if the database were moved under a production service
    try:
        response = app.test_client().post("/sign-in", data={"email": DEMO_USERS[0][0], "password": DEMO_PASSWORD})
        assert response.status_code == 400
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    finally:
        app.extensions["db_engine"].dispose()
