"""Downloads of a run (CSV and XLSX) and offer letters: who may have them, what they hold, how they are sent."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matcher.present.exports import INPUT_COLUMNS, PARTNERSHIP_COLUMNS, UNCOVERED_COLUMNS
from matcher.result import Plan
from matcher.store.runs import plan_of
from matcher.store.tables import Offer, Run
from tests.web.conftest import page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def stored(app, proposal) -> Run:
    with app.extensions["db"]() as session:
        return session.get(Run, proposal)


@pytest.fixture
def plan(app, proposal) -> Plan:
    with app.extensions["db"]() as session:
        return plan_of(session, session.get(Run, proposal))


def test_the_run_page_links_to_its_downloads(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}")
    for url in (f"/runs/{proposal}/export.xlsx", f"/runs/{proposal}/export.csv", f"/runs/{proposal}/uncovered.csv"):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("who", ["regulator", "policy"])
def test_the_partnerships_csv_is_an_attachment_with_one_row_per_partnership(client_for, stored, plan, who):
    response = client_for(who).get(f"/runs/{stored.id}/export.csv")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="buddying-run-{stored.id}-partnerships.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == list(PARTNERSHIP_COLUMNS) and len(rows) == 1 + len(plan.pairs)
    blackpool = next(r for r in rows if r[0] == "RXL")
    assert blackpool[1] == "Blackpool Teaching Hospitals NHS Foundation Trust" and blackpool[4] == "North West"


def test_the_uncovered_csv_lists_each_uncovered_recipient_once(regulator, stored, plan):
    response = regulator.get(f"/runs/{stored.id}/uncovered.csv")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="buddying-run-{stored.id}-uncovered.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == list(UNCOVERED_COLUMNS)
    assert sorted(r[0] for r in rows[1:]) == sorted(u.recipient for u in plan.uncovered)


def test_the_workbook_has_partnerships_uncovered_and_inputs(regulator, stored, plan):
    response = regulator.get(f"/runs/{stored.id}/export.xlsx")
    assert response.status_code == 200 and response.content_type == XLSX
    assert response.headers["Content-Disposition"] == f'attachment; filename="buddying-run-{stored.id}.xlsx"'
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Partnerships", "Uncovered recipients", "Inputs and fingerprint"]
    partnerships, uncovered, inputs = (list(s.iter_rows(values_only=True)) for s in book.worksheets)
    assert partnerships[0] == PARTNERSHIP_COLUMNS and len(partnerships) == 1 + len(plan.pairs)
    assert uncovered[0] == UNCOVERED_COLUMNS and len(uncovered) == 1 + len(plan.uncovered)
    assert inputs[0] == INPUT_COLUMNS
    values = {row[0]: row[1] for row in inputs[1:]}
    assert values["Run id"] == stored.id and values["Scenario"] == "National default"
    assert values["Data hash"] == plan.fingerprint.data == values["Data hash of these sources"]
    assert values["Published (UTC)"] == "not published"
    assert any(str(row[0]).startswith("Data source: register") and row[2] for row in inputs)


def test_a_trust_executive_may_not_download_a_run(client_for, proposal):
    client = client_for("rxl")
    for url in ("export.csv", "uncovered.csv", "export.xlsx"):
        assert client.get(f"/runs/{proposal}/{url}").status_code == 403


def test_a_run_that_does_not_exist_has_no_downloads(regulator):
    assert regulator.get("/runs/999/export.xlsx").status_code == 404
    assert regulator.get("/runs/999/export.csv").status_code == 404


@pytest.fixture
def rxl_offer(app, published) -> Offer:
    """The published offer for Blackpool (RXL), a recipient in intensive support."""
    with app.extensions["db"]() as session:
        return session.scalar(select(Offer).where(Offer.recipient == "RXL"))


def test_the_offer_letter_is_addressed_to_the_chief_executive_and_says_what_is_asked(client_for, rxl_offer):
    client = client_for("rxl")
    assert f'href="/my-trust/offers/{rxl_offer.id}/letter"' in page(client, f"/my-trust/offers/{rxl_offer.id}")
    html = page(client, f"/my-trust/offers/{rxl_offer.id}/letter")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "The Chief Executive Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in text
    assert "Dear Chief Executive," in text and "is proposed to support your trust" in text
    assert "Workload" in text and "support unit" in text and "a year;" in text and "over the whole term" in text
    assert "Why this partner" in text and "How to answer" in text
    assert f"http://localhost/my-trust/offers/{rxl_offer.id}" in text
    assert f"Our reference: offer {rxl_offer.id}" in text
    assert 'media="print"' in html and "print.css" in html
    assert "<style" not in html and "style=" not in html and "<script>" not in html


def test_a_trust_executive_cannot_have_another_trusts_letter(app, client_for, published):
    with app.extensions["db"]() as session:
        other = session.scalar(select(Offer).where(Offer.recipient != "RXL", Offer.supporter != "RXL"))
    client = client_for("rxl")
    assert client.get(f"/my-trust/offers/{other.id}/letter").status_code == 404
    assert client.get("/my-trust/offers/999999/letter").status_code == 404
    assert client_for("regulator").get(f"/my-trust/offers/{other.id}/letter").status_code == 403


def test_the_regulator_prints_a_letter_to_each_trust_of_a_pair(regulator, stored, plan):
    pair = plan.pair_for("RXL")
    url = f"/runs/{stored.id}/pairs/RXL/letter"
    assert f'href="{url}"' in page(regulator, f"/runs/{stored.id}/pairs/RXL")
    html = page(regulator, url)
    assert html.count('class="app-letter"') == 2
    assert "Your trust is asked to support Blackpool Teaching Hospitals NHS Foundation Trust" in html
    assert f"({pair.supporter})" in html
    assert "these letters are drafts" in html and "Draft: not sent" in html


def test_a_published_pairs_letters_are_not_drafts(regulator, published):
    html = page(regulator, f"/runs/{published}/pairs/RXL/letter")
    assert "Draft" not in html and "Our reference: offer" in html


def test_pair_letters_are_for_regulators_and_real_pairs(client_for, proposal):
    assert client_for("policy").get(f"/runs/{proposal}/pairs/RXL/letter").status_code == 403
    assert client_for("rxl").get(f"/runs/{proposal}/pairs/RXL/letter").status_code == 403
    assert client_for("regulator").get(f"/runs/{proposal}/pairs/NOPE/letter").status_code == 404


def test_the_print_stylesheet_hides_the_header_footer_and_navigation(app):
    with app.test_client().get("/assets/print.css") as response:
        assert response.status_code == 200 and response.mimetype == "text/css"
        css = response.get_data(as_text=True)
        response.close()
    for selector in (".nhsuk-header", ".nhsuk-footer", ".nhsuk-navigation", ".nhsuk-back-link", ".app-no-print"):
        assert selector in css.split("{ display: none")[0]
    assert ".app-letter + .app-letter { break-before: page" in css
