"""The transparency pages: the service's record for anyone, and each run's record for regulators and policy staff."""
from __future__ import annotations

from markupsafe import escape

from matcher.dataset import read_manifest
from matcher.store.runs import plan_of
from matcher.store.tables import Run
from tests.web.conftest import page


def test_anyone_can_read_the_record_with_every_data_source_and_the_configuration_hash(app, client_for, current_data):
    html = page(client_for(None), "/transparency")
    record = client_for(None).get("/transparency.json").get_json()
    for source in read_manifest(current_data.current.dataset.directory):
        line = f"{source.key}: {source.file}, {source.source}; as of {source.as_of}; licence: {source.licence}"
        assert str(escape(line)) in html  # as the template writes it
    assert f"<code>{record['config_hash']}</code>" in html
    assert "<h2>Tier 1: Overview</h2>" in html and "<h2>Tier 2: Risks, mitigations and impact assessments</h2>" in html
    assert "Regulators decide: nothing is offered to a trust until a regulator publishes it" in html


def test_a_runs_record_carries_the_configuration_hash_in_the_runs_fingerprint(app, regulator, proposal):
    with app.extensions["db"]() as session:
        fingerprint = plan_of(session, session.get(Run, proposal)).fingerprint
    html = page(regulator, f"/runs/{proposal}/transparency")
    assert f"run {proposal} (National default v1)" in html
    assert f"<code>{fingerprint.config}</code>" in html and f"<code>{fingerprint.data}</code>" in html
    assert "Data has changed" not in html
