"""Static images (PNG/SVG) of figures with kaleido, driving Debian's Chromium. One browser per process, started
on first use and reused (a cold start costs seconds; a warm render about 0.3 s); results are cached by callers.

The browser runs at a lower CPU priority (nice BROWSER_NICE) than the server's threads: most of a render's CPU is
Chromium's, and when renders and readers want the same cores, the kernel then serves the readers' cached answers
first and the renders with what is left (issue 15: renders kept both cores busy and a cached embed waited seconds).
A render alone on an idle machine is as fast as before.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
import zlib
from xml.sax.saxutils import escape as xml_escape

import plotly.graph_objects as go
import plotly.io as pio

_LOCK = threading.Lock()
_STARTED = False
BROWSER_NICE = 10  # CFS weight 110 against a normal thread's 1024: a render gets ~10 % of a core a reader wants
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


def to_image(
    fig: go.Figure,
    fmt: str,
    width: int | None = None,
    height: int | None = None,
    alt: tuple[str, str] | None = None,
    texts: dict[str, str] | None = None,
) -> bytes:
    """Render a figure; the title, subtitle and source line are part of the figure, so images carry them. `alt`
    (title, description) goes into an SVG as its <title> and <desc>: an SVG read on its own is then named and
    described to screen readers (dashboard/describe.py); into a PNG as its "Title" and "Description" text chunks,
    which image viewers, CMS media libraries and archives read when the file travels without its page, with `texts`
    (more of the PNG spec's keywords: "Source", "Copyright")."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    default_w, default_h = SIZES[fmt]
    # A figure may ask for more height than the default (a claim chart with two panels and a long legend).
    default_h = max(default_h, int(fig.layout.height or 0))
    with _LOCK:
        _ensure_server()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = pio.to_image(fig, format=fmt, width=width or default_w, height=height or default_h, scale=1)
        _lower_browser_priority()
    if not alt:
        return image
    if fmt == "svg":
        return with_text_alternative(image, *alt)
    return with_png_text(image, {"Title": alt[0], "Description": alt[1], **(texts or {})})


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def with_png_text(png: bytes, texts: dict[str, str]) -> bytes:
    """The PNG with an iTXt chunk (UTF-8 text, uncompressed) per keyword, right after its header chunk (PNG 1.2
    §4.2.3.3; "Title" and "Description" are the spec's own keywords). The image data are untouched."""
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    header_end = 8 + 4 + 4 + int.from_bytes(png[8:12], "big") + 4  # signature, length, type, data, CRC
    chunks = []
    for keyword, text in texts.items():
        # keyword, NUL, not compressed, method 0, no language tag (NUL), no translated keyword (NUL), the text
        body = keyword.encode("latin-1") + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8")
        chunks.append(len(body).to_bytes(4, "big") + b"iTXt" + body + zlib.crc32(b"iTXt" + body).to_bytes(4, "big"))
    return png[:header_end] + b"".join(chunks) + png[header_end:]


def _descendants(pid: int) -> list[int]:
    """Every process started by `pid`, its children's children included (Linux /proc; empty elsewhere)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _lower_browser_priority() -> None:
    """Every thread of the browser's processes at nice BROWSER_NICE (a process started later — Chromium starts a
    renderer when it needs one — is caught after the render it served). Only this process's descendants: the
    server's own threads keep their priority."""
    for child in _descendants(os.getpid()):
        try:
            tasks = [int(t) for t in os.listdir(f"/proc/{child}/task")]
        except OSError:
            continue
        for task in tasks:  # ~100 threads: a few hundred microseconds after a render of ~300 ms
            try:
                if os.getpriority(os.PRIO_PROCESS, task) < BROWSER_NICE:
                    os.setpriority(os.PRIO_PROCESS, task, BROWSER_NICE)
            except OSError:
                pass  # gone already, or not ours to change


def with_text_alternative(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with `role="img"`, a <title> and a <desc> as the root's first children (SVG's own text alternative)."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start)
    if start < 0 or end < 0:
        return svg
    head = text[:end]
    if " role=" not in head:
        head += ' role="img" aria-labelledby="chart-title" aria-describedby="chart-desc"'
    inner = f'<title id="chart-title">{xml_escape(title)}</title><desc id="chart-desc">{xml_escape(description)}</desc>'
    return (head + ">" + inner + text[end + 1 :]).encode("utf-8")


def shutdown() -> None:
    global _STARTED
    with _LOCK:
        if _STARTED:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _STARTED = False
