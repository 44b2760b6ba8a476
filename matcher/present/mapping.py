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
class PlanMap:
    """Everything needed to draw the map of one plan."""

    width: int
    height: int
    regions: tuple[Region, ...]
    links: tuple[Link, ...]
    dots: tuple[Dot, ...]
    missing: tuple[str, ...]  # trusts in the plan without coordinates (listed under the map)


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
    return PlanMap(WIDTH, height, regions, tuple(links), tuple(ordered), tuple(sorted(missing)))


def _radius(severity: float) -> float:
    """Area grows with severity: 3 px for severity 1, up to about 8.5 px for severity 8."""
    return round(3.0 * math.sqrt(max(severity, 1.0)), 1)
