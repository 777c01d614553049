"""Dark embeds and images (dashboard/embed.py `dark_layout`): text drawn for a light page is recoloured, so nothing
falls to a contrast a reader cannot read (graphics review 7b: grey axis titles at about 2.3:1 on the dark page)."""

from __future__ import annotations

from dashboard import charts
from dashboard.data import DataStore
from dashboard.embed import DARK, dark_layout, embed_figure


def test_axis_titles_and_ticks_take_the_dark_themes_text_colour():
    layout = {
        "yaxis": {"title": {"text": "MW", "font": {"size": 12, "color": "#555"}}, "tickfont": {"color": "#444"}},
        "xaxis": {"title": {"text": "year"}},
    }
    dark = dark_layout(layout, transparent=False)
    assert dark["yaxis"]["title"]["font"]["color"] == DARK["muted"]
    assert dark["yaxis"]["tickfont"]["color"] == DARK["muted"]
    assert "font" not in dark["xaxis"]["title"]  # a title without its own colour takes the page's light text
    assert layout["yaxis"]["title"]["font"]["color"] == "#555"  # the light layout is not changed


def test_no_chart_keeps_a_light_grey_axis_title_in_the_dark():
    store = DataStore()
    for spec in charts.all_charts():
        view = charts.build(spec.id, store, charts.parse_state(spec, store, {}))
        dark = embed_figure(view, transparent=False)["layout_dark"]
        for axis, props in dark.items():
            if axis.startswith(("xaxis", "yaxis")) and isinstance(props.get("title"), dict):
                assert (props["title"].get("font") or {}).get("color") in (None, DARK["muted"], DARK["text"]), (
                    spec.id,
                    axis,
                )
