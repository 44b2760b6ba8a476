"""The policy journey: edit a scenario in a generated form or upload YAML, run a what-if, compare."""
from __future__ import annotations

import io
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from matcher.present.config_fields import form_sections
from matcher.settings import Settings, iter_keys, parse_settings
from matcher.store.tables import Run, Scenario
from tests.web.conftest import page, post


@pytest.fixture
def policy(client_for):
    return client_for("policy")


def default_form(**changes) -> dict:
    form = {f.key: f.text for s in form_sections(Settings()) for f in s.fields}
    form |= {"name": "National default", "note": "A change"}
    return form | changes


def count_scenarios(app) -> int:
    with app.extensions["db"]() as session:
        return session.scalar(select(func.count()).select_from(Scenario))


def test_the_edit_form_has_every_setting_labelled_in_words_with_its_help_text(policy):
    html = page(policy, "/scenarios/1/edit")
    fields = [f for s in form_sections(Settings()) for f in s.fields]
    for field in fields:
        assert f'name="{field.key}"' in html, field.key
    documented = dict(iter_keys())
    assert escape(documented["capacity.max_load_ratio"]) in html
    assert escape(documented["max_distance_km.management_contract"]) in html
    labels = re.findall(r"<label[^>]*>(.*?)</label>|<legend[^>]*>(.*?)</legend>", html, re.S)
    shown = " ".join(a + b for a, b in labels)
    assert "weights.oversight_domain" not in shown and "people_workforce" not in shown
    assert "Oversight: people and workforce" in shown and "Longest distance for a management contract (km)" in shown
    assert "[4, 5]" not in html and "[5]" not in html  # lists are never typed as YAML
    # segments are checkboxes, the income thresholds repeated boxes, a milestone a group of three
    assert 'id="f-segments-intensive-5" name="segments.intensive" type="checkbox" value="5" checked' in html
    assert 'name="capacity.income_bands_gbp_m" type="text" value="1000"' in html
    assert "Milestone 4</legend>" in " ".join(html.split()).replace("> ", ">")


def test_saving_makes_a_new_version_and_the_old_one_is_kept(app, policy):
    location = post(policy, "/scenarios/1/edit", default_form(**{"max_distance_km.management_contract": "120",
                                                                 "note": "Management contracts up to 120 km"}))
    html = page(policy, location)
    assert "National default v2" in html and "Management contracts up to 120 km" in html
    with app.extensions["db"]() as session:
        old, new = session.scalars(select(Scenario).order_by(Scenario.version)).all()
    assert parse_settings(new.config_yaml).max_distance_km.management_contract == 120
    assert parse_settings(old.config_yaml).max_distance_km.management_contract == 80


def test_a_version_shows_what_changed_from_the_one_before_in_words(policy):
    html = page(policy, post(policy, "/scenarios/1/edit", default_form(name="Same again")))
    assert "What changed from National default v1" in html and "No setting differs from National default v1." in html
    location = post(policy, "/scenarios/1/edit", default_form(**{"max_distance_km.management_contract": "120",
                                                                 "segments.difficulty": ["3", "4"]}))
    text = " ".join(page(policy, location).split())
    assert '<h2 id="what-changed">What changed from National default v1</h2>' in text
    rows = re.findall(r'<tr class="nhsuk-table__row"><th scope="row"[^>]*><span class="nhsuk-caption-m">(.*?)</span>'
                      r'(.*?)</th> <td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>', text)
    assert rows == [("Oversight segments", "Further segments that mean difficulty", "Segment 4",
                     "Segment 3, Segment 4"),
                    ("Distance limits", "Longest distance for a management contract (km)", "80", "120")]
    assert "What changed" not in page(policy, "/scenarios/1")  # the first version of the default has nothing before


def test_a_new_name_starts_a_new_scenario(policy):
    html = page(policy, post(policy, "/scenarios/1/edit", default_form(name="Tight budget",
                                                                       **{"incentives.annual_budget_gbp_m": "20"})))
    assert "Tight budget v1" in html


def test_every_problem_is_listed_in_the_error_summary_linking_to_its_field_and_nothing_is_saved(app, policy):
    html = post(policy, "/scenarios/1/edit", default_form(**{"capacity.mc_units": "0", "solver.seed": "x",
                                                             "metrics.shmi.weight": "high", "note": ""}), 400)
    text = " ".join(html.split())
    assert ('<a href="#f-capacity-mc-units"> Support units a management contract uses must be 1 or more '
            '(you entered 0) </a>') in text
    assert '<a href="#f-solver-seed"> Random seed must be a whole number (you entered x) </a>' in text
    assert ('<a href="#f-metrics-shmi-weight"> Summary hospital mortality (SHMI): weight in fit must be a number '
            '(you entered high) </a>') in text
    assert "Say what changed and why" in html
    assert "capacity.mc_units must" not in html and "got 0" not in html
    assert 'id="f-capacity-mc-units" name="capacity.mc_units" type="text" value="0"' in html  # kept for fixing
    assert count_scenarios(app) == 1


