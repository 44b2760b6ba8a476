"""The transparency record names every data source with its date, and the configuration hash of the run it describes."""
from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from matcher.cli import cli
from matcher.dataset import DEFAULT_DATA_DIR, read_manifest

SECTIONS = ["Tier 1: Overview", "Tier 2: Owner and responsibility", "Tier 2: Description and rationale",
            "Tier 2: Decision-making process", "Tier 2: Data", "Tier 2: Risks, mitigations and impact assessments"]


def record(*args: str, env: dict[str, str] | None = None) -> dict:
    result = CliRunner().invoke(cli, ["transparency", "--format", "json", "--as-of", "2026-11-23", *args], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def field(found: dict, section: str, name: str):
    items = next(s for s in found["sections"] if s["title"] == section)["fields"]
    return next(f["value"] for f in items if f["name"] == name)


def test_the_record_names_every_data_source_in_the_manifest_with_its_date_and_licence():
    found = record()
    listed = field(found, "Tier 2: Data", "Data sources")
    for source in read_manifest(DEFAULT_DATA_DIR):
        line = next(v for v in listed if v.startswith(f"{source.key}: {source.file},"))
        assert f"as of {source.as_of}; licence: {source.licence}" in line
    assert len(listed) == len(read_manifest(DEFAULT_DATA_DIR))


def test_the_record_carries_the_configuration_hash_of_the_run_it_describes(national_plan, tmp_path):
    assert record()["config_hash"] == national_plan.fingerprint.config
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump({"weights": {"track_record": 1.5},
                                        "incentives": {"annual_budget_gbp_m": 20}}))
    changed = record("--config", str(scenario))
    proposed = CliRunner().invoke(cli, ["propose", "--format", "json", "--config", str(scenario),
                                        "--as-of", "2026-11-23", "--no-progress"])
    run_hash = json.loads(proposed.stdout)["fingerprint"]["config"]  # stderr notes the weight reads no records
    assert changed["config_hash"] == run_hash != national_plan.fingerprint.config
    model = field(changed, "Tier 2: Description and rationale", "Detailed description")
    assert any("the budget (£20m a year)" in line for line in model)
    assert any(line.startswith("Track record: weights.track_record is 1.5: each of a supporter's past agreements")
               for line in model)
    assert "track_record: 1.5" in changed["configuration_yaml"]


def test_the_record_follows_the_standards_tiers_and_says_who_decides():
    found = record(env={"BUDDYING_OWNER_EMAIL": "buddying@example.nhs.uk"})
    assert [s["title"] for s in found["sections"]] == SECTIONS
    assert field(found, "Tier 1: Overview", "Contact email") == "buddying@example.nhs.uk"
    assert field(found, "Tier 2: Owner and responsibility", "Organisation") == (
        "not set: the operator must set BUDDYING_OWNER_ORGANISATION before publishing this record")
    oversight = field(found, "Tier 2: Decision-making process", "Human decisions and review")
    assert oversight[0].startswith("Regulators decide") and oversight[1].startswith("Trusts may decline")
    assert field(found, "Tier 2: Decision-making process", "Appeals and review")[0].startswith(
        "A trust that disagrees with an offer declines it")


def test_the_markdown_record_has_both_tiers_and_the_configuration():
    result = CliRunner().invoke(cli, ["transparency", "--as-of", "2026-11-23"])
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("# Algorithmic transparency record: Buddying")
    for title in SECTIONS:
        assert f"\n## {title}\n" in text
    assert "\n## Configuration in force\n" in text and "```yaml\nsegments:" in text
