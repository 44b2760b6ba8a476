"""``python -m web``: the service commands (serve, worker, users, demo accounts).

Every command migrates the database first, so each works on a fresh ``DATABASE_URL``.
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import subprocess  # nosec B404  # only starts this service's own worker, with a fixed argv (below)
import sys

import click

from matcher.errors import BuddyingError

from . import security

DEMO_PASSWORD = "local-demo-only"  # nosec B105  # documented local-only demo password
DEMO_USERS = (("regulator@example.nhs.uk", "regulator", None), ("policy@example.nhs.uk", "policy", None),
              ("admin@example.nhs.uk", "admin", None), ("ceo.rxl@example.nhs.uk", "trust_exec", "RXL"),
              ("ceo.rbv@example.nhs.uk", "trust_exec", "RBV"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Buddying web service commands. The database is DATABASE_URL, or instance/buddying.sqlite3."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _app():
    from . import create_app

    try:
        return create_app()
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
    """Start the web service (gunicorn), with a worker for runs beside it.

    \b
    Example:
      DATABASE_URL=postgresql://localhost/buddying python -m web serve --port 8000
    """
    app = _app()
    if debug and security.production():
        click.echo("--debug is refused in production mode (BUDDYING_ENV=production).", err=True)
        sys.exit(2)
    if not no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "web", "worker"], env=os.environ.copy())  # nosec B603  # fixed argv
        atexit.register(_stop, worker)
    port = port or int(os.environ.get("PORT", "5000"))
    click.echo(f"Buddying is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from .server import Server
    Server(app, host, port, workers).run()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


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

    app = _app()
    try:
        with app.extensions["db"].begin() as session:
            user = add_user(session, email, role, password, trust,
                            set(app.extensions["buddying"].current.trusts["code"]))
            click.echo(f"Created {user.email} ({role}{', ' + user.trust_code if user.trust_code else ''}).")
    except BuddyingError as exc:
        click.echo(str(exc), err=True)
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
                add_user(session, email, role, DEMO_PASSWORD, trust)
    click.echo("Demo accounts, for local use only (never on a shared or public server); password "
               f"'{DEMO_PASSWORD}' for each:")
    for email, role, trust in DEMO_USERS:
        click.echo(f"  {email:28} {role}{' of ' + trust if trust else ''}")


if __name__ == "__main__":
    cli(prog_name="python -m web")
