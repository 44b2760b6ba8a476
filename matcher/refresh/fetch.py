"""Download one URL with ``requests`` and turn every way it can fail into a located message."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, overload

import requests

from ..errors import BuddyingError

#: Refuse bodies larger than this (the largest real file, the ODS register zip, is well under 1 MB).
MAX_BODY_BYTES = 200 * 1024 * 1024
USER_AGENT = "buddying-refresh (+https://github.com/; NHS trust buddying data refresh)"

_STATUS_HINTS = {
    401: "the server refused the subscription key (check CQC_API_KEY)",
    403: "access forbidden (check CQC_API_KEY and its product subscription)",
    404: "nothing at this address; check the URL and the file name",
    429: "rate limited; wait and run the refresh again",
}


@dataclass(eq=False)
class RefreshError(BuddyingError):
    """A refresh step failed; nothing in the data folder was changed.

    ``source`` is the dataset being refreshed (``cqc``, ``segmentation``, ``ods``), ``url`` the
    address involved, ``problem`` what went wrong and ``details`` any located loader problems.
    """

    source: str
    problem: str
    url: str | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        """The message printed by the command."""
        where = f"{self.source} ({self.url})" if self.url else self.source
        lines = ["The refresh failed, so nothing in the data folder was changed:", f"  - {where}: {self.problem}"]
        lines += [f"    - {d}" for d in self.details]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def status_problem(status: int, reason: str) -> str:
    """Words for an HTTP error status, e.g. ``HTTP 500 Internal Server Error (server error; ...)``."""
    hint = _STATUS_HINTS.get(status) or ("server error; try again later" if status >= 500 else "request refused")
    return f"HTTP {status} {reason}".rstrip() + f" ({hint})"


@overload
def fetch(session: requests.Session, url: str, *, source: str, timeout: float,
          headers: dict[str, str] | None = None, allow_404: Literal[False] = False) -> bytes: ...
@overload
def fetch(session: requests.Session, url: str, *, source: str, timeout: float,
          headers: dict[str, str] | None = None, allow_404: bool) -> bytes | None: ...
def fetch(session: requests.Session, url: str, *, source: str, timeout: float,
          headers: dict[str, str] | None = None, allow_404: bool = False) -> bytes | None:
    """GET ``url`` and return its body (``None`` for a 404 when ``allow_404``).

    Raises:
        RefreshError: naming the source and URL, for a connection failure, a timeout, an HTTP
            error status, a body cut off in transit or a body larger than ``MAX_BODY_BYTES``.
    """
    try:
        with session.get(url, headers=headers or {}, timeout=timeout, stream=True, allow_redirects=True) as response:
            if response.status_code == 404 and allow_404:
                return None
            if response.status_code != 200:
                raise RefreshError(source, status_problem(response.status_code, response.reason or ""), url)
            return _read_capped(response, source, url)
    except requests.exceptions.Timeout:
        raise RefreshError(source, f"timeout: no answer within {timeout:g} seconds", url) from None
    except requests.exceptions.ChunkedEncodingError as exc:
        raise RefreshError(source, f"malformed body: the download was cut off ({_short(exc)})", url) from None
    except requests.exceptions.ConnectionError as exc:
        text = _short(exc)
        if "timed out" in text.lower():
            raise RefreshError(source, f"timeout: no answer within {timeout:g} seconds", url) from None
        raise RefreshError(source, f"could not connect ({text})", url) from None
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        raise RefreshError(source, "is not a valid http(s) URL", url) from None
    except requests.exceptions.RequestException as exc:
        raise RefreshError(source, f"request failed ({_short(exc)})", url) from None


def _read_capped(response: requests.Response, source: str, url: str) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RefreshError(source, f"malformed body: larger than {MAX_BODY_BYTES // (1024 * 1024)} MB", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _short(exc: BaseException) -> str:
    """The exception's message on one line, at most 200 characters."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def decode_text(body: bytes, source: str, url: str) -> str:
    """A downloaded CSV as text: UTF-8 (with or without BOM), else Windows-1252.

    Raises:
        RefreshError: when it is neither, or contains NUL characters (a binary file).
    """
    if b"\0" in body:
        raise RefreshError(source, "malformed body: binary data where a CSV file was expected", url)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RefreshError(source, "malformed body: the text is neither UTF-8 nor Windows-1252", url)
