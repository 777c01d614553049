"""What every piece of a static page is written with: the render `Context` (address, language, mode, chart state),
Dash ids and props as HTML attributes (script addresses refused as Dash refuses them), the light switch's words,
and a chart's text alternative."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from dashboard import charts
from dashboard.charts import ChartState
from dashboard.i18n import normalize_lang
from dashboard.light import LIGHT_STRINGS
from dashboard.screen import _attr


def s(key: str, lang: str) -> str:
    """The light switch's words, which dashboard/light.py keeps beside the switch; the static pages' own words are
    the catalogue's (`t`)."""
    return LIGHT_STRINGS[key][normalize_lang(lang)]


SKIPPED_PROPS = {
    "children",
    "n_clicks",
    "n_clicks_timestamp",
    "disable_n_clicks",
    "loading_state",
    "key",
    "setProps",
    "persistence",
    "persisted_props",
    "persistence_type",
}
URL_PROPS = {"href", "src", "action", "formAction", "data-src", "cite", "poster"}
UNSAFE_URL = re.compile(  # a script address, however spaced ("java\tscript:"), as browsers read it
    r"^[\x00-\x20]*(?:" + "[\t\n\r]*".join("javascript") + "|vbscript)[\t\n\r]*:", re.IGNORECASE
)
UNITLESS = {"opacity", "zIndex", "flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "order", "zoom"}


@dataclass
class Context:
    """What rendering one page needs besides the components: its address, language, mode and chart state."""

    path: str
    lang: str
    light: bool
    query: dict[str, str]  # the page's validated query (no `light`)
    page_state: ChartState | None = None
    pinned: str | None = None  # the data version id of an archived page (dashboard/archived.py), else None
    first_chart: str | None = None  # the chart drawn as the page's first (eager) image
    hidden: int = 0  # > 0 inside an element with `hidden`
    label_id: str | None = None  # the visible label of the control being rendered
    charts_seen: list[str] = field(default_factory=list)

    def chart_state(self, chart_id: str) -> ChartState:
        from dashboard.data import store

        if chart_id.startswith("claim-") or self.page_state is None:
            return ChartState(lang=self.lang)
        return charts.narrow(charts.get(chart_id), store(), self.page_state)


def component_node(component: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(type, namespace, props) of a Dash component or of its JSON form (dicts built by table_view._html)."""
    if isinstance(component, dict) and "type" in component and "namespace" in component:
        return component["type"], component["namespace"], dict(component.get("props") or {})
    to_json = getattr(component, "to_plotly_json", None)
    if to_json is None:
        return None
    doc = to_json()
    return doc["type"], doc["namespace"], dict(doc.get("props") or {})


def dom_id(value: Any) -> str:
    """The DOM id Dash gives a component id (a dict: its keys sorted, as compact JSON)."""
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def _css(style: dict[str, Any]) -> str:
    parts = []
    for key, value in style.items():
        name = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), key)
        if isinstance(value, int | float) and not isinstance(value, bool) and key not in UNITLESS:
            value = f"{value}px"
        parts.append(f"{name}: {value}")
    return "; ".join(parts) + (";" if parts else "")


def html_attrs(props: dict[str, Any]) -> str:
    out = []
    for key, value in props.items():
        if key in SKIPPED_PROPS or value is None:
            continue
        if key == "className":
            name = "class"
        elif key == "htmlFor":
            name = "for"
        elif key.startswith(("aria-", "data-")):
            name = key
            if isinstance(value, bool):
                value = "true" if value else "false"
        else:
            name = key.lower()
        if key == "id":
            value = dom_id(value)
        elif key in URL_PROPS and isinstance(value, str) and UNSAFE_URL.match(value):
            value = "about:blank"  # as Dash's renderer does with a script address
        elif key == "style" and isinstance(value, dict):
            value = _css(value)
        if isinstance(value, bool):
            if value:
                out.append(f" {name}")
            continue
        out.append(f' {name}="{_attr(value)}"')
    return "".join(out)


def alt_text(view: Any, lang: str) -> str:
    try:
        from dashboard.describe import describe
    except ImportError:  # the description module is optional: the summary sentence says what the chart shows
        return view.summary
    return describe(view, lang)
