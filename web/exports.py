"""Downloads and letters: a run's plan as CSV and XLSX, and offer letters as printable pages.

Regulators and policy staff download a run (``export.csv`` is its partnerships, ``uncovered.csv``
its uncovered recipients, ``export.xlsx`` both and the run's inputs and fingerprint; see
``matcher.present.exports``). A trust executive prints the letter for an offer to their own trust (another
trust's offer is a 404, as on the offer page); a regulator prints the letters for any pair of a run,
one to each trust. Tables are built in ``matcher.present.exports``; this module only looks things up and
sends them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Blueprint, Response, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from matcher.present.exports import DataSource, RunFacts, Table, plan_tables, to_csv, to_xlsx
from matcher.present.levers import levers_table
from matcher.present.offer_letter import OfferText
from matcher.result import Partnership
from matcher.store.levers import latest_levers
from matcher.store.offers import offer_for_trust
from matcher.store.runs import partnership_of
from matcher.store.tables import Offer, Run

from . import data, db, offer_text
from .auth import roles_required
from .runs import READERS, run_or_404

bp = Blueprint("exports", __name__)
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/runs/<int:run_id>/export.csv")
@roles_required(*READERS)
def partnerships_csv(run_id: int) -> Response:
    """The run's partnerships, one row each, as CSV."""
    run = run_or_404(run_id)
    return _download(to_csv(_tables(run)[0]), CSV, f"buddying-run-{run.id}-partnerships.csv")


@bp.get("/runs/<int:run_id>/uncovered.csv")
@roles_required(*READERS)
def uncovered_csv(run_id: int) -> Response:
    """The recipients the run leaves uncovered, with their reasons, as CSV."""
    run = run_or_404(run_id)
    return _download(to_csv(_tables(run)[1]), CSV, f"buddying-run-{run.id}-uncovered.csv")


@bp.get("/runs/<int:run_id>/export.xlsx")
@roles_required(*READERS)
def workbook(run_id: int) -> Response:
    """The run as a workbook: partnerships, uncovered recipients, quality, inputs, and what would cover more.

    The last sheet is the run's newest lever report, when the levers have been tried on it.
    """
    run = run_or_404(run_id)
    levers = latest_levers(db.session(), run.id)
    extra = (levers_table(levers[1]),) if levers is not None else ()
    return _download(to_xlsx((*_tables(run), *extra)), XLSX, f"buddying-run-{run.id}.xlsx")


@dataclass(frozen=True)
class Letter:
    """One letter to one trust's chief executive about one partnership: the offer in their words, and its reference."""

    text: OfferText
    dated: date
    offer_id: int | None


@bp.get("/my-trust/offers/<int:offer_id>/letter")
@roles_required("trust_exec")
def offer_letter(offer_id: int) -> str:
    """The letter for an offer to the executive's own trust, to print or save as PDF."""
    code = current_user.trust_code
    offer = offer_for_trust(db.session(), offer_id, code)
    partnership = _published_partnership(offer) if offer is not None else None
    if offer is None or partnership is None:
        abort(404)
    letter = Letter(offer_text.for_offer(offer, code, partnership), offer.created_at.date(), offer.id)
    return render_template("letters/letter.html", letters=[letter], run=None,
                           back=url_for("offers.show", offer_id=offer.id), back_text=f"Offer {offer.id}")


@bp.get("/runs/<int:run_id>/pairs/<recipient>/letter")
@roles_required("regulator")
def pair_letters(run_id: int, recipient: str) -> str:
    """The two letters for a pair of a run, to the supporter and to the recipient, each on its own page."""
    run = run_or_404(run_id)
    item = db.plan(run).pair_for(recipient.upper())
    if item is None:
        abort(404)
    offer = db.session().scalar(select(Offer).where(Offer.supporter == item.supporter,
                                                    Offer.recipient == item.recipient, Offer.kind == item.kind))
    dated = offer.created_at.date() if offer is not None else datetime.now(UTC).date()
    letters = [Letter(offer_text.for_pair(item, side, offer, run), dated, offer.id if offer else None)
               for side in ("supporter", "recipient")]
    return render_template("letters/letter.html", letters=letters, run=run,
                           back=url_for("runs.pair", run_id=run.id, recipient=item.recipient),
                           back_text=f"Back to {item.supporter} and {item.recipient}")


def _tables(run: Run) -> tuple[Table, Table, Table, Table]:
    """The run's four export tables, with the trust names and data sources in use."""
    dataset = data.classified().dataset
    facts = RunFacts(run_id=run.id, scenario=run.scenario.name, scenario_version=run.scenario.version,
                     purpose=run.purpose, created=run.created_at, published=run.published_at, seconds=run.seconds)
    sources = [DataSource(s.key, s.file, s.as_of, s.source, s.licence) for s in dataset.sources]
    return plan_tables(facts, db.plan(run), data.facts(), sources, dataset.fingerprint)



def _published_partnership(offer: Offer) -> Partnership | None:
    """The offer's partnership in the run that last published it (its numbers and explanation)."""
    return partnership_of(db.session(), offer)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    """A file to save, never cached (it holds the plan). ``filename`` is made here from ids only."""
    return Response(body, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
