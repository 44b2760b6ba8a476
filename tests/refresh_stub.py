"""A local HTTP server that plays the refresh's sources, with responses built from the shipped data.

The responses are in the sources' own formats: the CQC API's provider JSON (``currentRatings``),
NHS England's long-format Oversight Framework data CSVs and league tables, and ODS's headerless
27-field ``etr.csv`` inside ``etr.zip``. Each test edits ``stub.routes`` to inject a failure.
"""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from matcher.dataset import DEFAULT_DATA_DIR

KEY = "test-subscription-key"
RELEASE = "q4-25-26"
QUARTER = "Q4 2025/26"
_TYPES = {"Acute trust": "acute", "Ambulance trust": "ambulance"}


@dataclass(frozen=True)
class Reply:
    """One recorded response: status, body, content type, a delay and a claimed length.

    ``delay`` is seconds before answering; ``length`` a Content-Length to claim instead of the real
    one (a body cut off in transit).
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "text/csv; charset=utf-8"
    delay: float = 0.0
    length: int | None = None


def _rows(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _csv(header: list[str], rows: list[list[str]], *, heading: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL if not heading else csv.QUOTE_MINIMAL)
    if heading:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def etr_csv() -> bytes:
    """The shipped register as ODS publishes it: 27 quoted fields, no heading, dates as YYYYMMDD."""
    records = []
    for r in _rows("nhs_trusts.csv"):
        fields = [""] * 27
        for i, column in {0: "Organisation Code", 1: "Name", 2: "National Grouping", 3: "High Level Health Geography",
                          4: "Address Line 1", 5: "Address Line 2", 6: "Address Line 3", 7: "Address Line 4",
                          8: "Address Line 5", 9: "Postcode", 17: "Contact Telephone Number",
                          21: "Amended Record Indicator", 23: "GOR Code"}.items():
            fields[i] = r[column]
        fields[10], fields[11] = r["Open Date"].replace("-", ""), r["Close Date"].replace("-", "")
        records.append(fields)
    return _csv([], records, heading=False)


def etr_zip(text: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("etr.csv", text)
    return out.getvalue()


_DATA_HEADER = ["Trust_code", "Trust_name", "Trust_type", "Trust_subtype", "Region", "Quarter", "Metric_ID",
                "Metric_name", "Units", "Value"]
_LEAGUE_HEADER = ["Trust_code", "Trust_name", "Trust_type", "Region", "Average_score", "Segment",
                  "Trust_in_financial_deficit", "Rank"]
_METRICS = {"OF5000": "overall_adjusted_segment", "OF5002": "overall_avg_metric_score",
            "OF4100": "domain_segment_access", "OF4102": "domain_segment_patient_safety",
            "OF4103": "domain_segment_finance_productivity", "OF4104": "domain_segment_people_workforce",
            "OF4105": "domain_segment_effectiveness_experience", "OF4000": "domain_score_access",
            "OF4002": "domain_score_patient_safety", "OF4003": "domain_score_finance_productivity",
            "OF4004": "domain_score_people_workforce", "OF4005": "domain_score_effectiveness_experience"}


def nof_files() -> dict[str, bytes]:
    """NHS England's six Oversight Framework CSVs for the shipped trusts, relabelled as Q4 2025/26.

    The data is in long format, with league tables; the Q3 rows and an unused metric are kept in
    as well.
    """
    data: dict[str, list[list[str]]] = {t: [] for t in ("acute", "ambulance", "mental-health-and-community")}
    league: dict[str, list[list[str]]] = {t: [] for t in data}
    for r in _rows("nof_segmentation_2025-26_q3.csv"):
        kind = _TYPES.get(r["Trust_type"], "mental-health-and-community")
        ident = [r["org_code"], r["org_name"], r["Trust_type"], r["Trust_subtype"], r["Region"]]
        for quarter in ("Q3 2025/26", QUARTER):
            data[kind].append([*ident, quarter, "OF0010", "Cancer 28 day", "%", "0.77"])
            for metric, column in _METRICS.items():
                data[kind].append([*ident, quarter, metric, column, "score", r[column]])
        league[kind].append([r["org_code"], r["org_name"], r["Trust_type"], r["Region"], r["league_avg_score"],
                             r["league_segment"], "Yes" if r["lt_in_deficit"] == "1" else "No", r["league_rank"]])
    files = {}
    for kind, records in data.items():
        files[f"nhs-oversight-framework-{kind}-trust-data-{RELEASE}.csv"] = _csv(_DATA_HEADER, records)
        files[f"nhs-oversight-framework-{kind}-trust-league-table-{RELEASE}.csv"] = _csv(_LEAGUE_HEADER, league[kind])
    return files


def provider_json(row: dict[str, str], **overrides: str) -> bytes:
    """A CQC API provider record (``GET /providers/{id}``) carrying one trust's ratings."""
    date = row["publication_date"]
    ratings = {name: row[f"rating_{column}"] for name, column in
               (("Safe", "safe"), ("Effective", "effective"), ("Caring", "caring"), ("Responsive", "responsive"),
                ("Well-led", "well-led"))}
    ratings.update(overrides)
    record = {
        "providerId": row["org_code"], "organisationType": "Provider", "ownershipType": "NHS Healthcare Organisation",
        "type": "NHS Healthcare Organisation", "name": row["provider_name"], "registrationStatus": "Registered",
        "region": row["location_nhs_region"], "odsCode": row["org_code"],
        "inspectionCategories": [{"code": "P1", "primary": "true", "name": "NHS Healthcare Organisation"}],
        "locationIds": [row["location_id"]],
        "currentRatings": {"overall": {"rating": row["rating_overall"], "reportDate": date, "reportLinkId": "x",
                                       "keyQuestionRatings": [{"name": n, "rating": v, "reportDate": date,
                                                               "reportLinkId": "x"} for n, v in ratings.items()]},
                           "reportDate": date},
    }
    return json.dumps(record).encode("utf-8")


