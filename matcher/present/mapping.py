"""A map of a plan: England's NHS regions, and each partnership as a line between the two head offices.

The regions are SVG paths. Pure geometry, no tiles and no network; the web layer draws it as SVG.

The projection is equirectangular, scaled by the cosine of England's middle latitude, which at
this size is indistinguishable from the British National Grid.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..result import Plan

REGIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "england_regions.geojson"
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
               "Contains OS data © Crown copyright and database right 2022")
WIDTH = 520
MARGIN = 10
#: The area the London inset enlarges (west, south, east, north) and where it is drawn (x, y, width, height):
#: in the North Sea, top right, where the map of England has no land.
LONDON_BOX = (-0.52, 51.28, 0.34, 51.70)
INSET = (372.0, 12.0, 140.0, 112.0)
#: Places named on the map, so a reader can find their way (latitude, longitude).
PLACES = {"London": (51.507, -0.128), "Birmingham": (52.486, -1.890), "Manchester": (53.480, -2.243),
          "Leeds": (53.800, -1.549), "Newcastle": (54.978, -1.618), "Bristol": (51.455, -2.588),
          "Liverpool": (53.408, -2.992), "Nottingham": (52.954, -1.158), "Norwich": (52.630, 1.297),
          "Plymouth": (50.376, -4.143), "Cambridge": (52.205, 0.122), "Southampton": (50.910, -1.404)}


@dataclass(frozen=True)
class Region:
    """One NHS England region: its name and its outline as an SVG path."""

    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Link:
    """A partnership drawn from supporter to recipient."""

    supporter: str
    recipient: str
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Dot:
    """A trust on the map; recipients are sized by severity."""

    code: str
    role: str  # "supporter", "recipient" or "uncovered"
    x: float
    y: float
    radius: float
    severity: float = 0.0


@dataclass(frozen=True)
class Label:
    """A name written on the map: a region's (at the middle of its largest part) or a place's."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Inset:
    """London enlarged: where it is drawn, the area it shows (marked on the map) and what is in it."""

    x: float
    y: float
    width: float
    height: float
    transform: str  # draws the map's regions, in map coordinates, inside the inset
    area: tuple[float, float, float, float]  # the enlarged area on the main map: x, y, width, height
    links: tuple[Link, ...]
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class PlanMap:
    """Everything needed to draw the map of one plan."""

    width: int
    height: int
    regions: tuple[Region, ...]
    links: tuple[Link, ...]
    dots: tuple[Dot, ...]
    missing: tuple[str, ...]  # trusts in the plan without coordinates (listed under the map)
    region_labels: tuple[Label, ...] = ()
    places: tuple[Label, ...] = ()
    inset: Inset | None = None


@dataclass(frozen=True)
class _Projection:
    west: float
    north: float
    scale: float
    squash: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (round(MARGIN + (lon - self.west) * self.squash * self.scale, 1),
                round(MARGIN + (self.north - lat) * self.scale, 1))


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def _projection(features: list[dict[str, Any]]) -> tuple[_Projection, int]:
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squash)
    height = round((north - south) * scale + 2 * MARGIN)
    return _Projection(west, north, scale, squash), height


def plan_map(plan: Plan, coordinates: dict[str, tuple[float, float]],
             regions_file: Path = REGIONS_FILE) -> PlanMap:
    """The map of a plan, given each trust's (latitude, longitude)."""
    features = json.loads(regions_file.read_text(encoding="utf-8"))["features"]
    project, height = _projection(features)
    regions = tuple(Region(f["properties"]["code"], f["properties"]["name"],
                           " ".join("M" + " L".join(f"{x} {y}" for x, y in (project(*p) for p in ring)) + " Z"
                                    for ring in _rings(f["geometry"])))
                    for f in features)

    def at(code: str) -> tuple[float, float] | None:
        where = coordinates.get(code)
        if where is None or any(v is None or math.isnan(v) for v in where):
            return None
        return project(where[1], where[0])

    links: list[Link] = []
    dots: dict[str, Dot] = {}
    missing: set[str] = set()
    for pair in plan.pairs:
        start, end = at(pair.supporter), at(pair.recipient)
        if start is None or end is None:
            missing.update(c for c, p in ((pair.supporter, start), (pair.recipient, end)) if p is None)
            continue
        links.append(Link(pair.supporter, pair.recipient, pair.kind, *start, *end))
        dots[pair.supporter] = Dot(pair.supporter, "supporter", *start, 3.0)
        severity = float(pair.coverage)
        dots[pair.recipient] = Dot(pair.recipient, "recipient", *end, _radius(severity), severity)
    for item in plan.uncovered:
        where = at(item.recipient)
        if where is None:
            missing.add(item.recipient)
            continue
        dots[item.recipient] = Dot(item.recipient, "uncovered", *where, _radius(item.severity), float(item.severity))
    ordered = sorted(dots.values(), key=lambda d: (d.role != "supporter", -d.radius, d.code))
    labels = tuple(_region_label(f, project) for f in features if f["properties"]["name"] != "London")
    places = tuple(Label(name, *project(lon, lat)) for name, (lat, lon) in PLACES.items() if name != "London")
    return PlanMap(WIDTH, height, regions, tuple(links), tuple(ordered), tuple(sorted(missing)), labels, places,
                   _london(project, links, ordered))


def _region_label(feature: dict[str, Any], project: _Projection) -> Label:
    """The region's name at the middle of the bounding box of its largest part."""
    ring = max(_rings(feature["geometry"]), key=len)
    xs, ys = zip(*(project(*p) for p in ring), strict=True)
    return Label(feature["properties"]["name"], round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1))


def _london(project: _Projection, links: list[Link], dots: list[Dot]) -> Inset:
    """London enlarged in the inset, with the partnerships and trusts inside it."""
    west, south, east, north = LONDON_BOX
    (left, top), (right, bottom) = project(west, north), project(east, south)
    x, y, width, height = INSET
    k = min(width / (right - left), height / (bottom - top))

    def inside(px: float, py: float) -> tuple[float, float]:
        return round(x + (px - left) * k, 1), round(y + (py - top) * k, 1)

    def within(px: float, py: float) -> bool:
        return left <= px <= right and top <= py <= bottom
    shown = tuple(Link(a.supporter, a.recipient, a.kind, *inside(a.x1, a.y1), *inside(a.x2, a.y2)) for a in links
                  if within(a.x1, a.y1) or within(a.x2, a.y2))
    inner = tuple(Dot(d.code, d.role, *inside(d.x, d.y), d.radius, d.severity) for d in dots if within(d.x, d.y))
    transform = f"translate({x} {y}) scale({k:.3f}) translate({-left} {-top})"
    return Inset(x, y, width, height, transform, (left, top, round(right - left, 1), round(bottom - top, 1)),
                 shown, inner)


def _radius(severity: float) -> float:
    """Area grows with severity: 3 px for severity 1, up to about 8.5 px for severity 8."""
    return round(3.0 * math.sqrt(max(severity, 1.0)), 1)
