"""Issue 14, part B, in a real browser at desktop width and on a 390 px phone.

The policy form in words (labels, hints, checkboxes, an absurd budget refused with an error summary
that links to its field, nothing saved), the "what changed" view, the administrator's errors on
their own fields, every figure in plain words, and no page wider than a phone's screen. Each page is
checked with axe and saved as a screenshot (``desktop-...`` and ``phone-...``).

This module runs after the journeys (its name sorts last), so it finds their runs and offers; it
makes a run of its own and publishes nothing.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ADMIN, DEMO_TRUST_EXECS, POLICY, REGULATOR, screenshot, wait_for_run

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def no_wider_than_the_screen(page: Page) -> None:
    """Nothing on the page makes it scroll sideways: the document is no wider than the viewport."""
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def check(page: Page, name: str, size: str) -> None:
    no_wider_than_the_screen(page)
    screenshot(page, f"{size}-{name}")


@pytest.fixture(scope="module")
def run_id(browser, service) -> int:
    """A finished proposal run of the national default (queued here; never published)."""
    from tests.browser.pages import sign_in
    context = browser.new_context(base_url=service.url)
    page = context.new_page()
    sign_in(page, REGULATOR)
    page.goto("/dashboard")
    page.get_by_role("button", name="Run the matcher").click()
    found = wait_for_run(page)
    context.close()
    return found


@pytest.mark.parametrize("size", WIDTHS)
def test_the_policy_form_speaks_in_words_and_refuses_an_absurd_budget(signed_in, size):
    page = signed_in(POLICY, viewport=WIDTHS[size])
    page.goto("/scenarios/1/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Edit National default v\d+$"))
    budget = page.get_by_label("Annual budget for incentive payments (£ millions)", exact=True)
    expect(budget).to_have_attribute("name", "incentives.annual_budget_gbp_m")
    expect(page.locator("#f-incentives-annual-budget-gbp-m-hint")).to_have_text(
        "Budget for the annual incentive payments of all chosen partnerships, in £ millions (up to 10,000).")
    expect(page.get_by_text("weights.oversight_domain.people_workforce")).to_have_count(0)
    expect(page.get_by_label("Oversight: people and workforce", exact=True)).to_have_value("1")
    intensive = page.get_by_role("group", name="Segments that mean intensive support")
    expect(intensive.get_by_label("Segment 5 (intensive support)")).to_be_checked()
    expect(intensive.get_by_label("Segment 4")).not_to_be_checked()
    expect(page.get_by_role("group", name="Milestone 1").get_by_label("What must happen")).to_have_value(
        "out of the intensive segment")
    no_wider_than_the_screen(page)

    budget.fill("999999999999999999999")
    page.get_by_label("What changed and why").fill("Unlimited money")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page).to_have_title(re.compile(r"^Error: Edit "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    message = ("Annual budget for incentive payments (£ millions) must be 10,000 or less "
               "(you entered 999999999999999999999)")
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_attribute("href", "#f-incentives-annual-budget-gbp-m")
    expect(page.locator("#f-incentives-annual-budget-gbp-m-error")).to_have_text(f"Error: {message}")
    check(page, "scenario-edit-errors", size)
    link.click()
    expect(page.locator("#f-incentives-annual-budget-gbp-m")).to_be_focused()
    page.goto("/scenarios/")
    expect(page.get_by_role("link", name="Unlimited money")).to_have_count(0)
    expect(page.get_by_text("Unlimited money")).to_have_count(0)  # nothing was saved


@pytest.mark.parametrize("size", WIDTHS)
def test_a_new_version_says_what_changed(signed_in, size):
    page = signed_in(POLICY, viewport=WIDTHS[size])
    page.goto("/scenarios/1/edit")
    name = f"Segment 3 counts ({size})"
    page.get_by_label("Scenario name").fill(name)
    page.get_by_label("What changed and why").fill("Segment 3 is difficulty too.")
    page.get_by_role("group", name="Further segments that mean difficulty").get_by_label("Segment 3").check()
    page.get_by_label("Longest distance for a buddying (km)", exact=True).fill("150")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} v1")
    expect(page.get_by_role("heading", name=re.compile(r"^What changed from National default v\d+$"))).to_be_visible()
    rows = page.locator("#what-changed + div tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Further segments that mean difficulty")
    expect(rows.nth(0)).to_contain_text("Segment 3, Segment 4")
    expect(rows.nth(1)).to_contain_text("Longest distance for a buddying (km)")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("200")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("150")
    check(page, "scenario-what-changed", size)


@pytest.mark.parametrize("size", WIDTHS)
def test_an_upload_lists_each_problem_on_its_own_line(signed_in, size, tmp_path):
    page = signed_in(POLICY, viewport=WIDTHS[size])
    page.goto("/scenarios/")
    bad = tmp_path / "bad.yaml"
    bad.write_text("capacity:\n  buddy_units: 0\nsolver: {seed: x}\n", encoding="utf-8")
    page.get_by_label("Scenario name").fill("Bad upload")
    page.get_by_label("What changed and why").fill("A file with two mistakes")
    page.get_by_label("YAML file (in the layout of config.yaml)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and save").click()
    link = page.locator(".nhsuk-error-summary").get_by_role("link")
    expect(link).to_have_text("bad.yaml has 2 problems: fix each one listed under the file box and upload it again")
    expect(link).to_have_attribute("href", "#f-file")
    expect(page.locator("#f-file-problems li")).to_have_text(["capacity.buddy_units must be 1 or more, got 0",
                                                              "solver.seed must be a whole number, got 'x'"])
    check(page, "scenario-upload-errors", size)


@pytest.mark.parametrize("size", WIDTHS)
def test_the_admin_form_puts_each_error_on_its_own_field(signed_in, size):
    page = signed_in(ADMIN, viewport=WIDTHS[size])
    page.goto("/admin/users")
    page.get_by_label("Email address").fill("new.ceo@example.nhs.uk")
    page.get_by_label("Role").select_option(label="Trust executive")
    page.get_by_label("Password").fill("a long enough secret phrase")
    page.get_by_role("button", name="Add account").click()
    link = page.locator(".nhsuk-error-summary").get_by_role("link")
    expect(link).to_have_text("Enter the code of the trust this chief executive leads, like RXL")
    expect(link).to_have_attribute("href", "#f-trust")
    expect(page.get_by_text("--trust")).to_have_count(0)
    check(page, "accounts-errors", size)
    link.click()
    expect(page.locator("#f-trust")).to_be_focused()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_figures_are_explained_in_words(signed_in, size, run_id):
    page = signed_in(REGULATOR, viewport=WIDTHS[size])
    page.goto(f"/runs/{run_id}")
    figures = page.locator(".nhsuk-summary-list").first
    expect(figures).to_contain_text("recipients covered, weighted by severity (higher is better)")
    expect(figures).to_contain_text("Severity 8 (persistent difficulty, the most severe)")
    expect(figures).to_contain_text("Higher severity is worse.")
    expect(figures).to_contain_text(re.compile(r"data fingerprint [0-9a-f]{16}, settings fingerprint"))
    page.get_by_text("What these numbers mean").first.click()
    gap = re.compile(r"Gap\s*How far the plan might be from the best")
    expect(page.locator(".app-numbers").first).to_contain_text(gap)
    check(page, "run-figures-explained", size)

    page.goto(f"/runs/{run_id}/pairs/RXL")
    expect(page.locator("#fit-breakdown")).to_contain_text(re.compile(r"^Where the fit of \d+\.\d\d comes from$"))
    expect(page.locator("table").first).to_contain_text("How it is counted")
    check(page, "pair-fit-explained", size)

    page.goto(f"/runs/{run_id}/uncovered")
    severities = [int(s.split()[0]) for s in page.locator("td[data-label='Severity']").all_inner_texts()]
    assert severities and severities == sorted(severities, reverse=True)
    check(page, "uncovered", size)

    page.goto("/what-the-numbers-mean")
    expect(page.get_by_role("heading", level=1)).to_have_text("What the numbers mean")
    expect(page.locator("#severity")).to_contain_text("higher is worse")
    check(page, "what-the-numbers-mean", size)

    page.goto(f"/runs/{run_id}/map")
    labels = page.locator(".app-map__region-label").all_text_contents()
    assert labels[-1] == "London (enlarged)" and "North West" in labels and "South West" in labels
    assert "Birmingham" in page.locator(".app-map__place-label").all_text_contents()
    check(page, "run-map-labelled", size)

    page.goto(f"/runs/{run_id}?kind=management_contract&sector=ambulance")
    expect(page.locator("#no-match")).to_contain_text("No partnership matches these filters.")
    page.locator("#no-match").get_by_role("link", name="Clear filters").click()
    expect(page.locator("#partnerships caption")).to_have_text(re.compile(r"^\d+ partnerships$"))


PHONE_PAGES = [
    (REGULATOR, "dashboard", "/dashboard"), (REGULATOR, "runs", "/runs"), (REGULATOR, "run", "/runs/{run}"),
    (REGULATOR, "run-map", "/runs/{run}/map"), (REGULATOR, "rules", "/rules"), (REGULATOR, "trusts", "/trusts"),
    (REGULATOR, "trust", "/trusts/RXL"), (POLICY, "scenarios", "/scenarios/"), (POLICY, "scenario", "/scenarios/1"),
    (POLICY, "scenario-edit", "/scenarios/1/edit"), (ADMIN, "accounts", "/admin/users"),
    (ADMIN, "audit", "/admin/audit"), (DEMO_TRUST_EXECS["RXL"], "trust-offers", "/my-trust/"),
    (None, "data-sources", "/data-sources"),
]


@pytest.mark.parametrize("who, name, url", PHONE_PAGES)
def test_no_page_is_wider_than_a_phone(signed_in, new_context, run_id, who, name, url):
    page = signed_in(who, viewport=WIDTHS["phone"]) if who else new_context(viewport=WIDTHS["phone"]).new_page()
    page.goto(url.format(run=run_id))
    check(page, name, "phone")
    for region in page.locator(".app-table-scroll").all():  # a wide table scrolls inside its own region
        box = region.bounding_box()
        assert box is None or box["x"] + box["width"] <= WIDTHS["phone"]["width"] + 0.5, f"{name}: region too wide"
