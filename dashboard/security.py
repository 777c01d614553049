"""Response headers: who may frame what, a Content-Security-Policy that Dash works with, and no sniffing.

Only embeds, oEmbed and images may be framed by other sites (`frame-ancestors *`); every other page may only be
framed by this site (`frame-ancestors 'self'` plus `X-Frame-Options: SAMEORIGIN` for old browsers).

Callback requests (`POST /_dash-update-component`) are checked like URL parameters before Dash runs them: a body
that the Dash renderer cannot have sent (not the shape of a registered callback, or values of a type the controls
cannot hold) is answered 400, not passed on to raise a 500 deep inside Dash or a callback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import dash
import flask

from dashboard.embed import EMBED_CSP

FRAMEABLE_PREFIXES = ("/embed/", "/embed.js", "/oembed", "/download/", "/share/", "/static/")
# Open data: other sites' scripts may fetch the published files, downloads and oEmbed answers (no credentials).
CORS_PREFIXES = ("/files/", "/download/", "/oembed")


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
    register_callback_guard(app)

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
        if path.startswith(CORS_PREFIXES):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "Content-Disposition, ETag, Retry-After"
        return response


# -- callback requests --------------------------------------------------------------------------------------------------
CALLBACK_PATH = "/_dash-update-component"
MAX_TEXT = 2000
MAX_DEPTH = 32  # the renderer's bodies nest about 6 deep; Python's JSON parser gives up (RecursionError) near 1,000


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether a parsed JSON value nests deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def callback_json() -> tuple[Any, str | None]:
    """The callback request's JSON body, parsed once per request: (body, None), or (None, why it is refused).
    A body nested past any limit raises RecursionError in the parser itself, which `get_json(silent=True)` does
    not catch (a 500 with a traceback, issue 15): refused here as 400 like any other malformed body. A body over
    MAX_CONTENT_LENGTH raises RequestEntityTooLarge (413) from reading it."""
    cached = flask.g.get("callback_json")
    if cached is not None:
        return cached
    if not flask.request.is_json:
        flask.g.callback_json = (None, "the body must be JSON (Content-Type: application/json)")
        return flask.g.callback_json
    raw = flask.request.get_data(cache=True)
    try:
        body, problem = json.loads(raw), None
        if json_depth_exceeds(body, MAX_DEPTH):
            body, problem = None, f"the body nests deeper than {MAX_DEPTH} levels"
    except RecursionError:
        body, problem = None, "the body nests too deeply"
    except ValueError:
        body, problem = None, "the body is not JSON"
    flask.g.callback_json = (body, problem)
    return body, problem


def _text_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= MAX_TEXT)


def _texts_or_none(value: Any) -> bool:
    return value is None or (
        isinstance(value, list) and len(value) <= 50 and all(isinstance(v, str) and len(v) <= 200 for v in value)
    )


def _page_state(value: Any) -> bool:
    from dashboard.pages_index import PAGES

    return (
        isinstance(value, dict)
        and isinstance(value.get("page"), str)
        and value["page"] in PAGES
        and isinstance(value.get("lang"), str)
    )


def _chart_ref(value: Any) -> bool:
    from dashboard import charts

    if not (isinstance(value, dict) and isinstance(value.get("chart"), str) and isinstance(value.get("type"), str)):
        return False
    try:
        charts.get(value["chart"])
    except KeyError:
        return False
    return True


# The values the page controls can hold, by (component id, property); pattern ids by their `type`.
VALUE_CHECKS: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("control-countries", "value"): _texts_or_none,
    ("control-start", "value"): _text_or_none,
    ("control-end", "value"): _text_or_none,
    ("control-tab", "value"): _text_or_none,
    ("control-table", "value"): _text_or_none,
    ("control-series", "value"): _text_or_none,
    ("claims-topic", "value"): _text_or_none,
    ("claims-label", "value"): _text_or_none,
    ("page-state", "data"): _page_state,
    ("_pages_location", "pathname"): lambda v: isinstance(v, str) and v.startswith("/") and len(v) <= MAX_TEXT,
    ("_pages_location", "search"): _text_or_none,
    ("chart-graph", "id"): _chart_ref,
}


def _declared_id(declared: str) -> Any:
    return json.loads(declared) if declared.startswith("{") else declared


def _matches(pattern: Any, given: Any) -> bool:
    """A request item's id against the declared id (a string, or a dict pattern with ALL wildcards)."""
    if isinstance(pattern, str):
        return given == pattern
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    return all(v == ["ALL"] or given[k] == v for k, v in pattern.items())


def _check_item(declared: dict[str, str], item: Any, with_value: bool) -> str | None:
    pattern = _declared_id(declared["id"])
    wildcard = isinstance(pattern, dict)
    group = item if wildcard else [item]
    if wildcard and not isinstance(item, list):
        return f"{declared['id']}.{declared['property']} must be a list"
    for one in group:
        if not isinstance(one, dict) or one.get("property") != declared["property"]:
            return f"expected {declared['id']}.{declared['property']}"
        if not _matches(pattern, one.get("id")):
            return f"unexpected component id for {declared['property']}"
        if with_value:
            key = (pattern["type"] if wildcard else pattern, declared["property"])
            check = VALUE_CHECKS.get(key)
            if check and not check(one.get("value")):
                return f"bad value for {key[0]}.{key[1]}"
    return None


def _wildcard_keys(item: list) -> list[Any]:
    return [tuple(sorted((k, v) for k, v in one["id"].items() if k != "type")) for one in item]


def callback_problem(app: dash.Dash, body: Any) -> str | None:
    """Why this callback request cannot have come from the renderer (None: it may be passed to Dash)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    callback = app.callback_map.get(output) if isinstance(output, str) else None
    if not callback or "callback" not in callback:
        return "no such server-side callback"
    wildcard_lists: list[list[Any]] = []
    for key, with_value in (("inputs", True), ("state", True)):
        declared = callback.get(key, [])
        items = body.get(key, [])
        if not isinstance(items, list) or len(items) != len(declared):
            return f"{key} must list {len(declared)} item(s)"
        for dec, item in zip(declared, items, strict=True):
            problem = _check_item(dec, item, with_value)
            if problem:
                return problem
            if isinstance(item, list):
                wildcard_lists.append(_wildcard_keys(item))
    outputs = body.get("outputs")
    if output.startswith(".."):  # several outputs: "..a.prop...b.prop.."
        if not isinstance(outputs, list) or len(outputs) != output.count("...") + 1:
            return "outputs must list every output of the callback"
    elif not isinstance(outputs, list if output.startswith("{") else dict):
        return "outputs must name the callback's output"
    flat = outputs if output.startswith("..") else [outputs]
    for out in flat:
        group = out if isinstance(out, list) else [out]
        if not all(isinstance(o, dict) and isinstance(o.get("property"), str) and "id" in o for o in group):
            return "outputs must be component ids and properties"
        if isinstance(out, list):
            if not all(isinstance(o["id"], dict) for o in out):
                return "outputs must be component ids and properties"
            wildcard_lists.append(_wildcard_keys(out))
    if any(w != wildcard_lists[0] for w in wildcard_lists):
        return "the wildcard outputs and states do not name the same components"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings"
    return None


def register_callback_guard(app: dash.Dash) -> None:
    @app.server.before_request
    def guard_callbacks() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        body, problem = callback_json()
        problem = problem or callback_problem(app, body)
        if problem is None:
            return None
        return flask.Response(
            json.dumps({"error": "bad callback request", "reason": problem}), status=400, mimetype="application/json"
        )
