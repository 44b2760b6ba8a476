"""Synthetic national-like data sets for scale tests and benchmarks (DOMAIN §7).

``generate(providers, seed)`` builds one table per dataset of ``data/manifest.yaml``, with
exactly the headings of the shipped files, for any number of made-up open English
providers; ``write_dataset`` writes them with a manifest so ``matcher.dataset.load_dataset``
and ``matcher.pipeline.load_and_classify`` read them like the real data.

Everything is drawn from the shipped data's own empirical distributions:

* each provider copies a randomly drawn real trust as its *template*: trust type, subtype
  and type source, and which files it appears in (so ~74% have a segment, ~69% ratings,
  and mental health or ambulance trusts are as often missing as in the real files);
* region, open date and GOR are drawn from the real register; the head office is a random
  point inside the region's polygon (``england_regions.geojson``, rejection sampling with
  the ray-casting test ``points_in_polygon``); ICBs are Voronoi cells around random centres;
* a latent quality score drives the oversight segment (ranked against the real segment mix
  of its trust type) and, mildly, the metrics; domain segments, scores, and CQC ratings with
  their publication dates are copied from real trusts in the same segment ("donors"), so
  worse segments come with worse ratings as in the real data;
* sizes (NCC cost, workforce, activity) are the template's, scaled by a log-normal factor.

Codes are ``S`` plus five digits (``S00001``), independent-sector RTT rows use ``X`` plus five
digits, and ICBs ``SQ`` plus two digits, so nothing looks like a real ODS code. Only
``numpy.random.default_rng(seed)`` is used: the same seed and size give byte-identical files
(for the same shipped data, which the distributions come from).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from .dataset import DEFAULT_DATA_DIR, MANIFEST, read_manifest
from .domain import display_name
from .ingest.register import REGION_NAMES

#: NHS England region name -> ODS region code ("National Grouping").
REGION_CODES = {name: code for code, name in REGION_NAMES.items()}

#: The region polygons providers are placed in (GeoJSON, lon/lat).
REGIONS_GEOJSON = DEFAULT_DATA_DIR / "england_regions.geojson"

MIN_PROVIDERS, MAX_PROVIDERS = 1, 99_999

#: The headings of each shipped file, in order (a test checks them against ``data/``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "register": (
        "Organisation Code", "Name", "status_in_file", "Open Date", "Close Date", "National Grouping",
        "nhse_region_name", "High Level Health Geography", "GOR Code", "gor_name", "country", "Address Line 1",
        "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Postcode",
        "Contact Telephone Number", "Amended Record Indicator", "latitude", "longitude", "geo_source",
        "trust_type", "trust_subtype", "trust_type_source"),
    "ratings": (
        "org_code", "org_name", "provider_name", "location_id", "location_primary_inspection_category",
        "location_nhs_region", "rating_overall", "rating_safe", "rating_effective", "rating_caring",
        "rating_responsive", "rating_well-led", "inherited_rating", "publication_date", "url"),
    "oversight": (
        "org_code", "org_name", "Region", "Trust_type", "Trust_subtype", "overall_adjusted_segment",
        "league_segment", "league_rank", "league_avg_score", "overall_avg_metric_score", "lt_in_deficit",
        "domain_segment_access", "domain_segment_effectiveness_experience", "domain_segment_finance_productivity",
        "domain_segment_patient_safety", "domain_segment_people_workforce", "domain_score_access",
        "domain_score_effectiveness_experience", "domain_score_finance_productivity", "domain_score_patient_safety",
        "domain_score_people_workforce", "quarter"),
    "performance": (
        "org_code", "org_name", "data_month", "ae_type1_attendances", "ae_type1_over_4hrs",
        "ae_type1_attendances_3m_avg", "ae_type1_over_4hrs_3m_avg", "rtt_total_waiting", "rtt_pct_within_18_weeks",
        "rtt_waiting_over_52_weeks", "beds_occupancy_rate", "sickness_rate_overall", "shmi_value", "shmi_banding",
        "staff_survey_2025_theme_engagement", "staff_survey_2025_theme_morale", "nof_staff_engagement_score",
        "fin_in_deficit", "fin_ytd_var_m", "fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m",
        "nof_planned_surplus_deficit_pct", "workforce_total_fte", "beds_ganda_available", "ae_type1_pct_within_4hrs"),
    "rtt": (
        "provider_org_code", "provider_org_name", "provider_parent_org_code", "provider_parent_name", "period",
        "total_incomplete_pathways_all", "total_known_clock_start", "within_18_weeks", "pct_within_18_weeks",
        "over_52_weeks", "over_65_weeks", "over_78_weeks", "unknown_clock_start"),
    "costs": ("org_code", "org_name", "financial_year", "ncc_mffd_total_cost_gbp_m", "source_note"),
    "special_measures": (
        "org_code", "org_name_at_time", "event", "regime", "event_date", "date_precision", "source"),
}

_RATING_HEADINGS = ("rating_overall", "rating_safe", "rating_effective", "rating_caring", "rating_responsive",
                    "rating_well-led")
_DOMAINS = ("access", "effectiveness_experience", "finance_productivity", "patient_safety", "people_workforce")
#: Performance columns that grow with the size of the trust.
_SIZE_COLUMNS = ("ae_type1_attendances", "ae_type1_attendances_3m_avg", "rtt_total_waiting",
                 "rtt_waiting_over_52_weeks", "beds_ganda_available", "fin_ytd_var_m",
                 "fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m")
#: How strongly each metric follows the latent quality (negative: lower is better).
_METRIC_RHO = {"ae": 0.35, "rtt": 0.35, "engagement": 0.35, "shmi": -0.3}
_RTT_NOISE = 0.15       # how far the RTT extract's order departs from the snapshot's
_MIN_POOL = 10          # a group with fewer real values borrows those of a wider group
_MIN_DONORS = 3         # fewer donors of the same type and segment: take donors of any type
_SIZE_SIGMA = 0.2       # spread of the log-normal size factor around the template's size
_DATE_JITTER_DAYS = 90  # CQC publication dates move this far from the donor's at most
_LATEST_EXIT = float(np.datetime64("2025-12-31").astype(int))  # exits are drawn up to the history's end
_SYNTHETIC_NOTE = "SYNTHETIC: generated by matcher.synthetic from the shipped data's distributions"
_GEO_SOURCE = "synthetic: random point in the NHS England region (england_regions.geojson)"


# --------------------------------------------------------------------------------------------
# Public API


def generate(providers: int, seed: int) -> dict[str, pd.DataFrame]:
    """A reproducible national-like data set of ``providers`` open English providers.

    Args:
        providers: how many providers the register holds (1 to 99,999; 20 to 50,000 are the
            intended scale-test sizes).
        seed: the seed of ``numpy.random.default_rng``; the same seed and size always give the
            same tables.

    Returns:
        One DataFrame per dataset key of ``data/manifest.yaml`` (``register``, ``ratings``,
        ``oversight``, ``performance``, ``rtt``, ``costs``, ``special_measures``), each with
        exactly the column headings of the shipped file, ready for ``to_csv(index=False)``.

    Raises:
        ValueError: ``providers`` is out of range.
    """
    if not MIN_PROVIDERS <= int(providers) <= MAX_PROVIDERS:
        raise ValueError(f"providers must be between {MIN_PROVIDERS} and {MAX_PROVIDERS:,}, not {providers}")
    n = int(providers)
    ref = _reference()
    rng = np.random.default_rng(seed)
    p = _providers(rng, ref, n)
    segment = _segments(ref, p)
    oversight, deficit = _oversight(rng, ref, p, segment)
    return {
        "register": _register(rng, ref, p),
        "ratings": _ratings(rng, ref, p, segment),
        "oversight": oversight,
        "performance": _performance(rng, ref, p, deficit),
        "rtt": _rtt(rng, ref, p),
        "costs": _costs(ref, p),
        "special_measures": _special_measures(rng, ref, p, segment),
    }


def write_dataset(out_dir: str | Path, providers: int, seed: int) -> Path:
    """Generate a data set and write it as a data folder ``load_dataset`` reads.

    Each table is written as CSV under the shipped file name, with a ``manifest.yaml`` in the
    shipped format whose ``source`` names the seed and size.

    Returns:
        The folder (created if needed).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ref = _reference()
    for key, frame in generate(providers, seed).items():
        frame.to_csv(out / ref.files[key], index=False, lineterminator="\n")
    (out / MANIFEST).write_text(manifest_text(ref.files, ref.as_of, providers, seed), encoding="utf-8")
    return out


