"""Every step of the regulator's core journey works with JavaScript switched off.

Forms post, the job page refreshes itself with an HTTP header, and filters are plain GET forms.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import REGULATOR, partnership_rows, wait_for_run


def test_sign_in_run_and_read_a_proposal_without_javascript(signed_in):
    page = signed_in(REGULATOR, java_script_enabled=False)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("body")).not_to_have_class(re.compile(r"js-enabled"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    page.get_by_role("button", name="Run the matcher").click()
    run_id = wait_for_run(page)
    rows = partnership_rows(page)
    assert rows
    expect(page.locator("#partnerships caption")).to_have_text(f"{len(rows)} partnerships")

    page.get_by_label("Kind").select_option("buddy")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}\?.*kind=buddy"))
    assert {r.kind for r in partnership_rows(page)} == {"buddying"}

    page.locator("#partnerships tbody a").first.click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/pairs/[A-Z0-9]+$"))
    expect(page.locator("caption", has_text=re.compile(r"^Where the fit of \d+\.\d\d comes from$"))).to_be_visible()

    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Latest drafts")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(rf"^Run {run_id}: "))).to_be_visible()


def test_publish_after_the_check_and_answer_an_offer_after_the_check_without_javascript(signed_in, service):
    page = signed_in(REGULATOR, java_script_enabled=False)
    page.get_by_role("button", name="Run the matcher").click()
    run_id = wait_for_run(page)
    rows = partnership_rows(page)
    page.get_by_role("button", name="Publish offers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check before you publish run {run_id}")
    page.get_by_role("button", name="Confirm and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {run_id} published")

    for row in reversed(rows):  # a trust of this run with an offer still waiting for its answer
        trust = signed_in(service.trust_exec(row.recipient), java_script_enabled=False)
        waiting = trust.locator("#offers tbody tr", has_text="Reply by")
        if waiting.count():
            break
    else:
        raise AssertionError("no offer of the published run is waiting for an answer")
    waiting.first.get_by_role("link").click()
    trust.get_by_label("No, we decline").check()
    trust.get_by_label("Our board has decided against it").check()  # the reasons are there without JavaScript
    trust.get_by_role("button", name="Continue").click()
    expect(trust.get_by_role("heading", level=1)).to_have_text("Check your answer before sending it")
    expect(trust.locator("#your-answer")).to_contain_text("Our board has decided against it")
    trust.get_by_role("button", name="Change your answer").click()  # back to the form, filled in
    expect(trust.get_by_label("Our board has decided against it")).to_be_checked()
    trust.get_by_role("button", name="Continue").click()
    trust.get_by_role("button", name="Send answer").click()
    expect(trust.get_by_role("heading", level=1)).to_have_text("Answer sent")
    expect(trust.get_by_role("heading", name="What happens next")).to_be_visible()
    trust.get_by_role("link", name=re.compile(r"^See offer \d+$")).click()
    expect(trust.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Declined: the offer for "))
