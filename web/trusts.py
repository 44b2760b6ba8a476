"""Pages about trusts: the classified list and one trust's reasons."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from matcher.coverage import data_notes
from matcher.domain import Role

bp = Blueprint("trusts", __name__)


@bp.get("/")
def index() -> str:
    """Every open English trust with its role, filterable by role."""
    result = current_app.extensions["buddying"]
    role = request.args.get("role", "")
    if role and role not in {r.value for r in Role}:
        abort(404)
    items = [c for c in result.classifications if not role or c.role.value == role]
    counts = {r.value: sum(c.role is r for c in result.classifications) for r in Role}
    notes = data_notes(result.dataset, result.trusts, result.as_of, result.settings.supporter.max_rating_age_years)
    return render_template("trusts/index.html", items=items, counts=counts, role=role, notes=notes,
                           sources=result.dataset.sources, as_of=result.as_of)


@bp.get("/trusts/<code>")
def detail(code: str) -> str:
    """One trust's classification and every reason behind it."""
    result = current_app.extensions["buddying"]
    item = next((c for c in result.classifications if c.code == code.upper()), None)
    if item is None:
        abort(404)
    return render_template("trusts/detail.html", item=item, as_of=result.as_of)