def test_unticked_boxes_are_kept_as_the_person_left_them_when_the_form_is_refused(app, policy):
    form = default_form(**{"segments.supporter": [], "segments.difficulty": ["3", "4"]})
    html = post(policy, "/scenarios/1/edit", form, 400)
    text = " ".join(html.split())
    assert ('<a href="#f-segments-supporter"> Select at least one option for “segments a supporter must be in” '
            '</a>') in text
    assert 'name="segments.difficulty" type="checkbox" value="3" checked' in html
    assert 'name="segments.supporter" type="checkbox" value="1" checked' not in html
    assert count_scenarios(app) == 1


def test_uploading_yaml_saves_a_version_and_a_bad_file_names_the_key(app, policy):
    good = "capacity:\n  buddy_units: 3\n"
    location = post(policy, "/scenarios/upload", {"name": "More capacity", "note": "3 units each",
                                                  "file": (io.BytesIO(good.encode()), "more.yaml")})
    assert "More capacity v1" in page(policy, location)
    bad = "capacity:\n  buddy_unit: 3\n"
    html = post(policy, "/scenarios/upload", {"name": "Typo", "note": "x", "file": (io.BytesIO(bad.encode()),
                                                                                     "typo.yaml")}, 400)
    assert "typo.yaml has 1 problem: fix each one listed under the file box and upload it again" in html
    assert "<li>capacity.buddy_unit is not a known key; did you mean &#39;capacity.buddy_units&#39;?</li>" in html
    html = post(policy, "/scenarios/upload", {"name": "Broken", "note": "x",
                                              "file": (io.BytesIO(b"capacity: [\n"), "broken.yaml")}, 400)
    assert "<li>line 2, column 1: expected the node content, but found &#39;&lt;stream end&gt;&#39;</li>" in html
    html = post(policy, "/scenarios/upload", {"name": "Big", "note": "x",
                                              "file": (io.BytesIO(b"#" * 300_000), "big.yaml")}, 400)
    assert "The file must be smaller than 256 KB" in html
    html = post(policy, "/scenarios/upload", {"name": "", "note": ""}, 400)
    assert "Choose a YAML file to upload" in html and "Enter a name for the scenario" in html
    assert count_scenarios(app) == 2


def test_upload_problems_are_listed_one_per_line_and_an_empty_file_is_refused(app, policy):
    bad = "capacity:\n  buddy_units: 0\n  mc_units: -1\nsolver: {seed: x}\n"
    html = post(policy, "/scenarios/upload", {"name": "Bad", "note": "x", "file": (io.BytesIO(bad.encode()),
                                                                                   "bad.yaml")}, 400)
    assert "bad.yaml has 3 problems: fix each one listed under the file box and upload it again" in html
    items = re.findall(r'<ul class="nhsuk-list nhsuk-list--bullet app-upload-problems" id="f-file-problems">(.*?)</ul>',
                       html, re.S)[0]
    assert re.findall(r"<li>(.*?)</li>", items) == ["capacity.buddy_units must be 1 or more, got 0",
                                                    "capacity.mc_units must be 1 or more, got -1",
                                                    "solver.seed must be a whole number, got &#39;x&#39;"]
    for empty in (b"", b"# nothing but a comment\n", b"---\n"):
        html = post(policy, "/scenarios/upload", {"name": "Empty", "note": "x",
                                                  "file": (io.BytesIO(empty), "empty.yaml")}, 400)
        assert ('<a href="#f-file"> empty.yaml is empty: it must set at least one setting, in the layout of '
                'config.yaml </a>') in " ".join(html.split())
    assert count_scenarios(app) == 1


def test_a_what_if_runs_but_can_never_be_published(app, policy, regulator, run_jobs):
    job = post(policy, "/scenarios/1/what-if")
    run_jobs()
    run_url = policy.get(job).location
    html = page(policy, run_url)
    assert "(what-if)" in html and "Publish offers" not in html
    run_id = run_url.rsplit("/", 1)[-1]
    assert "Publish offers" not in page(regulator, run_url)
    html = page(regulator, post(regulator, f"/runs/{run_id}/publish"))
    assert "A what-if run cannot be published" in html
    with app.extensions["db"]() as session:
        assert session.scalar(select(Run.published_at)) is None


def test_two_scenarios_are_compared_side_by_side(policy, run_jobs):
    post(policy, "/scenarios/1/edit", default_form(name="Wide", **{"max_distance_km.management_contract": "300",
                                                                   "max_distance_km.buddy": "400"}))
    html = page(policy, "/scenarios/compare?a=National+default&b=Wide", 400)
    assert "has not been run yet; run it as a what-if first" in html
    post(policy, "/scenarios/1/what-if")
    post(policy, "/scenarios/2/what-if")
    assert run_jobs() == 2
    location = policy.get("/scenarios/compare?a=National+default&b=Wide").location
    assert location == "/runs/compare?a=1&b=2"
    html = page(policy, location)
    assert "Figures side by side" in html and "Mean distance" in html and "Mean fit" in html
    assert "Partnerships that differ" in html


def test_regulators_can_read_scenarios_but_not_edit_them(regulator):
    html = page(regulator, "/scenarios/")
    assert "National default v1" in html and "Upload a configuration" not in html
    assert regulator.get("/scenarios/1/edit").status_code == 403
