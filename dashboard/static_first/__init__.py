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
The package, one job a module: `pages` (a page's static HTML, Dash's index page around it, the light document),
`tree` (a component tree to HTML), `dcc` (Dash core components as static controls), `markup` (the render context,
attributes, words), `home_trend` (the home tile's chart), `screen_image` (the `/screen/` images), `phone_rules`
(layout rules for a width class), `prewarm` (rendering first screens ahead of readers) and `web` (the requests:
Save-Data, the static form, light pages, ETags; `register`). The names other modules use are imported here.
"""

from dashboard.light import LIGHT_PARAM
from dashboard.static_first.home_trend import trend_caption, trend_image
from dashboard.static_first.pages import (
    app_entry,
    deferred_renderer,
    deferred_scripts,
    head_tags,
    is_page_path,
    light_document,
    page_html,
    page_problem,
    static_document,
)
from dashboard.static_first.phone_rules import no_corner_zero, readable_layout, trend_marks
from dashboard.static_first.prewarm import linked_urls, page_image_urls, prewarm_urls
from dashboard.static_first.screen_image import screen_svg
from dashboard.static_first.web import DASH_PAGE_RULES, SaveDataMiddleware, register

__all__ = [
    "DASH_PAGE_RULES",
    "LIGHT_PARAM",
    "SaveDataMiddleware",
    "app_entry",
    "deferred_renderer",
    "deferred_scripts",
    "head_tags",
    "is_page_path",
    "light_document",
    "linked_urls",
    "no_corner_zero",
    "page_html",
    "page_image_urls",
    "page_problem",
    "prewarm_urls",
    "readable_layout",
    "register",
    "screen_svg",
    "static_document",
    "trend_caption",
    "trend_image",
    "trend_marks",
]
