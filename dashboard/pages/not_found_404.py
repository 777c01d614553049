"""Shown for in-app navigation to an unknown path (a full page load gets a real HTTP 404 from the server)."""

from __future__ import annotations

import dash
from dash import html

dash.register_page(__name__, path="/404", title="Page not found")


def layout(**_query: str):
    return html.Main(
        [html.H1("Page not found"), html.P(html.A("Back to the claims", href="/"))], className="container", id="main"
    )
