"""Static first, interactive after (issue 18): every page's HTML carries its first screen already rendered.

A reader on a slow mobile link used to wait for React, Dash's renderer, plotly.js and the page's layout callback
before seeing anything. Now the server renders the page's own Dash layout (the same cached component tree Dash will
draw: `pagekit.render`) to HTML, with each chart as an image of the figure the page draws (`/screen/<chart>.svg`,
rendered by kaleido at the phone, tablet and desktop widths of the chart box, chosen by `<picture>` media queries).
The HTML goes into Dash's index page beside the app's entry point:

    <div id="sf-static" class="sf-static">   the page as static HTML: readable before (and without) any script
    <div id="react-entry-point" class="sf-pending">   where Dash renders, laid over it and invisible until ready

`static/static-first.js` starts Dash only once the page has loaded (its scripts wait in `data-sf-src`, so they never
compete with the first chart for the link), lets it render invisibly in the same place, and swaps the two when the
interactive charts on the screen are drawn: the same markup at the same place, so nothing moves.

- **Light mode** (`?light=1`, or the `Save-Data: on` request header, which the app turns into `light=1` before routing:
  `SaveDataMiddleware`): the static page alone, with no script at all: every chart an image, the chart/table switch
  and filters a plain GET form, tables and downloads as links. `?light=0` asks for the full page despite Save-Data.
- **Before the swap** the static controls work: static-first.js submits their form as the no-JS "Apply" would.
  Chart boxes are as tall as the interactive graphs will be (15-static-first.css), so nothing moves at the swap;
  phone images are drawn with text that stays readable at 375 px and Spanish numbers as the site writes them
  (`readable_layout`).
- **Without JavaScript** the static page is what the reader gets (charts below the first one wait in `<noscript>`
  in the full page, so a reader with scripts does not download them).
- **Repeat visits**: image addresses name the data version (cached for a year); pages carry an ETag and are
  revalidated (`no-cache`), so a second visit costs a 304. The home page's first chart is a small image of the
  evening-peak gap's last 90 days in its tile (`trend_image`).

Element ids are the ones Dash uses (labels, fragment links and no-JS reading need them); the static copy and Dash's
tree are both in the document only between Dash's first render and the swap.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import flask

from dashboard import charts, memo, serving, throttle
from dashboard.charts import BadParameter, ChartState
from dashboard.figures.common import year_ticks_when_long
from dashboard.i18n import normalize_lang
from dashboard.light import FORM_PARAM, LIGHT_PARAM, LIGHT_STRINGS, light_switch_href
from dashboard.screen import (
    SCREEN_PATH,
    SIZES,
    THEMES,
    TREND,
    TREND_WIDE_MEDIA,
    VARIANTS,
    _attr,
    box_height,
    data_tag,
    image_url,
    picture,
)

log = logging.getLogger(__name__)

# Chart images: the box a chart is drawn in is as wide as the page's column, and as tall as the page's CSS says
# (dashboard/assets/10-site.css: 450 px, plotly's height for a box without one; taller for two panels and claims).
# One render per width class, chosen by the viewport's width: an image never shrinks to tiny text on a phone.
DASH_PAGE_RULES = {"/", "/<path:path>"}
PREWARM_PAUSE_S = 0.2

STRINGS = {
    **LIGHT_STRINGS,
    "apply": {"en": "Apply", "es": "Aplicar"},
    "interactive": {"en": "Interactive chart", "es": "Gráfico interactivo"},
    "live_page": {"en": "Latest data", "es": "Datos al día"},
    "live_title": {
        "en": "This page with the latest data (interactive)",
        "es": "Esta página con los datos más recientes (interactiva)",
    },
    "trend_caption": {
        "en": "Last 90 days: available capacity (solid) and demand (dotted) at the evening peak; the gap shaded",
        "es": (
            "Últimos 90 días: capacidad disponible (continua) y demanda (punteada) en el pico nocturno; "
            "el faltante sombreado"
        ),
    },
    "trend_marks": {  # the chart's marks, keyed in the caption when the 90 days have some (the tile has no legend)
        "triangle-down": {"en": "▼ a key event", "es": "▼ un hecho destacado"},
        "x": {"en": "× a total grid collapse", "es": "× un colapso total de la red"},
    },
}


def s(key: str, lang: str) -> str:
    return STRINGS[key][normalize_lang(lang)]


# -- data-versioned image addresses ------------------------------------------------------------------------------------
def trend_caption(view: Any, lang: str) -> str:
    """What the tile's chart draws, its marks included when the 90 days have any (the tile has no legend)."""
    drawn = {
        str(getattr(trace.marker, "symbol", "")) for trace in view.figure.data if trace.x is not None and len(trace.x)
    }
    marks = [
        STRINGS["trend_marks"][symbol][normalize_lang(lang)] for symbol in STRINGS["trend_marks"] if symbol in drawn
    ]
    return "; ".join([s("trend_caption", lang), *marks])


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
                            alt=_alt(view, lang),
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


