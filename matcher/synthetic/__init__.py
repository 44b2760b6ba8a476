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

Modules, one job each: ``assemble`` (generate and write), ``providers`` (who the providers
are), ``geography`` (where they are), ``reference`` (the shipped data read once),
``sampling`` (drawing from empirical distributions), and one module per file: ``register``,
``oversight``, ``ratings``, ``performance``, ``rtt``, ``costs``, ``special_measures``.
"""
from .assemble import generate, manifest_text, write_dataset
from .columns import COLUMNS
from .geography import (
    REGION_CODES,
    REGIONS_GEOJSON,
    load_region_polygons,
    points_in_polygon,
    random_points_in,
)
from .providers import MAX_PROVIDERS, MIN_PROVIDERS

__all__ = ["COLUMNS", "MAX_PROVIDERS", "MIN_PROVIDERS", "REGIONS_GEOJSON", "REGION_CODES", "generate",
           "load_region_polygons", "manifest_text", "points_in_polygon", "random_points_in", "write_dataset"]
