"""Accessibility of the pages the journeys do not screenshot, and keyboard use.

WCAG 2.2 A and AA, checked by axe-core; the first Tab reaches the skip link, and focus is always
visible.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import ADMIN, POLICY, REGULATOR, assert_accessible

PAGES = [
    (None, "/sign-in"), (None, "/data-sources"), (None, "/what-the-numbers-mean"),
    (REGULATOR, "/trusts"), (REGULATOR, "/trusts?role=supporter"),
    (REGULATOR, "/trusts/RXL"), (REGULATOR, "/rules"), (REGULATOR, "/runs"), (REGULATOR, "/no-such-page"),
    (POLICY, "/scenarios/1"), (POLICY, "/scenarios/"), (POLICY, "/scenarios/1/edit"), (ADMIN, "/admin/users"),
    (ADMIN, "/admin/audit"), (None, "/transparency"), (REGULATOR, "/outcomes"), (POLICY, "/outcomes"),
    (REGULATOR, "/offers"), (REGULATOR, "/offers?status=withdrawn&trust=nobody"),
    (REGULATOR, "/admin/users"),  # the last is the 403 page
]


@pytest.mark.parametrize("who, url", PAGES)
def test_the_page_has_no_accessibility_violations(new_context, signed_in, who, url):
    page = signed_in(who) if who else new_context().new_page()
    page.goto(url)
    assert_accessible(page)


def test_forms_with_errors_stay_accessible(signed_in):
    page = signed_in(REGULATOR)
    page.goto("/rules")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)


def test_the_first_tab_reaches_the_skip_link_and_focus_is_visible(new_context):
    page = new_context().new_page()
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "f-email"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                            "getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none none", "the focused field shows no focus indicator"


def test_signing_in_works_with_the_keyboard_alone(new_context):
    page = new_context().new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").focus()
    page.keyboard.type(REGULATOR)
    page.keyboard.press("Tab")
    page.keyboard.type("local-demo-only")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text is ``name`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        if page.evaluate(focused) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_regulator_runs_the_matcher_with_the_keyboard_alone_and_every_page_on_the_way_is_accessible(new_context):
    page = new_context().new_page()
    page.goto("/sign-in")
    tab_to(page, "Skip to main content")
    page.keyboard.press("Enter")  # past the header, straight to the form
    page.keyboard.press("Tab")
    page.keyboard.type(REGULATOR)
    page.keyboard.press("Tab")
    page.keyboard.type("local-demo-only")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/dashboard" in url)
    assert_accessible(page)
    tab_to(page, "Run the matcher")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/jobs/" in url or "/runs/" in url)
    assert_accessible(page)  # the job page while it waits, or the run page if the run was quick
    page.wait_for_url(lambda url: "/runs/" in url, timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Run ")
    tab_to(page, "See the partnerships on a map")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of the proposed partnerships")
    assert_accessible(page)
