"""Security settings every response and the app itself keep: headers, the secret key, cookies.

Also the text that cannot be stored, HTTPS in production, and the proxies in front of the service.

The Content-Security-Policy allows scripts, styles and images from this service only and no
inline script at all, and no page may be framed. Nothing but the static assets may be cached.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, request
from werkzeug.middleware.proxy_fix import ProxyFix

from matcher.errors import BuddyingError
from matcher.parsing import count_from

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
LOCAL_KEY_FILE = Path(__file__).resolve().parents[1] / "instance" / "secret_key"
HSTS = "max-age=31536000; includeSubDomains"
#: Most proxies the service may be told to trust (a TLS proxy and a load balancer make 2).
MAX_PROXIES = 5
UNSTORABLE_TEXT = "Text must not contain NUL characters or unpaired surrogate characters"


def production() -> bool:
    """``BUDDYING_ENV=production``: HTTPS only, a secret key from the environment, no shortcuts."""
    return os.environ.get("BUDDYING_ENV", "").lower() == "production"


def secret_key(key_file: Path = LOCAL_KEY_FILE) -> str:
    """The key that signs session cookies.

    In production it must come from ``BUDDYING_SECRET_KEY``; locally a random key is made once and
    kept in ``instance/secret_key`` (readable by its owner only), so sessions survive a restart and
    every server process agrees on it.

    Raises:
        BuddyingError: production mode without ``BUDDYING_SECRET_KEY`` (or with a short one).
    """
    key = os.environ.get("BUDDYING_SECRET_KEY", "")
    if production():
        if len(key.strip()) < 32 or len(set(key)) < 8:
            raise BuddyingError("BUDDYING_SECRET_KEY must be set to at least 32 random characters (not spaces or one "
                                "character repeated) in production "
                                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')")
        return key
    if key:
        return key
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def trusted_proxies(environ: dict[str, str] | None = None) -> int:
    """``BUDDYING_TRUSTED_PROXIES``: how many proxies in front of the service forward the client's details.

    They set ``X-Forwarded-For`` and ``X-Forwarded-Proto``; the default 0 means the service is reached
    directly. Behind a proxy every request comes from the proxy's address, so sign-in throttling by address
    would count everyone as one person and HTTPS would look like HTTP. Trusting more proxies than
    there are would let a client choose its own address, so the number must be exact.

    Raises:
        BuddyingError: not a whole number from 0 to ``MAX_PROXIES``.
    """
    raw = (environ if environ is not None else os.environ).get("BUDDYING_TRUSTED_PROXIES", "0").strip() or "0"
    hops = count_from(raw, 0, MAX_PROXIES)
    if hops is None:
        raise BuddyingError(f"BUDDYING_TRUSTED_PROXIES must be the number of proxies in front of the service, a whole "
                            f"number from 0 to {MAX_PROXIES} (got {raw[:20]!r})")
    return hops


def behind_proxies(app: Flask, hops: int) -> None:
    """Read the client's address and scheme from the ``hops`` proxies in front of the service."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def storable(value: Any) -> bool:
    r"""True when every text in ``value`` (a JSON body: nested lists and objects) can be stored.

    NUL has no use in any field and PostgreSQL cannot store it; an unpaired surrogate (JSON's
    ``"\ud800"``) is not a character at all and no database driver can encode it.
    """
    pending = [value]
    while pending:  # no recursion: the body's nesting is the sender's choice
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item or (not item.isascii() and not _encodable(item)):
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def init_app(app: Flask) -> None:
    """Refuse unstorable text, redirect to HTTPS in production, add the headers, cache only static assets.

    Text that cannot be stored is refused at the edge; plain HTTP goes to HTTPS in production; every
    response gets the security headers; nothing but the static assets may be cached.
    """
    force_https = app.config["FORCE_HTTPS"]

    @app.before_request
    def https_only():
        if force_https and not request.is_secure:
            return redirect(request.url.replace("http://", "https://", 1), 308)
        return None

    @app.before_request
    def only_storable_text():
        values = [*request.args.values(), *request.form.values(), *request.args.keys(), *request.form.keys()]
        if request.is_json:  # the body's own fields (unknown fields are ignored, so what they hold does not matter)
            body = request.get_json(silent=True)
            values += [v for v in body.values() if isinstance(v, str)] if isinstance(body, dict) else []
        if not storable(values):
            abort(400, description=UNSTORABLE_TEXT)

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if force_https and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if not response.headers.get("Cache-Control") and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"  # pages and the API show someone's data
        return response
