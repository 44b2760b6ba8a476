"""The administrator: accounts (add, switch off and on) and the audit log."""
from __future__ import annotations

from sqlalchemy import select

from matcher.store.tables import User
from tests.web.conftest import PASSWORD, USERS, flashes, page, post


def test_the_account_list_shows_every_account_with_its_role_and_trust(client_for):
    html = page(client_for("admin"), "/admin/users")
    assert "Every account (6)" in html
    assert "ceo@rxl.example.nhs.uk" in html and "Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in html


def test_an_account_is_added_with_every_field_checked(app, client_for):
    admin = client_for("admin")
    html = post(admin, "/admin/users", {"email": "new@x", "role": "trust_exec", "trust": "ZZZ", "password": "short"},
                400)
    text = " ".join(html.split())
    assert ('<a href="#f-email"> Enter an email address in the correct format, like name@example.nhs.uk </a>'
            in text)
    assert ('<a href="#f-trust"> Trust code &#39;ZZZ&#39; is not an open English NHS trust; check it in the trust '
            'list </a>') in text
    assert '<a href="#f-password"> The password must be at least 12 characters </a>' in text
    assert "--trust" not in html and "Cannot create the account" not in html
    html = page(admin, post(admin, "/admin/users", {"email": "cfo@rxn.nhs.uk", "role": "trust_exec", "trust": "rxn",
                                                    "password": "a long enough secret"}))
    assert flashes(html) == ["Account created for cfo@rxn.nhs.uk."]
    signed_in = app.test_client()
    assert post(signed_in, "/sign-in", {"email": "cfo@rxn.nhs.uk", "password": "a long enough secret"}) == "/"
    assert signed_in.get("/").location == "/my-trust/"


def test_a_trust_executive_without_a_trust_and_a_regulator_with_one_are_told_at_the_trust_field(client_for):
    admin = client_for("admin")
    for role, trust, message in (
            ("trust_exec", "", "Enter the code of the trust this chief executive leads, like RXL"),
            ("regulator", "RXL", "Leave the trust code empty: only a trust executive belongs to a trust")):
        html = post(admin, "/admin/users", {"email": "someone@nhs.net", "role": role, "trust": trust,
                                            "password": "a long enough secret"}, 400)
        text = " ".join(html.split())
        assert f'<a href="#f-trust"> {message} </a>' in text and "--trust" not in html
        assert ('<span class="nhsuk-error-message" id="f-trust-error"><span class="nhsuk-u-visually-hidden">Error:'
                f'</span> {message}</span>') in text
        assert 'href="#f-email"' not in text


def test_a_switched_off_account_cannot_sign_in_until_switched_on(app, client_for):
    admin = client_for("admin")
    with app.extensions["db"]() as session:
        policy_id = session.scalar(select(User.id).where(User.email == USERS["policy"][0]))
        admin_id = session.scalar(select(User.id).where(User.email == USERS["admin"][0]))
    assert flashes(page(admin, post(admin, f"/admin/users/{policy_id}/active"))) == [
        "policy@example.nhs.uk can no longer sign in."]
    post(app.test_client(), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}, 400)
    post(admin, f"/admin/users/{policy_id}/active")
    assert post(app.test_client(), "/sign-in", {"email": USERS["policy"][0], "password": PASSWORD}) == "/"
    assert flashes(page(admin, post(admin, f"/admin/users/{admin_id}/active")))[-1] == (
        "You cannot switch off your own account.")
    assert admin.post("/admin/users/9999/active").status_code == 404


def test_the_audit_log_lists_who_did_what(client_for, published):
    html = page(client_for("admin"), "/admin/audit")
    assert "run.publish" in html and "run.request" in html and "reg@example.nhs.uk" in html
    assert "sign_in" in html
