"""CQC ratings: our shipped main-location file and the official CQC "Latest ratings" export.

All layouts load into one ratings frame, one row per trust: ``overall`` and one column per
key question as scores 1 to 4 (missing when not rated), the publication date, and which
location the ratings belong to. The shipped file holds one *location's* ratings per trust
(usually the main hospital), not provider-level ratings, and says so in ``scope``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from .columns import Column, TableSpec
from .readers import read_table

RATING_COLUMNS = ("overall", "safe", "effective", "caring", "responsive", "well_led")

SHIPPED = TableSpec(
    title="CQC ratings",
    key="code",
    key_label="trust code",
    columns=(
        Column("code", "code", header="org_code", nullable=False),
        Column("location_id", header="location_id"),
        Column("inspection_category", header="location_primary_inspection_category"),
        Column("overall", "rating", header="rating_overall"),
        Column("safe", "rating", header="rating_safe"),
        Column("effective", "rating", header="rating_effective"),
        Column("caring", "rating", header="rating_caring"),
        Column("responsive", "rating", header="rating_responsive"),
        Column("well_led", "rating", header="rating_well-led"),
        Column("inherited", "choice", header="inherited_rating", choices=("Y", "N")),
        Column("published", "date", header="publication_date"),
        Column("url", header="url", required=False),
    ),
)

_DOMAINS = {"Overall": "overall", "Safe": "safe", "Effective": "effective", "Caring": "caring",
            "Responsive": "responsive", "Well-led": "well_led"}

_LONG_COMMON = (
    Column("population_group", header="Service / Population Group", nullable=False),
    Column("domain", "choice", header="Domain", nullable=False, choices=tuple(_DOMAINS), aliases=("Key Question",)),
    Column("rating", "rating", header="Latest Rating"),
    Column("published", "date", header="Publication Date"),
    Column("inherited", "choice", header="Inherited Rating (Y/N)", choices=("Y", "N"), required=False),
    Column("url", header="URL", required=False),
)

#: The "Providers" sheet of CQC's Latest ratings file, saved as CSV: provider-level ratings.
CQC_PROVIDERS = TableSpec(
    title="CQC latest ratings (providers)",
    columns=(
        Column("code", "code", header="Provider ID", nullable=False),
        Column("provider_name", header="Provider Name"),
        Column("inspection_category", header="Provider Primary Inspection Category", required=False),
        *_LONG_COMMON,
    ),
)

#: The "Locations" sheet of CQC's Latest ratings file, saved as CSV: one row per location and domain.
CQC_LOCATIONS = TableSpec(
    title="CQC latest ratings (locations)",
    columns=(
        Column("location_id", header="Location ID", nullable=False),
        Column("inspection_category", header="Location Primary Inspection Category"),
        Column("code", "code", header="Provider ID", nullable=False),
        Column("provider_name", header="Provider Name"),
        *_LONG_COMMON,
    ),
)

LAYOUTS = {"shipped": SHIPPED, "cqc_providers": CQC_PROVIDERS, "cqc_locations": CQC_LOCATIONS}


def load_ratings(path: str | Path, layout: str = "shipped") -> pd.DataFrame:
    """Load CQC ratings in any supported layout into the ratings frame.

    For the official locations sheet the first location listed for each provider is taken as
    its main location, as the shipped file was built.

    Raises:
        InputError: every problem in the file, located.
    """
    frame = read_table(path, LAYOUTS[layout])
    if layout == "shipped":
        frame["scope"] = "main location"
        return frame
    return _from_long(frame, Path(path).name, by_location=layout == "cqc_locations")


def _from_long(frame: pd.DataFrame, name: str, by_location: bool) -> pd.DataFrame:
    """Pivot CQC's one-row-per-domain layout into one row per trust."""
    overall = frame[frame["population_group"].eq("Overall")].copy()
    unit = "location_id" if by_location else "code"
    problems = [
        Problem(name, f"duplicate '{r.domain}' rating for {r[unit]} (first seen on row {first})", r.source_row,
                "Domain")
        for first, r in _repeats(overall, [unit, "domain"])
    ]
    if problems:
        raise InputError(problems)
    overall["domain"] = overall["domain"].map(_DOMAINS)
    ratings = overall.pivot(index=unit, columns="domain", values="rating")
    ratings = ratings.reindex(columns=list(RATING_COLUMNS)).astype("Int64")
    firsts = overall.drop_duplicates(unit).set_index(unit)
    keep = [c for c in ("code", "location_id", "inspection_category", "inherited", "url")
            if c in firsts.columns and c != unit]
    dated = overall[overall["domain"].eq("overall")].set_index(unit)["published"]
    out = ratings.join(firsts[keep]).assign(published=dated.reindex(ratings.index)).reset_index()
    if by_location:
        order = firsts.index.tolist()
        out = out.set_index("location_id").loc[order].reset_index().drop_duplicates("code")
        out["scope"] = "main location"
    else:
        out["location_id"] = None
        out["scope"] = "provider"
    return out.reset_index(drop=True)


def _repeats(frame: pd.DataFrame, keys: list[str]):
    """Yield (first row, repeated record) for each key combination seen before."""
    seen: dict[tuple, int] = {}
    for record in frame.itertuples(index=False):
        key = tuple(getattr(record, k) for k in keys)
        if key in seen:
            yield seen[key], pd.Series(record._asdict())
        else:
            seen[key] = record.source_row
