"""What would cover more (DOMAIN §6.2) and the named backup per offer (§8), as regulators and trusts see them."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from matcher.store.runs import plan_of
from matcher.store.tables import Offer, Run
from tests.web.conftest import page, post


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def lever_row(html: str, lever: str) -> str:
    return text(re.search(rf'<tr class="nhsuk-table__row" id="lever-{lever}">(.*?)</tr>', html, re.S).group(1))


def test_a_regulator_tries_the_levers_and_reads_what_would_cover_more(regulator, proposal, run_jobs):
    html = page(regulator, f"/runs/{proposal}")
    assert "What would cover more: each policy lever moved one notch" in html
    assert "The levers have not been tried on this run yet." in page(regulator, f"/runs/{proposal}/levers")
    job_page = post(regulator, f"/runs/{proposal}/levers")
    waiting = page(regulator, job_page)
    assert f"Trying the levers on run {proposal}" in waiting
    assert run_jobs() == 1
    response = regulator.get(job_page)
    assert response.status_code == 302 and response.location == f"/runs/{proposal}/levers"
    html = page(regulator, f"/runs/{proposal}/levers")
    words = text(html)
    assert "The plan as it stands covers 18 of 62 recipients (coverage 47 severity points) for £11.01m a year" \
           " of £35.00m." in words
    assert "7 levers, most coverage gained first" in words
    rows = re.findall(r'id="lever-([a-z_0-9]+)"', html)
    assert rows[0] == "segment_3_supporters" and rows[-1] == "budget" and len(rows) == 7
    segment_3 = lever_row(html, "segment_3_supporters")
    assert "Supporters from segment 3 with a recent Good rating" in segment_3 and " +32 " in segment_3
    assert "+29 other recipients, +1 intensive support or Inadequate" in segment_3
    assert "31 gain a partner, 1 loses one Torbay and South Devon NHS Foundation Trust (RA9) by Salisbury NHS " \
           "Foundation Trust" in segment_3
    assert "Would lose their partner: " in segment_3 and "£20.01m (+£9.00m)" in segment_3
    group_rule = lever_row(html, "group_rule")
    assert "£9.02m (−£1.99m)" in group_rule and "2 in persistent difficulty from buddying to a management " \
           "contract, 1 in persistent difficulty from a management contract to buddying" in group_rule
    specialist = lever_row(html, "specialist_to_general")
    assert "Outside past practice" in specialist and "pairs within one peer group 100% to 78%" in specialist
    assert "Airedale NHS Foundation Trust (RCF) by The Christie NHS Foundation Trust" in specialist
    budget = lever_row(html, "budget")
    assert "Budget +10%" in budget and " +0 " in budget and "no change" in budget and "none" in budget
    assert "Coverage gained by each lever (severity points)" in html and 'class="app-chart__svg"' in html
    assert re.search(r'text-anchor="end">Segment 3 supporters</text>.*?app-chart__value"[^>]*>32<', html, re.S)
    # The same table is the last sheet of the run's workbook.
    book = load_workbook(io.BytesIO(regulator.get(f"/runs/{proposal}/export.xlsx").data))
    sheet = book["What would cover more"]
    values = list(sheet.values)
    assert values[0][:3] == ("Lever", "What changes", "Coverage gained")
    assert values[1][0] == "Supporters from segment 3 with a recent Good rating" and values[1][2] == 32
    assert "Torbay and South Devon NHS Foundation Trust (RA9)" in values[1][3]


def test_policy_staff_try_the_levers_through_the_api(client_for, proposal, run_jobs):
    policy = client_for("policy")
    assert policy.get(f"/api/runs/{proposal}/levers").status_code == 404
    response = policy.post(f"/api/runs/{proposal}/levers")
    assert response.status_code == 202 and response.json["purpose"] == "levers"
    assert response.json["levers_of"] == proposal and response.json["run_id"] is None
    again = policy.post(f"/api/runs/{proposal}/levers")  # one job a run at a time: the waiting one is returned
    assert again.json["id"] == response.json["id"]
    assert run_jobs() == 1
    job = policy.get(response.headers["Location"]).json
    assert (job["status"], job["progress"]) == ("succeeded", "Finished")
    report = policy.get(f"/api/runs/{proposal}/levers").json
    assert len(report["levers"]) == 7 and report["covered"] == 18
    assert report["levers"][0]["gained_by_severity"] == {"other recipients": 29, "intensive support or Inadequate": 1}
    assert client_for("rxl").get(f"/api/runs/{proposal}/levers").status_code == 403
    assert client_for("admin").post(f"/api/runs/{proposal}/levers").status_code == 403


def test_the_pair_page_names_the_backup_to_regulators_only(client_for, published):
    regulator = client_for("regulator")
    # King's Lynn's offer from Guy's: if it is declined, Cambridge (busy with another trust now) takes it.
    html = text(page(regulator, f"/runs/{published}/pairs/RCX"))
    assert "If this offer is declined A re-match would propose Cambridge University Hospitals NHS Foundation Trust " \
           "(RGT) (buddying, 68 km) instead: score 961 points, +187 against this pair, and 1 other offer waiting " \
           "for an answer would change to make room." in html
    table = text(page(regulator, f"/runs/{published}"))
    assert "If declined, a re-match proposes" in table
    assert "£300,000 Cambridge University Hospitals NHS Foundation Trust (RGT) (+187 points)" in table
    east_lancs = text(page(regulator, f"/runs/{published}/pairs/RXR"))
    assert "No backup: it has no other eligible supporter, so a re-match would leave it uncovered." in east_lancs
    policy = text(page(client_for("policy"), f"/runs/{published}/pairs/RCX"))
    assert "If this offer is declined" not in policy and "re-match would propose" not in policy
    assert "If declined, a re-match proposes" not in text(page(client_for("policy"), f"/runs/{published}"))


def test_a_trust_executive_never_sees_a_backup(client_for, app, published):
    rxl = client_for("rxl")
    with app.extensions["db"]() as session:
        offer = session.scalar(select(Offer).where(Offer.recipient == "RXL"))
        pair = plan_of(session, session.get(Run, published)).pair_for("RXL")
    assert pair.backup is not None  # there is one to leak: Blackpool's backup, Sheffield
    shown = text(page(client_for("regulator"), f"/runs/{published}/pairs/RXL"))
    assert f"instead: score {pair.backup.score} points, {pair.backup.score_difference:+d} against this pair" in shown
    for url in ("/my-trust/", f"/my-trust/offers/{offer.id}", f"/my-trust/offers/{offer.id}/letter"):
        response = rxl.get(url)
        assert response.status_code == 200
        words = text(response.get_data(as_text=True))
        assert "re-match would propose" not in words and "backup" not in words.lower(), url
        assert "If this offer is declined" not in words and f"score {pair.backup.score} points" not in words, url
    for url in ("/api/offers", f"/api/offers/{offer.id}"):
        assert "backup" not in rxl.get(url).get_data(as_text=True)
    assert rxl.get(f"/api/runs/{published}/plan").status_code == 403
    assert rxl.get(f"/runs/{published}/pairs/RXL").status_code == 403
