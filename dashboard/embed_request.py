"""What an embed's address asks for: the chart, its view and the embed's own flags (theme, transparency, controls,
static, light), each validated, and the query that asks for the same again. The embed page, its images and oEmbed all
read a request this way, so it has a module of its own."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard import charts
from dashboard.charts import BadParameter, ChartSpec, ChartState
from dashboard.data import DataStore

FLAGS = {
    "theme": ("light", "dark", "auto"),
    "transparent": ("0", "1"),
    "controls": ("on", "off"),
    "static": ("0", "1"),
    "light": ("0", "1"),  # light mode (dashboard/static_first.py): 1 = static, no plotly; 0 = not, despite Save-Data
}
DEFAULT_FLAGS = {"theme": "light", "transparent": "0", "controls": "on", "static": "0", "light": ""}


@dataclass(frozen=True)
class EmbedRequest:
    spec: ChartSpec
    state: ChartState
    flags: dict[str, str]
    version: str | None = None  # a pinned data version (`?version=`, checked by dashboard/routes.py): kept in links


def parse_embed(chart_id: str, args: dict[str, str], store: DataStore) -> EmbedRequest:
    """Chart state parameters plus the embed flags, each validated (KeyError: unknown chart; BadParameter: bad value)."""
    spec = charts.get(chart_id)
    flags = dict(DEFAULT_FLAGS)
    state_args = {}
    version = None
    for key, value in args.items():
        if key == "version":  # picks the data version, not the view (dashboard/routes.py pins it per request)
            version = value
            continue
        if key in FLAGS:
            if value not in FLAGS[key]:
                raise BadParameter(f"{key} must be one of {', '.join(FLAGS[key])}")
            flags[key] = value
        else:
            state_args[key] = value
    return EmbedRequest(spec, charts.parse_state(spec, store, state_args), flags, version)


def embed_query(req: EmbedRequest, **overrides: str) -> str:
    query = {**req.state.query(req.spec), **{k: v for k, v in req.flags.items() if v != DEFAULT_FLAGS[k]}, **overrides}
    query = {k: v for k, v in query.items() if v is not None and not (k in DEFAULT_FLAGS and v == DEFAULT_FLAGS[k])}
    if req.version:  # a pinned embed's own links (its SVGs, its address) stay on its data version
        query["version"] = req.version
    return urlencode(query)
