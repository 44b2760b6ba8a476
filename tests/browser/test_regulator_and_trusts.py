"""The regulator and trust executive journeys, end to end in a real browser, in order.

Run the matcher and publish, trusts accept one offer and decline another, then re-match.

The tests share one service and build on each other (pytest runs them in file order); what one
learns (the published run, the accepted and declined pairs) is kept in ``journey``.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import (
    ARTIFACTS,
    REGULATOR,
    assert_accessible,
    code_of,
    partnership_rows,
    run_matcher,
    screenshot,
    screenshot_both,
)


@pytest.fixture(scope="module")
def journey() -> dict:
    """What the earlier steps found out, for the later ones."""
    return {}


def earlier(journey: dict, *keys: str):
    """What an earlier test of this module found out (they run in order, as one journey)."""
    missing = [k for k in keys if k not in journey]
    if missing:
        pytest.fail(f"an earlier step of the journey did not finish (no {', '.join(missing)}); run the whole module")
    return [journey[k] for k in keys]


def test_regulator_runs_explores_and_publishes_a_proposal(signed_in, new_context, journey):
    sign_in_page = new_context().new_page()
    sign_in_page.goto("/")
    expect(sign_in_page).to_have_url(re.compile(r"/sign-in$"))
    screenshot(sign_in_page, "sign-in")

    page = signed_in(REGULATOR)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("Nothing has been published yet.")).to_be_visible()
    screenshot(page, "dashboard-empty")

    # the job page refreshes itself (a Refresh header, no JavaScript) until the run is done
    run_id = run_matcher(page)
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("Draft")
    rows = partnership_rows(page)
    assert len(rows) >= 10, "the shipped data should give a national proposal"
    expect(page.locator("#partnerships caption")).to_have_text(f"{len(rows)} partnerships")
    screenshot(page, "run-proposal")

    # filter by kind: only management contracts are left
    page.get_by_label("Kind").select_option(label="management contract")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=management_contract"))
    filtered = partnership_rows(page)
    assert filtered and {r.kind for r in filtered} == {"management contract"}
    assert len(filtered) == sum(r.kind == "management contract" for r in rows)
    plural = "partnership" if len(filtered) == 1 else "partnerships"  # "1 partnership", never "1 partnerships"
    expect(page.locator("#partnerships caption")).to_have_text(f"{len(filtered)} {plural} matching the filters")

    # back to every kind, then sort by distance, nearest first, then farthest first
    page.goto(f"/runs/{run_id}")
    page.locator("#partnerships thead").get_by_role("link", name="Distance").click()
    expect(page).to_have_url(re.compile(r"sort=distance&order=asc"))
    expect(page.locator("#partnerships thead [aria-sort]")).to_have_text("Distance (low to high)")
    distances = [int(t.replace(",", "").removesuffix(" km"))
                 for t in page.locator("#partnerships tbody tr td:nth-child(5)").all_inner_texts()]
    assert distances == sorted(distances) and len(distances) == len(rows)
    page.locator("#partnerships thead").get_by_role("link", name="Distance").click()
    expect(page.locator("#partnerships thead [aria-sort]")).to_have_text("Distance (high to low)")
    distances = [int(t.replace(",", "").removesuffix(" km"))
                 for t in page.locator("#partnerships tbody tr td:nth-child(5)").all_inner_texts()]
    assert distances == sorted(distances, reverse=True)

    # a pair's page explains it: fit breakdown and the alternatives that lost
    first = rows[0]
    page.locator("#partnerships tbody").get_by_role("link", name=re.compile(rf"\({first.recipient}\)$")).click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/pairs/{first.recipient}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"({first.supporter}) to support")
    breakdown = re.compile(r"^Where the fit of \d+\.\d\d comes from$")
    expect(page.locator("caption", has_text=breakdown)).to_be_visible()
    expect(page.locator("table", has=page.locator("caption", has_text=breakdown))
           .locator("tbody tr").first).to_be_visible()
    expect(page.get_by_role("heading", name="The best alternatives, and why each was not chosen")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Distance between head offices")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("a year")
    screenshot(page, "pair")
    # the letters to both trusts, drafts until the run is published
    page.get_by_role("link", name="Offer letters to both trusts (printable)").click()
    expect(page.locator("article.app-letter")).to_have_count(2)
    expect(page.get_by_text("Draft: not sent").first).to_be_visible()
    assert_accessible(page)
    page.go_back()

    # the uncovered recipients, with their reasons
    page.get_by_role("link", name=f"Back to run {run_id}").click()
    page.get_by_role("link", name=re.compile(r"^Recipients left uncovered")).click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/uncovered$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Recipients left uncovered \(\d+\)$"))
    screenshot(page, "uncovered")

    # the map: one line per partnership, drawn without any tile server or script
    page.goto(f"/runs/{run_id}")
    page.get_by_role("link", name="See the partnerships on a map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of the proposed partnerships")
    main_map = page.locator("svg.app-map > g.app-map__links line.app-map__link")  # the inset repeats London's
    expect(main_map).to_have_count(len(rows))
    expect(page.get_by_text("Contains OS data © Crown copyright and database right 2022")).to_be_visible()
    screenshot(page, "map")

    # the charts on the run page: coverage by region, spend against budget, distances (SVG, with tables)
    page.goto(f"/runs/{run_id}")
    charts = page.locator("h2:has-text('Charts') + div")
    expect(charts.locator("svg.app-chart__svg")).to_have_count(3)
    expect(charts.locator("figcaption", has_text="Annual incentives against the budget")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    charts.screenshot(path=str(ARTIFACTS / "charts.png"))
    page.goto(f"/runs/{run_id}/uncovered")

    # publish: every partnership becomes a new offer
    page.get_by_role("link", name=f"Back to run {run_id}").click()
    page.get_by_role("button", name="Publish offers").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/publish\??$"))  # the check step comes first
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check before you publish run {run_id}")
    trusts = len({r.supporter for r in rows} | {r.recipient for r in rows})
    expect(page.locator("#publication-summary")).to_contain_text(f"New offers sent{len(rows)}, to {trusts} trusts")
    expect(page.locator("#new-offers tbody tr")).to_have_count(len(rows))
    expect(page.get_by_text("Publishing cannot be undone")).to_be_visible()
    screenshot_both(page, "publish-check")
    page.get_by_role("button", name="Confirm and publish").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/published$"))
    expect(page.locator(".app-flash")).to_have_text(
        f"Run {run_id} is published: {len(rows)} new offers, 0 kept from before, 0 withdrawn.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {run_id} published")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    screenshot_both(page, "published")
    page.goto(f"/runs/{run_id}")
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("Published")
    expect(page.get_by_role("button", name="Publish offers")).to_have_count(0)

    page.goto("/dashboard")
    expect(page.get_by_text(f"Offers: {len(rows)} waiting for an answer, 0 accepted, 0 declined.")).to_be_visible()
    screenshot(page, "dashboard")
    journey.update(run_id=run_id, rows=rows)


def open_offer_with(page: Page, partner: str) -> int:
    """From the offers list, open the offer whose partner is ``partner``; return the offer id."""
    page.goto("/my-trust/")
    row = page.locator("tbody tr", has=page.get_by_role("cell", name=re.compile(rf"\({partner}\)$")))
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/my-trust/offers/\d+$"))
    return int(page.url.rsplit("/", 1)[-1])


def answer(page: Page, decision: str, reason: str = "", text: str = "", shot: str = "") -> None:
    """Fill in the answer form on an offer page, check the answer on the check page, then send it."""
    page.get_by_label(decision).check()
    if reason:
        page.get_by_label(reason).check()
    if text:
        page.get_by_label(re.compile(r"^Anything else the regulator should know")).fill(text)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answer before sending it")
    summary = page.locator("#your-answer")
    expect(summary).to_contain_text(re.compile(rf"Your answer\s*{re.escape(decision)}"))
    if reason:
        expect(summary).to_contain_text(re.compile(rf"Why your trust declines\s*{re.escape(reason)}"))
    else:
        expect(summary).not_to_contain_text("Why your trust declines")  # reasons only when declining
    if shot:
        screenshot_both(page, shot)
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer sent")  # the confirmation page
    expect(page.locator("#confirmation")).to_contain_text(
        "Thank you: your answer is recorded and the regulator has been told.")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    if shot:
        screenshot_both(page, f"{shot}-sent")
    page.get_by_role("link", name=re.compile(r"^See offer \d+$")).click()


def test_trust_executives_accept_one_offer_and_decline_another(signed_in, service, journey):
    [rows] = earlier(journey, "rows")
    involving_rxl = [r for r in rows if "RXL" in (r.recipient, r.supporter)]
    assert involving_rxl, "RXL (a demo trust executive's trust) should be in the shipped proposal"

    # RXL's executive sees exactly the offers that involve RXL
    rxl = signed_in(service.trust_exec("RXL"))
    expect(rxl).to_have_url(re.compile(r"/my-trust/$"))
    expect(rxl.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Offers for .*\(RXL\)$"))
    expect(rxl.locator("caption")).to_have_text(f"Your trust's offers ({len(involving_rxl)})")
    partners = sorted(code_of(t) for t in rxl.locator("#offers tbody tr td:nth-child(1)").all_inner_texts())
    assert partners == sorted(r.supporter if r.recipient == "RXL" else r.recipient for r in involving_rxl)
    screenshot_both(rxl, "offers-list")

    # RXL accepts the first of them
    accepted = involving_rxl[0]
    partner = accepted.supporter if accepted.recipient == "RXL" else accepted.recipient
    offer_id = open_offer_with(rxl, partner)
    expect(rxl.get_by_role("heading", level=1)).to_contain_text(f"({partner})")
    summary = rxl.locator(".nhsuk-summary-list").first
    for key in ("What is asked", "Expected workload", "Incentive paid to", "Proposed start", "Reply by",
                "Why this partner", "Contact"):
        expect(summary).to_contain_text(key)
    expect(summary).not_to_contain_text("Chosen over")  # no solver text, no other trust's commitments
    expect(summary).not_to_contain_text("score")
    screenshot_both(rxl, "offer")
    # the same offer as a letter to the trust's chief executive, to print (the print stylesheet drops the header)
    rxl.get_by_role("link", name="This offer as a letter to print or save").click()
    rxl.wait_for_url(re.compile(rf"/my-trust/offers/{offer_id}/letter$"))
    expect(rxl.locator(".app-letter address")).to_contain_text("The Chief Executive")
    expect(rxl.locator(".app-letter")).to_contain_text("How to answer")
    expect(rxl.locator(".app-letter")).to_contain_text("Reply by")
    expect(rxl.locator(".app-letter")).not_to_contain_text("Chosen over")
    screenshot_both(rxl, "offer-letter")
    rxl.emulate_media(media="print")
    expect(rxl.locator(".nhsuk-header")).to_be_hidden()
    expect(rxl.locator(".app-letter")).to_be_visible()
    rxl.emulate_media(media="screen")
    rxl.goto(f"/my-trust/offers/{offer_id}")
    answer(rxl, "Yes, we accept", shot="answer-check-accept")
    expect(rxl.locator(".nhsuk-caption-l")).to_have_text(f"Offer {offer_id}: pending")
    expect(rxl.locator("#mine")).to_contain_text("Your trust accepted this offer")
    expect(rxl.get_by_role("button", name="Send answer")).to_have_count(0)

    # the partner trust accepts too, so the offer is accepted
    other = signed_in(service.trust_exec(partner))
    assert open_offer_with(other, "RXL") == offer_id
    answer(other, "Yes, we accept")
    expect(other.locator(".nhsuk-caption-l")).to_have_text(f"Offer {offer_id}: accepted")
    expect(other.locator("#answers")).to_contain_text("(RXL) accepted on")

    # another offer (not RXL's) is declined, with a reason, by one of its trusts
    others = [r for r in rows if "RXL" not in (r.recipient, r.supporter) and r != accepted]
    declined = next((r for r in others if partner in (r.supporter, r.recipient)), others[0])
    decliner = partner if partner in (declined.supporter, declined.recipient) else declined.recipient
    counterpart = declined.recipient if decliner == declined.supporter else declined.supporter
    page = other if decliner == partner else signed_in(service.trust_exec(decliner))
    declined_id = open_offer_with(page, counterpart)
    answer(page, "No, we decline", "We do not have the capacity at the moment", "Our board meets again in spring.",
           shot="answer-check-decline")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(f"Offer {declined_id}: declined")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Declined: the offer for "))
    expect(page.locator("#mine")).to_contain_text('Your trust declined this offer')
    expect(page.locator("#mine")).to_contain_text('"Our board meets again in spring."')

    # the declined offer stays in the trust's list, with its status and the reason
    page.goto("/my-trust/")
    row = page.locator("#offers tbody tr", has=page.get_by_role("cell", name=re.compile(rf"\({counterpart}\)$")))
    expect(row).to_contain_text("Declined")
    expect(row).to_contain_text("your trust declined it on")
    expect(row).to_contain_text("we do not have the capacity at the moment")
    screenshot_both(page, "offers-list-declined")

    # the page where a trust declares its capacity for the next run
    page.get_by_role("link", name="Capacity and willingness").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your trust's capacity and willingness to support others")
    screenshot(page, "capacity")

    # Blackpool, a trust in difficulty, volunteers capacity: the regulator will see it flagged
    rxl.goto("/my-trust/capacity")
    rxl.get_by_label("Yes").check()
    rxl.get_by_label("Spare support units beyond the standard capacity").fill("1")
    rxl.get_by_label("Note for the regulator (optional)").fill("Our finance team can help a neighbour")
    rxl.get_by_role("button", name="Save").click()
    expect(rxl.locator(".app-flash")).to_contain_text("Saved")

    # RXL cannot open the declined offer, which is not RXL's: it does not exist as far as RXL knows
    response = rxl.goto(f"/my-trust/offers/{declined_id}")
    assert response is not None and response.status == 404
    expect(rxl.get_by_role("heading", level=1)).to_have_text("Page not found")
    journey.update(accepted=accepted, declined=declined, decliner=decliner)


def test_regulator_rematches_keeping_the_accepted_pair_and_never_the_declined_one(signed_in, journey):
    first_run, first_rows, accepted, declined = earlier(journey, "run_id", "rows", "accepted", "declined")
    page = signed_in(REGULATOR)
    expect(page.get_by_text(re.compile(r"Offers: \d+ waiting for an answer, 1 accepted, 1 declined\."))).to_be_visible()

    run_id = run_matcher(page)
    assert run_id != first_run
    changes = page.get_by_role("heading",
                               name=re.compile(rf"^Changes from the published run {first_run} \(\d+ recipients?\)$"))
    expect(changes).to_be_visible()
    expect(page.get_by_role("link", name=f"run {first_run}")).to_be_visible()
    rows = partnership_rows(page)
    now = {r.recipient: r.supporter for r in rows}
    before = {r.recipient: r.supporter for r in first_rows}
    changed = page.locator("#changes-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))")
    expected = {r for r in before.keys() | now.keys() if before.get(r) != now.get(r)}
    assert {code_of(c[0]) for c in changed} == expected and expected
    for recipient, old, new, why in changed:  # each changed recipient: the old and the new partner, by name, and why
        code = code_of(recipient)
        assert (code_of(old.removesuffix(" (buddying)").removesuffix(" (management contract)")) if old != "No partner"
                else None) == before.get(code), old
        assert (code_of(new.removesuffix(" (buddying)").removesuffix(" (management contract)")) if new != "No partner"
                else None) == now.get(code), new
        assert why and why.endswith(".")
    declined_row = next(c for c in changed if code_of(c[0]) == declined.recipient)
    assert f"({declined.supporter})" in declined_row[1] and declined_row[3].startswith("Declined by ")
    expect(page.locator("#new-offers")).to_contain_text("New offers publishing would send")
    screenshot_both(page, "run-rematch")

    page.get_by_role("button", name="Publish offers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check before you publish run {run_id}")
    expect(page.locator("#publication-summary")).to_contain_text("Offers kept with their answers")
    expect(page.locator("#publication-summary")).to_contain_text("Offers withdrawn")
    screenshot_both(page, "publish-check-rematch")
    page.get_by_role("button", name="Confirm and publish").click()
    expect(page.locator(".app-flash")).to_have_text(re.compile(
        rf"^Run {run_id} is published: \d+ new offers, \d+ kept from before, \d+ withdrawn\.$"))

    page.goto(f"/runs/{run_id}")
    rows = partnership_rows(page)
    assert not [r for r in rows if (r.supporter, r.recipient) == (declined.supporter, declined.recipient)], \
        "a declined pair must never be proposed again"
    kept = [r for r in rows
            if (r.supporter, r.recipient, r.kind) == (accepted.supporter, accepted.recipient, accepted.kind)]
    assert kept and kept[0].locked, "the accepted pair stays, locked"
    expect(page.locator("#partnerships tbody tr", has_text=f"({accepted.recipient})")
           .locator(".nhsuk-tag", has_text="Locked")).to_be_visible()


def test_the_regulator_sees_every_offer_answer_and_declared_capacity_in_one_place(signed_in, journey):
    accepted, declined, decliner = earlier(journey, "accepted", "declined", "decliner")
    page = signed_in(REGULATOR)
    page.get_by_role("link", name="Offers", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers")
    row = page.locator("#offers tbody tr", has_text=f"({declined.recipient})").filter(
        has_text=f"({declined.supporter})")
    expect(row).to_contain_text("Declined")
    expect(row).to_contain_text("we do not have the capacity at the moment")
    agreed = page.locator("#offers tbody tr", has_text=f"({accepted.recipient})").filter(
        has_text=f"({accepted.supporter})")
    expect(agreed).to_contain_text("Accepted")
    declarations = page.locator("#declarations tbody tr", has_text="(RXL)")
    expect(declarations).to_contain_text("Our finance team can help a neighbour")
    expect(declarations).to_contain_text("in difficulty")  # flagged, not silently ignored
    screenshot_both(page, "regulator-offers")

    page.get_by_label("Status").select_option(label="Declined")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#offers caption")).to_have_text(re.compile(r"^1 of \d+ offers match the filters$"))
    expect(page.locator("#offers tbody tr")).to_contain_text(f"({decliner})")
    screenshot_both(page, "regulator-offers-filtered")
    page.get_by_role("link", name="Clear filters").first.click()
    expect(page.locator("#offers caption")).to_have_text(re.compile(r"^\d+ offers$"))
