"""Outcomes (DOMAIN §8): every live or ended agreement followed to date, and each supporter's track record.

Regulators and policy staff read the page and download it as CSV or a workbook. The agreements
and observations come from the store; following them is ``matcher.outcomes``; the tables are
``matcher.present.outcomes``. "Today" is the calendar date: outcomes are about time that has passed,
not about the date ratings are aged against.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from matcher.errors import InputError, excerpt
from matcher.ingest.partnerships import partnerships_from_text
from matcher.outcomes import track
from matcher.outcomes.records import long_date
from matcher.present.exports import to_csv, to_xlsx
from matcher.present.outcomes import outcomes_table, track_table
from matcher.store import outcomes as store

from . import data, db
from .auth import roles_required
from .exports import CSV, XLSX, _download
from .scenarios import SHOWN_PROBLEMS

bp = Blueprint("outcomes", __name__)
READERS = ("regulator", "policy")
MAX_UPLOAD = 1024 * 1024


def _followed():
    return store.followed(db.session(), date.today())


@bp.get("/outcomes")
@roles_required(*READERS)
def index() -> str:
    """Every agreement: the recipient at start, 12 and 24 months, the outcome, and any overstretch warning."""
    return _page({})


@bp.post("/outcomes/import")
@roles_required("regulator")
def import_file():
    """Import past partnerships from an uploaded CSV file: every row checked first, then all of them or none."""
    file = request.files.get("file")
    if file is None or not file.filename:
        return _page({"file": "Choose a CSV file of past partnerships to upload"}), 400
    raw = file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return _page({"file": "The file must be smaller than 1 MB"}), 400
    name = excerpt(file.filename)[1:-1]
    try:
        agreements = partnerships_from_text(raw.decode("utf-8"), name, _register_codes())
        with db.transaction() as session:
            added = store.import_agreements(session, agreements, name, current_user.id)
    except UnicodeDecodeError:
        return _page({"file": "The file must be UTF-8 text (CSV)"}), 400
    except InputError as exc:
        return _page({"file": _problems(exc.problems)}), 400
    flash(f"Imported {added} past partnerships from {name}.", "success")
    return redirect(url_for("outcomes.index"))


def _problems(problems) -> str:
    """The file's problems in one message, each naming its row and column: the first few and how many more."""
    more = len(problems) - SHOWN_PROBLEMS
    return "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS]) + (f"; and {more:,} more" if more > 0 else "")


def _register_codes() -> set[str]:
    """Every code of the trust register, closed trusts included (past partnerships name merged trusts)."""
    return set(data.classified().dataset["register"]["code"])


def _page(errors: dict[str, str]) -> str:
    followed = _followed()
    records = track(followed)
    names = data.names()
    counts = {"live": sum(o.status == "live" for o in followed),
              "out": sum(o.status == "ended" and o.left_difficulty is True for o in followed),
              "still": sum(o.status == "ended" and o.left_difficulty is False for o in followed),
              "unknown": sum(o.status == "ended" and o.left_difficulty is None for o in followed)}
    table = outcomes_table(followed, names)
    return render_template("outcomes/index.html", outcomes=followed, table=table,
                           rows=list(zip(followed, table.rows, strict=True)), long_date=long_date,
                           records=track_table(records, names), counts=counts,
                           refreshes=store.observation_dates(db.session()),
                           warnings=[o.overstretch for o in followed if o.overstretch], errors=errors)


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
