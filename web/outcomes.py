"""Outcomes (DOMAIN §8): every live or ended agreement followed to date, and each supporter's track record.

Regulators and policy staff read the page and download it as CSV or a workbook. The agreements
and observations come from the store; following them is ``matcher.outcomes``; the tables are
``matcher.present.outcomes``. "Today" is the calendar date: outcomes are about time that has passed,
not about the date ratings are aged against.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template

from matcher.outcomes import track
from matcher.present.exports import to_csv, to_xlsx
from matcher.present.outcomes import outcomes_table, track_table
from matcher.store import outcomes as store

from . import data, db
from .auth import roles_required
from .exports import CSV, XLSX, _download

bp = Blueprint("outcomes", __name__)
READERS = ("regulator", "policy")


def _followed():
    return store.followed(db.session(), date.today())


@bp.get("/outcomes")
@roles_required(*READERS)
def index() -> str:
    """Every agreement: the recipient at start, 12 and 24 months, the outcome, and any overstretch warning."""
    followed = _followed()
    records = track(followed)
    names = data.names()
    counts = {"live": sum(o.status == "live" for o in followed),
              "out": sum(o.status == "ended" and o.left_difficulty is True for o in followed),
              "still": sum(o.status == "ended" and o.left_difficulty is False for o in followed),
              "unknown": sum(o.status == "ended" and o.left_difficulty is None for o in followed)}
    return render_template("outcomes/index.html", outcomes=followed, table=outcomes_table(followed, names),
                           records=track_table(records, names), counts=counts,
                           refreshes=store.observation_dates(db.session()),
                           warnings=[o.overstretch for o in followed if o.overstretch])


@bp.get("/outcomes.csv")
@roles_required(*READERS)
def outcomes_csv() -> Response:
    """Every agreement and its outcome, one row each, as CSV."""
    return _download(to_csv(outcomes_table(_followed(), data.names())), CSV, "buddying-outcomes.csv")


@bp.get("/outcomes.xlsx")
@roles_required(*READERS)
def outcomes_xlsx() -> Response:
    """The outcomes and the track records, one sheet each."""
    followed, names = _followed(), data.names()
    return _download(to_xlsx([outcomes_table(followed, names), track_table(track(followed), names)]), XLSX,
                     "buddying-outcomes.xlsx")
