"""Jinja filters and globals for display: trust names, money, distances, dates, form ids, navigation."""
from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from typing import cast

from flask import Flask, current_app, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2.runtime import Macro
from markupsafe import Markup

from matcher.domain import COVERAGE_SCALE, display_name
from matcher.present import numbers
from matcher.result import StageOutcome

from . import cache, data, db

NAVIGATION = {
    "regulator": [("regulator.dashboard", "Dashboard"), ("runs.index", "Runs"), ("regulator.offers", "Offers"),
                  ("regulator.rules", "Locks and exclusions"), ("scenarios.index", "Scenarios"),
                  ("trusts.index", "Trusts"), ("outcomes.index", "Outcomes"), ("admin.audit", "Audit log")],
    "trust_exec": [("offers.index", "Your offers"), ("offers.capacity", "Capacity and willingness")],
    "policy": [("scenarios.index", "Scenarios"), ("runs.index", "Runs"), ("trusts.index", "Trusts"),
               ("outcomes.index", "Outcomes")],
    "admin": [("admin.users", "Accounts"), ("admin.audit", "Audit log"), ("trusts.index", "Trusts")],
}


#: Templates whose macros every page may call, loaded once and made globals (see ``register_macros``).
MACRO_TEMPLATES = {
    "nhsuk/components/skip-link/macro.jinja": ("skipLink",),
    "nhsuk/components/error-summary/macro.jinja": ("errorSummary",),
    "nhsuk/components/back-link/macro.jinja": ("backLink",),
    "components/forms.html": None,  # every macro
    "components/numbers.html": None,  # before run.html, whose figures use it
    "components/run.html": None,
    "components/charts.html": None,
}


def register(app: Flask) -> None:
    """Add the filters and globals to the app's Jinja environment."""
    app.add_template_filter(display_name, "trust_name")
    app.add_template_filter(lambda v: str(v).replace("_", " "), "words")
    app.add_template_filter(money, "money")
    app.add_template_filter(lambda v: f"{float(v):,.0f} km", "km")
    app.add_template_filter(lambda v: f"{float(v):.2%}", "pct")
    app.add_template_filter(lambda v: f"{float(v):.0%}", "pct0")
    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    app.add_template_filter(field_id, "field_id")
    app.add_template_filter(trust_label, "trust")
    app.add_template_filter(lambda code: data.names().get(code, code), "trust_name_of")
    app.add_template_filter(stage_value, "stage_value")
    app.add_template_filter(db.plan, "plan")
    app.add_template_global(error_list, "error_list")
    app.add_template_global(lambda values: [(v, str(v).replace("_", " ")) for v in values], "pairs_of")
    app.add_template_global(lambda role: NAVIGATION.get(role, []), "navigation_for")
    app.add_template_global(header_html, "header_html")
    app.add_template_global(footer_html, "footer_html")
    app.add_template_global(skip_link_html, "skip_link_html")
    app.add_template_global(chart_value, "chart_value")
    app.add_template_filter(groupby_consecutive, "groupby_consecutive")
    app.add_template_global(numbers.meanings, "number_meanings")
    app.add_template_filter(numbers.severity_words, "severity_words")
    app.add_template_filter(numbers.stage_name, "stage_name")
    app.add_template_filter(numbers.fit_term_scale, "fit_term_scale")
    app.add_template_filter(sentence, "sentence")
    app.add_template_filter(kind_words, "kind_words")
    app.add_template_global(plural, "plural")


def money(value: float | int | None) -> str:
    """£1.25m for millions, £450,000 below."""
    if value is None:
        return ""
    value = float(value)
    return f"£{value / 1e6:,.2f}m" if abs(value) >= 1e6 else f"£{value:,.0f}"


def when(value: datetime | None) -> str:
    """23 November 2026 at 20:15 (UTC)."""
    return value.strftime("%-d %B %Y at %H:%M") if value else ""


