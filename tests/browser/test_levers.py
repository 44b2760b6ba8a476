"""What would cover more and a pair's backup, in a real browser: a regulator tries the levers on a run."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import REGULATOR, RUN_TIMEOUT_MS, run_matcher, screenshot


def test_a_regulator_tries_the_levers_and_reads_a_backup(signed_in):
    page = signed_in(REGULATOR)
    run_id = run_matcher(page)

    page.get_by_role("link", name="What would cover more: each policy lever moved one notch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What would cover more")
    expect(page.locator("#levers-none")).to_have_text("The levers have not been tried on this run yet.")
    page.get_by_role("button", name="Try the levers").click()
    page.wait_for_url(re.compile(rf"/runs/{run_id}/levers$"), timeout=RUN_TIMEOUT_MS)
    expect(page.locator("#levers caption")).to_have_text("7 levers, most coverage gained first")
    first = page.locator("#levers tbody tr").first
    expect(first).to_contain_text("Supporters from segment 3 with a recent Good rating")
    expect(first).to_contain_text("+32")
    expect(page.locator("#levers-base")).to_contain_text("The plan as it stands covers 18 of 62 recipients")
    screenshot(page, "levers")

    page.goto(f"/runs/{run_id}/pairs/RCX")
    expect(page.locator("#backup")).to_contain_text(
        "A re-match would propose Cambridge University Hospitals NHS Foundation Trust (RGT)")
    screenshot(page, "pair-backup")
