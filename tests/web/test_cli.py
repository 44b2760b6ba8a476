"""The service commands, through a real process: each migrates a fresh database first."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from matcher.store.engine import open_database
from matcher.store.tables import User

ROOT = Path(__file__).resolve().parents[2]


def web(database_url: str, *args: str, stdin: str = "",
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)} | (env or {})
    return subprocess.run([sys.executable, "-m", "web", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def users(database_url: str) -> list[tuple[str, str, str | None]]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = [(u.email, u.role, u.trust_code) for u in session.scalars(select(User).order_by(User.email))]
    engine.dispose()
    return rows


def test_users_add_reads_the_password_from_stdin_on_a_fresh_database(database_url):
    result = web(database_url, "users", "add", "--email", "CEO@rxl.nhs.uk", "--role", "trust_exec", "--trust", "rxl",
                 stdin="a long passphrase\na long passphrase\n")
    assert result.returncode == 0, result.stderr
    assert "Created ceo@rxl.nhs.uk (trust_exec, RXL)." in result.stdout
    assert users(database_url) == [("ceo@rxl.nhs.uk", "trust_exec", "RXL")]


def test_users_add_refuses_bad_input_with_a_clear_message_and_stores_nothing(database_url):
    result = web(database_url, "users", "add", "--email", "x@y.nhs.uk", "--role", "trust_exec", "--trust", "ZZZ",
                 stdin="short\nshort\n")
    assert result.returncode == 2
    assert ("Cannot create the account: trust 'ZZZ' is not an open English NHS trust in the data; "
            "the password must be at least 12 characters") in result.stderr
    assert "Traceback" not in result.stderr
    assert users(database_url) == []
    result = web(database_url, "users", "add", "--email", "x@y.nhs.uk", "--role", "boss", stdin="")
    assert result.returncode == 2 and "'boss' is not one of" in result.stderr


def test_demo_users_are_created_once_and_printed_as_local_only(database_url):
    first = web(database_url, "demo-users")
    second = web(database_url, "demo-users")
    assert first.returncode == second.returncode == 0
    assert "for local use only" in first.stdout and "regulator@example.nhs.uk" in first.stdout
    assert len(users(database_url)) == 5


def test_demo_users_are_refused_in_production(database_url):
    env_result = subprocess.run([sys.executable, "-m", "web", "demo-users"], capture_output=True, text=True, cwd=ROOT,
                                env=os.environ | {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
                                                  "BUDDYING_ENV": "production", "BUDDYING_SECRET_KEY": "k" * 40},
                                timeout=120)
    assert env_result.returncode == 2 and "refused in production" in env_result.stderr
    engine, _ = open_database(database_url)  # the refusal came first: nothing was created
    engine.dispose()
    assert users(database_url) == []


def test_every_service_command_has_an_example_in_its_help():
    for command in (["serve"], ["worker"], ["users", "add"], ["demo-users"]):
        result = subprocess.run([sys.executable, "-m", "web", *command, "--help"], capture_output=True, text=True,
                                cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=120)
        assert result.returncode == 0 and "Example" in result.stdout, command
