"""A page's Dash component tree as static HTML: html elements as they are (light mode keeps links light, the light
switch says where it goes), dcc components through dashboard/static_first/dcc.py, the view controls as a GET form,
a link to the interactive chart beside each image in light mode."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard import charts
from dashboard.i18n import lang_query, t
from dashboard.light import FORM_PARAM, LIGHT_PARAM, light_switch_href
from dashboard.screen import _attr
from dashboard.static_first.dcc import HANDLERS
from dashboard.static_first.markup import Context, component_node, html_attrs, s

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
TAGS = {"MapEl": "map", "ObjectEl": "object"}


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
    node = component_node(component)
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
    out.append(f"<{tag}{html_attrs(props)}>")
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
        node = component_node(child)
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
        live = {k: v for k, v in ctx.query.items() if k != "lang"} | lang_query(ctx.lang)
        return {
            **props,
            "children": t("static_live_page", ctx.lang),
            "href": ctx.path + (f"?{urlencode(live)}" if live else ""),
            "title": t("static_live_title", ctx.lang),
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
        out.append(f"<img{html_attrs({**rest, 'src': src, 'loading': 'lazy'})}>")
        return
    out.append(f"<img{html_attrs(props)}>")
    out.append(f"<noscript><img{html_attrs({**rest, 'src': src, 'loading': 'lazy'})}></noscript>")


def _interactive_link(chart_id: str, ctx: Context, out: list[str]) -> None:
    state = ctx.chart_state(chart_id)
    spec = charts.get(chart_id)
    query = {**replace(state, tab="chart").query(spec), LIGHT_PARAM: "0"}
    url = f"/embed/{chart_id}?{urlencode(query)}"
    out.append(
        f'<p class="small sf-interactive"><a href="{_attr(url)}" target="_blank" rel="noopener">'
        f"{_attr(t('static_interactive', ctx.lang))}</a></p>"
    )


def _link(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    _html_element("A", {k: v for k, v in props.items() if k not in ("refresh",)}, ctx, out)


DCC: dict[str, Callable[[dict[str, Any], Context, list[str]], None]] = {**HANDLERS, "Link": _link}


def _controls_form(props: dict[str, Any], ctx: Context, out: list[str]) -> None:
    """The view controls (or the claims filters) as a GET form: without scripts, "Apply" reloads the page in the
    chosen view. In the full page the button is in <noscript> (an extra row would move the page at the swap): until
    Dash's controls take over, static-first.js submits the form when a choice is made (a typed date on Enter or when
    the field is left), so no control looks usable and does nothing, even if Dash never loads."""
    attrs = {**props, "method": "get", "action": ctx.path}
    attrs.pop("children", None)
    hidden_fields = [f'<input type="hidden" name="{FORM_PARAM}" value="1">']
    for name, value in lang_query(ctx.lang).items():
        hidden_fields.append(f'<input type="hidden" name="{name}" value="{_attr(value)}">')
    if ctx.light:
        hidden_fields.append(f'<input type="hidden" name="{LIGHT_PARAM}" value="1">')
    if ctx.pinned:  # a view chosen on an archived page stays at its data version
        hidden_fields.append(f'<input type="hidden" name="version" value="{_attr(ctx.pinned)}">')
    for key in ("claim",):  # page extras the form has no field for
        if ctx.query.get(key):
            hidden_fields.append(f'<input type="hidden" name="{key}" value="{_attr(ctx.query[key])}">')
    button = (
        f'<button type="submit" class="btn btn-sm btn-primary sf-apply">{_attr(t("static_apply", ctx.lang))}</button>'
    )
    out.append(f"<form{html_attrs(attrs)}>")
    _render(props.get("children"), ctx, out)
    out.append("".join(hidden_fields))
    out.append(f'<div class="control sf-apply-box">{button}</div>' if ctx.light else f"<noscript>{button}</noscript>")
    out.append("</form>")
