"""Browser fixtures: the real service, Chromium, signed-in pages per account, and screenshots.

The real service is ``python -m web serve``, with its worker, on a fresh database; Debian's
Chromium is driven by Playwright; screenshots are full-page.

The service is started once for the whole browser session, as a user would start it: demo accounts
first (``python -m web demo-users``), then ``serve``. The database is a SQLite file in a temporary
folder, or a fresh schema in the PostgreSQL database named by ``TEST_DATABASE_URL``. Playwright never
downloads a browser: it drives ``/usr/bin/chromium``.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.pages import CREATED_PASSWORD, DEMO_TRUST_EXECS, ROOT, sign_in
from tests.databases import fresh_database_url

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AS_OF = "2026-11-23"

expect.set_options(timeout=15_000)


@dataclass
class Service:
    """The running service: where it listens, the environment its commands need, its log."""

    url: str
    env: dict[str, str]
    log: Path
    trust_execs: dict[str, str] = field(default_factory=lambda: dict(DEMO_TRUST_EXECS))

    def command(self, *args: str, stdin: str | None = None) -> str:
        """Run ``python -m web ARGS`` against the same database; return its output."""
        done = subprocess.run([sys.executable, "-m", "web", *args], check=False, env=self.env, cwd=ROOT, input=stdin,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"python -m web {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def trust_exec(self, code: str) -> str:
        """The email of a trust executive of ``code``, creating the account with ``users add`` if needed."""
        if code not in self.trust_execs:
            email = f"ceo.{code.lower()}@example.nhs.uk"
            out = self.command("users", "add", "--email", email, "--role", "trust_exec", "--trust", code,
                               stdin=f"{CREATED_PASSWORD}\n{CREATED_PASSWORD}\n")
            assert f"Created {email}" in out
            self.trust_execs[code] = email
        return self.trust_execs[code]


@pytest.fixture(scope="session")
def browser_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for the browser session (the session-scoped twin of ``database_url``)."""
    with fresh_database_url(tmp_path_factory.mktemp("browser-db"), "test_browser") as url:
        yield url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def service(browser_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """``python -m web serve`` (and the worker it starts) on a fresh database with the demo accounts.

    The server runs in its own process group, which is ended at the end of the session so the
    worker goes with it.
    """
    port = _free_port()
    env = os.environ.copy()
    env.update(DATABASE_URL=browser_database_url, BUDDYING_AS_OF=AS_OF, PYTHONPATH=str(ROOT),
               BUDDYING_SECRET_KEY="browser-tests", PYTHONUNBUFFERED="1")
    log = tmp_path_factory.mktemp("browser-service") / "serve.log"
    running = Service(f"http://127.0.0.1:{port}", env, log)
    assert "ceo.rxl@example.nhs.uk" in running.command("demo-users")
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "web", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not _answers(f"{running.url}/sign-in"):
            assert server.poll() is None, f"the service stopped at start-up:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the service did not answer in time:\n{log.read_text()}"
            time.sleep(0.2)
        yield running
    finally:
        _stop_group(server)


def _stop_group(process: subprocess.Popen) -> None:
    """End the server's whole process group: the server and the worker it started."""
    _signal_group(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _signal_group(process.pid, 0) and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _signal_group(group: int, sig: int) -> bool:
    """Send ``sig`` to a process group; False if no process of it is left."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, service: Service) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(java_script_enabled=False)``: a fresh browser profile at the service, closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options = {"viewport": {"width": 1280, "height": 900}, **options}  # a phone's width when asked
        context = browser.new_context(base_url=service.url, **options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(new_context) -> Callable[..., Page]:
    """``signed_in("regulator@example.nhs.uk")``: a page in a fresh profile, signed in as that person."""
    def make(email: str, **options) -> Page:
        page = new_context(**options).new_page()
        sign_in(page, email)
        return page
    return make
