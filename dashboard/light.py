"""The light version's switch and its address (issue 18): a page or embed with `?light=1` (or the `Save-Data: on`
header) is served as static HTML with no script (dashboard/static_first.py). Kept apart so that the page shell
(dashboard/components.py) can draw the switch without importing the static renderer, which imports the embeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dashboard.i18n import LANGS, lang_query, t

LIGHT_PARAM = "light"
FORM_PARAM = "sf"  # marks a submission of a static page's controls form (normalized, then redirected)

# The switch's words, from the catalogue, in the shape the static renderer's own table takes (key → language → text).
LIGHT_STRINGS = {
    key: {lang: t(key, lang) for lang in LANGS} for key in ("light_on", "light_off", "light_title", "full_title")
}


def light_switch_href(path: str, lang: str, query: dict[str, str], light: bool) -> str:
    params = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM) and v}
    wanted = lang_query(lang)
    params.update(wanted)  # in place when the query had one
    if not wanted:
        params.pop("lang", None)
    params[LIGHT_PARAM] = "0" if light else "1"
    return f"{path}?{urlencode(params)}"


def light_switch(path: str, lang: str, query: dict[str, str]) -> Any:
    """The header's visible switch to the light version (static charts, no scripts); in light mode it leads back."""
    from dash import html as dhtml

    return dhtml.A(
        t("light_on", lang),
        href=light_switch_href(path, lang, query, light=False),
        className="btn btn-outline-secondary btn-sm light-switch",
        title=t("light_title", lang),
        id="light-switch",
    )
