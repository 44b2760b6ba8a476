"""``python -m web``: the service commands (serve, worker, users, demo accounts).

Every command migrates the database first, so each works on a fresh ``DATABASE_URL``.
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
import time

import click

from matcher.errors import BuddyingError

from . import security
from .demo import DEMO_PASSWORD, DEMO_USERS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Buddying web service commands. The database is DATABASE_URL, or instance/buddying.sqlite3."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _app(admin_command: bool = False):
    """The app, or exit 2 with the reason it cannot start (bad data or config, or an unsafe production setup)."""
    from . import create_app

    try:
        return create_app({"ADMIN_COMMAND": True} if admin_command else None)
    except BuddyingError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on (default: $PORT or 5000).")
@click.option("--no-worker", is_flag=True, help="Do not start a worker beside the server (run one yourself).")
@click.option("--workers", type=int, default=None, help="Web server processes (default: 1 per core + 1).")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger (never in production).")
def serve(host: str, port: int | None, no_worker: bool, workers: int | None, debug: bool) -> None:
    """Start the web service (gunicorn), with a worker for runs beside it (restarted whenever it stops).

    \b
    Example:
      DATABASE_URL=postgresql://localhost/buddying python -m web serve --port 8000
    """
    app = _app()
    if debug and security.production():
        click.echo("--debug is refused in production mode (BUDDYING_ENV=production).", err=True)
        sys.exit(2)
    supervisor = None
    if not no_worker:
        from .supervisor import WorkerSupervisor
        supervisor = WorkerSupervisor(app.extensions["db"])
        supervisor.start()
        atexit.register(supervisor.stop)
    port = port or int(os.environ.get("PORT", "5000"))
    click.echo(f"Buddying is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    if debug:
        if supervisor is not None:
            threading.Thread(target=_keep_checking, args=(supervisor,), daemon=True).start()  # no fork here
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from .server import Server
    Server(app, host, port, workers, supervisor).run()


def _keep_checking(supervisor) -> None:
    """The development server has no master loop: check the worker's supervisor every second instead."""
    while True:
        supervisor.check()
        time.sleep(1)


@cli.command()
def worker() -> None:
    """Carry out queued runs until stopped (serve starts one; run more for more runs at once).

    \b
    Example:
      DATABASE_URL=postgresql://localhost/buddying python -m web worker
    """
    from .worker import work_forever

    app = _app()
    with contextlib.suppress(KeyboardInterrupt):
        work_forever(app.extensions["db"], app.extensions["buddying"])


@cli.group()
def users() -> None:
    """Manage accounts."""


@users.command("add")
@click.option("--email", required=True, help="The person's email address (their sign-in name).")
@click.option("--role", required=True, type=click.Choice(["regulator", "trust_exec", "policy", "admin"]))
@click.option("--trust", "trust", default=None, help="Trust code, for a trust executive only (e.g. RXL).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Read from a prompt, or from stdin when piped; avoid putting it on the command line.")
def users_add(email: str, role: str, trust: str | None, password: str) -> None:
    """Create an account.

    \b
    Example:
      printf 'a long passphrase\\na long passphrase\\n' | python -m web users add --email ceo@rxl.nhs.uk --role trust_exec --trust RXL
    """  # noqa: E501  the example is one command line, kept whole (\b) to copy
    from matcher.store.accounts import add_user

    app = _app(admin_command=True)
    try:
        with app.extensions["db"].begin() as session:
            user = add_user(session, email, role, password, trust,
                            set(app.extensions["buddying"].current.trusts["code"]))
            click.echo(f"Created {user.email} ({role}{', ' + user.trust_code if user.trust_code else ''}).")
    except BuddyingError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


@users.command("disable")
@click.option("--email", "emails", multiple=True, help="The account's email address (may be given more than once).")
@click.option("--demo", is_flag=True, help="Every demo account (python -m web demo-users made them).")
def users_disable(emails: tuple[str, ...], demo: bool) -> None:
    """Switch accounts off: they can no longer sign in and their open sessions end (kept for the audit log).

    \b
    Example:
      BUDDYING_ENV=production python -m web users disable --demo
    """
    from sqlalchemy import select

    from matcher.store import sessions
    from matcher.store.audit import record
    from matcher.store.tables import User
    wanted = {e.strip().lower() for e in emails} | ({email for email, _, _ in DEMO_USERS} if demo else set())
    if not wanted:
        click.echo("Name an account with --email, or give --demo.", err=True)
        sys.exit(2)
    app = _app(admin_command=True)
    with app.extensions["db"].begin() as session:
        found = {user.email: user for user in session.scalars(select(User).where(User.email.in_(wanted)))}
        for email in sorted(wanted):
            user = found.get(email)
            if user is None:
                click.echo(f"  {email:28} no such account")
                continue
            if user.active:
                user.active = False
                sessions.end_all(session, user.id)
                record(session, None, "user.deactivate", user.email, by="python -m web users disable")
            click.echo(f"  {email:28} switched off")
    if len(found) < len(wanted) and not demo:
        sys.exit(2)


@cli.command("demo-users")
def demo_users() -> None:
    """Create the demo accounts (for local use only) if missing, and print how to sign in.

    \b
    Example:
      python -m web demo-users && python -m web serve

    Refused in production mode (BUDDYING_ENV=production): their password is published.
    """
    if security.production():
        click.echo("demo-users is refused in production mode: the demo password is published in the README.",
                   err=True)
        sys.exit(2)
    from sqlalchemy import select

    from matcher.store.accounts import add_user
    from matcher.store.tables import User
    app = _app()
    with app.extensions["db"].begin() as session:
        for email, role, trust in DEMO_USERS:
            if session.scalar(select(User).where(User.email == email)) is None:
                add_user(session, email, role, DEMO_PASSWORD, trust, allow_demo_password=True)
    click.echo("Demo accounts, for local use only (never on a shared or public server); password "
               f"'{DEMO_PASSWORD}' for each:")
    for email, role, trust in DEMO_USERS:
        click.echo(f"  {email:28} {role}{' of ' + trust if trust else ''}")


if __name__ == "__main__":
    cli(prog_name="python -m web")
