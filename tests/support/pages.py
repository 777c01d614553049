"""The site's pages and how many plotly charts each draws, read from the app's own page registry
(`dashboard.pages_index`), so the browser tests follow a chart added to a page instead of a hand-kept count."""

from __future__ import annotations

from dashboard.pages_index import PAGES as PAGE_INFO

# path -> charts drawn with plotly once the page is scrolled through ("/" draws its claim charts as SVG images)
CHART_PAGES: dict[str, int] = {path: len(info.charts) for path, info in PAGE_INFO.items()}
