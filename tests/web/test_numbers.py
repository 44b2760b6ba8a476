"""Every figure in plain words where it appears, and the small faults of issue 14 (item 3 and 10).

The run page, a pair's page and the uncovered page say what fit, score, severity, coverage,
support units, bound, gap and the fingerprints mean; the page "What the numbers mean" has them all.
"""
from __future__ import annotations

import re
from html import unescape

from tests.web.conftest import page


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_numbers_page_explains_every_figure_with_its_scale_and_direction(client_for):
    text = text_of(page(client_for(None), "/what-the-numbers-mean"))
    assert ("Severity How serious a recipient's difficulty is, as a number: higher is worse. 1 (in difficulty); "
            "3 (intensive support or rated Inadequate); 8 (persistent difficulty, the most severe).") in text
    assert "Coverage Recipients covered, weighted by severity" in text
    assert "Fit breakdown points Each line of a fit breakdown is the supporter's lead over the recipient" in text
    assert "Score Fit less the cost of distance, in points: 100 times (fit less 0.05 for each km" in text
    assert "Support units How much support a supporter can give at once, by its size: 1 unit, 2 units, 3 units" in text
    assert "Gap How far the plan might be from the best possible in a stage" in text
    assert "Data and settings fingerprints Short codes worked out from the data files" in text
    assert 'href="/what-the-numbers-mean"' in page(client_for(None), "/data-sources")  # in the footer


def test_the_run_page_says_what_its_figures_mean(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}")
    text = text_of(html)
    assert "Coverage 47: recipients covered, weighted by severity (higher is better)" in text
    assert ("Severity 8 (persistent difficulty, the most severe): 1 of 1 covered Severity 4 (persistent difficulty "
            "with a buddying, which counts 50%): 6 of 6 covered") in text
    assert "Severity 1 (in difficulty):" in text and "Higher severity is worse." in text
    assert text.index("Severity 8 (") < text.index("Severity 3 (") < text.index("Severity 1 (")
    assert "Solver Proven best" in text and "Offers kept" not in text
    assert "Score: reached 9,744, best possible 9,744, gap 0.00% (proven best)" in text
    assert re.search(r"data fingerprint [0-9a-f]{16}, settings fingerprint [0-9a-f]{16} \(the same codes mean the "
                     r"same inputs\)", text)
    assert "What these numbers mean" in text and "What fit, score and incentive mean" in text
    assert "Kept_offers" not in text and "kept_offers" not in html


def test_a_pairs_fit_breakdown_gives_its_points_and_how_each_is_counted(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/pairs/RXL")
    text = text_of(html)
    assert re.search(r"Fit \d+\.\d\d: how strong the supporter is where this trust is weak \(higher is better; most "
                     r"pairs score 5 to 25\)\. Score [\d,]+ points once distance is taken off\.", text)
    assert re.search(r"Where the fit of \d+\.\d\d comes from Strength Points How it is counted", text)
    assert "rating steps the supporter is ahead, times the weight" in text.lower()
    assert "Smaller income over larger, from 0 to 1, times the bonus" in text
    assert re.search(r"Supporter capacity used \d support units?;", text)
    # the alternatives keep trust names as written ("capitalize" lower-cased them)
    alternatives = re.findall(r"<li><strong>(.*?)</strong>", html)
    assert alternatives and all(a[0].isupper() for a in alternatives)
    assert any(re.search(r"with [A-Z][a-z]+.* NHS", a) for a in alternatives), alternatives


def test_the_uncovered_page_is_most_severe_first_names_the_supporters_and_is_compact(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}/uncovered")
    rows = re.findall(r'<td class="nhsuk-table__cell" data-label="Severity">(\d+)', html)
    assert len(rows) == 44 and [int(r) for r in rows] == sorted((int(r) for r in rows), reverse=True)
    assert "Severity (higher is worse)" in html
    first_row = html.split('data-label="Closest supporters">')[1].split("</td>")[0]
    assert re.search(r"[A-Z][a-z].* \([A-Z0-9]{3,5}\) \(\d+ km\)", first_row), first_row  # names, not codes only
    assert html.count('<details class="nhsuk-details app-uncovered"') == 44  # reasons folded away


def test_a_text_column_sorts_a_to_z_and_a_number_low_to_high(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}?sort=recipient&order=asc")
    assert "Recipient (A to Z)" in html and "(low to high)" not in html
    assert "Recipient (Z to A)" in page(regulator, f"/runs/{proposal}?sort=recipient&order=desc")
    assert "Score (high to low)" in page(regulator, f"/runs/{proposal}?sort=score&order=desc")


def test_a_filter_that_matches_nothing_offers_to_clear_the_filters(regulator, proposal):
    html = page(regulator, f"/runs/{proposal}?kind=management_contract&sector=ambulance")
    text = text_of(html)
    assert "No partnership matches these filters. Clear filters to see all 18 partnerships." in text
    assert f'<a href="/runs/{proposal}">Clear filters</a>' in html
    assert 'id="partnerships"' not in html
    html = page(regulator, f"/runs/{proposal}?kind=management_contract")
    assert "1 partnership matching the filters" in html and "Clear filters" in html
