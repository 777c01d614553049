"""Static images (PNG/SVG) of figures with kaleido, driving Debian's Chromium. One browser per process, started
on first use and reused (a cold start costs seconds; a warm render about 0.3 s); results are cached by callers."""

from __future__ import annotations

import os
import shutil
import threading
import warnings

import plotly.graph_objects as go
import plotly.io as pio

_LOCK = threading.Lock()
_STARTED = False
SIZES = {"png": (960, 560), "svg": (960, 560), "share": (1200, 630)}


class RenderUnavailable(RuntimeError):
    """No Chromium to render with (static images are then unavailable, the rest of the app works)."""


def _browser_path() -> str | None:
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_missing() -> bool:
    return _browser_path() is None


def _ensure_server() -> None:
    global _STARTED
    if _STARTED:
        return
    path = _browser_path()
    if not path:
        raise RenderUnavailable("no Chromium found for static image rendering (install Debian's chromium)")
    os.environ["BROWSER_PATH"] = path
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    _STARTED = True


def to_image(fig: go.Figure, fmt: str, width: int | None = None, height: int | None = None) -> bytes:
    """Render a figure; the title, subtitle and source line are part of the figure, so images carry them."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    default_w, default_h = SIZES[fmt]
    # A figure may ask for more height than the default (a claim chart with two panels and a long legend).
    default_h = max(default_h, int(fig.layout.height or 0))
    with _LOCK:
        _ensure_server()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pio.to_image(fig, format=fmt, width=width or default_w, height=height or default_h, scale=1)


def shutdown() -> None:
    global _STARTED
    with _LOCK:
        if _STARTED:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _STARTED = False
