"""The minimal web service: the trust list and one trust's reasons."""
from __future__ import annotations

import pytest

from tests.factories import AS_OF
from web import create_app


@pytest.fixture(scope="module")
def client():
    app = create_app({"TESTING": True, "AS_OF": AS_OF})
    return app.test_client()


def test_the_list_shows_every_trust_and_the_data_caveats(client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Trusts - Buddying - NHS</title>" in html
    assert html.count('href="/trusts/') == 199
    assert "64 in difficulty" in html and "31 supporters" in html
    assert "not provider-level ratings" in html


def test_the_list_filters_by_role(client):
    html = client.get("/?role=supporter").get_data(as_text=True)
    assert html.count('href="/trusts/') == 31


def test_an_unknown_role_filter_is_not_found(client):
    assert client.get("/?role=boss").status_code == 404


def test_a_trust_page_lists_its_reasons(client):
    html = client.get("/trusts/RXL").get_data(as_text=True)
    assert "Blackpool Teaching Hospitals NHS Foundation Trust (RXL)" in html
    assert "Recipient: oversight segment 4 (intensive support) in Q3 2025/26" in html


def test_an_unknown_trust_is_not_found(client):
    assert client.get("/trusts/ZZZ").status_code == 404
