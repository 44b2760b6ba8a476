"""NHS England's NHS Oversight Framework segmentation: data and league-table CSVs per trust type.

NHS England publishes, each quarter, one long-format data file and one league table for each
of three trust types, named ``nhs-oversight-framework-{type}-trust-{data,league-table}-{release}.csv``
(for example release ``q3-25-26-v2``). The data file has one row per trust, quarter and metric
(``Trust_code``, ``Trust_name``, ``Trust_type``, ``Trust_subtype``, ``Region``, ``Quarter``,
``Metric_ID``, ``Value``); the league table one row per trust (``Trust_code``, ``Average_score``,
``Segment``, ``Trust_in_financial_deficit``, ``Rank``). The latest quarter of the data files is
kept and written in the shipped segmentation layout, which ``matcher.ingest.oversight`` checks.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import requests

from .fetch import RefreshError, decode_text, fetch
from .table import Converted, read_csv_rows, to_csv_text

SOURCE = "segmentation"
STEM = "nof_segmentation"
TRUST_TYPES = ("acute", "ambulance", "mental-health-and-community")
DEFAULT_RELEASE = "q3-25-26-v2"

DATA_COLUMNS = ("Trust_code", "Trust_name", "Trust_type", "Trust_subtype", "Region", "Quarter", "Metric_ID", "Value")
LEAGUE_COLUMNS = ("Trust_code", "Average_score", "Segment", "Trust_in_financial_deficit", "Rank")

_DOMAINS = {"0": "access", "2": "patient_safety", "3": "finance_productivity", "4": "people_workforce",
            "5": "effectiveness_experience"}
#: NOF metric IDs kept, and the shipped column each becomes.
METRICS = {"OF5000": "overall_adjusted_segment", "OF5002": "overall_avg_metric_score",
           **{f"OF410{n}": f"domain_segment_{d}" for n, d in _DOMAINS.items()},
           **{f"OF400{n}": f"domain_score_{d}" for n, d in _DOMAINS.items()}}
_WHOLE = {"overall_adjusted_segment", "league_segment", "league_rank",
          *(f"domain_segment_{d}" for d in _DOMAINS.values())}

HEADER = ["org_code", "org_name", "Region", "Trust_type", "Trust_subtype", "overall_adjusted_segment", "league_segment",
          "league_rank", "league_avg_score", "overall_avg_metric_score", "lt_in_deficit",
          *(f"domain_segment_{d}" for d in sorted(_DOMAINS.values())),
          *(f"domain_score_{d}" for d in sorted(_DOMAINS.values())), "quarter"]
_QUARTER = re.compile(r"^Q([1-4])\s+(\d{4})/\d{2}$")
_YES = {"yes", "y", "1", "true"}
_NO = {"no", "n", "0", "false"}

Progress = Callable[[Iterable[str], str], Iterable[str]]


def file_urls(base: str, release: str) -> list[tuple[str, str]]:
    """(data file URL, league table URL) for each trust type."""
    root = base.rstrip("/")
    return [(f"{root}/nhs-oversight-framework-{t}-trust-data-{release}.csv",
             f"{root}/nhs-oversight-framework-{t}-trust-league-table-{release}.csv") for t in TRUST_TYPES]


def quarter_key(text: str) -> tuple[int, int] | None:
    """``"Q3 2025/26"`` as (2025, 3) for ordering; ``None`` when it is not a quarter."""
    match = _QUARTER.match(text.strip())
    return (int(match.group(2)), int(match.group(1))) if match else None


def whole_number(text: str) -> str:
    """``"3.0"`` as ``"3"``; anything else unchanged (the loader judges it)."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def deficit_flag(text: str) -> str:
    """The league table's deficit answer as the shipped 0/1 flag (unknown words kept for the loader)."""
    lowered = text.strip().lower()
    return "1" if lowered in _YES else "0" if lowered in _NO else text


