"""Buddying web service: a thin Flask layer over ``matcher`` and ``matcher.store``.

Regulators run and publish proposals, trust executives answer the offers for their own
trust, and policy staff edit and compare scenarios. No rule, formula or solver call lives
here: pages read from the store and from the classified data, and runs go to the worker.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from matcher.errors import BuddyingError
from matcher.pipeline import CurrentData
from matcher.settings import DEFAULT_CONFIG_PATH
from matcher.store.engine import database_url, open_database
from matcher.store.scenarios import ensure_default

from . import offer_text, security
from .demo import refuse_demo_accounts
from .ids import DatabaseId
from .safe_json import SafeJSONProvider

HERE = Path(__file__).parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: load and check the data, migrate the database, register the pages.

    ``test_config`` may set ``DATABASE_URL``, ``DATA_DIR``, ``CONFIG_FILE``, ``AS_OF`` (a date),
    ``SECRET_KEY``, ``TRUSTED_PROXIES`` (default ``BUDDYING_TRUSTED_PROXIES``), ``FORCE_HTTPS``
    (default: in production), Flask's own keys, and ``CURRENT_DATA`` (already loaded data, so tests
    load it once). Bad data or config stops the app from starting, with the loader's located message;
    so does production mode (``BUDDYING_ENV=production``) without ``BUDDYING_SECRET_KEY`` or with demo
    accounts that can sign in (unless ``ADMIN_COMMAND``: the account commands that fix that).
    """
    app = Flask(__name__, static_folder="static", static_url_path="/assets")
    app.config.from_mapping(
        SECRET_KEY=None, SESSION_COOKIE_SECURE=security.production(),
        PREFERRED_URL_SCHEME="https" if security.production() else "http",
        DATABASE_URL=database_url(), DATA_DIR=os.environ.get("BUDDYING_DATA_DIR"), CONFIG_FILE=None,
        AS_OF=date.fromisoformat(os.environ["BUDDYING_AS_OF"]) if os.environ.get("BUDDYING_AS_OF") else None,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_NAME="buddying_session",
        MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_TIME_LIMIT=None,
        TRUSTED_PROXIES=security.trusted_proxies(), FORCE_HTTPS=security.production(),
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = security.secret_key()
    app.json = SafeJSONProvider(app)
    security.behind_proxies(app, app.config["TRUSTED_PROXIES"])
    app.url_map.converters["int"] = DatabaseId
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader([FileSystemLoader(HERE / "templates"), PackageLoader("nhsuk_frontend_jinja")]),
        "autoescape": True, "trim_blocks": True, "lstrip_blocks": True,
    }
    app.extensions["offer_timetable"] = app.config.get("OFFER_TIMETABLE") or offer_text.timetable_from()
    app.extensions["offer_contact"] = app.config.get("OFFER_CONTACT") or offer_text.contact_from()
    app.extensions["buddying"] = app.config.get("CURRENT_DATA") or CurrentData(
        app.config["DATA_DIR"], app.config["CONFIG_FILE"], app.config["AS_OF"])
    engine, sessions = open_database(app.config["DATABASE_URL"])
    app.extensions["db"] = sessions
    app.extensions["db_engine"] = engine
    config_path = Path(app.config["CONFIG_FILE"] or DEFAULT_CONFIG_PATH)
    with sessions.begin() as session:
        ensure_default(session, config_path.read_text(encoding="utf-8"))
    if security.production() and not app.config.get("ADMIN_COMMAND"):
        try:
            refuse_demo_accounts(sessions)
        except BuddyingError:
            engine.dispose()  # the service is not starting: leave no connection open
            raise

    from . import (
        admin,
        api,
        auth,
        db,
        errors,
        exports,
        filters,
        levers,
        offers,
        outcomes,
        regulator,
        runs,
        scenarios,
        transparency,
        trusts,
    )
    db.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    filters.register(app)
    auth.csrf.exempt(api.bp)  # the API checks the token itself, after the sign-in check
    for blueprint in (auth.bp, regulator.bp, runs.bp, levers.bp, exports.bp, offers.bp, scenarios.bp, trusts.bp,
                      admin.bp, api.bp, outcomes.bp, transparency.bp):
        app.register_blueprint(blueprint)
    filters.register_macros(app)  # last: the macros see the globals added above
    return app
