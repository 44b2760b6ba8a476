"""CQC public API: current provider-level ratings of each open English trust.

For every trust code in the register this asks ``GET {base}/providers/{code}`` (an NHS trust's
CQC provider ID is its ODS code) with the subscription key in the ``Ocp-Apim-Subscription-Key``
header, and reads ``currentRatings.overall`` (``rating``, ``reportDate`` and
``keyQuestionRatings[]`` with ``name``, ``rating``, ``reportDate``). The ratings are written in
the layout of the Providers sheet of CQC's "Latest ratings" file (``cqc_providers``): one row
per key question, which ``matcher.ingest.ratings`` already reads and checks.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from urllib.parse import quote

import requests

from .fetch import RefreshError, fetch
from .table import Converted, to_csv_text

SOURCE = "cqc"
DEFAULT_URL = "https://api.service.cqc.org.uk/public/v1"
KEY_ENV = "CQC_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
STEM = "cqc_ratings"
LAYOUT = "cqc_providers"

HEADER = ["Provider ID", "Provider ODS Code", "Provider Name", "Provider Type", "Provider Primary Inspection Category",
          "Provider Region", "Service / Population Group", "Domain", "Latest Rating", "Publication Date",
          "Report Type", "URL"]
KEY_QUESTIONS = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
#: Phrases the API uses for "no rating"; the loaders know them as "Not rated".
_NOT_RATED = {"not rated", "no published rating", "inspected but not rated", "insufficient evidence to rate"}

Progress = Callable[[Iterable[str], str], Iterable[str]]


def provider_url(base: str, code: str) -> str:
    """The API address of one provider."""
    return f"{base.rstrip('/')}/providers/{quote(code, safe='')}"


def parse_provider(body: bytes, code: str, url: str) -> dict:
    """The provider object of an API answer, checked for the fields we read.

    Raises:
        RefreshError: the body is not JSON, not an object, or is another provider's record.
    """
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefreshError(SOURCE, f"malformed body: not valid JSON ({exc})", url) from None
    if not isinstance(data, dict):
        raise RefreshError(SOURCE, "malformed body: expected a JSON object for the provider", url)
    if str(data.get("providerId", "")).strip() != code:
        raise RefreshError(SOURCE, f"malformed body: providerId is {data.get('providerId')!r}, expected '{code}'", url)
    ratings = data.get("currentRatings")
    if ratings is not None and not isinstance(ratings, dict):
        raise RefreshError(SOURCE, "malformed body: currentRatings is not an object", url)
    overall = (ratings or {}).get("overall")
    if overall is not None and not isinstance(overall, dict):
        raise RefreshError(SOURCE, "malformed body: currentRatings.overall is not an object", url)
    questions = (overall or {}).get("keyQuestionRatings", [])
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        raise RefreshError(SOURCE, "malformed body: currentRatings.overall.keyQuestionRatings "
                                   "is not a list of objects", url)
    return data


def rating_word(value: object) -> str:
    """The API's rating text, with its "no rating" phrases as "Not rated" (other words kept for the loader to judge)."""
    text = "" if value is None else str(value).strip()
    return "Not rated" if text.lower() in _NOT_RATED else text


def provider_rows(provider: dict) -> list[list[str]]:
    """One row per rated domain (Overall first, then the key questions) for a parsed provider; none if unrated."""
    overall = (provider.get("currentRatings") or {}).get("overall")
    if not overall or overall.get("rating") in (None, ""):
        return []
    code = str(provider["providerId"]).strip()
    published = str(overall.get("reportDate") or (provider.get("currentRatings") or {}).get("reportDate") or "")
    primary = next((str(c.get("name", "")) for c in provider.get("inspectionCategories") or []
                    if isinstance(c, dict) and str(c.get("primary", "")).lower() == "true"), "")
    common = [code, str(provider.get("odsCode") or code), str(provider.get("name") or ""),
              str(provider.get("type") or ""), primary, str(provider.get("region") or "")]
    url = f"https://www.cqc.org.uk/provider/{code}"
    rows = [[*common, "Overall", "Overall", rating_word(overall.get("rating")), published, "Provider", url]]
    by_name = {str(q.get("name", "")).strip(): q for q in overall.get("keyQuestionRatings") or []}
    for name in KEY_QUESTIONS:
        question = by_name.get(name)
        if question is None:
            continue
        rows.append([*common, "Overall", name, rating_word(question.get("rating")),
                     str(question.get("reportDate") or published), "Provider", url])
    return rows


def listed(codes: list[str], limit: int = 12) -> str:
    """Codes as a comma list, the first ``limit`` of them and how many more."""
    head = ", ".join(codes[:limit])
    return head if len(codes) <= limit else f"{head} and {len(codes) - limit} more"


def fetch_ratings(session: requests.Session, base: str, key: str, codes: list[str], *, timeout: float,
                  progress: Progress = lambda items, label: items) -> Converted:
    """Fetch every trust's provider record and convert the ratings.

    A 404 means CQC has no provider with that code (a new or virtual trust): it is left unrated
    and listed in the notes. If no trust at all is found the base URL is taken to be wrong.

    Raises:
        RefreshError: the first failed request or malformed answer, or no provider found.
    """
    headers = {KEY_HEADER: key, "Accept": "application/json"}
    rows: list[list[str]] = []
    origins: dict[int, str] = {}
    missing, unrated = [], []
    for code in progress(codes, f"CQC: {len(codes)} providers"):
        url = provider_url(base, code)
        body = fetch(session, url, source=SOURCE, timeout=timeout, headers=headers, allow_404=True)
        if body is None:
            missing.append(code)
            continue
        found = provider_rows(parse_provider(body, code, url))
        if not found:
            unrated.append(code)
        for row in found:
            rows.append(row)
            origins[len(rows) + 1] = f"provider {code} at {url}"
    if codes and len(missing) == len(codes):
        raise RefreshError(SOURCE, f"none of the {len(codes)} trusts was found (every request was a 404); "
                                   "check the API base URL", provider_url(base, "{code}"))
    notes = [f"{len(codes) - len(missing) - len(unrated)} of {len(codes)} trusts have current CQC ratings"]
    if missing:
        notes.append(f"{len(missing)} not registered with CQC under their ODS code: {listed(missing)}")
    if unrated:
        notes.append(f"{len(unrated)} registered but not yet rated: {listed(unrated)}")
    return Converted(key="ratings", stem=STEM, layout=LAYOUT, text=to_csv_text(HEADER, rows),
                     source="CQC public API, provider-level current ratings", url=base, origins=origins,
                     notes=tuple(notes))