def latest_quarter(records: list[dict[str, str]], url: str) -> str:
    """The most recent quarter in a data file.

    Raises:
        RefreshError: a Quarter cell that is not like "Q3 2025/26", with its row.
    """
    keyed = {}
    for row, record in enumerate(records, start=2):
        key = quarter_key(record["Quarter"])
        if key is None:
            raise RefreshError(SOURCE, f"row {row}, column 'Quarter': '{record['Quarter']}' is not a quarter "
                                       "like 'Q3 2025/26'", url)
        keyed[key] = record["Quarter"]
    if not keyed:
        raise RefreshError(SOURCE, "malformed body: the data file has no rows", url)
    return keyed[max(keyed)]


def trust_rows(records: list[dict[str, str]], league: dict[str, dict[str, str]], quarter: str) -> dict[str, list[str]]:
    """One shipped-layout row per trust for ``quarter``, in the order trusts first appear."""
    trusts: dict[str, dict[str, str]] = {}
    for record in records:
        if record["Quarter"] != quarter:
            continue
        code = record["Trust_code"]
        trust = trusts.setdefault(code, {"org_code": code, "org_name": record["Trust_name"], "Region": record["Region"],
                                         "Trust_type": record["Trust_type"], "Trust_subtype": record["Trust_subtype"],
                                         "quarter": quarter})
        column = METRICS.get(record["Metric_ID"])
        if column and column not in trust:
            trust[column] = record["Value"]
    for code, trust in trusts.items():
        entry = league.get(code, {})
        trust.update(league_segment=entry.get("Segment", ""), league_rank=entry.get("Rank", ""),
                     league_avg_score=entry.get("Average_score", ""),
                     lt_in_deficit=deficit_flag(entry.get("Trust_in_financial_deficit", "")))
    return {code: [whole_number(t.get(c, "")) if c in _WHOLE else t.get(c, "") for c in HEADER]
            for code, t in trusts.items()}


def fetch_segmentation(session: requests.Session, base: str, release: str, *, timeout: float,
                       progress: Progress = lambda items, label: items) -> Converted:
    """Fetch the six files of a release and convert them to one segmentation file.

    Raises:
        RefreshError: the first failed download, a damaged CSV, missing columns, a bad quarter, or
            a league table that lists a trust twice.
    """
    rows: list[list[str]] = []
    origins: dict[int, str] = {}
    quarters = set()
    pairs = file_urls(base, release)
    urls = [u for pair in pairs for u in pair]
    bodies = {url: fetch(session, url, source=SOURCE, timeout=timeout)
              for url in progress(urls, f"Segmentation: {len(urls)} files")}
    for data_url, league_url in pairs:
        records = read_csv_rows(decode_text(bodies[data_url], SOURCE, data_url), source=SOURCE, url=data_url,
                                required=DATA_COLUMNS)
        league_records = read_csv_rows(decode_text(bodies[league_url], SOURCE, league_url), source=SOURCE,
                                       url=league_url, required=LEAGUE_COLUMNS)
        league: dict[str, dict[str, str]] = {}
        for number, record in enumerate(league_records, start=2):
            if record["Trust_code"] in league:
                raise RefreshError(SOURCE, f"row {number}, column 'Trust_code': trust {record['Trust_code']} "
                                           "is listed twice", league_url)
            league[record["Trust_code"]] = record
        quarter = latest_quarter(records, data_url)
        quarters.add(quarter)
        for code, row in trust_rows(records, league, quarter).items():
            rows.append(row)
            origins[len(rows) + 1] = f"trust {code} in {data_url} and {league_url}"
    label = ", ".join(sorted(quarters, key=lambda q: quarter_key(q) or (0, 0)))
    notes = [f"{len(rows)} trusts, quarter {label}"]
    if len(quarters) > 1:
        notes.append("the trust types' files are for different quarters")
    return Converted(key="oversight", stem=STEM, layout="shipped", text=to_csv_text(HEADER, rows),
                     source=f"NHS England NHS Oversight Framework segmentation and league tables, {label} "
                            f"(release {release})", url=base, origins=origins, notes=tuple(notes))
