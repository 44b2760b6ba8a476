"""``python -m web serve``: start the Buddying web service."""
from __future__ import annotations

import os
import sys

import click

from matcher.errors import BuddyingError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Buddying web service commands."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on (default: $PORT or 5000).")
def serve(host: str, port: int | None) -> None:
    """Start the web service (loads and checks the data first)."""
    from . import create_app

    try:
        app = create_app()
    except BuddyingError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    port = port or int(os.environ.get("PORT", "5000"))
    click.echo(f"Buddying is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False)


if __name__ == "__main__":
    cli(prog_name="python -m web")
