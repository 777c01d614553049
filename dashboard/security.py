"""Response headers: who may frame what, a Content-Security-Policy that Dash works with, and no sniffing.

Only embeds, oEmbed and images may be framed by other sites (`frame-ancestors *`); every other page may only be
framed by this site (`frame-ancestors 'self'` plus `X-Frame-Options: SAMEORIGIN` for old browsers).
"""

from __future__ import annotations

import dash
import flask

from dashboard.embed import EMBED_CSP

FRAMEABLE_PREFIXES = ("/embed/", "/embed.js", "/oembed", "/download/", "/share/", "/static/")


def page_csp(app: dash.Dash) -> str:
    """Dash's inline scripts (renderer bootstrap, clientside callbacks) are allowed by hash, not by 'unsafe-inline'."""
    hashes = " ".join(f"'{h}'" if not h.startswith("'") else h for h in app.csp_hashes())
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'"
    )


def register(app: dash.Dash) -> None:
    server = app.server
    state: dict[str, str] = {}

    @server.after_request
    def headers(response: flask.Response) -> flask.Response:
        path = flask.request.path
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if path.startswith(FRAMEABLE_PREFIXES):
            response.headers["Content-Security-Policy"] = EMBED_CSP
            response.headers.pop("X-Frame-Options", None)
        else:
            if "csp" not in state:  # computed once, after every callback has been registered
                state["csp"] = page_csp(app)
            response.headers["Content-Security-Policy"] = state["csp"]
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
