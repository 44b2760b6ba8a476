"""Trust pages: the classified list with the data's caveats, one trust's reasons, the sources."""
from __future__ import annotations

from matcher.store.scenarios import DEFAULT_NAME, save_scenario
from tests.web.conftest import page


def test_the_list_shows_every_trust_and_the_data_caveats(regulator):
    html = page(regulator, "/trusts")
    assert "<title>Trusts - Buddying - NHS</title>" in html
    assert html.count('href="/trusts/') == 199
    assert "64 in difficulty" in html and "31 supporters" in html
    assert "not provider-level ratings" in html


def test_the_list_filters_by_role(regulator):
    assert page(regulator, "/trusts?role=supporter").count('href="/trusts/') == 31


def test_an_unknown_role_filter_is_not_found(regulator):
    page(regulator, "/trusts?role=boss", 404)


def test_a_trust_page_lists_its_reasons(regulator):
    html = page(regulator, "/trusts/RXL")
    assert "Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in html
    assert "Recipient: oversight segment 4 (intensive support) in Q3 2025/26" in html


def test_an_unknown_trust_is_not_found(regulator):
    page(regulator, "/trusts/ZZZ", 404)


def test_the_data_sources_page_is_public_and_names_each_file_with_its_date(client_for):
    html = page(client_for(None), "/data-sources")
    assert "Files in use" in html and "Known flaws in the data" in html
    assert "trust_register.csv" in html or "register" in html


def test_the_nhs_frontend_is_served_from_the_service_itself(client_for):
    client = client_for(None)
    with client.get("/assets/nhsuk/nhsuk-frontend.min.css") as response:
        assert response.status_code == 200 and b".nhsuk-header" in response.data
    with client.get("/assets/images/nhsuk-icon-arrow-down.svg") as response:
        assert response.status_code == 200


def test_the_trust_pages_classify_with_the_default_scenarios_latest_settings(app, regulator):
    """The trust pages and a run of the default scenario use the same rules: a new version moves both."""
    with app.extensions["db"].begin() as session:
        save_scenario(session, DEFAULT_NAME, "segments:\n  supporter: [1]\n", "segment 1 only")
    html = page(regulator, "/trusts")
    assert "31 supporters" not in html
    assert page(regulator, "/trusts?role=supporter").count('href="/trusts/') < 31
