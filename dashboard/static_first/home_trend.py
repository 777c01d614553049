"""The home page's first chart: the evening-peak gap's last 90 days as a small image in its tile, beside the latest
figures, so a phone shows it on its first screen; its caption keys the marks (the tile has no legend)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from dashboard import charts
from dashboard.charts import ChartState
from dashboard.i18n import t
from dashboard.screen import TREND, TREND_WIDE_MEDIA, image_url
from dashboard.static_first.markup import alt_text

# The chart's marks, keyed in the caption when the 90 days have some (the tile has no legend): symbol -> words
TREND_MARKS = {"triangle-down": "home_trend_event", "x": "home_trend_collapse"}


def trend_caption(view: Any, lang: str) -> str:
    """What the tile's chart draws, its marks included when the 90 days have any (the tile has no legend)."""
    drawn = {
        str(getattr(trace.marker, "symbol", "")) for trace in view.figure.data if trace.x is not None and len(trace.x)
    }
    marks = [t(key, lang) for symbol, key in TREND_MARKS.items() if symbol in drawn]
    return "; ".join([t("home_trend_caption", lang), *marks])


def trend_image(lang: str) -> Any:
    """The home page's first chart: available capacity and demand at the evening peak over the last 90 days, as an
    image of the page's own chart in that view (in a tile beside the latest figures, so a phone shows it on its first
    screen). None when there are no daily figures."""
    from dash import html as dhtml

    from dashboard.data import store

    data = store()
    daily = data.table("une_daily")
    if daily.empty:
        return None
    spec = charts.get(TREND["chart"])
    start = (daily["date"].max() - timedelta(days=TREND["days"] - 1)).date().isoformat()
    state = charts.narrow(spec, data, ChartState(start=start, lang=lang))
    view = charts.build(spec.id, data, state)
    href = f"{spec.page}?{urlencode(replace(state, tab='chart').query(spec))}#{spec.id}"
    width, height, _font = TREND["sizes"]["s"]  # the wide image has the same shape: the box does not change
    return dhtml.Figure(
        [
            dhtml.A(
                dhtml.Picture(
                    [
                        dhtml.Source(media=TREND_WIDE_MEDIA, srcSet=image_url(spec.id, state, "l", variant="trend")),
                        dhtml.Img(
                            src=image_url(spec.id, state, "s", variant="trend"),
                            alt=alt_text(view, lang),
                            width=str(width),
                            height=str(height),
                            className="tile-trend-img",
                        ),
                    ]
                ),
                href=href,
            ),
            dhtml.Figcaption(trend_caption(view, lang), className="tile-note"),
        ],
        className="tile-trend",
    )
