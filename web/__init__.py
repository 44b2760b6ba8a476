"""Buddying web service: a thin Flask layer over ``matcher``.

For now it serves the classified trust list; the regulator, trust-executive and policy
journeys grow from here (see the open issues).
"""
from __future__ import annotations

from typing import Any

from flask import Flask

from matcher.pipeline import load_and_classify


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app, load and classify the data once, and register the pages.

    ``test_config`` may set ``DATA_DIR``, ``CONFIG_FILE`` and ``AS_OF`` (a ``date``).
    Bad data or config stops the app from starting, with the loader's located message.
    """
    app = Flask(__name__)
    app.config.from_mapping(DATA_DIR=None, CONFIG_FILE=None, AS_OF=None)
    if test_config:
        app.config.update(test_config)
    app.extensions["buddying"] = load_and_classify(app.config["DATA_DIR"], app.config["CONFIG_FILE"],
                                                   app.config["AS_OF"])

    from . import filters, trusts
    filters.register(app)
    app.register_blueprint(trusts.bp)
    return app
