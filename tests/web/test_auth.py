"""Signing in and out."""
from __future__ import annotations

from sqlalchemy import select

from matcher.store.tables import AuditEntry, User
from tests.web.conftest import PASSWORD, USERS, flashes, page, post


def test_signed_out_people_are_sent_to_sign_in(client_for):
    response = client_for(None).get("/dashboard")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


def test_the_start_page_sends_each_role_to_its_own_page(client_for):
    expected = {"regulator": "/dashboard", "policy": "/scenarios/", "rxl": "/my-trust/", "admin": "/admin/users"}
    for who, target in expected.items():
        assert client_for(who).get("/").location == target


def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong(client_for, app):
    html = post(client_for(None), "/sign-in", {"email": USERS["regulator"][0], "password": "wrong"}, 400)
    assert "Enter a correct email address and password" in html
    html = post(client_for(None), "/sign-in", {"email": "nobody@example.nhs.uk", "password": "wrong"}, 400)
    assert "Enter a correct email address and password" in html
    with app.extensions["db"]() as session:
        failed = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_in.failed")).all()
    assert [e.subject for e in failed] == [USERS["regulator"][0], "nobody@example.nhs.uk"]


def test_empty_fields_are_named_in_the_error_summary(client_for):
    html = post(client_for(None), "/sign-in", {"email": "", "password": ""}, 400)
    assert 'href="#f-email"' in html and "Enter your email address" in html
    assert 'href="#f-password"' in html and "Enter your password" in html


def test_the_email_is_not_case_sensitive(client_for):
    client = client_for(None)
    assert post(client, "/sign-in", {"email": USERS["regulator"][0].upper(), "password": PASSWORD}) == "/"


def test_a_deactivated_account_cannot_sign_in_and_is_signed_out(app, client_for):
    client = client_for("policy")
    with app.extensions["db"].begin() as session:
        session.scalar(select(User).where(User.email == USERS["policy"][0])).active = False
    assert client.get("/scenarios/").status_code == 302
    post(client_for(None), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}, 400)


def test_signing_out_ends_the_session(client_for):
    client = client_for("regulator")
    assert post(client, "/sign-out") == "/sign-in"
    assert flashes(page(client, "/sign-in")) == [
        "You have signed out. Close the browser if others use this computer."]
    assert flashes(page(client, "/sign-in")) == []  # said once
    assert client.get("/dashboard").status_code == 302


def test_after_sign_in_the_person_returns_to_the_page_they_asked_for_but_never_off_site(client_for):
    data = {"email": USERS["regulator"][0], "password": PASSWORD}
    assert client_for(None).post("/sign-in?next=/runs", data=data).location == "/runs"
    assert client_for(None).post("/sign-in?next=https://evil.example/", data=data).location == "/"
    assert client_for(None).post("/sign-in?next=//evil.example/", data=data).location == "/"


def test_the_header_names_the_person_and_their_role(client_for):
    html = page(client_for("rxl"), "/my-trust/")
    assert "ceo@rxl.example.nhs.uk (Trust executive, RXL)" in html and "Sign out" in html