# -- Dash components to HTML -------------------------------------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
TAGS = {"MapEl": "map", "ObjectEl": "object"}
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
FIELD_NAMES = {  # a control's id -> its URL parameter (the static page's controls are a GET form)
    "control-countries": "country",
    "control-start": "start",
    "control-end": "end",
    "control-tab": "tab",
    "control-table": "table",
    "control-series": "series",
    "claims-topic": "topic",
    "claims-label": "label",
}
COPY_ICON = (
    '<svg aria-hidden="true" focusable="false" data-prefix="far" data-icon="copy" class="svg-inline--fa fa-copy '
    'fa-w-14 " role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 448 512"><path fill="currentColor" '
    'd="M433.941 65.941l-51.882-51.882A48 48 0 0 0 348.118 0H176c-26.51 0-48 21.49-48 48v48H48c-26.51 0-48 21.49-48 '
    "48v320c0 26.51 21.49 48 48 48h224c26.51 0 48-21.49 48-48v-48h80c26.51 0 48-21.49 48-48V99.882a48 48 0 0 "
    "0-14.059-33.941zM266 464H54a6 6 0 0 1-6-6V150a6 6 0 0 1 6-6h74v224c0 26.51 21.49 48 48 48h96v42a6 6 0 0 1-6 "
    "6zm128-96H182a6 6 0 0 1-6-6V54a6 6 0 0 1 6-6h106v88c0 13.255 10.745 24 24 24h88v202a6 6 0 0 1-6 6zm6-256h-64V48h9"
    '.632c1.591 0 3.117.632 4.243 1.757l48.368 48.368a6 6 0 0 1 1.757 4.243V112z"></path></svg>'
)


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


def _node(component: Any) -> tuple[str, str, dict[str, Any]] | None:
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


def _attrs(props: dict[str, Any]) -> str:
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


def to_html(component: Any, ctx: Context) -> str:
    out: list[str] = []
    _render(component, ctx, out)
    return "".join(out)


def _render(component: Any, ctx: Context, out: list[str]) -> None:
    if component is None or isinstance(component, bool):
        return
    if isinstance(component, str):
        out.append(html.escape(component, quote=False))
        return
    if isinstance(component, int | float):
        out.append(html.escape(str(component)))
        return
    if isinstance(component, list | tuple):
        for child in component:
            _render(child, ctx, out)
        return
    node = _node(component)
    if node is None:
        return
    kind, namespace, props = node
    if namespace == "dash_html_components":
        _html_element(kind, props, ctx, out)
    elif namespace == "dash_core_components":
        handler = DCC.get(kind)
        if handler is not None:
            handler(props, ctx, out)
    # other libraries (dash_table): not used by any page; nothing static to show


