"""The policy journey in a real browser.

Edit a scenario into a new one, see a bad value caught by the error summary, run it as a what-if
and compare it with the national default.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.pages import POLICY, screenshot, wait_for_run

NEW_NAME = "Longer management contracts"


def scenario_row(page: Page, name: str):
    """The scenarios table's row for the newest version of ``name``."""
    return page.locator("tbody tr", has=page.get_by_role("link", name=re.compile(rf"^{name} v\d+$")))


def test_policy_edits_runs_and_compares_scenarios(signed_in):
    page = signed_in(POLICY)
    expect(page).to_have_url(re.compile(r"/scenarios/$"))
    expect(page.get_by_role("heading", name="Scenarios", level=1)).to_be_visible()
    screenshot(page, "scenarios")

    # edit the national default, saved under a new name with a longer management-contract distance
    page.get_by_role("link", name=re.compile(r"^Edit National default v\d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Edit National default v\d+$"))
    distance = page.get_by_label("Longest distance for a management contract (km)", exact=True)
    expect(distance).to_have_value("80")
    distance.fill("120")
    page.get_by_label("Scenario name").fill(NEW_NAME)
    page.get_by_label("What changed and why").fill("Let management contracts reach 120 km.")
    page.get_by_role("button", name="Save as a new version").click()

    # the new version's page, with its note and its configuration
    expect(page).to_have_url(re.compile(r"/scenarios/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NEW_NAME} v1")
    expect(page.get_by_text("Let management contracts reach 120 km.").first).to_be_visible()
    expect(page.locator("pre")).to_contain_text("management_contract: 120", use_inner_text=False)
    scenario_url = page.url

    # a management contract of no units is refused: the error summary links to the field
    page.get_by_role("link", name="Edit this version (saves a new one)").click()
    page.get_by_label("Support units a management contract uses", exact=True).fill("0")
    page.get_by_label("What changed and why").fill("No capacity at all.")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page).to_have_title(re.compile(r"^Error: Edit "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.get_by_role("link",
                               name="Support units a management contract uses must be 1 or more (you entered 0)")
    expect(link).to_have_attribute("href", "#f-capacity-mc-units")
    field = page.locator("#f-capacity-mc-units")
    expect(field).to_have_attribute("name", "capacity.mc_units")
    expect(field).to_have_value("0")
    expect(page.locator("#f-capacity-mc-units-error")).to_contain_text(
        "Support units a management contract uses must be 1 or more (you entered 0)")
    screenshot(page, "scenario-edit-errors")
    link.click()
    expect(field).to_be_focused()

    # nothing was saved: still version 1; run it as a what-if (never published)
    page.goto(scenario_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NEW_NAME} v1")
    page.get_by_role("button", name="Run as what-if").click()
    what_if = wait_for_run(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {what_if}: {NEW_NAME} v1 (what-if)")
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("What-if")
    expect(page.get_by_role("button", name="Publish offers")).to_have_count(0)

    # the national default needs a run of its own to compare with (the regulator's, or a what-if)
    page.goto("/scenarios/")
    default = scenario_row(page, "National default")
    if default.get_by_text("Not run yet").count():
        default.get_by_role("button", name=re.compile(r"^Run as what-if")).click()
        wait_for_run(page)
        page.goto("/scenarios/")
    expect(scenario_row(page, NEW_NAME)).to_contain_text(f"Run {what_if}")

    # compare the two side by side
    page.get_by_label("First scenario").select_option("National default")
    page.get_by_label("Second scenario").select_option(NEW_NAME)
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(rf"/runs/compare\?a=\d+&b={what_if}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^Run \d+ compared with run {what_if}$"))
    figures = page.locator("table", has=page.locator("caption", has_text="Figures side by side"))
    for figure in ("Partnerships", "Uncovered recipients", "Annual incentives", "Mean distance", "Mean fit"):
        expect(figures.get_by_role("rowheader", name=figure, exact=True)).to_be_visible()
    differ = page.get_by_role("heading", name=re.compile(r"^Partnerships that differ: "))
    expect(differ).to_have_text(re.compile(r"^Partnerships that differ: \d+ added, \d+ removed, \d+ changed$"))
    added, removed, changed = map(int, re.findall(r"\d+", differ.inner_text()))
    changes = page.locator("table", has=page.locator("caption", has_text="Recipients whose partnership differs"))
    if added + removed + changed:
        expect(changes.locator("tbody tr")).to_have_count(added + removed + changed)
        expect(changes.locator("tbody tr td:nth-child(2)").first).to_have_text(re.compile(r"^(added|removed|changed)$"))
    else:
        expect(changes).to_contain_text("The two plans have the same partnerships.")
    screenshot(page, "compare")
