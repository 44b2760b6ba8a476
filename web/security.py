"""Security settings every response and the app itself keep: headers, the secret key, cookies.

The Content-Security-Policy allows scripts, styles and images from this service only and no
inline script at all, and no page may be framed.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, Response, abort, request

from matcher.errors import BuddyingError

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
        if len(key) < 32:
            raise BuddyingError("BUDDYING_SECRET_KEY must be set to at least 32 random characters in production "
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


def init_app(app: Flask) -> None:
    """Refuse NUL characters, add the security headers, and never cache pages that show someone's data.

    NUL characters are refused in any input; the headers go on every response.
    """
    @app.before_request
    def no_nul_characters():
        # No text field has a use for NUL, and PostgreSQL cannot store it: refuse it at the edge.
        values = [*request.args.values(), *request.form.values(), *request.args.keys(), *request.form.keys()]
        if request.is_json:  # the text of the body's fields (unknown fields are ignored, so their names do not matter)
            body = request.get_json(silent=True)
            if isinstance(body, dict):
                values += [v for v in body.values() if isinstance(v, str)]
        if any("\x00" in value for value in values):
            abort(400, description="Text must not contain NUL characters")
    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not response.headers.get("Cache-Control") and response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
