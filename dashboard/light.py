"""The light version's switch and its address (issue 18): a page or embed with `?light=1` (or the `Save-Data: on`
header) is served as static HTML with no script (dashboard/static_first.py). Kept apart so that the page shell
(dashboard/components.py) can draw the switch without importing the static renderer, which imports the embeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dashboard.i18n import normalize_lang

LIGHT_PARAM = "light"
FORM_PARAM = "sf"  # marks a submission of a static page's controls form (normalized, then redirected)

LIGHT_STRINGS = {
    "light_on": {"en": "Light version", "es": "Versión ligera"},
    "light_off": {"en": "Full version", "es": "Versión completa"},
    "light_title": {
        "en": "Static charts and no scripts: for slow or costly connections",
        "es": "Gráficos estáticos y sin scripts: para conexiones lentas o caras",
    },
    "full_title": {
        "en": "Interactive charts (downloads about 1 MB more)",
        "es": "Gráficos interactivos (descarga alrededor de 1 MB más)",
    },
}


def _s(key: str, lang: str) -> str:
    return LIGHT_STRINGS[key][normalize_lang(lang)]


def light_switch_href(path: str, lang: str, query: dict[str, str], light: bool) -> str:
    params = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM) and v}
    if lang != "en":
        params["lang"] = lang
    else:
        params.pop("lang", None)
    params[LIGHT_PARAM] = "0" if light else "1"
    return f"{path}?{urlencode(params)}"


def light_switch(path: str, lang: str, query: dict[str, str]) -> Any:
    """The header's visible switch to the light version (static charts, no scripts); in light mode it leads back."""
    from dash import html as dhtml

    return dhtml.A(
        _s("light_on", lang),
        href=light_switch_href(path, lang, query, light=False),
        className="btn btn-outline-secondary btn-sm light-switch",
        title=_s("light_title", lang),
        id="light-switch",
    )
