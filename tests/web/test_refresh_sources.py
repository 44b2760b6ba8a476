"""After ``python -m matcher refresh`` (against the local stub), the service loads the new files.

It shows them, with the refresh date, on /data-sources.
"""
from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from matcher.cli import cli
from matcher.pipeline import CurrentData
from tests.factories import AS_OF
from tests.refresh_stub import KEY, serve
from tests.web.conftest import make_app, page


def test_the_service_shows_the_refreshed_files_with_their_new_dates(data_copy, database_url):
    with serve() as stub:
        result = CliRunner().invoke(cli, ["refresh", "--data", str(data_copy), *stub.args], env={"CQC_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    today = date.today().isoformat()
    app = make_app(database_url, CurrentData(data_copy, None, AS_OF), WTF_CSRF_ENABLED=False)
    try:
        html = page(app.test_client(), "/data-sources")
    finally:
        app.extensions["db_engine"].dispose()
    for name in (f"nhs_trusts_{today}.csv", f"nof_segmentation_{today}.csv", f"cqc_ratings_{today}.csv"):
        assert name in html
    assert html.count(today) >= 6  # each new file's name and its "as of" date
    assert "CQC public API, provider-level current ratings" in html
    assert "cqc_ratings_trust_main_location_2026-05.csv" not in html


def test_the_app_itself_loads_the_refreshed_folder_from_data_dir(data_copy, database_url):
    with serve() as stub:
        result = CliRunner().invoke(cli, ["refresh", "--data", str(data_copy), "--source", "cqc", *stub.args],
                                    env={"CQC_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    from web import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "DATA_DIR": str(data_copy), "AS_OF": AS_OF,
                      "SECRET_KEY": "test"})
    try:
        html = page(app.test_client(), "/data-sources")
    finally:
        app.extensions["db_engine"].dispose()
    assert f"cqc_ratings_{date.today().isoformat()}.csv" in html
