"""Dash core components as static HTML that looks and works like them: a graph as an image of its figure, dropdowns
as native selects, inputs, radio items, text areas, Markdown; each control named as its URL parameter, so the static
page's controls are a GET form."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from dashboard import charts
from dashboard.charts import BadParameter
from dashboard.screen import _attr, picture
from dashboard.static_first.markup import Context, alt_text, dom_id, html_attrs

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
        alt = alt_text(view, state.lang)
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
    out.append(f'<div class="dash-dropdown-wrapper"><select{html_attrs(attrs)}>{"".join(options)}</select></div>')


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
    out.append(f'<div class="{_attr(container)}"><input{html_attrs(attrs)}></div>')


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
            f'data-option-index="{index}"><span class="dash-options-list-option-wrapper"><input{html_attrs(input_attrs)}>'
            f'</span><span class="dash-options-list-option-text"><span>{_attr(label)}</span></span></label>'
        )
    out.append(f"<div{html_attrs(attrs)}>{''.join(items)}</div>")


def _textarea(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    classes = " ".join(c for c in ("dash-textarea", props.get("className")) if c)
    attrs = {
        "className": classes,
        "readOnly": bool(props.get("readOnly")),
        "id": props.get("id"),
        "rows": props.get("rows"),
    }
    out.append(f"<textarea{html_attrs(attrs)}>{html.escape(str(props.get('value') or ''), quote=False)}</textarea>")


def _clipboard(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    if ctx.light:
        return  # no script to copy with: the text beside it can be selected
    attrs = {"id": props.get("id"), "title": props.get("title"), "className": props.get("className")}
    out.append(f"<div{html_attrs(attrs)}>{COPY_ICON}</div>")


def _markdown(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    text = props.get("children") or ""
    if isinstance(text, list | tuple):
        text = "\n".join(str(t) for t in text)
    body = markdown_html(str(text))
    if props.get("link_target"):
        body = body.replace("<a href=", f'<a target="{_attr(props["link_target"])}" href=')
    attrs = {"id": props.get("id"), "className": props.get("className")}
    out.append(f"<div{html_attrs(attrs)}>{body}</div>")


def _nothing(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    return None


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


HANDLERS: dict[str, Callable[[dict[str, Any], Context, list[str]], None]] = {  # dcc.Link: tree.py (an html <a>)
    "Graph": _graph,
    "Dropdown": _dropdown,
    "Input": _input,
    "RadioItems": _radio_items,
    "Textarea": _textarea,
    "Clipboard": _clipboard,
    "Markdown": _markdown,
    "Store": _nothing,
    "Location": _nothing,
}