def day(value: date | None) -> str:
    """23 November 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""


def field_id(name: str) -> str:
    """An HTML id for a form field name such as ``capacity.base_units`` (letters, digits and dashes)."""
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def kind_words(kind: object) -> str:
    """``buddying`` or ``management contract``: the service calls the light kind of support a buddying everywhere."""
    value = str(getattr(kind, "value", kind))
    return {"buddy": "buddying", "management_contract": "management contract"}.get(value, value.replace("_", " "))


def sentence(text: str) -> str:
    """The first letter a capital, the rest as written (``capitalize`` would lower-case trust names)."""
    return text[:1].upper() + text[1:]


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 partnership``, ``2 partnerships``, ``0 partnerships``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def groupby_consecutive(fields) -> list[tuple[str, list]]:
    """Form fields in runs of the same ``group`` (a milestone's three fields), in order."""
    return [(group, list(run)) for group, run in itertools.groupby(fields, key=lambda f: f.group)]


def error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    """The NHS error summary's list: each message links to its field."""
    return [{"text": message, "href": "#" + field_id(name)} for name, message in errors.items()]


def trust_label(code: str | None) -> str:
    """``Blackpool Teaching Hospitals (RXL)`` for a trust code, from the loaded data."""
    if not code:
        return ""
    names = data.names()
    return f"{names[code]} ({code})" if code in names else code


def stage_value(stage: StageOutcome, field: str) -> str:
    """A solver stage's objective or bound in the plan's own units (coverage is solved scaled to integers)."""
    value = float(getattr(stage, field))
    if stage.name == "coverage":
        return f"{value / COVERAGE_SCALE:,.2f}".rstrip("0").rstrip(".")
    return f"£{value:,.0f}" if stage.name == "spend" else f"{value:,.0f}"


def register_macros(app: Flask) -> None:
    """Make the shared macros Jinja globals, loaded once (call after every other global is added).

    A ``{% from ... import %}`` at the top of a template runs on every render; on the busiest pages
    the imports cost more than the page's own markup. These macros read only their arguments and
    the environment's globals, never the request, so one copy serves every page.
    """
    for name, wanted in MACRO_TEMPLATES.items():
        module = app.jinja_env.get_template(name).module
        macros = {key: value for key, value in vars(module).items() if isinstance(value, Macro)}
        for key in wanted or sorted(macros):
            if key in app.jinja_env.globals:
                raise RuntimeError(f"macro {key} of {name} would hide the Jinja global of that name")
            app.jinja_env.globals[key] = macros[key]


def header_html() -> Markup:
    """The page header, rendered once per person, page and session (it costs more than most pages).

    Its sign-out form carries the session's CSRF token, so the session's token is part of the key.
    """
    if not current_user.is_authenticated:
        return Markup(render_template("components/_header.html"))  # nosec B704  # autoescaped template output
    generate_csrf()  # make sure this session has its token before it becomes part of the key
    key = ("header", current_app.config["DATABASE_URL"], current_user.id, current_user.email, current_user.role,
           current_user.trust_code, request.endpoint, session.get("csrf_token"))
    return cache.fragments.get_or_make(key, lambda: Markup(render_template("components/_header.html")))  # nosec B704  # autoescaped template output


def footer_html() -> Markup:
    """The page footer: the same on every page, so rendered once per process."""
    return cache.fragments.get_or_make(("footer", current_app.name), lambda: Markup(render_template(  # nosec B704  # autoescaped template output
        "components/_footer.html")))


def skip_link_html() -> Markup:
    """The skip link: the same on every page, so rendered once per process."""
    # A cast: Jinja2 leaves Environment.globals unannotated, so mypy infers dict[str, object] from its defaults.
    return cache.fragments.get_or_make(("skip-link", current_app.name), lambda: Markup(  # nosec B704  # autoescaped macro output
        cast(Macro, current_app.jinja_env.globals["skipLink"])({"href": "#maincontent",
                                                                 "text": "Skip to main content"})))


def chart_value(bar, share: bool, as_money: bool) -> str:
    """A bar's figure as printed beside it: ``£34.88m of £35.00m``, ``12 of 14``, or ``7``."""
    if as_money:
        return f"{money(bar.value)} of {money(bar.whole)}"
    value = f"{bar.value:g}"
    return f"{value} of {bar.whole:g}" if share else value
