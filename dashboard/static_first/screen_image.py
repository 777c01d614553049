"""The `/screen/<chart>.svg` images: the figure a page (or an embed, or the home tile) draws, at the chart box's size
for a width class (dashboard/screen.py names the sizes and addresses), rendered by kaleido and cached per data version.

The box a chart is drawn in is as wide as the page's column, and as tall as the page's CSS says
(dashboard/assets/10-site.css: 450 px, plotly's height for a box without one; taller for two panels and claims). One
render per width class, chosen by the viewport's width: an image never shrinks to tiny text on a phone."""

from __future__ import annotations

import re
from typing import Any

import flask

from dashboard import charts, serving
from dashboard.charts import BadParameter, ChartState
from dashboard.figures.common import year_ticks_when_long
from dashboard.i18n import normalize_lang
from dashboard.screen import SCREEN_PATH, SIZES, THEMES, TREND, VARIANTS, box_height, data_tag
from dashboard.static_first.markup import alt_text
from dashboard.static_first.phone_rules import no_corner_zero, readable_layout, trend_marks


def screen_svg(chart_id: str, state: ChartState, size: str, variant: str, theme: str, transparent: bool) -> bytes:
    """The figure as the page (or embed) draws it, at the chart box's size for this width class."""
    import plotly.graph_objects as go

    from dashboard import embed, render
    from dashboard.data import store

    view = charts.build(chart_id, store(), state)
    if variant == "embed":
        doc = embed.embed_figure(view, transparent)
        data, layout = doc["data"], dict(doc["layout_dark"] if theme == "dark" else doc["layout"])
    else:
        screen = view.screen()
        data, layout = screen["data"], dict(screen["layout"])
        if theme == "dark":
            layout = embed.dark_layout(layout, transparent)
        elif transparent:
            layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    if variant == "trend":  # a small figure in a tile: no legend (the caption says what is drawn), few ticks
        layout.update(showlegend=False, annotations=[], margin={"l": 38, "r": 6, "t": 6, "b": 22})
        _w, _h, font_px = TREND["sizes"].get(size, TREND["sizes"]["s"])
        layout["font"] = {**(layout.get("font") or {}), "size": font_px}  # at least about 11.7 px as shown
        for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
            layout[axis] = {**(layout[axis] or {}), "title": None, "nticks": 4}
        # MW with thousands separators ("3,000" beside the tile's "1,390 MW"), and no "0" in the corner where it ran
        # into the first date (graphics review, round 5)
        layout["yaxis"] = {**(layout.get("yaxis") or {}), "tickformat": ",d", "tickvals": [1000, 2000, 3000, 4000]}
        layout, data = trend_marks(layout, data, _h - 6 - 22, state.lang)
    layout = readable_layout(layout, size if variant != "trend" else "s", state.lang)
    if size == "s" and variant != "trend":
        layout = no_corner_zero(year_ticks_when_long(layout, data))
    width = TREND["sizes"].get(size, TREND["sizes"]["s"])[0] if variant == "trend" else SIZES[size]
    height = box_height(chart_id, size, variant)
    layout.update(width=width, height=height, autosize=False)
    figure = go.Figure({"data": data, "layout": layout}, skip_invalid=True)
    alt = (view.title, alt_text(view, state.lang))
    try:
        return render.to_image(figure, "svg", width=width, height=height, alt=alt)
    except TypeError:  # a renderer without text alternatives
        return render.to_image(figure, "svg", width=width, height=height)


def add_screen_route(server: flask.Flask, store: Any, cache: Any) -> None:
    """The `/screen/<chart>.svg` route (dashboard/static_first/web.py's `register` adds it)."""
    from dashboard import routes

    @server.get(SCREEN_PATH + "<chart_id>.svg")
    def screen_image(chart_id: str) -> flask.Response:
        """The figure a page (or an embed) draws, as an SVG of the chart box's size: the static first screen."""
        args = flask.request.args.to_dict()
        lang = normalize_lang(args.get("lang"))
        size = args.pop("size", "l")
        variant = args.pop("variant", "page")
        theme = args.pop("theme", "light")
        transparent = args.pop("transparent", "0")
        tag = args.pop("v", None)
        args.pop("version", None)  # picks the data (dashboard/routes.py pins it), not the view
        if size not in SIZES or variant not in VARIANTS or theme not in THEMES or transparent not in ("0", "1"):
            return routes.error_page(400, lang, "size is s, m or l; variant page or embed; theme light or dark")
        if tag is not None and not re.fullmatch(r"[0-9a-f]{12}", tag):
            return routes.error_page(400, lang, "v must be a data tag")
        try:
            spec = charts.get(chart_id)
        except KeyError:
            return routes.error_page(404, lang, f"No chart called {chart_id[:80]!r}.")
        try:
            state = charts.parse_state(spec, store, args)
        except BadParameter as exc:
            return routes.error_page(400, lang, str(exc))
        version = serving.pinned_version(store)
        key = f"screen:{version}:{serving.site_url()}:{chart_id}:{sorted(state.query(spec).items())}:{state.lang}"
        key += f":{size}:{variant}:{theme}:{transparent}"

        def build() -> bytes:
            return screen_svg(chart_id, state, size, variant, theme, transparent == "1")

        answer = serving.answer_or_refusal(cache, key, build, store, version)
        if isinstance(answer, flask.Response):
            return answer
        body, hit = answer
        response = flask.Response(body, mimetype="image/svg+xml")
        current = tag is not None and tag == data_tag()
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if current else "public, max-age=600"
        response.headers["X-Cache"] = "hit" if hit else "miss"
        return response
