"""Error pages: plain English, NHS look, never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

LOG = logging.getLogger(__name__)
MESSAGES = {
    400: ("There is a problem with the request", "Go back and try again."),
    403: ("You do not have access to this page", "Your account's role does not include this page."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you pasted it, check you "
                            "copied the whole address."),
    405: ("That action is not possible here", "Go back and use the buttons on the page."),
    413: ("The file is too large", "Upload a file smaller than 1 MB."),
    500: ("Sorry, there is a problem with the service", "Try again later. The problem has been logged."),
}


def init_app(app: Flask) -> None:
    """Render every HTTP error, CSRF failure and unexpected exception as a friendly page."""
    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        if _api():
            return jsonify(error="The CSRF token is missing or wrong: send it in an X-CSRFToken header"), 400
        return render_template("errors/error.html", status=400, title="Your session has expired",
                               body="For your security, forms expire. Go back, reload the page and try again."), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        title, body = MESSAGES.get(code, (error.name, error.description or ""))
        if _api():
            return jsonify(error=error.description if code == 400 and error.description else title), code
        return render_template("errors/error.html", status=code, title=title, body=body), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        LOG.exception("unhandled error", exc_info=error)
        title, body = MESSAGES[500]
        if _api():
            return jsonify(error=title), 500
        return render_template("errors/error.html", status=500, title=title, body=body), 500


def _api() -> bool:
    """Is this a JSON API request (answered in JSON, never with a page)?"""
    return request.path.startswith("/api/")