def cqc_rows() -> dict[str, dict[str, str]]:
    return {r["org_code"]: r for r in _rows("cqc_ratings_trust_main_location_2026-05.csv")}


def good_routes() -> dict[str, Reply]:
    """Every source answering well: the shipped data in the real formats."""
    routes = {"/ods/etr.zip": Reply(body=etr_zip(etr_csv()), content_type="application/zip")}
    routes.update({f"/nhse/{name}": Reply(body=body) for name, body in nof_files().items()})
    routes.update({f"/cqc/providers/{code}": Reply(body=provider_json(row), content_type="application/json")
                   for code, row in cqc_rows().items()})
    return routes


class Stub:
    """The running server: ``url`` and the editable ``routes`` (path to ``Reply``)."""

    def __init__(self, url: str):
        self.url = url
        self.routes = good_routes()
        self.requests: list[str] = []

    @property
    def args(self) -> list[str]:
        return ["--cqc-url", f"{self.url}/cqc", "--ods-url", f"{self.url}/ods/etr.zip",
                "--segmentation-url", f"{self.url}/nhse", "--segmentation-release", RELEASE]

    def set(self, path: str, **changes) -> None:
        self.routes[path] = replace(self.routes.get(path, Reply()), **changes)


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            stub.requests.append(path)
            if path.startswith("/cqc/") and self.headers.get("Ocp-Apim-Subscription-Key") != KEY:
                denied = ("Access denied due to invalid subscription key. "
                          "Make sure to provide a valid key for an active subscription.")
                reply = Reply(401, json.dumps({"statusCode": 401, "message": denied}).encode(), "application/json")
            else:
                reply = stub.routes.get(path) or Reply(404, b'{"statusCode": 404, "message": "Resource not found"}',
                                                       "application/json")
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(reply.length if reply.length is not None else len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[Stub]:
    """Start the stub on 127.0.0.1 (a free port) in a thread; stop it afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # handler set below, once the stub knows its URL
    server.daemon_threads = True
    stub = Stub(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