def _html_element(kind: str, props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    tag = TAGS.get(kind, kind.lower())
    children = props.get("children")
    hidden = bool(props.get("hidden"))
    classes = str(props.get("className") or "").split()
    if props.get("id") == "light-switch":
        props = _light_switch_props(props, ctx)
        children = props.pop("children")
        if ctx.light and not ctx.pinned:  # the state the reader is in, as text; the link says where it goes
            out.append(f'<span class="light-state">{_attr(s("light_on", ctx.lang))} ✓</span> ')
    elif tag == "a" and ctx.light:
        props = {**props, "href": _light_href(props.get("href"))}
    if tag == "img" and props.get("data-src") and not props.get("src"):
        _lazy_claim_image(props, ctx, out)
        return
    if tag == "div" and "controls" in classes:
        _controls_form(props, ctx, out)
        return
    label_id = ctx.label_id
    if tag == "div" and "control" in classes:
        ctx.label_id = _label_id(children)
    ctx.hidden += hidden
    out.append(f"<{tag}{_attrs(props)}>")
    if tag not in VOID:
        _render(children, ctx, out)
        out.append(f"</{tag}>")
        if _is_graph_wrap(props) and ctx.light and ctx.charts_seen and not hidden:
            _interactive_link(ctx.charts_seen[-1], ctx, out)  # beside the chart (an image holds no link)
    ctx.hidden -= hidden
    ctx.label_id = label_id


def _is_graph_wrap(props: dict[str, Any]) -> bool:
    value = props.get("id")
    return isinstance(value, dict) and value.get("type") == "chart-graph-wrap"


def _label_id(children: Any) -> str | None:
    for child in children if isinstance(children, list | tuple) else [children]:
        node = _node(child)
        if node and "form-label" in str(node[2].get("className") or "") and isinstance(node[2].get("id"), str):
            return node[2]["id"]
    return None


def _light_href(href: Any) -> Any:
    """Links between pages keep light mode (the switch's own link says where it goes)."""
    if not isinstance(href, str) or not href.startswith("/") or href.startswith("//"):
        return href
    path, _, fragment = href.partition("#")
    path, _, query = path.partition("?")
    from dashboard.pages_index import CLAIM_PREFIX, PAGES

    if path not in PAGES and not path.startswith(CLAIM_PREFIX):
        return href
    params = dict(parse_qsl(query))
    params[LIGHT_PARAM] = "1"
    return f"{path}?{urlencode(params)}" + (f"#{fragment}" if fragment else "")


def _light_switch_props(props: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if ctx.pinned:  # an archived page leads to the live one (its banner says why)
        live = {k: v for k, v in ctx.query.items() if k != "lang"} | ({"lang": ctx.lang} if ctx.lang != "en" else {})
        return {
            **props,
            "children": s("live_page", ctx.lang),
            "href": ctx.path + (f"?{urlencode(live)}" if live else ""),
            "title": s("live_title", ctx.lang),
            "data-live": "1",  # dashboard/archived.py leaves this address live
        }
    if not ctx.light:
        return {**props}
    return {
        **props,
        "children": s("light_off", ctx.lang),
        "href": light_switch_href(ctx.path, ctx.lang, ctx.query, light=True),
        "title": s("full_title", ctx.lang),
    }


def _lazy_claim_image(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """A collapsed claim's chart waits in data-src for its claim to open (a clientside callback swaps it in). Without
    that script (light mode, no JavaScript) the image loads lazily: a closed <details> loads nothing."""
    src = props["data-src"]
    rest = {k: v for k, v in props.items() if k != "data-src"}
    if ctx.light:
        out.append(f"<img{_attrs({**rest, 'src': src, 'loading': 'lazy'})}>")
        return
    out.append(f"<img{_attrs(props)}>")
    out.append(f"<noscript><img{_attrs({**rest, 'src': src, 'loading': 'lazy'})}></noscript>")


def _interactive_link(chart_id: str, ctx: Context, out: list[str]) -> None:
    state = ctx.chart_state(chart_id)
    spec = charts.get(chart_id)
    query = {**replace(state, tab="chart").query(spec), LIGHT_PARAM: "0"}
    url = f"/embed/{chart_id}?{urlencode(query)}"
    out.append(
        f'<p class="small sf-interactive"><a href="{_attr(url)}" target="_blank" rel="noopener">'
        f"{_attr(s('interactive', ctx.lang))}</a></p>"
    )


# -- dcc components ----------------------------------------------------------------------------------------------------
def _graph(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """A dcc.Graph as a box of the graph's size holding an image of its figure. The first chart on the page is an
    eager image; the others, in the full page, wait in <noscript> (a reader with scripts gets them drawn by plotly,
    and downloads no image of them); in light mode they are lazy images."""
    graph_id = props.get("id")
    chart_id = graph_id.get("chart") if isinstance(graph_id, dict) else None
    box = f'<div id="{_attr(dom_id(graph_id))}" class="dash-graph chart-graph sf-graph">'
    if not chart_id or ctx.hidden:
        out.append(box + "</div>")
        return
    try:
        from dashboard.data import store

        state = ctx.chart_state(chart_id)
        view = charts.build(chart_id, store(), state)
        alt = _alt(view, state.lang)
    except (KeyError, BadParameter):
        out.append(box + "</div>")
        return
    ctx.charts_seen.append(chart_id)
    first = ctx.first_chart is None
    if first:
        ctx.first_chart = chart_id
    image = picture(chart_id, state, alt, eager=first)
    if first or ctx.light:
        out.append(box + image + "</div>")
    else:  # shown only without scripts (the browser hides <noscript> when scripts run: no CSS may display it)
        out.append(box + "<noscript>" + image.replace(' fetchpriority="high"', "") + "</noscript></div>")


def _alt(view: Any, lang: str) -> str:
    try:
        from dashboard.describe import describe
    except ImportError:  # the description module is optional: the summary sentence says what the chart shows
        return view.summary
    return describe(view, lang)


def _options(options: Any) -> list[tuple[str, str]]:
    if isinstance(options, dict):
        return [(str(v), str(label)) for v, label in options.items()]
    out = []
    for option in options or []:
        if isinstance(option, dict):
            label = option.get("label")
            out.append((str(option.get("value")), label if isinstance(label, str) else str(option.get("value"))))
        else:
            out.append((str(option), str(option)))
    return out


def _dropdown(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """A native <select> of the dropdown's size and look (10-site.css): it works in the static page's form."""
    control = props.get("id")
    multi = bool(props.get("multi"))
    value = props.get("value")
    chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
    attrs: dict[str, Any] = {"id": control, "className": "sf-select", "name": FIELD_NAMES.get(str(control))}
    if multi:
        attrs["multiple"] = True
        attrs["size"] = "1"
    if ctx.hidden:
        attrs["disabled"] = True
    options = []
    if not multi and (props.get("clearable", True) or value is None):
        placeholder = props.get("placeholder") or "…"
        options.append(f'<option value=""{" selected" if not chosen else ""}>{_attr(placeholder)}</option>')
    for option_value, label in _options(props.get("options")):
        selected = " selected" if option_value in chosen else ""
        options.append(f'<option value="{_attr(option_value)}"{selected}>{_attr(label)}</option>')
    out.append(f'<div class="dash-dropdown-wrapper"><select{_attrs(attrs)}>{"".join(options)}</select></div>')


def _input(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    control = props.get("id")
    container = " ".join(c for c in ("dash-input-container dash-input", props.get("className")) if c)
    attrs = {
        "id": control,
        "className": "dash-input-element",
        "type": props.get("type") or "text",
        "inputMode": "verbatim",
        "autoComplete": "off",
        "min": props.get("min"),
        "max": props.get("max"),
        "step": "any",
        "value": "" if props.get("value") is None else props.get("value"),
        "readOnly": bool(props.get("readOnly")),
        "placeholder": props.get("placeholder"),
        "name": FIELD_NAMES.get(str(control)),
        "disabled": bool(ctx.hidden) and str(control) in FIELD_NAMES,
    }
    out.append(f'<div class="{_attr(container)}"><input{_attrs(attrs)}></div>')


def _radio_items(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """Dash's own markup for radio items, already in the accessible form assets/30-accessible-controls.js gives it."""
    control = props.get("id")
    value = props.get("value")
    inline = " dash-radioitems-inline" if props.get("inline") else ""
    classes = " ".join(c for c in ("dash-options-list dash-radioitems", props.get("className")) if c)
    attrs = {"id": control, "className": classes, "role": "radiogroup", "aria-labelledby": ctx.label_id}
    name = FIELD_NAMES.get(str(control), dom_id(control))
    items = []
    for index, (option_value, label) in enumerate(_options(props.get("options"))):
        checked = option_value == str(value)
        input_attrs = {
            "type": "radio",
            "name": name,
            "className": "dash-options-list-option-checkbox",
            "value": option_value,
            "checked": checked,
            "disabled": bool(ctx.hidden),
        }
        items.append(
            f'<label class="dash-options-list-option{" selected" if checked else ""}{inline}" '
            f'data-option-index="{index}"><span class="dash-options-list-option-wrapper"><input{_attrs(input_attrs)}>'
            f'</span><span class="dash-options-list-option-text"><span>{_attr(label)}</span></span></label>'
        )
    out.append(f"<div{_attrs(attrs)}>{''.join(items)}</div>")


def _textarea(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    classes = " ".join(c for c in ("dash-textarea", props.get("className")) if c)
    attrs = {
        "className": classes,
        "readOnly": bool(props.get("readOnly")),
        "id": props.get("id"),
        "rows": props.get("rows"),
    }
    out.append(f"<textarea{_attrs(attrs)}>{html.escape(str(props.get('value') or ''), quote=False)}</textarea>")


def _clipboard(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    if ctx.light:
        return  # no script to copy with: the text beside it can be selected
    attrs = {"id": props.get("id"), "title": props.get("title"), "className": props.get("className")}
    out.append(f"<div{_attrs(attrs)}>{COPY_ICON}</div>")


def _markdown(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    text = props.get("children") or ""
    if isinstance(text, list | tuple):
        text = "\n".join(str(t) for t in text)
    body = markdown_html(str(text))
    if props.get("link_target"):
        body = body.replace("<a href=", f'<a target="{_attr(props["link_target"])}" href=')
    attrs = {"id": props.get("id"), "className": props.get("className")}
    out.append(f"<div{_attrs(attrs)}>{body}</div>")


def _link(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    _html_element("A", {k: v for k, v in props.items() if k not in ("refresh",)}, ctx, out)


def _nothing(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    return None


DCC: dict[str, Callable[[dict[str, Any], Context, list[str]], None]] = {
    "Graph": _graph,
    "Dropdown": _dropdown,
    "Input": _input,
    "RadioItems": _radio_items,
    "Textarea": _textarea,
    "Clipboard": _clipboard,
    "Markdown": _markdown,
    "Link": _link,
    "Store": _nothing,
    "Location": _nothing,
}


_MARKDOWN: Any = None


def markdown_html(text: str) -> str:
    """CommonMark with tables, as dcc.Markdown renders it (raw HTML in the text is escaped)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        try:
            from markdown_it import MarkdownIt

            _MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
        except ImportError:  # without the package: paragraphs of plain text
            _MARKDOWN = False
    if _MARKDOWN:
        return _MARKDOWN.render(text)
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())


def _controls_form(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """The view controls (or the claims filters) as a GET form: without scripts, "Apply" reloads the page in the
    chosen view. In the full page the button is in <noscript> (an extra row would move the page at the swap): until
    Dash's controls take over, static-first.js submits the form when a choice is made (a typed date on Enter or when
    the field is left), so no control looks usable and does nothing, even if Dash never loads."""
    attrs = {**props, "method": "get", "action": ctx.path}
    attrs.pop("children", None)
    hidden_fields = [f'<input type="hidden" name="{FORM_PARAM}" value="1">']
    if ctx.lang != "en":
        hidden_fields.append(f'<input type="hidden" name="lang" value="{_attr(ctx.lang)}">')
    if ctx.light:
        hidden_fields.append(f'<input type="hidden" name="{LIGHT_PARAM}" value="1">')
    if ctx.pinned:  # a view chosen on an archived page stays at its data version
        hidden_fields.append(f'<input type="hidden" name="version" value="{_attr(ctx.pinned)}">')
    for key in ("claim",):  # page extras the form has no field for
        if ctx.query.get(key):
            hidden_fields.append(f'<input type="hidden" name="{key}" value="{_attr(ctx.query[key])}">')
    button = f'<button type="submit" class="btn btn-sm btn-primary sf-apply">{_attr(s("apply", ctx.lang))}</button>'
    out.append(f"<form{_attrs(attrs)}>")
    _render(props.get("children"), ctx, out)
    out.append("".join(hidden_fields))
    out.append(f'<div class="control sf-apply-box">{button}</div>' if ctx.light else f"<noscript>{button}</noscript>")
    out.append("</form>")


# -- pages -------------------------------------------------------------------------------------------------------------
def page_layout(path: str, query: dict[str, str]) -> Any:
    """The page's Dash layout for this address, as Dash's router will build it (pagekit.render caches it)."""
    import dash

    from dashboard.pages_index import CLAIM_PREFIX

    for page in dash.page_registry.values():
        layout = page.get("layout")
        if path.startswith(CLAIM_PREFIX) and page.get("path_template") == CLAIM_PREFIX + "<claim_id>":
            return layout(claim_id=path[len(CLAIM_PREFIX) :], **query)
        if page.get("path") == path and not page.get("path_template"):
            return layout(**query) if callable(layout) else layout
    raise KeyError(path)


def page_state(path: str, query: dict[str, str]) -> ChartState | None:
    from dashboard.data import store
    from dashboard.pages_index import PAGES, parse_page_query

    page = PAGES.get(path)
    if page is None or not page.charts:
        return None
    try:
        return parse_page_query(page, store(), query)[0]
    except BadParameter:
        return None


_HTML = memo.ByteLRU("static-first", memo.budget("layouts")[0] // 2, 256, memo.budget("layouts")[2])


def page_html(path: str, query: dict[str, str], *, light: bool, pinned: str | None = None) -> tuple[str, str | None]:
    """(the page's static HTML, the chart drawn first), for this address, mode and data version (cached). `pinned`:
    the version id of an archived page (the data are pinned by the caller; dashboard/archived.py)."""
    from dashboard.data import store

    query = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM, "version") and v is not None}
    lang = normalize_lang(query.get("lang"))
    version = store().version
    key = (path, tuple(sorted(query.items())), light, pinned, version, serving.site_url())
    hit = _HTML.get(key)
    if hit is not None:
        return hit
    ctx = Context(path=path, lang=lang, light=light, query=query, page_state=page_state(path, query), pinned=pinned)
    body = to_html(page_layout(path, query), ctx)
    answer = (body, ctx.first_chart)
    if store().version == version:
        _HTML.set(key, answer, 2 * len(body) + 200)
    return answer


# -- Dash's index page -------------------------------------------------------------------------------------------------
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')
RENDERER = '<script id="_dash-renderer" type="application/javascript">'


def deferred_scripts(scripts: str) -> str:
    """Dash's scripts, not run yet: static-first.js loads them (in order) once the page has loaded."""
    return SCRIPT_SRC.sub(lambda m: f'<script type="text/plain" data-sf-src="{m.group(1)}"></script>', scripts)


def deferred_renderer(renderer: str) -> str:
    """Dash's `new DashRenderer()`, kept in the page (Dash checks it is there) but run by static-first.js."""
    return renderer.replace(RENDERER, '<script id="_dash-renderer" type="text/plain">', 1)


def app_entry(static_html: str, preload: list[str]) -> str:
    return (
        f'<div id="sf-static" class="sf-static" data-sf-preload="{_attr(" ".join(preload))}">{static_html}</div>\n'
        '<div id="react-entry-point" class="sf-pending"><div class="_dash-loading">Loading...</div></div>'
    )


def head_tags() -> str:
    from dashboard.embed import asset_url

    return f'\n<script src="{asset_url("static-first.js")}" defer></script>'


def light_document(app: Any, path: str, query: dict[str, str]) -> str:
    """The whole light page: the static page with the site's stylesheets, and no script."""
    from dashboard import pagemeta

    query = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM)}
    lang = normalize_lang(query.get("lang"))
    meta = pagemeta.for_request(path, query, lang, serving.site_url())
    body, _first = page_html(path, query, light=True)
    return static_document(app, lang, meta, body)


def static_document(app: Any, lang: str, meta: dict[str, Any], body: str, head: str = "", before: str = "") -> str:
    """A page of static HTML with no script: the site's stylesheets (at the same cached addresses as the full page),
    its meta tags, `head` (more of them) and `before` (what precedes the page, e.g. an archived copy's banner)."""
    from dashboard import pagemeta

    css = app._generate_css_dist_html()
    return f"""<!DOCTYPE html>
<html lang="{_attr(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
{pagemeta.meta_tags(meta)}
<title>{_attr(meta["title"])}</title>
{css}
</head>
<body class="sf-light-mode">{before}
<div id="sf-static" class="sf-static">{body}</div>
</body>
</html>"""


# -- requests ----------------------------------------------------------------------------------------------------------
def page_problem(store: Any, path: str, query: dict[str, str], lang: str) -> flask.Response | None:
    """routes.guard_pages's answer for the address without `light`: 404 for no such page, 400 for a bad view."""
    from dashboard import routes
    from dashboard.pages_index import (
        CLAIM_PREFIX,
        PAGES,
        claim_id_of,
        find_claim,
        parse_claim_query,
        parse_page_query,
    )

    if path.startswith(CLAIM_PREFIX):
        if find_claim(store, claim_id_of(path)) is None:
            return routes.error_page(404, lang, f"No claim at {path[:120]}.")
        try:
            parse_claim_query(query)
        except BadParameter as exc:
            return routes.error_page(400, lang, str(exc))
        return None
    page = PAGES.get(path)
    if page is None:
        return routes.error_page(404, lang, f"There is no page at {path[:120]}.")
    try:
        parse_page_query(page, store, query)
    except BadParameter as exc:
        return routes.error_page(400, lang, str(exc))
    return None


def is_page_path(path: str) -> bool:
    from dashboard.pages_index import CLAIM_PREFIX, PAGES

    return path in PAGES or path.startswith(CLAIM_PREFIX)


class SaveDataMiddleware:
    """`Save-Data: on` (the browser's data saver) asks for the light version: the query gets `light=1` before Flask
    routes it, so every layer (validation, the answer cache's key, embeds) sees one address per variant. An explicit
    `light=` in the address wins. Responses that vary with it say so (`Vary: Save-Data`, `register`)."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        if environ.get("HTTP_SAVE_DATA", "").strip().lower() == "on":
            path = environ.get("PATH_INFO", "")
            if _varies_with_save_data(path):
                query = environ.get("QUERY_STRING", "")
                if not any(k == LIGHT_PARAM for k, _ in parse_qsl(query, keep_blank_values=True)):
                    environ["QUERY_STRING"] = f"{query}&{LIGHT_PARAM}=1" if query else f"{LIGHT_PARAM}=1"
        return self.wsgi_app(environ, start_response)


def _varies_with_save_data(path: str) -> bool:
    return is_page_path(path) or (path.startswith("/embed/") and not path.endswith(".svg"))


END_ID = re.compile(rb'"end_id":"[^"]*"')  # Dash's token for one page load: not part of what the page shows


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if not encoding:
        return body
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(body)
    if encoding == "zstd":  # what Flask-Compress prefers when the browser offers it (Chrome does)
        from flask_compress.compat import compression

        return compression.zstd.decompress(body)
    raise ValueError(encoding)


def normalized_form_query(args: Any) -> dict[str, str]:
    """A submitted static form as the page's own URL: empty fields dropped, the chosen countries joined with "~", the
    default view (chart) left out."""
    out: dict[str, str] = {}
    for key in dict.fromkeys(args.keys()):
        if key == FORM_PARAM:
            continue
        values = [v for v in args.getlist(key) if v != ""]
        if not values:
            continue
        out[key] = "~".join(values) if key == "country" else values[0]
    if out.get("tab") == "chart":
        del out["tab"]
    return out


DEPENDENT_FIELDS = ("series", "country")  # choices that belong to the chosen dataset (/explore)


def form_query_for_page(store: Any, path: str, query: dict[str, str]) -> dict[str, str]:
    """A submitted form's query, without the choices that belong to another dataset: a reader who picks a new
    dataset on /explore and presses Apply submits the previous dataset's series too, which the new one does not
    have (a 400 before). Those fall back to the new dataset's defaults; any other bad value still gets its 400."""
    view = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, "version")}
    if page_problem(store, path, view, normalize_lang(query.get("lang"))) is None:
        return query
    repaired = {k: v for k, v in query.items() if k not in DEPENDENT_FIELDS}
    view = {k: v for k, v in repaired.items() if k not in (LIGHT_PARAM, "version")}
    return repaired if page_problem(store, path, view, normalize_lang(query.get("lang"))) is None else query


def register(app: Any, store: Any, cache: Any) -> None:
    """The light mode, the static form's redirect, the chart images and their prewarming. Registered before
    dashboard/routes.py's hooks: a light page is answered here (validated the same way)."""
    from dashboard import routes

    server = app.server
    server.wsgi_app = SaveDataMiddleware(server.wsgi_app)

    @server.before_request
    def static_first_gate() -> flask.Response | None:
        request = flask.request
        rule = request.url_rule.rule if request.url_rule else None
        if request.method not in ("GET", "HEAD") or rule not in DASH_PAGE_RULES:
            return None
        args = request.args
        if args.get(FORM_PARAM) == "1" and is_page_path(request.path):
            query = form_query_for_page(store, request.path, normalized_form_query(args))
            target = request.path + (f"?{urlencode(query)}" if query else "")
            response = flask.redirect(target, code=303)
            response.headers["Cache-Control"] = "no-store"
            return response
        light = args.get(LIGHT_PARAM)
        if light is None or len(args) != len(list(args.items(multi=True))):
            return None  # the usual way (dashboard/routes.py refuses repeated parameters)
        lang = normalize_lang(args.get("lang"))
        if light not in ("0", "1"):
            return routes.error_page(400, lang, "light must be 0 or 1")
        query = {k: v for k, v in args.items() if k != LIGHT_PARAM}
        problem = page_problem(store, request.path, query, lang)
        if problem is not None:
            return problem
        if light == "1":
            return flask.Response(light_document(app, request.path, query), mimetype="text/html")
        return flask.make_response(app.index())

    @server.after_request
    def vary_on_save_data(response: flask.Response) -> flask.Response:
        if _varies_with_save_data(flask.request.path):
            response.vary.add("Save-Data")
        return response

    @server.after_request
    def revalidated_pages(response: flask.Response) -> flask.Response:
        """A page's HTML is kept by the browser and revalidated (ETag, `no-cache`): a repeat visit costs a 304 of a
        few hundred bytes, not the page again. The tag is of the page's content without Dash's per-load token, so
        every worker gives the same page the same tag. Runs before Flask-Compress, which appends the encoding to the
        tag and answers the conditional request; an answer from dashboard/routes.py's cache is already encoded."""
        request = flask.request
        rule = request.url_rule.rule if request.url_rule else None
        if (
            request.method not in ("GET", "HEAD")
            or rule not in DASH_PAGE_RULES
            or response.status_code != 200
            or response.is_streamed
            or response.mimetype != "text/html"
        ):
            return response
        encoding = response.headers.get("Content-Encoding")
        try:
            body = _decoded(response.get_data(), encoding)
        except Exception:  # noqa: BLE001 - an encoding we cannot read back: the page goes without a tag
            return response
        tag = hashlib.sha256(END_ID.sub(b"", body)).hexdigest()[:32]
        response.headers["Cache-Control"] = "no-cache"
        if encoding:
            response.set_etag(f"{tag}:{encoding}")
            response.make_conditional(request)
        else:
            response.set_etag(tag)
        return response

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

    warm: dict[str, Any] = {"version": None, "thread": None}
    lock = threading.Lock()

    @server.before_request
    def prewarm_first_screens() -> None:
        """After a process's first request (and again for each new data version): render in the background the
        first chart of every page, at every width, in both languages, then every embed's first screen."""
        if os.environ.get("CUBA_WARM_IMAGES", "1") == "0" or getattr(store, "is_pinned", False):
            return
        from dashboard import render

        if render.browser_missing():
            return
        try:
            version = store.version
        except Exception:  # noqa: BLE001 - no data: the request itself answers that
            return
        if warm["version"] == version:
            return
        with lock:
            if warm["version"] == version:
                return
            warm["version"] = version
            if warm["thread"] is not None and warm["thread"].is_alive():
                return

            def run(client: Any) -> None:
                done = None
                while done != warm["version"]:
                    done = warm["version"]
                    with server.test_request_context("/"):
                        urls = prewarm_urls()
                    for url in urls:
                        if warm["version"] != done:
                            break
                        # pages' first charts before the other images the app pre-warms: asked for as a reader would
                        # (the slot goes to readers first, dashboard/throttle.py), embeds' as pre-warming
                        urgent = url.startswith(SCREEN_PATH) and "variant=embed" not in url
                        client.get(url, environ_base={} if urgent else {throttle.PREWARM_ENVIRON_KEY: True})
                        time.sleep(PREWARM_PAUSE_S)  # a reader's render waiting for the slot goes first

            warm["thread"] = threading.Thread(
                target=run, args=(server.test_client(),), name="prewarm-first-screens", daemon=True
            )
            warm["thread"].start()


def page_image_urls(_store: object) -> list[str]:
    """Every chart image the pages show in their default view, at every width, in both languages, as the light pages
    write them (dashboard/serving.py: is_page_image)."""
    from dashboard.pages_index import PAGES

    urls: list[str] = []
    for path in PAGES:  # the home page too: its tile's images and the claims' charts
        for lang in ("en", "es"):
            body, _first = page_html(path, {"lang": lang} if lang != "en" else {}, light=True)
            for found in re.findall(r'(?:src|srcset)="(/screen/[^"]+)"', body):
                urls += [html.unescape(part.strip().split(" ")[0]) for part in found.split(",")]
    return list(dict.fromkeys(urls))


def linked_urls(_store: object) -> list[str]:
    """The first screens' image addresses, as dashboard/serving.py asks for them (by store; the lists read the live
    one): the images rendered ahead of time, whose readiness the workers log."""
    return prewarm_urls()


def prewarm_urls() -> list[str]:
    """Each chart page's first chart (default view, both languages, every width), each claim page's on a phone, then
    each embed's (English), then the claim pages' at the wider widths."""
    from dashboard.data import store
    from dashboard.pages_index import PAGES

    urls = []
    firsts = []
    for lang in ("en", "es"):  # the home page's
        trend = trend_image(lang)
        if trend is not None:
            wide, phone = trend.children[0].children.children
            urls += [phone.src, wide.srcSet]
    for path, page in PAGES.items():
        if not page.charts:
            continue
        for lang in ("en", "es"):
            query = {"lang": lang} if lang != "en" else {}
            try:
                _body, first = page_html(path, query, light=False)
            except Exception:
                log.exception("static page %s failed", path)
                continue
            if first:
                firsts.append(first)
                state = charts.narrow(charts.get(first), store(), page_state(path, query) or ChartState(lang=lang))
                urls += [image_url(first, state, size) for size in ("s", "l", "m")]
    # a claim's page: its evidence chart is its first (dashboard/pages/claim.py), phones first
    from dashboard.chartdefs.claims import claims_doc, has_chart

    claim_charts = [f"claim-{c['claim_id']}" for c in claims_doc(store())["claims"] if has_chart(c)]
    later = []
    for chart_id in claim_charts:
        for lang in ("en", "es"):
            urls.append(image_url(chart_id, ChartState(lang=lang), "s"))
            later += [image_url(chart_id, ChartState(lang=lang), size) for size in ("l", "m")]
    for spec in charts.all_charts():
        if spec.id.startswith("claim-"):
            continue
        state = charts.narrow(spec, store(), charts.parse_state(spec, store(), {}))
        urls += [image_url(spec.id, state, size, variant="embed") for size in ("s", "l")]
        urls.append(f"/embed/{spec.id}.svg")  # the static embed's image
    return urls + later


# A phone's image is drawn 360 px wide and shown about 340 px wide (a 375 px screen less the page's margins): its
# text is drawn this large so that no glyph is below 11 px on the screen (CHARTS.md).
PHONE_MIN_FONT_PX = {"tick": 12.0, "legend": 12.0, "annotation": 11.5}


def _font_at_least(font: Any, minimum: float, default: float) -> dict[str, Any]:
    font = dict(font or {})
    font["size"] = max(float(font.get("size") or default), minimum)
    return font


def readable_layout(layout: dict[str, Any], size: str, lang: str) -> dict[str, Any]:
    """The figure's layout as an image of this width class shows it: on a phone no text smaller than it can be read
    (tick labels, legend and notes at least PHONE_MIN_FONT_PX, so at least 11 px on a 375 px screen); in Spanish,
    whole numbers with the site's separators ("150.000", as dashboard/i18n.py writes them), never "150k"."""
    out = dict(layout)
    base = float((out.get("font") or {}).get("size") or 12)
    spanish = normalize_lang(lang) == "es"
    if spanish:
        from dashboard.i18n import plotly_separators

        out["separators"] = plotly_separators("es")
    for key in [k for k in out if re.fullmatch(r"[xy]axis\d*", k)]:
        axis = dict(out[key] or {})
        if size == "s":
            axis["tickfont"] = _font_at_least(axis.get("tickfont"), PHONE_MIN_FONT_PX["tick"], base)
        if spanish and axis.get("type") != "date" and not axis.get("tickformat"):
            axis.update(exponentformat="none", separatethousands=True)
        out[key] = axis
    if size == "s":
        from dashboard.figures.common import phone_layout

        out = phone_layout(out)
        out["legend"] = {**(out.get("legend") or {})}
        out["legend"]["font"] = _font_at_least(out["legend"].get("font"), PHONE_MIN_FONT_PX["legend"], base)
        out["annotations"] = [
            {**note, "font": _font_at_least(note.get("font"), PHONE_MIN_FONT_PX["annotation"], base)}
            for note in (out.get("annotations") or [])
        ]
    return out


CORNER_ZERO_SHARE = 0.05  # a y range starting this little below 0 (room for a mark on zero) still starts at 0


def no_corner_zero(layout: dict[str, Any]) -> dict[str, Any]:
    """On a phone image a y axis starting at 0 does not label it: the "0" sat in the plot's corner, where the first x
    label ("2000", "mar 2025", a category's name) ran into it (graphics review, rounds 5-6). The baseline is still
    drawn, and the x labels below it mark the bottom. One rule for every chart, as the home tile does."""
    out = dict(layout)
    for key in [k for k in out if re.fullmatch(r"yaxis\d*", k)]:
        axis = out[key] or {}
        bounds = axis.get("range") or []
        if len(bounds) != 2 or axis.get("type") not in (None, "linear") or axis.get("ticktext") is not None:
            continue
        low, high = (float(b) for b in bounds)
        if low <= 0 < high and -low <= CORNER_ZERO_SHARE * (high - low):
            zero = f"{axis.get('tickprefix') or ''}0{axis.get('ticksuffix') or ''}"
            out[key] = {**axis, "labelalias": {**(axis.get("labelalias") or {}), zero: ""}}
    return out


TREND_MARK_GAP_PX = 12  # between the rows of the tile's key-event ▼ and grid-collapse × (about one mark's height)


def trend_marks(layout: dict[str, Any], data: list[Any], plot_px: float, lang: str) -> tuple[dict, list]:
    """The home tile's month ticks and its rows of marks: "Feb 2026 Mar 2026 Apr 2026" (plotly's English ticks)
    ran into one string 7.6 px apart at 1280 px, so English is written as Spanish is ("Feb 2026 Mar Apr"); and the
    grid-collapse × sat on the top edge over a ▼, one grey cluster (graphics review, rounds 5-6), so the × row goes
    one mark's height below the ▼ row (both on the chart's hidden 0-1 axis along the top)."""
    import pandas as pd

    from dashboard.chartdefs.month_ticks import month_ticks

    values = [str(x) for t in data if t.get("yaxis") in (None, "y") and t.get("x") is not None for x in list(t["x"])]
    stamps = pd.to_datetime(pd.Series(values), errors="coerce", format="mixed").dropna()
    out = dict(layout)
    ticks = month_ticks(stamps.min(), stamps.max(), lang) if len(stamps) else {}
    if ticks:
        out["xaxis"] = {**(out.get("xaxis") or {}), **ticks, "tickmode": "array"}
    top = float(((out.get("yaxis2") or {}).get("range") or [0, 1])[1])
    levels = [t["y"][0] for t in data if t.get("yaxis") == "y2" and isinstance(t.get("y"), list) and _symbol(t) != "x"]
    below = min(levels, default=0.95) - TREND_MARK_GAP_PX / plot_px * top  # (0.95: the ▼ row, on no ▼ in view)
    lowered = [
        {**t, "y": [below] * len(t["y"])}
        if t.get("yaxis") == "y2" and isinstance(t.get("y"), list) and _symbol(t) == "x"
        else t
        for t in data
    ]
    return out, lowered


def _symbol(trace: dict[str, Any]) -> Any:
    return (trace.get("marker") or {}).get("symbol")


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
    alt = (view.title, _alt(view, state.lang))
    try:
        return render.to_image(figure, "svg", width=width, height=height, alt=alt)
    except TypeError:  # a renderer without text alternatives
        return render.to_image(figure, "svg", width=width, height=height)
