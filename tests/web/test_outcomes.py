"""Outcomes end to end: past partnerships imported, a later quarter refreshed, and what the pages then say.

The story: Bristol (RA7) buddied Bath (RD1) and Portsmouth (RHU), both in segment 4 when they started
13 months ago, and both agreements ended after 6 months. Guy's and St Thomas' (RJ1) has buddied East
Kent (RVV) since then. The next quarter's segmentation moves Bath to segment 2 and Guy's from 1 to 3.
"""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from matcher.cli import cli
from matcher.outcomes import Agreement, Observation
from matcher.outcomes.follow import add_months
from matcher.outcomes.records import long_date
from matcher.settings import DEFAULT_CONFIG_PATH
from matcher.store.outcomes import agreements as store_agreements
from matcher.store.outcomes import import_agreements, record_observations
from matcher.store.runs import plan_of
from matcher.store.scenarios import save_scenario
from matcher.store.tables import Run
from tests.refresh_stub import QUARTER, RELEASE, serve
from tests.web.conftest import page

ACUTE_DATA = f"/nhse/nhs-oversight-framework-acute-trust-data-{RELEASE}.csv"
TODAY = date.today()
START = add_months(TODAY, -13)
END = add_months(START, 6)


def later_quarter(body: bytes, segments: dict[str, int]) -> bytes:
    """The stub's acute data file with these trusts' overall segment changed in the new quarter."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    for row in rows[1:]:
        if row[0] in segments and row[5] == QUARTER and row[6] == "OF5000":
            row[9] = str(segments[row[0]])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def matcher(database_url: str, *args: str):
    result = CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def followed(app, database_url, data_copy, tmp_path):
    """The story above, told through the command line: record, import, refresh a later quarter."""
    matcher(database_url, "outcomes", "record", "--data", str(data_copy),
            "--as-of", (START - timedelta(days=1)).isoformat())
    past = tmp_path / "past_partnerships.csv"
    past.write_text("recipient,supporter,kind,start,end,source\n"
                    f"RD1,RA7,buddy,{START},{END},https://example.nhs.uk/bath\n"
                    f"RHU,RA7,buddy,{START},{END},https://example.nhs.uk/portsmouth\n"
                    f"RVV,RJ1,buddy,{START},,https://example.nhs.uk/east-kent\n", encoding="utf-8")
    assert matcher(database_url, "outcomes", "import", str(past), "--data", str(data_copy)) == (
        "Imported 3 partnerships from past_partnerships.csv.\n")
    with serve() as stub:
        stub.set(ACUTE_DATA, body=later_quarter(stub.routes[ACUTE_DATA].body, {"RD1": 2, "RJ1": 3}))
        output = matcher(database_url, "refresh", "--data", str(data_copy), "--source", "segmentation",
                         "--record-outcomes", *stub.args[4:])
    assert "for outcomes." in output and f"as of {long_date(TODAY)}" in output
    return app


def test_the_outcomes_page_shows_each_agreement_at_start_and_12_months_and_how_it_ended(followed, regulator):
    html = page(regulator, "/outcomes")
    assert ("3 agreements: 1 live, 1 ended with the recipient out of difficulty, 1 ended with it still in "
            "difficulty.") in html
    assert f"Data refreshes recorded: 2, the latest of {TODAY:%-d %B %Y}." in html
    assert (f"RJ1 may be overstretched: its segment fell from 1 to 3 (data of {long_date(TODAY)}) while supporting "
            "RVV") in html
    rows = list(csv.reader(io.StringIO(regulator.get("/outcomes.csv").get_data().decode("utf-8-sig"))))
    by_recipient = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    bath = by_recipient["RD1"]
    assert bath["Recipient at start"] == (f"segment 4; Good overall, Good well-led; in difficulty "
                                          f"(data of {long_date(START - timedelta(days=1))})")
    assert bath["At 12 months"] == (f"segment 2; Good overall, Good well-led; not in difficulty "
                                    f"(data of {long_date(TODAY)})")
    assert bath["At 24 months"] == "no data yet"
    assert (bath["Status"], bath["Outcome"], bath["Left difficulty"]) == ("ended", "out of difficulty", "yes")
    portsmouth = by_recipient["RHU"]
    assert (portsmouth["Outcome"], portsmouth["Left difficulty"]) == ("still in difficulty", "no")
    assert (by_recipient["RVV"]["Status"], by_recipient["RVV"]["End"]) == ("live", "")


def test_the_supporters_track_record_is_on_its_trust_page_and_in_the_table(followed, regulator):
    html = page(regulator, "/trusts/RA7")
    assert "1 agreement ended with the recipient out of difficulty and 1 with it still in difficulty." in html
    assert "No agreement has ended yet; 1 is live." in page(regulator, "/trusts/RJ1")
    assert "its segment fell from 1 to 3" in page(regulator, "/trusts/RJ1")
    assert "No agreements on record." in page(regulator, "/trusts/RXL")
    workbook = regulator.get("/outcomes.xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"


def test_the_services_runs_feed_a_supporters_track_record_to_its_fit_when_the_weight_is_on(
        app, regulator, run_jobs, national_plan):
    supporter = national_plan.pairs[0].supporter
    with app.extensions["db"].begin() as session:
        import_agreements(session, [Agreement("RD1", supporter, "buddy", START, END, "test")], "past.csv", None)
        record_observations(session, [Observation("RD1", START, 4, 3, 3, True),
                                      Observation("RD1", TODAY, 2, 3, 3, False)], "test")
        config = yaml.safe_load(Path(DEFAULT_CONFIG_PATH).read_text(encoding="utf-8"))
        config["weights"]["track_record"] = 2.0
        scenario = save_scenario(session, "Track record counts", yaml.safe_dump(config, sort_keys=False))
    assert regulator.post("/runs/new", data={"scenario_id": str(scenario.id)}).status_code == 302
    assert run_jobs() == 1
    with app.extensions["db"]() as session:
        plan = plan_of(session, session.scalars(select(Run).order_by(Run.id.desc())).first())
    pair = next(p for p in plan.pairs if p.supporter == supporter)
    assert pair.fit_breakdown["track record"] == 2.0  # one agreement ended out of difficulty, times the weight


def test_with_no_agreements_the_page_says_how_they_arrive(regulator):
    html = page(regulator, "/outcomes")
    assert "No agreements on record yet. An offer becomes an agreement when both trusts accept it" in html
    assert "No data refresh has been recorded yet" in html


def test_a_regulator_imports_past_partnerships_by_upload_and_a_bad_file_adds_nothing(app, regulator):
    good = ("recipient,supporter,kind,start,end,source\n"
            f"RD1,RA7,buddy,{START},{END},https://example.nhs.uk/bath\n").encode()
    response = regulator.post("/outcomes/import", data={"file": (io.BytesIO(good), "past.csv")},
                              content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Imported 1 past partnerships from past.csv." in page(regulator, "/outcomes")
    bad = ("recipient,supporter,kind,start,end,source\n"
           f"RHU,RA7,buddy,{START},{START - timedelta(days=1)},x\n"
           f"RD1,RA7,buddy,{START},{END},again\n").encode()
    response = regulator.post("/outcomes/import", data={"file": (io.BytesIO(bad), "past.csv")},
                              content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html
    assert (f"past.csv, row 2, column &#39;end&#39;: the end {START - timedelta(days=1)} is before the "
            f"start {START}") in html
    with app.extensions["db"]() as session:
        assert len(store_agreements(session)) == 1


def test_the_outcomes_page_writes_dates_in_words(followed, regulator):
    html = page(regulator, "/outcomes")
    assert f'<td class="nhsuk-table__cell app-nowrap">{long_date(START)}</td>' in html
    assert f'<td class="nhsuk-table__cell app-nowrap">{long_date(END)}</td>' in html
