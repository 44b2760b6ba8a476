"""Helpers the browser tests share: signing in, waiting for runs, reading tables, saving screenshots.

The table read is the partnership table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "local-demo-only"
#: The password of accounts the journeys create with ``users add`` (the demo password is refused there).
CREATED_PASSWORD = "quiet harbour lantern orchard"
REGULATOR, POLICY, ADMIN = "regulator@example.nhs.uk", "policy@example.nhs.uk", "admin@example.nhs.uk"
DEMO_TRUST_EXECS = {"RXL": "ceo.rxl@example.nhs.uk", "RBV": "ceo.rbv@example.nhs.uk"}
RUN_TIMEOUT_MS = 120_000  # a run on the shipped data takes a few seconds; allow a slow CI machine


def sign_in(page: Page, email: str, password: str | None = None) -> None:
    """Fill in the sign-in form and wait until the person's start page has loaded.

    Demo accounts sign in with the demo password, accounts a journey created with ``CREATED_PASSWORD``.
    """
    if password is None:
        demo = email in (REGULATOR, POLICY, ADMIN, *DEMO_TRUST_EXECS.values())
        password = PASSWORD if demo else CREATED_PASSWORD
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Buddying")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    expect(page.get_by_text(email, exact=False).first).to_be_visible()


AXE = ROOT / "tests" / "browser" / "vendor" / "axe.min.js"  # vendored by scripts/vendor-frontend.sh
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_problems(page: Page) -> list[str]:
    """Every WCAG 2.2 A/AA violation axe-core finds on the page, one line per rule and element."""
    # Let the page settle first: the NHS header's script re-lays out its navigation from a ResizeObserver after
    # load, and a check taken mid-way sees links moving into its "More" menu (white on grey for a frame or two).
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => "
                  "setTimeout(done, 100))))")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through the browser's devtools channel, not the page's CSP
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
            for v in result["violations"] for node in v["nodes"]]


def assert_accessible(page: Page) -> None:
    """The page has no axe-core WCAG 2.2 A/AA violation."""
    problems = accessibility_problems(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def screenshot(page: Page, name: str) -> Path:
    """Check the page with axe-core, then save a full-page screenshot as ``tests/artifacts/NAME.png``."""
    assert_accessible(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_run(page: Page) -> int:
    """On a job page (which refreshes itself), wait until the finished run's page appears; return its id."""
    page.wait_for_url(re.compile(r"/runs/\d+$"), timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Run \d+: "))
    return int(page.url.rsplit("/", 1)[-1])


def run_matcher(page: Page) -> int:
    """From the dashboard, run the matcher on the default scenario and wait for the run page."""
    page.goto("/dashboard")
    scenario = page.get_by_label("Scenario")
    scenario.select_option(label=next(t for t in scenario.locator("option").all_inner_texts()
                                      if t.startswith("National default")))
    page.get_by_role("button", name="Run the matcher").click()
    page.wait_for_url(re.compile(r"/(jobs|runs)/\d+$"))
    return wait_for_run(page)


def code_of(label: str) -> str:
    """``RXL`` from ``Blackpool Teaching Hospitals NHS Foundation Trust (RXL)``."""
    found = re.search(r"\(([A-Z0-9]{3,5})\)\s*$", label.strip())
    assert found, f"no trust code in {label!r}"
    return found.group(1)


@dataclass(frozen=True)
class Row:
    """One row of a run's partnership table."""

    recipient: str
    supporter: str
    kind: str
    locked: bool


def partnership_rows(page: Page) -> list[Row]:
    """Every row of the partnership table on a run page."""
    rows = []
    for cells in page.locator("#partnerships tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.innerText))"):
        recipient = cells[0].replace("Locked", "").strip()
        rows.append(Row(code_of(recipient), code_of(cells[1]), cells[2].strip(), "Locked" in cells[0]))
    return rows


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot_both(page: Page, name: str) -> None:
    """Check and screenshot the page at desktop width and again at 390 px (``NAME-phone.png``).

    At 390 px nothing but a table's own scrolling region may be wider than the screen.
    """
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    try:
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
            .filter(e => !e.closest('.app-table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert wide == [], f"{page.url} is wider than a 390 px phone: {wide}"
        screenshot(page, f"{name}-phone")
    finally:
        page.set_viewport_size(DESKTOP)
