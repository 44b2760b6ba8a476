"""The regulator's journey: run, read the proposal, publish, set rules, re-match, compare."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from matcher.store.offers import DecisionRequest, decide
from matcher.store.runs import plan_of
from matcher.store.tables import AuditEntry, Offer, PairRule, Run
from tests.web.conftest import flashes, page, post
from web.filters import kind_words, trust_label


def test_the_dashboard_before_any_run_says_nothing_is_published_and_offers_a_run(regulator):
    html = page(regulator, "/dashboard")
    assert "Nothing has been published yet." in html
    assert "National default v1" in html and "Run the matcher" in html


def test_a_run_is_queued_and_its_page_refreshes_until_the_worker_has_finished(regulator, run_jobs):
    job_url = post(regulator, "/runs/new", {"scenario_id": "1"})
    response = regulator.get(job_url)
    assert response.status_code == 200 and response.headers["Refresh"] == "2"
    html = response.get_data(as_text=True)
    assert "Waiting for the worker." in html and "(waiting for the worker)" not in html
    assert "Job 1" in page(regulator, "/dashboard")
    assert run_jobs() == 1
    assert regulator.get(job_url).location == "/runs/1"


def test_a_run_that_cannot_be_solved_shows_why_and_stores_no_plan(app, regulator, run_jobs):
    with app.extensions["db"].begin() as session:  # lock a pair that breaks capacity: RBV cannot take two MCs
        session.add_all([PairRule(rule="lock", supporter="RBV", recipient=r, kind="management_contract",
                                  reason="test") for r in ("RXL", "RXN", "RWD")])
    job_url = post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    html = page(regulator, job_url)
    assert "The run failed" in html and "There is a problem" in html
    with app.extensions["db"]() as session:
        assert session.scalar(select(func.count()).select_from(Run)) == 0


def test_the_proposal_shows_the_figures_a_regulator_reads_first(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}")
    assert "18 partnerships" in html
    assert "17 buddying, 1 management contract)" in html
    assert "44 of 62" in html  # uncovered
    assert "of the £35.00m budget" in html
    assert "Coverage: reached 47, best possible 47, gap 0.00% (proven best)" in html
    assert "Publish offers" in html


def test_the_proposal_table_filters_by_kind_region_and_sector(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}?kind=management_contract")
    assert "1 partnership matching the filters" in html and "1 partnerships" not in html
    assert html.count(f'href="/runs/{proposal}/pairs/') == 1
    regions = re.findall(r'<option value="([^"]+)">', html.split('name="region"')[1].split("</select>")[0])
    one = page(regulator, f"/runs/{proposal}?region={regions[0]}")
    assert 0 < one.count(f'href="/runs/{proposal}/pairs/') < 18
    assert page(regulator, f"/runs/{proposal}?sector=acute").count(f'href="/runs/{proposal}/pairs/') > 0


def test_the_proposal_table_sorts_by_any_column_both_ways(regulator, proposal):
    def scores(url):
        html = page(regulator, url)
        table = html.split('id="partnerships"')[1].split("</table>")[0]
        rows = re.findall(r'<tr class="nhsuk-table__row">.*?</tr>', table, re.S)
        cells = [re.findall(r'app-num">(.*?)</td>', row) for row in rows]  # distance, fit, score, incentive
        return [int(row[2].replace(",", "")) for row in cells]
    high_first = scores(f"/runs/{proposal}?sort=score&order=desc")
    assert high_first == sorted(high_first, reverse=True) and len(high_first) == 18
    assert scores(f"/runs/{proposal}?sort=score&order=asc") == sorted(high_first)
    assert 'aria-sort="descending"' in page(regulator, f"/runs/{proposal}?sort=score&order=desc")
    page(regulator, f"/runs/{proposal}?sort=nonsense")  # an unknown sort falls back to the recipient


def test_a_pair_page_explains_the_choice_and_the_alternatives(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/pairs/RXL")
    assert "to support Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in html
    assert "Fit breakdown" in html and "Distance between head offices" in html
    assert "a year" in html and "over the term" in html
    assert "The best alternatives, and why each was not chosen" in html
    assert "units are used in this plan" in html
    page(regulator, f"/runs/{proposal}/pairs/ZZZ", 404)


def test_the_uncovered_page_gives_the_binding_reasons_and_what_would_change_them(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/uncovered")
    assert "Recipients left uncovered (44)" in html
    assert "What would change it" in html


def test_publishing_creates_one_offer_per_partnership_and_twice_changes_nothing(app, regulator, proposal):
    html = page(regulator, post(regulator, f"/runs/{proposal}/publish"))
    assert flashes(html) == [f"Run {proposal} is published: 18 new offers, 0 kept from before, 0 withdrawn."]
    assert "Publish offers" not in html
    html = page(regulator, post(regulator, f"/runs/{proposal}/publish"))
    assert flashes(html) == [f"Run {proposal} was already published; nothing changed."]
    with app.extensions["db"]() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 18
        publications = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "run.publish")
        assert session.scalar(publications) == 1
    assert "Offers: 18 waiting for an answer" in page(regulator, "/dashboard")


def test_a_missing_run_is_not_found(regulator):
    page(regulator, "/runs/99", 404)
    assert regulator.post("/runs/99/publish").status_code == 404


def test_rules_are_checked_field_by_field(regulator):
    html = post(regulator, "/rules",
                {"rule": "lock", "supporter": "ZZZ", "recipient": "", "kind": "", "reason": ""}, 400)
    assert "ZZZ is not an open English NHS trust in the data" in html
    assert "Enter the recipient&#39;s trust code" in html
    assert "Select the kind of support to lock" in html
    assert "Explain why, for the audit log and the trusts" in html
    html = post(regulator, "/rules", {"rule": "lock", "supporter": "RXL", "recipient": "RBV", "kind": "buddy",
                                      "reason": "x"}, 400)
    assert "RXL is not a supporter in the current data, so it cannot be locked as one" in html


def test_an_exclusion_applies_to_the_next_run_and_can_be_removed(app, regulator, proposal, run_jobs):
    with app.extensions["db"]() as session:
        supporter = plan_of(session, session.get(Run, proposal)).pairs[0]
        pair = (supporter.supporter, supporter.recipient)
    post(regulator, "/rules", {"rule": "exclude", "supporter": pair[0].lower(), "recipient": pair[1], "kind": "",
                               "reason": "Conflict of interest: shared chair"})
    html = page(regulator, "/rules")
    assert "Conflict of interest: shared chair" in html and "In force (1)" in html
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    with app.extensions["db"]() as session:
        latest = session.scalar(select(Run).order_by(Run.id.desc()))
        assert pair not in {(p.supporter, p.recipient) for p in plan_of(session, latest).pairs}
        rule_id = session.scalar(select(PairRule.id))
    post(regulator, f"/rules/{rule_id}/remove")
    assert "In force (0)" in page(regulator, "/rules")
    assert regulator.post(f"/rules/{rule_id}/remove").status_code == 404


def test_after_decisions_a_rematch_keeps_the_accepted_never_repeats_the_declined_and_lists_changes(
        app, regulator, published, run_jobs):
    sessions = app.extensions["db"]
    with sessions() as session:
        offers = session.scalars(select(Offer).order_by(Offer.id)).all()
        accepted, declined = offers[0], offers[1]
    for side in (accepted.supporter, accepted.recipient):
        decide(sessions, DecisionRequest(accepted.id, side, "accepted"), None)
    decide(sessions, DecisionRequest(declined.id, declined.recipient, "declined", "distance"), None)
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    with sessions() as session:
        rematch = session.scalar(select(Run).order_by(Run.id.desc()))
        pairs = {(p.supporter, p.recipient): p for p in plan_of(session, rematch).pairs}
    assert pairs[(accepted.supporter, accepted.recipient)].locked
    assert (declined.supporter, declined.recipient) not in pairs
    html = page(regulator, f"/runs/{rematch.id}")
    assert re.search(rf"Changes from the published run {published} \(\d+ recipients?\)", html)
    assert f"published <a href=\"/runs/{published}\">run {published}</a>" in html
    changed = changed_rows(html)
    with sessions() as session:
        before = {p.recipient: p for p in plan_of(session, session.get(Run, published)).pairs}
    after = {r: p for (_, r), p in pairs.items()}
    expected = {r for r in before.keys() | after.keys()
                if (before[r].pair if r in before else None) != (after[r].pair if r in after else None)}
    assert set(changed) == {name_of(app, r) for r in expected} and expected
    for recipient in expected:  # each row names the old and the new partner (or says there is none) and why
        old, new, why = changed[name_of(app, recipient)]
        assert old == (f"{name_of(app, before[recipient].supporter)} ({kind_words(before[recipient].kind)})"
                       if recipient in before else "No partner")
        assert new == (f"{name_of(app, after[recipient].supporter)} ({kind_words(after[recipient].kind)})"
                       if recipient in after else "No partner")
        assert why.endswith(".") and why
    decliner = name_of(app, declined.recipient).rsplit(" (", 1)[0]
    assert changed[name_of(app, declined.recipient)][2] == (
        f"Declined by {decliner}: the partner trust is too far away to support well.")
    assert "New offers publishing would send" in html and "Offers waiting for an answer that publishing would" in html
    assert "Locked" in html
    published_again = page(regulator, post(regulator, f"/runs/{rematch.id}/publish"))
    assert re.search(r"published: \d+ new offers, [1-9]\d* kept from before, \d+ withdrawn",
                     flashes(published_again)[0])
    with sessions() as session:
        statuses = {(o.supporter, o.recipient): o.status for o in session.scalars(select(Offer))}
    assert statuses[(accepted.supporter, accepted.recipient)] == "accepted"
    assert statuses[(declined.supporter, declined.recipient)] == "declined"


def name_of(app, code: str) -> str:
    """How pages name a trust: ``Blackpool Teaching Hospitals NHS Foundation Trust (RXL)``."""
    with app.test_request_context():
        return trust_label(code)


def changed_rows(html: str) -> dict[str, tuple[str, str, str]]:
    """The table of changed partners: recipient -> (partner before, partner now, why)."""
    table = html.split('id="changes-table"')[1].split("</table>")[0]
    cell = r"\s*<td[^>]*>(.*?)</td>"
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>' + cell * 3, table, re.S)
    return {unescape(r[0]).strip(): tuple(unescape(c).strip() for c in r[1:]) for r in rows}


def test_an_old_run_made_before_a_decline_cannot_be_published(app, regulator, published, run_jobs):
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    sessions = app.extensions["db"]
    with sessions() as session:
        stale = session.scalar(select(Run.id).order_by(Run.id.desc()))
        offer = session.scalar(select(Offer).order_by(Offer.id))
    decide(sessions, DecisionRequest(offer.id, offer.recipient, "declined", "board"), None)
    html = page(regulator, post(regulator, f"/runs/{stale}/publish"))
    assert "was made before the latest decisions" in flashes(html)[-1] and "Re-match" in flashes(html)[-1]


def test_run_history_and_the_comparison_of_two_runs(app, regulator, proposal, run_jobs):
    post(regulator, "/rules", {"rule": "exclude", "supporter": "RTF", "recipient": "RXL", "kind": "",
                               "reason": "What if Northumbria cannot help Blackpool?"})
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    html = page(regulator, "/runs")
    assert f"Run {proposal}: National default v1" in html and "Run 2: National default v1" in html
    html = page(regulator, f"/runs/compare?a={proposal}&b=2")
    assert "Run 1 compared with run 2" in html and "Mean distance" in html and "Annual incentives" in html
    assert "Pairs within one peer group" in html and "Median distance (on record: 48 km)" in html
    assert re.search(r"Partnerships that differ: \d+ added, \d+ removed, [1-9]\d* changed", html)
    assert "Select two runs to compare" in page(regulator, "/runs/compare?a=&b=", 400)


def test_a_pair_page_links_to_a_prefilled_lock_or_exclusion(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/pairs/RXL")
    link = re.search(r'href="(/rules\?rule=lock[^"#]*)', html).group(1).replace("&amp;", "&")
    form = page(regulator, link)
    assert 'value="lock" checked' in form and 'name="supporter" type="text" value="RTF"' in form
    assert 'name="recipient" type="text" value="RXL"' in form


def test_the_map_draws_every_partnership_with_its_attribution_and_a_text_alternative(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/map")
    main, inset = html.split('<g class="app-map__inset">')
    assert main.count('class="app-map__link app-map__link--') == 18  # the partnerships
    assert 0 < inset.split("</svg>")[0].count('class="app-map__link app-map__link--') < 18  # those in London again
    assert inset.count('class="app-map__link app-map__link--') - inset.split("</svg>")[0].count(
        'class="app-map__link app-map__link--') == 2  # the key's two
    labels = re.findall(r'class="app-map__region-label"[^>]*>([^<]+)</text>', html)
    assert labels == ["North East and Yorkshire", "North West", "Midlands", "East of England", "South East",
                      "South West", "London (enlarged)"]
    places = re.findall(r'class="app-map__place-label"[^>]*>([^<]+)</text>', html)
    assert {"Birmingham", "Manchester", "Leeds", "Newcastle", "Bristol"} <= set(places)
    assert '<use href="#map-regions" class="app-map__inset-regions"/>' in html
    assert html.count('class="app-map__region"') == 7
    assert 'role="img" aria-labelledby="map-title map-desc"' in html
    assert "Source: Office for National Statistics licensed under the Open Government Licence v.3.0" in html
    assert "Contains OS data © Crown copyright and database right 2022" in html
    assert f'href="/runs/{proposal}#partnerships"' in html


def test_the_run_page_charts_coverage_by_region_spend_and_distance_with_tables_of_the_same_figures(regulator,
                                                                                                 proposal):
    html = page(regulator, f"/runs/{proposal}")
    for title in ("Recipients covered, by region", "Annual incentives against the budget",
                  "Partnerships by distance between head offices"):
        assert f">{title}</title>" in html
        assert f"<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">{title}" in html
    assert "£11.01m of £35.00m" in html  # all partnerships against the budget
    compare = page(regulator, f"/runs/compare?a={proposal}&b={proposal}")
    assert compare.count(">Recipients covered, by region</title>") == 2


def test_the_run_page_shows_the_plan_quality_against_past_practice_and_says_payments_are_policy(regulator,
                                                                                               proposal):
    html = page(regulator, f"/runs/{proposal}")
    assert "Plan quality, against the partnerships on record" in html
    quality = html.split('id="quality"')[1].split("</table>")[0]
    rows = dict(re.findall(r'<th scope="row">(.*?)</th><td class="nhsuk-table__cell">(.*?)</td>', quality))
    assert rows["Pairs within one peer group"] == "100%"
    assert rows["Pairs inside an existing group"] == "0"
    assert rows["Median distance between head offices"] == "96 km"
    assert "Outside past practice" not in html
    assert "Incentive payments are policy choices, not published rates" in html


def words(html: str) -> str:
    """The words of a page's main content."""
    main = html.split('id="maincontent"')[1].split("</main>")[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def test_publishing_is_checked_first_then_confirmed_with_what_happens_next(app, regulator, proposal):
    run_page = page(regulator, f"/runs/{proposal}")
    assert f'action="/runs/{proposal}/publish"' in run_page and 'method="get"' in run_page
    check = words(page(regulator, f"/runs/{proposal}/publish"))
    assert f"Check before you publish run {proposal}" in check
    with app.extensions["db"]() as session:
        pairs = plan_of(session, session.get(Run, proposal)).pairs
    assert f"New offers sent 18, to {len({p.supporter for p in pairs} | {p.recipient for p in pairs})} trusts" in check
    assert "Offers kept with their answers 0" in check and "Offers withdrawn 0" in check
    assert "New offers: both trusts of each are sent the offer (18)" in check
    first = pairs[0]
    assert (f"{name_of(app, first.supporter)} {name_of(app, first.recipient)} {kind_words(first.kind)}" in check
            and " buddy " not in check)  # each pair in words, the kind as the service says it everywhere
    assert "Publishing cannot be undone" in check and "Confirm and publish" in check
    with app.extensions["db"]() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 0  # looking changes nothing
    done = page(regulator, post(regulator, f"/runs/{proposal}/publish"))
    assert flashes(done) == [f"Run {proposal} is published: 18 new offers, 0 kept from before, 0 withdrawn."]
    text = words(done)
    assert f"Run {proposal} published 18 offers waiting for the trusts' answers" in text
    assert "What happens next" in text and "asked to reply by" in text
    again = page(regulator, page(regulator, f"/runs/{proposal}/publish", 302) and f"/runs/{proposal}")
    assert f"Run {proposal} is already published." in flashes(again)


def test_the_check_before_publishing_a_rematch_lists_the_withdrawn_and_refuses_a_stale_run(app, regulator, published,
                                                                                           run_jobs):
    post(regulator, "/rules", {"rule": "exclude", "supporter": "RTF", "recipient": "RXL", "kind": "",
                               "reason": "Shared chair"})
    post(regulator, "/runs/new", {"scenario_id": "1"})
    run_jobs()
    with app.extensions["db"]() as session:
        rematch = session.scalar(select(Run.id).order_by(Run.id.desc()))
        offer = session.scalar(select(Offer).where(Offer.supporter == "RTF", Offer.recipient == "RXL"))
    check = words(page(regulator, f"/runs/{rematch}/publish"))
    assert "Offers that will be withdrawn (2)" in check and "New offers sent 2, to 4 trusts" in check
    assert "Northumbria Healthcare NHS Foundation Trust (RTF) Blackpool Teaching Hospitals" in check
    with app.extensions["db"]() as session:  # an offer the re-match keeps is declined after it ran
        kept = session.scalar(select(Offer).where(Offer.id != offer.id).order_by(Offer.id))
    decide(app.extensions["db"], DecisionRequest(kept.id, kept.recipient, "declined", "board"), None)
    refused = words(page(regulator, f"/runs/{rematch}/publish"))
    assert "This run cannot be published" in refused and "it proposes declined pairs" in refused
    assert "Confirm and publish" not in refused


def test_the_offers_page_lists_every_answer_with_reasons_and_declared_capacity_flagged(app, client_for, regulator,
                                                                                       published):
    sessions = app.extensions["db"]
    with sessions() as session:
        rxl = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
        other = session.scalar(select(Offer).where(Offer.recipient != "RXL").order_by(Offer.id))
    decide(sessions, DecisionRequest(rxl.id, "RXL", "declined", "distance"), None)
    decide(sessions, DecisionRequest(other.id, other.supporter, "accepted"), None)
    post(client_for("rxl"), "/my-trust/capacity", {"willing": "yes", "spare_units": "2", "note": "Our new team"})
    post(client_for("rbv"), "/my-trust/capacity", {"willing": "yes", "spare_units": "1", "note": "From April"})
    text = words(page(regulator, "/offers"))
    assert "17 waiting for an answer, 0 accepted, 1 declined, 0 withdrawn" in text and "18 offers" in text
    assert ("Blackpool Teaching Hospitals NHS Foundation Trust declined on" in text
            and "the partner trust is too far away to support well" in text)
    assert f"Waiting for {name_of(app, other.recipient).rsplit(' (', 1)[0]}" in text
    assert "Capacity declared by trusts (2)" in text and "Our new team" in text and "From April" in text
    assert "This trust is in difficulty, so the matcher does not use its capacity" in text  # RXL is a recipient
    declined = words(page(regulator, "/offers?status=declined"))
    assert "1 of 18 offers match the filters" in declined and "Clear filters" in declined
    assert "1 of 18 offers match the filters" in words(page(regulator, "/offers?trust=blackpool"))
    none = words(page(regulator, "/offers?status=withdrawn&region=Nowhere"))
    assert "0 of 18 offers match the filters" in none and "No offer matches the filters. Clear filters" in none
