"""Pages about trusts: the classified list, one trust's reasons, and the data sources."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request

from matcher.coverage import data_notes
from matcher.domain import Role
from matcher.outcomes import track
from matcher.present.numbers import meanings
from matcher.store import outcomes

from . import data, db
from .auth import roles_required

bp = Blueprint("trusts", __name__)
STAFF = ("regulator", "policy", "admin")


@bp.get("/trusts")
@roles_required(*STAFF)
def index() -> str:
    """Every open English trust with its role, filterable by role."""
    result = data.classified()
    role = request.args.get("role", "")
    if role and role not in {r.value for r in Role}:
        abort(404)
    items = [c for c in result.classifications if not role or c.role.value == role]
    counts = {r.value: sum(c.role is r for c in result.classifications) for r in Role}
    notes = data_notes(result.dataset, result.trusts, result.as_of, result.settings.supporter.max_rating_age_years)
    return render_template("trusts/index.html", items=items, counts=counts, role=role, notes=notes,
                           as_of=result.as_of)


@bp.get("/trusts/<code>")
@roles_required(*STAFF)
def detail(code: str) -> str:
    """One trust's classification and every reason behind it."""
    result = data.classified()
    item = next((c for c in result.classifications if c.code == code.upper()), None)
    if item is None:
        abort(404)
    row = result.trusts.set_index("code").loc[item.code]
    facts = {"peer_group": row["peer_group"], "basis": row["sector_basis"], "acute_size": row["acute_size"],
             "groups": row["groups"], "income": row["income_gbp"], "income_basis": row["income_basis"]}
    followed = outcomes.followed(db.session(), date.today())
    record = track(followed).get(item.code)
    warnings = [o.overstretch for o in followed if o.overstretch and o.agreement.supporter == item.code]
    return render_template("trusts/detail.html", item=item, facts=facts, as_of=result.as_of,
                           track_record=record.sentence() if record else "No agreements on record.",
                           warnings=warnings)


@bp.get("/data-sources")
def sources() -> str:
    """Where every shipped file comes from, how old it is, and its known flaws (public)."""
    result = data.classified()
    notes = data_notes(result.dataset, result.trusts, result.as_of, result.settings.supporter.max_rating_age_years)
    return render_template("trusts/sources.html", sources=result.dataset.sources, notes=notes, as_of=result.as_of)


@bp.get("/what-the-numbers-mean")
def numbers() -> str:
    """What every figure on the service means, its scale and which way is better (public, like the sources)."""
    return render_template("trusts/numbers.html", meanings=meanings())
