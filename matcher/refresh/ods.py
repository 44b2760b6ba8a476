"""NHS Digital ODS ``etr`` trust register: the NHS trusts, open and closed, with region and ICB.

The download is ODS's ``etr.zip`` (or the ``etr.csv`` inside it): 27 fields and no heading row.
It is first checked as it is by the register loader's ``ods_etr`` layout, then written in the
shipped register layout. ODS has no locations or trust types, so those columns (latitude,
longitude, geo_source, trust_type, trust_subtype, trust_type_source) are carried over from the
current register by trust code; a trust new to the register has them empty, and the notes say so.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import requests

from ..errors import InputError
from ..ingest import register
from .fetch import MAX_BODY_BYTES, RefreshError, decode_text, fetch
from .table import Converted, to_csv_text

SOURCE = "ods"
DEFAULT_URL = "https://files.digital.nhs.uk/assets/ods/current/etr.zip"
STEM = "nhs_trusts"

SHIPPED_HEADER = ["Organisation Code", "Name", "status_in_file", "Open Date", "Close Date", "National Grouping",
                  "nhse_region_name", "High Level Health Geography", "GOR Code", "gor_name", "country",
                  "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Postcode",
                  "Contact Telephone Number", "Amended Record Indicator", "latitude", "longitude", "geo_source",
                  "trust_type", "trust_subtype", "trust_type_source"]
CARRIED = ("latitude", "longitude", "geo_source", "trust_type", "trust_subtype", "trust_type_source")
#: Field positions in the 27-field etr record (ODS data downloads guide).
_ETR = {"Organisation Code": 0, "Name": 1, "National Grouping": 2, "High Level Health Geography": 3,
        "Address Line 1": 4, "Address Line 2": 5, "Address Line 3": 6, "Address Line 4": 7, "Address Line 5": 8,
        "Postcode": 9, "Open Date": 10, "Close Date": 11, "Contact Telephone Number": 17,
        "Amended Record Indicator": 21, "GOR Code": 23}


def unpack(body: bytes, url: str) -> str:
    """The etr CSV text of a download that is either the zip or the CSV itself.

    Raises:
        RefreshError: a damaged zip, a zip without a CSV, or text that is not a CSV file.
    """
    if not body.startswith(b"PK"):
        return decode_text(body, SOURCE, url)
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise RefreshError(SOURCE, "malformed body: the zip file has no CSV file in it", url)
            member = next((m for m in members if Path(m.filename).name.lower() == "etr.csv"), members[0])
            if member.file_size > MAX_BODY_BYTES:
                raise RefreshError(SOURCE, f"malformed body: {member.filename} is too large", url)
            return decode_text(archive.read(member), SOURCE, url)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise RefreshError(SOURCE, f"malformed body: not a readable zip file ({exc})", url) from None


def check_etr(text: str, folder: Path, url: str) -> None:
    """Run the register loader (``ods_etr`` layout) over the download as it is.

    Raises:
        RefreshError: listing the loader's located problems (file etr.csv, row, column).
    """
    path = folder / "etr.csv"
    path.write_text(text, encoding="utf-8")
    try:
        register.load_register(path, "ods_etr")
    except InputError as exc:
        raise RefreshError(SOURCE, "the download did not pass the register loader's checks (layout ods_etr)", url,
                           [str(p) for p in exc.problems]) from None


def ods_date(text: str) -> str:
    """ODS's ``20010401`` as ``2001-04-01``; anything else unchanged."""
    text = text.strip()
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 and text.isdigit() else text


def read_current(path: Path, layout: str) -> dict[str, dict[str, str]]:
    """The current register's rows by trust code (only the shipped layout has locations and types)."""
    if layout != "shipped" or not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["Organisation Code"]: row for row in csv.DictReader(handle) if row.get("Organisation Code")}


def register_rows(text: str, current: dict[str, dict[str, str]]) -> tuple[list[list[str]], list[str]]:
    """The etr records in the shipped layout, and the codes of open trusts new to the register."""
    gor_names = {r.get("GOR Code", ""): r.get("gor_name", "") for r in current.values() if r.get("gor_name")}
    rows, new = [], []
    for record in csv.reader(io.StringIO(text)):
        if not record:
            continue
        fields = {name: record[i].strip() for name, i in _ETR.items()}
        code = fields["Organisation Code"]
        old = current.get(code, {})
        close = ods_date(fields["Close Date"])
        status = "open" if not close else "closed_or_closing"
        if status == "open" and not old:
            new.append(code)
        fields.update({
            "Open Date": ods_date(fields["Open Date"]), "Close Date": close, "status_in_file": status,
            "nhse_region_name": register.REGION_NAMES.get(fields["National Grouping"], ""),
            "gor_name": gor_names.get(fields["GOR Code"], ""),
            "country": "Wales" if fields["GOR Code"] == "W" else "England",
            **{c: old.get(c, "") for c in CARRIED},
        })
        rows.append([fields[c] for c in SHIPPED_HEADER])
    return rows, new


def fetch_register(session: requests.Session, url: str, current: dict[str, dict[str, str]], folder: Path, *,
                   timeout: float) -> Converted:
    """Download, check and convert the register.

    Raises:
        RefreshError: a failed download, a damaged body, or the loader's problems with it.
    """
    text = unpack(fetch(session, url, source=SOURCE, timeout=timeout) or b"", url)
    check_etr(text, folder, url)
    rows, new = register_rows(text, current)
    origins = {n: f"etr record {n - 1} of {url}" for n in range(2, len(rows) + 2)}
    notes = [f"{len(rows)} organisations, {sum(r[2] == 'open' for r in rows)} open"]
    if new:
        notes.append(f"new open trusts, without location or trust type until someone adds them: {', '.join(new)}")
    return Converted(key="register", stem=STEM, layout="shipped", text=to_csv_text(SHIPPED_HEADER, rows),
                     source="NHS Digital ODS trust register (etr), with head-office locations and trust types "
                            "carried over from the previous register", url=url, origins=origins, notes=tuple(notes))