def manifest_text(files: Mapping[str, str], as_of: Mapping[str, str], providers: int, seed: int) -> str:
    """The ``manifest.yaml`` of a synthetic data folder (same keys and fields as the shipped one)."""
    source = f"Synthetic data (seed {seed}, {providers} providers) generated by matcher.synthetic"
    lines = ["# Synthetic data: made-up providers drawn from the shipped data's distributions; no real trust.",
             "# Written by matcher.synthetic.write_dataset; the loader reads it like data/manifest.yaml."]
    for key, file in files.items():
        lines += [f"{key}:", f"  file: {file}", "  layout: shipped", f"  as_of: {json.dumps(as_of[key])}",
                  f"  source: {json.dumps(source)}",
                  "  licence: Synthetic data (no real organisation); distributions from Open Government Licence v3.0 data"]
    return "\n".join(lines) + "\n"


def load_region_polygons(path: str | Path | None = None) -> dict[str, list[np.ndarray]]:
    """Each NHS England region's rings (outer boundaries and holes) as ``(k, 2)`` lon/lat arrays.

    Polygon and MultiPolygon geometries are flattened into one list of rings per region; the
    even-odd rule of ``points_in_polygon`` then treats holes and separate parts correctly.
    """
    data = json.loads(Path(path or REGIONS_GEOJSON).read_text(encoding="utf-8"))
    regions: dict[str, list[np.ndarray]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon]
        regions.setdefault(feature["properties"]["name"], []).extend(rings)
    return regions


