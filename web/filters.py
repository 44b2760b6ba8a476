"""Jinja filters for display: trust names, ratings, money and roles."""
from __future__ import annotations

from flask import Flask

from matcher.domain import display_name


def register(app: Flask) -> None:
    """Add the filters to the app's Jinja environment."""
    app.add_template_filter(display_name, "trust_name")
    app.add_template_filter(lambda v: v.replace("_", " "), "words")