def points_in_polygon(lon: np.ndarray, lat: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Whether each point lies inside the rings (even-odd ray casting, vectorised over points and edges).

    A horizontal ray from each point towards +longitude is intersected with every edge; a point
    is inside when it crosses an odd number of edges over all rings.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in rings:
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        dy = np.where(y2 == y1, 1.0, y2 - y1)  # horizontal edges never cross; avoid dividing by zero
        near = (lon <= x1.max()) & (lat >= y1.min()) & (lat <= y1.max())
        candidates = np.flatnonzero(near)
        step = max(1, 2_000_000 // len(x1))
        for start in range(0, len(candidates), step):
            idx = candidates[start:start + step]
            px, py = lon[idx, None], lat[idx, None]
            crosses = (y1 > py) != (y2 > py)
            x_at = x1 + (py - y1) * (x2 - x1) / dy
            inside[idx] ^= (np.count_nonzero(crosses & (px < x_at), axis=1) % 2).astype(bool)
    return inside


def random_points_in(rng: np.random.Generator, rings: Sequence[np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` uniform random points inside the rings (rejection sampling in their bounding box)."""
    everything = np.concatenate(rings)
    (lon_min, lat_min), (lon_max, lat_max) = everything.min(axis=0), everything.max(axis=0)
    lons: list[np.ndarray] = [np.zeros(0)]
    lats: list[np.ndarray] = [np.zeros(0)]
    found = 0
    while found < count:
        batch = 3 * (count - found) + 64
        lon = rng.uniform(lon_min, lon_max, batch)
        lat = rng.uniform(lat_min, lat_max, batch)
        keep = points_in_polygon(lon, lat, rings)
        lons.append(lon[keep])
        lats.append(lat[keep])
        found += int(keep.sum())
    return np.concatenate(lons)[:count], np.concatenate(lats)[:count]


# --------------------------------------------------------------------------------------------
# The real data the distributions come from


@dataclass(frozen=True)
class _Reference:
    """The shipped data (numbers as floats, the rest as text) and what the generator samples from."""

    files: dict[str, str]
    as_of: dict[str, str]
    templates: pd.DataFrame      # open English trusts (no "Other" type) with presence flags
    register: pd.DataFrame       # open English register rows (region, GOR, open date)
    icbs_per_region: dict[str, int]
    ratings: pd.DataFrame        # rated trusts with their segment and trust type
    oversight: pd.DataFrame
    performance: pd.DataFrame    # indexed by code
    rtt: pd.DataFrame            # indexed by code, trusts only
    rtt_independent: pd.DataFrame
    costs: pd.DataFrame          # indexed by code
    events: pd.DataFrame         # special-measures events of the shipped file


@lru_cache(maxsize=1)
def _reference() -> _Reference:
    """Read the shipped data once (the tables are shared: never modify them)."""
    sources = {s.key: s for s in read_manifest(DEFAULT_DATA_DIR)}

    def read(key: str) -> pd.DataFrame:
        return pd.read_csv(DEFAULT_DATA_DIR / sources[key].file, dtype=str, keep_default_na=False)

    register = read("register")
    register = register[register["status_in_file"].eq("open") & register["country"].eq("England")]
    ratings, oversight, performance, rtt, costs = (read(k) for k in ("ratings", "oversight", "performance", "rtt", "costs"))
    templates = register[~register["trust_type"].str.startswith("Other")].copy()
    code = templates["Organisation Code"]
    for key, frame, column in (("ratings", ratings, "org_code"), ("oversight", oversight, "org_code"),
                               ("performance", performance, "org_code"), ("rtt", rtt, "provider_org_code"),
                               ("costs", costs, "org_code")):
        templates[f"in_{key}"] = code.isin(frame[column]).to_numpy()
    templates["location_category"] = code.map(ratings.set_index("org_code")["location_primary_inspection_category"])
    templates["location_suffix"] = code.map(_location_suffixes(ratings))

    segments = oversight.set_index("org_code")["overall_adjusted_segment"].astype(int)
    types = register.set_index("Organisation Code")["trust_type"]
    rated = ratings[ratings["org_code"].isin(register["Organisation Code"])].copy()
    rated["segment"] = rated["org_code"].map(segments).astype("Int64")
    rated["trust_type"] = rated["org_code"].map(types)
    rated["published_days"] = _periods(rated["publication_date"])[0]
    oversight = _numeric(oversight, COLUMNS["oversight"][5:-1])
    oversight["segment"] = oversight["overall_adjusted_segment"].astype(int)
    performance = _numeric(performance, [c for c in COLUMNS["performance"][3:] if c != "shmi_banding"])
    rtt = _numeric(rtt, COLUMNS["rtt"][5:])
    costs = _numeric(costs, ["ncc_mffd_total_cost_gbp_m"])
    events = read("special_measures")
    events["days"], events["days_long"] = _periods(events["event_date"])
    return _Reference(
        files={k: s.file for k, s in sources.items()},
        as_of={k: s.as_of for k, s in sources.items()},
        templates=templates.reset_index(drop=True),
        register=register.reset_index(drop=True),
        icbs_per_region=register.groupby("nhse_region_name")["High Level Health Geography"].nunique().to_dict(),
        ratings=rated.reset_index(drop=True),
        oversight=oversight.reset_index(drop=True),
        performance=performance.drop_duplicates("org_code").set_index("org_code"),
        rtt=rtt[rtt["provider_org_code"].isin(register["Organisation Code"])].set_index("provider_org_code"),
        rtt_independent=rtt[~rtt["provider_org_code"].isin(read("register")["Organisation Code"])].reset_index(drop=True),
        costs=costs.set_index("org_code"),
        events=events,
    )


def _location_suffixes(ratings: pd.DataFrame) -> pd.Series:
    """The part of each main location ID after the trust code ("02" for R0A02), else "01"."""
    ids, codes = ratings["location_id"], ratings["org_code"]
    suffix = [i[len(c):] if i.startswith(c) and len(i) > len(c) else "01" for i, c in zip(ids, codes)]
    return pd.Series(suffix, index=codes.to_numpy())


# --------------------------------------------------------------------------------------------
# Small pure helpers


def _num(values: pd.Series | np.ndarray) -> np.ndarray:
    """Cells as floats (blank or non-numeric: NaN)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not pd.api.types.is_float_dtype(series):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype=float)


def _numeric(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``frame`` with the named text columns read as floats."""
    return frame.assign(**{c: _num(frame[c]) for c in columns})


def _uniform_ranks(w: np.ndarray) -> np.ndarray:
    """Ranks of ``w`` mapped into (0, 1): the empirical copula of a latent score."""
    return (np.argsort(np.argsort(w, kind="stable"), kind="stable") + 0.5) / len(w)


def _pools(values: np.ndarray, groups: np.ndarray, coarse: np.ndarray | None = None) -> dict[object, np.ndarray]:
    """Real values per group (non-missing), for groups with at least ``_MIN_POOL`` of them.

    A smaller group takes the values of its ``coarse`` group (when given and big enough), else
    all values (also kept under the key ``None``).
    """
    present = ~pd.isna(values)
    pooled = values[present].astype(float)
    coarse = groups if coarse is None else coarse
    out: dict[object, np.ndarray] = {None: pooled}
    for group, wider in dict(zip(groups, coarse)).items():
        own = values[present & (groups == group)].astype(float)
        wide = values[present & (coarse == wider)].astype(float)
        out[group] = own if len(own) >= _MIN_POOL else wide if len(wide) >= _MIN_POOL else pooled
    return out


def _ranked_draw(w: np.ndarray, groups: np.ndarray, mask: np.ndarray, pools: Mapping[object, np.ndarray],
                 discrete: bool = False) -> np.ndarray:
    """For masked rows, the real values of each group at the quantiles given by the ranks of ``w``.

    The result has each group's real distribution and the order of ``w``: a rank-based
    (Gaussian-free) copula. ``discrete`` keeps observed values (no interpolation).
    """
    out = np.full(len(w), np.nan)
    method = "inverted_cdf" if discrete else "linear"
    for group in sorted(set(groups[mask]), key=str):
        idx = np.flatnonzero(mask & (groups == group))
        pool = pools.get(group, pools[None])
        out[idx] = np.quantile(pool, _uniform_ranks(w[idx]), method=method)
    return out


def _latent(rng: np.random.Generator, z: np.ndarray, rho: float) -> np.ndarray:
    """A score correlated ``rho`` with the quality ``z``."""
    return rho * z + np.sqrt(1 - rho * rho) * rng.standard_normal(len(z))


def _pick(u: np.ndarray, keys: Sequence[Hashable], pools: Mapping[Hashable, np.ndarray]) -> np.ndarray:
    """For each row, an element of its key's pool chosen by the uniform draw ``u`` (-1 without a pool)."""
    rows: dict[Hashable, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            rows.setdefault(key, []).append(i)
    out = np.full(len(u), -1, dtype=int)
    for key, idx in rows.items():
        pool = pools.get(key)
        if pool is not None and len(pool):
            out[idx] = pool[np.minimum((u[idx] * len(pool)).astype(int), len(pool) - 1)]
    return out


def _donor_pools(keys: Sequence[tuple], fallback: Sequence[object]) -> dict[tuple, np.ndarray]:
    """Row positions per key (keys with fewer than ``_MIN_DONORS`` rows left out), plus ``("any", fallback)`` pools."""
    keys = list(keys)
    by_key: dict[object, list[int]] = {}
    by_fallback: dict[object, list[int]] = {}
    for i, (key, back) in enumerate(zip(keys, fallback)):
        by_key.setdefault(key, []).append(i)
        by_fallback.setdefault(back, []).append(i)
    out = {key: np.array(rows) for key, rows in by_key.items() if len(rows) >= _MIN_DONORS}
    out.update({("any", back): np.array(rows) for back, rows in by_fallback.items()})
    return out


def _int_column(values: np.ndarray) -> pd.Series:
    """Whole numbers with missing values kept blank (not ``12.0``)."""
    return pd.Series(np.round(values)).astype("Int64")


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers since 1970-01-01 as YYYY-MM-DD strings (blank where missing)."""
    days = np.asarray(days, dtype=float)
    text = np.datetime_as_string(np.nan_to_num(days).astype(np.int64).astype("datetime64[D]"), unit="D")
    return np.where(np.isnan(days), "", text).astype(object)


def _periods(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates or partial dates as (first day, number of days): YYYY-MM-DD one day, YYYY-MM a month, YYYY a year.

    Days count from 1970-01-01; anything else (such as "unknown") is NaN.
    """
    first, length = [], []
    for text in texts:
        text = text.strip()
        unit = {10: "D", 7: "M", 4: "Y"}.get(len(text))
        try:
            start = np.datetime64(text, unit) if unit else None
        except ValueError:
            start = None
        if start is None:
            first.append(np.nan)
            length.append(np.nan)
            continue
        day = start.astype("datetime64[D]")
        first.append(float(day.astype(int)))
        length.append(float(((start + 1).astype("datetime64[D]") - day).astype(int)))
    return np.array(first), np.array(length)


def _names(numbers: np.ndarray, template_names: pd.Series) -> tuple[list[str], list[str]]:
    """``SYNTHETIC PROVIDER 00001 NHS TRUST`` and its display form, with the template's sector word and status.

    The sector words ("MENTAL HEALTH", "COMMUNITY", "AMBULANCE SERVICE") keep the register's
    name-inferred sectors in the real proportions.
    """
    names, displays = [], []
    endings: dict[str, str] = {}
    for number, real in zip(numbers, template_names):
        if "MENTAL HEALTH" in real:
            word = " MENTAL HEALTH"
        elif "COMMUNITY" in real and "MENTAL" not in real:
            word = " COMMUNITY"
        elif "AMBULANCE" in real:
            word = " AMBULANCE SERVICE"
        else:
            word = ""
        ending = f"{word} {'NHS FOUNDATION TRUST' if 'FOUNDATION' in real else 'NHS TRUST'}"
        if ending not in endings:
            endings[ending] = display_name(ending.strip())
        names.append(f"SYNTHETIC PROVIDER {number:05d}{ending}")
        displays.append(f"Synthetic Provider {number:05d} {endings[ending]}")
    return names, displays


# --------------------------------------------------------------------------------------------
# The providers and each file


@dataclass(frozen=True)
class _Providers:
    """The synthetic providers: one entry per register row, in code order."""

    code: np.ndarray
    name: np.ndarray
    display_name: np.ndarray  # the name as people write it ("Synthetic Provider 00001 NHS Trust")
    template: pd.DataFrame   # the real trust each provider copies its type and coverage from
    trust_type: np.ndarray
    region: np.ndarray
    icb: np.ndarray
    icb_name: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    quality: np.ndarray      # latent quality: higher is better
    rtt_quality: np.ndarray  # the latent behind both RTT figures (snapshot and extract agree closely)
    size: np.ndarray         # log-normal size factor relative to the template


def _providers(rng: np.random.Generator, ref: _Reference, n: int) -> _Providers:
    """Draw each provider's template, region, location, ICB, quality and size."""
    numbers = np.arange(1, n + 1)
    template = ref.templates.iloc[rng.integers(0, len(ref.templates), n)].reset_index(drop=True)
    region = ref.register["nhse_region_name"].to_numpy()[rng.integers(0, len(ref.register), n)]
    lon, lat = np.zeros(n), np.zeros(n)
    icb = np.empty(n, dtype=object)
    icb_name = np.empty(n, dtype=object)
    polygons = load_region_polygons()
    icb_number = 0
    for name in sorted(REGION_CODES):
        idx = np.flatnonzero(region == name)
        rings = polygons[name]
        lon[idx], lat[idx] = random_points_in(rng, rings, len(idx))
        k = max(1, ref.icbs_per_region.get(name, 1))
        centre_lon, centre_lat = random_points_in(rng, rings, k)
        nearest = _nearest(lon[idx], lat[idx], centre_lon, centre_lat)
        codes = np.array([f"SQ{icb_number + j + 1:02d}" for j in range(k)], dtype=object)
        labels = np.array([f"NHS SYNTHETIC {name.upper()} {j + 1:02d} INTEGRATED CARE BOARD" for j in range(k)],
                          dtype=object)
        icb[idx], icb_name[idx] = codes[nearest], labels[nearest]
        icb_number += k
    quality = rng.standard_normal(n)
    rtt_quality = _latent(rng, quality, _METRIC_RHO["rtt"])
    size = np.exp(_SIZE_SIGMA * rng.standard_normal(n))
    names, displays = _names(numbers, template["Name"])
    return _Providers(
        code=np.array([f"S{i:05d}" for i in numbers], dtype=object),
        name=np.array(names, dtype=object), display_name=np.array(displays, dtype=object),
        template=template, trust_type=template["trust_type"].to_numpy(), region=region, icb=icb,
        icb_name=icb_name, lon=np.round(lon, 6), lat=np.round(lat, 6),
        quality=quality, rtt_quality=rtt_quality, size=size,
    )


def _nearest(lon: np.ndarray, lat: np.ndarray, centre_lon: np.ndarray, centre_lat: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for each point (equirectangular distance)."""
    scale = np.cos(np.radians(53.0))
    d = ((lon[:, None] - centre_lon[None, :]) * scale) ** 2 + (lat[:, None] - centre_lat[None, :]) ** 2
    return np.argmin(d, axis=1) if len(lon) else np.zeros(0, dtype=int)


def _register(rng: np.random.Generator, ref: _Reference, p: _Providers) -> pd.DataFrame:
    """The trust register, shipped layout."""
    n = len(p.code)
    real = ref.register
    open_dates = real["Open Date"].to_numpy()[rng.integers(0, len(real), n)]
    same_region = {name: np.flatnonzero(real["nhse_region_name"].eq(name).to_numpy()) for name in REGION_CODES}
    rows = _pick(rng.random(n), p.region, same_region)  # a real trust of the region lends its GOR
    gor, gor_name = real["GOR Code"].to_numpy()[rows], real["gor_name"].to_numpy()[rows]
    blank = np.full(n, "", dtype=object)
    t = p.template
    columns = {
        "Organisation Code": p.code, "Name": p.name, "status_in_file": np.full(n, "open", dtype=object),
        "Open Date": open_dates, "Close Date": blank, "National Grouping": np.array([REGION_CODES[r] for r in p.region]),
        "nhse_region_name": p.region, "High Level Health Geography": p.icb, "GOR Code": gor, "gor_name": gor_name,
        "country": np.full(n, "England", dtype=object),
        **{f"Address Line {i}": blank for i in range(1, 6)}, "Postcode": blank, "Contact Telephone Number": blank,
        "Amended Record Indicator": np.ones(n, dtype=int), "latitude": p.lat, "longitude": p.lon,
        "geo_source": np.full(n, _GEO_SOURCE, dtype=object), "trust_type": p.trust_type,
        "trust_subtype": t["trust_subtype"].to_numpy(), "trust_type_source": t["trust_type_source"].to_numpy(),
    }
    return pd.DataFrame(columns)[list(COLUMNS["register"])]


def _segments(ref: _Reference, p: _Providers) -> np.ndarray:
    """Oversight segment per provider (NaN when not segmented), ranked by quality.

    Each trust subtype (acute teaching, specialist, ...) gets its real segment mix, or its trust
    type's when the subtype has few real trusts.
    """
    real = ref.oversight
    real_types = real["Trust_type"].to_numpy()
    pools = _pools(real["segment"].to_numpy(dtype=float), _subtype_keys(real_types, real["Trust_subtype"]), real_types)
    mask = p.template["in_oversight"].to_numpy()
    groups = _subtype_keys(p.trust_type, p.template["trust_subtype"])
    return _ranked_draw(-p.quality, groups, mask, pools, discrete=True)


def _subtype_keys(types: np.ndarray, subtypes: pd.Series) -> np.ndarray:
    """"Acute trust|Acute - Teaching"-style keys (the subtype may be blank)."""
    return np.array([f"{t}|{s}" for t, s in zip(types, subtypes)], dtype=object)


def _oversight(rng: np.random.Generator, ref: _Reference, p: _Providers,
               segment: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The oversight segmentation file, and each provider's deficit flag (NaN when not known)."""
    real = ref.oversight
    n = len(p.code)
    mask = ~np.isnan(segment)
    # Donors: real trusts of the same type and segment (or of the same segment when too few).
    pools = _donor_pools([(t, int(s)) for t, s in zip(real["Trust_type"], real["segment"])],
                         [int(s) for s in real["segment"]])
    keys = [_donor_key(pools, t, s) for t, s in zip(p.trust_type, segment)]
    donor = _pick(rng.random(n), keys, pools)
    d = real.iloc[np.maximum(donor, 0)].reset_index(drop=True)

    deficit = _deficits(rng, ref, p.trust_type, segment)
    score = np.round(np.clip(_num(d["league_avg_score"]) + rng.normal(0, 0.05, n), 1, 4), 2)
    rank = np.full(n, np.nan)
    for league in sorted(set(p.trust_type[mask])):
        idx = np.flatnonzero(mask & (p.trust_type == league))
        order = idx[np.lexsort((idx, score[idx], segment[idx]))]
        rank[order] = np.arange(1, len(order) + 1)
    columns: dict[str, object] = {
        "org_code": p.code, "org_name": p.name, "Region": p.region, "Trust_type": p.trust_type,
        "Trust_subtype": p.template["trust_subtype"].to_numpy(), "overall_adjusted_segment": _int_column(segment),
        "league_segment": _int_column(segment), "league_rank": _int_column(rank), "league_avg_score": score,
        "overall_avg_metric_score": score, "lt_in_deficit": _int_column(deficit),
    }
    for domain in _DOMAINS:
        columns[f"domain_segment_{domain}"] = _int_column(_num(d[f"domain_segment_{domain}"]))
    noise = rng.normal(0, 0.05, (len(_DOMAINS), n))
    for i, domain in enumerate(_DOMAINS):
        columns[f"domain_score_{domain}"] = np.round(np.clip(_num(d[f"domain_score_{domain}"]) + noise[i], 1, 4), 2)
    columns["quarter"] = d["quarter"].to_numpy()
    frame = pd.DataFrame(columns)[list(COLUMNS["oversight"])]
    return frame[mask].reset_index(drop=True), deficit


def _donor_key(pools: Mapping[Hashable, np.ndarray], trust_type: str, segment: float) -> tuple | None:
    """The donor pool of a provider: same type and segment, else same segment; ``None`` without a segment."""
    if segment != segment:
        return None
    own = (trust_type, int(segment))
    return own if own in pools else ("any", int(segment))


def _deficits(rng: np.random.Generator, ref: _Reference, trust_type: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Deficit flag: blank as often as for the trust type in the real file, else as likely as in the segment."""
    real = ref.oversight
    flag = _num(real["lt_in_deficit"])
    missing = pd.Series(np.isnan(flag)).groupby(real["Trust_type"].to_numpy())
    missing_share = {t: g.mean() for t, g in missing if len(g) >= _MIN_POOL}
    pooled_missing = float(np.isnan(flag).mean())
    known = ~np.isnan(flag)
    p_deficit = pd.Series(flag[known]).groupby(real["segment"].to_numpy()[known]).mean().to_dict()
    pooled_deficit = float(np.nanmean(flag))
    u_missing, u_flag = rng.random(len(segment)), rng.random(len(segment))
    share = np.array([missing_share.get(t, pooled_missing) for t in trust_type])
    chance = np.array([p_deficit.get(int(s), pooled_deficit) if s == s else np.nan for s in segment])
    out = (u_flag < chance).astype(float)
    out[np.isnan(segment) | (u_missing < share)] = np.nan
    return out


def _ratings(rng: np.random.Generator, ref: _Reference, p: _Providers, segment: np.ndarray) -> pd.DataFrame:
    """CQC main-location ratings, copied from real trusts in the same segment (or of the same type)."""
    real = ref.ratings
    n = len(p.code)
    mask = p.template["in_ratings"].to_numpy()
    real_segment = real["segment"].astype("Float64").fillna(0).astype(int).to_numpy()
    by_segment = _donor_pools([("segment", s) for s in real_segment], list(real["trust_type"]))
    by_segment[("everyone",)] = np.arange(len(real))
    keys = [_rating_donor_key(by_segment, s, t) if m else None for m, s, t in zip(mask, segment, p.trust_type)]
    donor = _pick(rng.random(n), keys, by_segment)
    d = real.iloc[np.maximum(donor, 0)].reset_index(drop=True)

    published = d["published_days"].to_numpy()
    real_days = real["published_days"].to_numpy()
    jitter = rng.integers(-_DATE_JITTER_DAYS, _DATE_JITTER_DAYS + 1, n)
    days = np.clip(published + jitter, np.nanmin(real_days), np.nanmax(real_days))
    location = [f"{c}{s}" for c, s in zip(p.code, p.template["location_suffix"].fillna("01"))]
    columns = {
        "org_code": p.code, "org_name": p.name, "provider_name": p.display_name,
        "location_id": location, "location_primary_inspection_category": p.template["location_category"].to_numpy(),
        "location_nhs_region": p.region,
        **{h: d[h].to_numpy() for h in _RATING_HEADINGS},
        "inherited_rating": d["inherited_rating"].to_numpy(), "publication_date": _dates(days), "url": np.full(n, ""),
    }
    return pd.DataFrame(columns)[list(COLUMNS["ratings"])][mask].reset_index(drop=True)


def _rating_donor_key(pools: Mapping[Hashable, np.ndarray], segment: float, trust_type: str) -> tuple:
    """Rated real trusts in the same segment; without a segment, those of the same trust type."""
    if segment == segment and ("segment", int(segment)) in pools:
        return ("segment", int(segment))
    return ("any", trust_type) if ("any", trust_type) in pools else ("everyone",)


def _performance(rng: np.random.Generator, ref: _Reference, p: _Providers, deficit: np.ndarray) -> pd.DataFrame:
    """The performance snapshot: the template's row, resized, with metrics drawn by quality."""
    n = len(p.code)
    real = ref.performance
    real_types = real.index.map(ref.register.set_index("Organisation Code")["trust_type"]).to_numpy()
    mask = p.template["in_performance"].to_numpy()
    codes = p.template["Organisation Code"].where(mask, real.index[0]).to_numpy()
    t = real.loc[codes].reset_index(drop=True)
    num = {c: _num(t[c]) for c in COLUMNS["performance"][3:] if c != "shmi_banding"}
    factor = p.size * np.exp(rng.normal(0, 0.05, n))

    def metric(column: str, rho: float, w: np.ndarray | None = None) -> np.ndarray:
        """The column's real distribution per trust type, following quality with correlation ``rho``."""
        present = mask & ~np.isnan(num[column])
        latent = _latent(rng, p.quality, rho) if w is None else w
        return _ranked_draw(latent, p.trust_type, present, _pools(_num(real[column]), real_types))

    out = {c: v.copy() for c, v in num.items()}
    for column in _SIZE_COLUMNS:
        out[column] = np.round(num[column] * factor, 1 if column.startswith("fin_") else 0)
    out["workforce_total_fte"] = np.round(num["workforce_total_fte"] * factor, 2)
    ae = np.round(metric("ae_type1_pct_within_4hrs", _METRIC_RHO["ae"]), 4)
    out["ae_type1_pct_within_4hrs"] = ae
    out["ae_type1_over_4hrs"] = np.where(np.isnan(ae), np.round(num["ae_type1_over_4hrs"] * factor),
                                         np.round(out["ae_type1_attendances"] * (1 - ae)))
    out["ae_type1_over_4hrs_3m_avg"] = np.where(np.isnan(ae), np.round(num["ae_type1_over_4hrs_3m_avg"] * factor, 1),
                                                np.round(out["ae_type1_attendances_3m_avg"] * (1 - ae), 1))
    out["rtt_pct_within_18_weeks"] = np.round(metric("rtt_pct_within_18_weeks", 0, p.rtt_quality), 4)
    engagement = metric("staff_survey_2025_theme_engagement", _METRIC_RHO["engagement"])
    shift = engagement - num["staff_survey_2025_theme_engagement"]
    out["staff_survey_2025_theme_engagement"] = np.round(engagement, 4)
    out["staff_survey_2025_theme_morale"] = np.round(num["staff_survey_2025_theme_morale"] + 0.8 * shift, 4)
    out["nof_staff_engagement_score"] = np.round(num["nof_staff_engagement_score"] + np.nan_to_num(shift), 2)
    shmi = np.round(metric("shmi_value", _METRIC_RHO["shmi"]), 4)
    out["shmi_value"] = shmi
    out["beds_occupancy_rate"] = np.round(np.clip(num["beds_occupancy_rate"] + rng.normal(0, 0.01, n), 0, 1), 4)
    fin = _fin_deficit(rng, num["fin_in_deficit"], deficit, float(np.nanmean(_num(real["fin_in_deficit"]))))
    out["fin_in_deficit"] = fin
    sign = np.where(fin == 1, -1.0, np.where(fin == 0, 1.0, np.nan))
    for column in ("fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m"):
        out[column] = np.where(np.isnan(sign), out[column], np.abs(out[column]) * sign) + 0.0
    pct = np.round(num["nof_planned_surplus_deficit_pct"] + rng.normal(0, 0.3, n), 2)
    out["nof_planned_surplus_deficit_pct"] = np.where(np.isnan(sign), pct, np.abs(pct) * sign) + 0.0
    columns = {"org_code": p.code, "org_name": p.name, "data_month": t["data_month"].to_numpy(), **out,
               "shmi_banding": _shmi_banding(shmi, real)}
    frame = pd.DataFrame(columns)[list(COLUMNS["performance"])]
    return frame[mask].reset_index(drop=True)


def _fin_deficit(rng: np.random.Generator, template_flag: np.ndarray, deficit: np.ndarray, share: float) -> np.ndarray:
    """Finance-return deficit flag: present where the template's is; equal to the oversight flag when known."""
    drawn = (rng.random(len(template_flag)) < share).astype(float)
    out = np.where(np.isnan(deficit), drawn, deficit)
    return np.where(np.isnan(template_flag), np.nan, out)


def _shmi_banding(shmi: np.ndarray, real: pd.DataFrame) -> np.ndarray:
    """SHMI band from the value, with cut-offs halfway between the real bands."""
    value, band = _num(real["shmi_value"]), real["shmi_banding"].to_numpy()
    low = (value[band == "Lower than expected"].max() + value[band == "As expected"].min()) / 2
    high = (value[band == "As expected"].max() + value[band == "Higher than expected"].min()) / 2
    out = np.where(shmi < low, "Lower than expected", np.where(shmi > high, "Higher than expected", "As expected"))
    return np.where(np.isnan(shmi), "", out).astype(object)


def _rtt(rng: np.random.Generator, ref: _Reference, p: _Providers) -> pd.DataFrame:
    """RTT incomplete pathways: the providers' rows plus independent-sector rows in the real proportion."""
    n = len(p.code)
    real = ref.rtt
    mask = p.template["in_rtt"].to_numpy()
    codes = p.template["Organisation Code"].where(mask, real.index[0]).to_numpy()
    t = real.loc[codes].reset_index(drop=True)
    real_types = real.index.map(ref.register.set_index("Organisation Code")["trust_type"]).to_numpy()
    pathways = np.maximum(1, np.round(_num(t["total_incomplete_pathways_all"]) * p.size))
    w = p.rtt_quality + _RTT_NOISE * rng.standard_normal(n)
    pct = _ranked_draw(w, p.trust_type, mask, _pools(_num(real["pct_within_18_weeks"]), real_types))
    trusts = _rtt_rows(p.code, p.name, p.icb, p.icb_name, t, pathways, pct, p.size)[mask]

    extra = min(round(n * len(ref.rtt_independent) / len(ref.templates)), MAX_PROVIDERS)
    indep = ref.rtt_independent.iloc[rng.integers(0, len(ref.rtt_independent), extra)].reset_index(drop=True)
    scale = np.exp(0.3 * rng.standard_normal(extra))
    where = rng.integers(0, n, extra)
    pathways = np.maximum(1, np.round(_num(indep["total_incomplete_pathways_all"]) * scale))
    pct = np.clip(_num(indep["pct_within_18_weeks"]) + rng.normal(0, 0.03, extra), 0, 1)
    numbers = np.arange(1, extra + 1)
    rows = _rtt_rows(np.array([f"X{i:05d}" for i in numbers]),
                     np.array([f"SYNTHETIC INDEPENDENT PROVIDER {i:05d}" for i in numbers]),
                     p.icb[where], p.icb_name[where], indep, pathways, pct, scale)
    return pd.concat([rows, trusts]).reset_index(drop=True)


def _rtt_rows(code: np.ndarray, name: np.ndarray, parent: np.ndarray, parent_name: np.ndarray, template: pd.DataFrame,
              pathways: np.ndarray, pct: np.ndarray, scale: np.ndarray) -> pd.DataFrame:
    """RTT extract rows: counts consistent with the pathways and the 18-week share."""
    pct = np.round(pct, 4)
    within = np.round(pathways * np.nan_to_num(pct))
    over_52 = np.minimum(np.round(_num(template["over_52_weeks"]) * scale), pathways - within)
    over_65 = np.minimum(np.round(_num(template["over_65_weeks"]) * scale), over_52)
    over_78 = np.minimum(np.round(_num(template["over_78_weeks"]) * scale), over_65)
    columns = {
        "provider_org_code": code, "provider_org_name": name, "provider_parent_org_code": parent,
        "provider_parent_name": parent_name, "period": template["period"].to_numpy(),
        "total_incomplete_pathways_all": pathways.astype(int), "total_known_clock_start": pathways.astype(int),
        "within_18_weeks": within.astype(int), "pct_within_18_weeks": pct,
        "over_52_weeks": over_52.astype(int), "over_65_weeks": over_65.astype(int),
        "over_78_weeks": over_78.astype(int), "unknown_clock_start": np.zeros(len(code), dtype=int),
    }
    return pd.DataFrame(columns)[list(COLUMNS["rtt"])]


def _costs(ref: _Reference, p: _Providers) -> pd.DataFrame:
    """National Cost Collection totals: the template's cost times the provider's size factor."""
    mask = p.template["in_costs"].to_numpy()
    codes = p.template["Organisation Code"].where(mask, ref.costs.index[0]).to_numpy()
    t = ref.costs.loc[codes].reset_index(drop=True)
    cost = np.round(_num(t["ncc_mffd_total_cost_gbp_m"]) * p.size, 2)
    frame = pd.DataFrame({"org_code": p.code, "org_name": p.name, "financial_year": t["financial_year"].to_numpy(),
                          "ncc_mffd_total_cost_gbp_m": cost,
                          "source_note": np.full(len(p.code), _SYNTHETIC_NOTE, dtype=object)})
    return frame[list(COLUMNS["costs"])][mask].reset_index(drop=True)


def _special_measures(rng: np.random.Generator, ref: _Reference, p: _Providers, segment: np.ndarray) -> pd.DataFrame:
    """Entered (and for some, exited 1 to 4 years later) events, YYYY-MM-DD.

    Providers get a history as often as real trusts of their segment do; entry dates and regimes
    are those of real entries, and exits as common as in the real file (none for segment 4).
    """
    real = ref.events
    segments = ref.oversight.set_index("org_code")["segment"]
    with_events = segments.index.isin(real["org_code"]) & segments.index.isin(ref.templates["Organisation Code"])
    rate = pd.Series(with_events).groupby(segments.to_numpy()).mean().to_dict()
    chosen = rng.random(len(p.code)) < np.array([rate.get(int(s), 0.0) if s == s else 0.0 for s in segment])
    entered = real[real["event"].eq("entered") & real["days"].notna()]
    exits = real["event"].isin(("exited", "exit_recommended")).sum()
    exit_share = exits / max(1, real["event"].isin(("entered", "entry_recommended")).sum())

    idx = np.flatnonzero(chosen)
    k = len(idx)
    pick = rng.integers(0, len(entered), k)
    # A real entry date; one given as a month or a year becomes a random day within it.
    start = entered["days"].to_numpy()[pick] + np.floor(rng.random(k) * entered["days_long"].to_numpy()[pick])
    end = start + rng.integers(365, 4 * 365 + 1, k)
    leaves = (rng.random(k) < exit_share) & (end <= _LATEST_EXIT) & (segment[idx] != 4)
    regime = entered["regime"].to_numpy()[pick]
    code = np.concatenate([p.code[idx], p.code[idx][leaves]])
    frame = pd.DataFrame({
        "org_code": code,
        "org_name_at_time": np.concatenate([p.display_name[idx], p.display_name[idx][leaves]]),
        "event": ["entered"] * k + ["exited"] * int(leaves.sum()),
        "regime": np.concatenate([regime, regime[leaves]]),
        "event_date": _dates(np.concatenate([start, end[leaves]])),
        "date_precision": "day",
        "source": "synthetic event (matcher.synthetic)",
    })
    frame = frame.sort_values(["event_date", "org_code"], kind="stable")
    return frame[list(COLUMNS["special_measures"])].reset_index(drop=True)
