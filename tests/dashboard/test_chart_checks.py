"""Automated chart checks (issue 14): every embeddable chart — topic charts and claim charts — opened in Chromium
at 1280 and 375 px, English and Spanish, plus the full figure as PNG/SVG downloads draw it (title and source
inside, 960 px), checked in the page for what a graphics editor rejects on sight: text under 11 px on a phone,
text cut off by the figure, legend over title or plot, titles and notes over each other, tick labels of two axes
over each other, notes printed over data points, lines running back in time, axes stretched far beyond their data,
unstated log axes and empty charts.

A pure-python variant of the time-order and stretched-axis checks runs over the built figures without a browser.
Findings are collected and reported together (chart, state, defect), so one run shows every defect."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

STRETCH_MAX = 5.0  # an axis may reach ~5x the largest value it shows, no further
FULL_SCALES = (24.0, 100.0)  # 24 h in a day and 100 % are the natural top of their axes, whatever the data
MIN_FONT_PX = 11.0
# Viewport width → height: a desktop window, and a phone reading an embed in its default 520 px frame.
WIDTHS = {1280: 800, 375: 520}
MIN_PLOT_PX = (150, 110)  # the plot area keeps at least this width and height (a legend must not squeeze it away)
HEADER_GAP_MAX_PX = 48  # at most this much blank between an image's header (title, subtitle, source) and its plot
LANGS = ("en", "es")
IMAGE_SIZE = (960, 560)  # dashboard/render.py SIZES["png"]


# -- which charts ----------------------------------------------------------------------------------------------------
def topic_chart_ids() -> list[str]:
    from dashboard.charts import all_charts

    return [spec.id for spec in all_charts()]


def claim_chart_ids() -> list[str]:
    from dashboard.chartdefs.claims import claims_doc, has_chart
    from dashboard.data import store

    return [f"claim-{c['claim_id']}" for c in claims_doc(store())["claims"] if has_chart(c)]


def build_view(chart_id: str, lang: str):
    from dashboard import charts
    from dashboard.data import store

    spec = charts.get(chart_id)
    state = charts.parse_state(spec, store(), {"lang": lang})
    return charts.build(chart_id, store(), state)


# -- pure-python checks (no browser) ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    chart: str
    state: str
    defect: str

    def __str__(self) -> str:
        return f"{self.chart} [{self.state}]: {self.defect}"


def _values(seq) -> np.ndarray | None:
    """A trace's x or y as a float array (dates as nanoseconds), or None for categories."""
    if seq is None:
        return None
    arr = np.asarray(seq, dtype=object).ravel()
    if not len(arr):
        return np.array([], dtype=float)
    sample = next((v for v in arr if v is not None and not (isinstance(v, float) and math.isnan(v))), None)
    if sample is None:
        return np.full(len(arr), np.nan)
    if isinstance(sample, int | float | np.integer | np.floating) and not isinstance(sample, bool):
        return np.array([np.nan if v is None else float(v) for v in arr])
    try:
        stamps = pd.to_datetime(pd.Series(arr), errors="raise", format="ISO8601")
    except (ValueError, TypeError):
        return None
    return stamps.astype("int64").where(stamps.notna()).to_numpy(dtype=float)


def _is_line(tr: dict) -> bool:
    mode = tr.get("mode") or "lines"
    return tr.get("type", "scatter") == "scatter" and "lines" in mode and tr.get("fill") != "toself"


def line_order_defects(doc: dict) -> list[str]:
    """(d) Each line trace's x never decreases within a drawn run (an empty y breaks the line; a new run may start
    anywhere, e.g. a segment per period)."""
    out = []
    for tr in doc["data"]:
        if not _is_line(tr) or tr.get("visible") is False:
            continue
        xs, ys = _values(tr.get("x")), _values(tr.get("y"))
        if xs is None or ys is None or len(xs) < 2:
            continue
        drawn = ~np.isnan(ys) & ~np.isnan(xs)
        back = [i for i in range(1, len(xs)) if drawn[i] and drawn[i - 1] and xs[i] < xs[i - 1]]
        if tr.get("connectgaps"):
            kept = xs[drawn]
            back = [i for i in range(1, len(kept)) if kept[i] < kept[i - 1]]
        if back:
            out.append(f"line {tr.get('name')!r} runs back in time ({len(back)} times)")
    return out


def _axis_traces(doc: dict, axis: str) -> list[np.ndarray]:
    """The numeric values traces draw on an axis (`yaxis`, `yaxis2`, `xaxis`...)."""
    letter, suffix = axis[0], axis[5:]
    ref = letter + suffix  # "y", "y2"
    out = []
    for tr in doc["data"]:
        if tr.get("visible") is False or (tr.get(f"{letter}axis") or letter) != ref:
            continue
        vals = _values(tr.get(letter))
        if vals is None or tr.get("type") not in ("scatter", "bar", None):
            continue
        if letter == "x" and not (tr.get("type") == "bar" and tr.get("orientation") == "h"):
            continue  # x: only horizontal bars have values (not dates or years) on it
        if letter == "y" and tr.get("type") == "bar" and tr.get("orientation") == "h":
            continue
        base = _values(tr.get("base")) if tr.get("type") == "bar" else None
        if base is not None and len(base) == len(vals):  # a floating bar (a calendar tile) reaches base + length
            vals = np.concatenate([base, base + vals])
        out.append(vals)
    return out


def stretched_axis_defects(doc: dict) -> list[str]:
    """(e) An axis set (explicit range, or shapes and notes on it, which plotly's autorange includes) to more than
    ~5x the largest value drawn on it (the data, and a claim's line or a band's near edge: "ranges from data and
    claim"); a log axis the chart does not name."""
    layout = doc["layout"]
    out = []
    for axis in sorted(k for k in layout if k.startswith(("xaxis", "yaxis"))):
        spec = layout[axis] or {}
        if spec.get("visible") is False:
            continue
        title = str(((spec.get("title") or {}).get("text")) or "")
        if spec.get("type") == "log" and "log" not in title.lower():
            out.append(f"{axis} is logarithmic but its title does not say so")
        series = _axis_traces(doc, axis)
        data = np.concatenate(series) if series else np.array([])
        data = data[~np.isnan(data)]
        if not len(data) or spec.get("type") == "log":
            continue
        biggest = float(np.max(np.abs(data)))
        if biggest == 0:
            continue
        ref = axis[0] + axis[5:]
        reach = [abs(float(v)) for v in (spec.get("range") or []) if isinstance(v, int | float)]
        for item in [*layout.get("shapes", []), *layout.get("annotations", [])]:
            if item.get(f"{axis[0]}ref") == ref:
                edges = [
                    abs(float(item[key]))
                    for key in (f"{axis[0]}0", f"{axis[0]}1", axis[0])
                    if isinstance(item.get(key), int | float)
                ]
                reach += edges
                bounds = [e for e in edges if e > 0]  # an edge at 0 is the floor of "at most", not a bound
                if bounds and item in layout.get("shapes", []):
                    biggest = max(biggest, min(bounds))  # a claim drawn on the axis: its bound belongs in range
        top = max(reach, default=0.0)
        if top > STRETCH_MAX * biggest and top not in FULL_SCALES:
            out.append(f"{axis} reaches {top:,.0f}, {top / biggest:,.0f}x the largest value drawn ({biggest:,.4g})")
    return out


def empty_defects(doc: dict) -> list[str]:
    """(f) At least one trace with a point."""
    for tr in doc["data"]:
        for key in ("y", "x"):
            vals = _values(tr.get(key))
            if vals is None and tr.get(key) is not None and len(tr.get(key)):
                return []
            if vals is not None and np.any(~np.isnan(vals)):
                return []
    return ["no trace has any data point"]


def figure_doc(view) -> dict:
    """The figure as plain JSON-able lists (base64 arrays decoded), as a downloaded image draws it."""
    fig = view.figure
    return json.loads(pio.to_json(fig, validate=False, engine="json"), object_hook=_decode)


def _decode(obj: dict):
    if "bdata" in obj and "dtype" in obj:
        import base64

        arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
        if "shape" in obj:
            arr = arr.reshape([int(s) for s in str(obj["shape"]).split(",")])
        return arr.tolist()
    return obj


def python_findings(chart_ids: list[str]) -> list[Finding]:
    findings = []
    for chart_id in chart_ids:
        for lang in LANGS:
            doc = figure_doc(build_view(chart_id, lang))
            for defect in line_order_defects(doc) + stretched_axis_defects(doc) + empty_defects(doc):
                findings.append(Finding(chart_id, f"figure {lang}", defect))
    return findings


def report(findings: list) -> str:
    return f"{len(findings)} chart defect(s):\n" + "\n".join(f"  {f}" for f in findings)


def test_chk001_topic_figures_run_forward_in_time_with_axes_from_their_data():
    findings = python_findings(topic_chart_ids())
    assert findings == [], report(findings)


def test_chk002_claim_figures_run_forward_in_time_with_axes_from_their_data():
    findings = python_findings(claim_chart_ids())
    assert findings == [], report(findings)


# The checks must be able to fail: each is shown a defect it has to report.
def _doc(data: list[dict], **layout) -> dict:
    return {"data": data, "layout": {"xaxis": {}, "yaxis": {}, **layout}}


def test_chk003_the_python_checks_catch_each_defect():
    back = _doc([{"type": "scatter", "mode": "lines", "name": "a", "x": ["2024-01-01", "2023-01-01"], "y": [1, 2]}])
    assert line_order_defects(back) == ["line 'a' runs back in time (1 times)"]
    broken = _doc([{"type": "scatter", "mode": "lines", "x": [2024, 2025, 2025, 2023, 2024], "y": [1, 1, None, 2, 2]}])
    assert line_order_defects(broken) == []  # a new segment after a break may start earlier
    years = _doc([{"type": "scatter", "x": [2020, 2021], "y": [5, 6]}])
    assert stretched_axis_defects(years) == []
    stretched = _doc([{"type": "scatter", "x": [2020, 2021], "y": [5, 6]}], yaxis={"range": [0, 1000]})
    assert "30x" in stretched_axis_defects(stretched)[0] or "167x" in stretched_axis_defects(stretched)[0]
    by_claim = _doc([{"type": "scatter", "x": [1, 2], "y": [5, 6]}], shapes=[{"yref": "y", "y0": 100, "y1": 100000}])
    assert stretched_axis_defects(by_claim)
    claim_line = _doc([{"type": "scatter", "x": [1, 2], "y": [5, 6]}], shapes=[{"yref": "y", "y0": 100, "y1": 100}])
    assert stretched_axis_defects(claim_line) == []  # the claim, when shown, belongs in the range
    at_most = _doc([{"type": "scatter", "x": [1, 2], "y": [5, 6]}], shapes=[{"yref": "y", "y0": 0, "y1": 100}])
    assert stretched_axis_defects(at_most) == []  # "at most 100 %": 100 is the bound
    full_day = _doc([{"type": "scatter", "x": [1, 2], "y": [2, 3]}], yaxis={"range": [0, 24]})
    assert stretched_axis_defects(full_day) == []
    log = _doc([{"type": "bar", "orientation": "h", "x": [5, 500], "y": ["a", "b"]}], xaxis={"type": "log"})
    assert stretched_axis_defects(log) == ["xaxis is logarithmic but its title does not say so"]
    assert empty_defects(_doc([{"type": "scatter", "x": [], "y": []}])) == ["no trace has any data point"]
    assert empty_defects(_doc([{"type": "scatter", "x": ["a"], "y": [1]}])) == []


# -- browser checks ----------------------------------------------------------------------------------------------------
CHECK_JS = """([minFont, stretchMax, fullScales, checkFont, minPlot]) => {
  const gd = document.getElementById('chart');
  const out = [];
  if (!gd || !gd._fullLayout) { return ['no plotly graph drawn']; }
  const fl = gd._fullLayout;
  const svg = gd.querySelector('.main-svg');
  const box = svg.getBoundingClientRect();
  const tol = 1.5;
  const inside = (r, b) => r.left >= b.left - tol && r.right <= b.right + tol && r.top >= b.top - tol &&
    r.bottom <= b.bottom + tol;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const label = (el) => (el.textContent || '').trim().slice(0, 40);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.display !== 'none' && style.visibility !== 'hidden' &&
      style.opacity !== '0' && (el.textContent || '').trim() !== '';
  };
  const texts = Array.from(gd.querySelectorAll('svg text')).filter(shown)
    .filter((el) => !el.closest('.hoverlayer') && !el.closest('.modebar'));
  // (a) text size as drawn (font size times any scaling of the svg)
  if (checkFont) {
    for (const el of texts) {
      const m = el.getScreenCTM();
      const size = parseFloat(getComputedStyle(el).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
      if (size < minFont - 0.05) { out.push(`text "${label(el)}" is ${size.toFixed(1)} px (< ${minFont} px)`); }
    }
  }
  // (b) nothing cut off: every text inside the figure (and the page), legend texts inside the legend box
  const page = { left: 0, top: -1e9, right: document.documentElement.clientWidth, bottom: 1e9 };
  const legendBg = gd.querySelector('.legend .bg');
  const legendBox = legendBg ? legendBg.getBoundingClientRect() : null;
  for (const el of texts) {
    const r = el.getBoundingClientRect();
    if (!inside(r, box) || !inside(r, page)) { out.push(`text "${label(el)}" is cut off by the figure`); }
    else if (legendBox && el.closest('.legend') && !inside(r, legendBox)) {
      out.push(`legend text "${label(el)}" is cut off by the legend box`);
    }
  }
  // legend entries never over tick labels or notes
  const legendTexts = texts.filter((el) => el.closest('.legend'));
  const otherTexts = texts.filter((el) => !el.closest('.legend'));
  for (const el of legendTexts) {
    const r = el.getBoundingClientRect();
    for (const other of otherTexts) {
      if (overlap(r, other.getBoundingClientRect())) { out.push(`legend text "${label(el)}" overlaps "${label(other)}"`); }
    }
  }
  // (c) legend vs title and plot; title, legend and notes never over each other
  const size = fl._size;
  const plot = { left: box.left + size.l, top: box.top + size.t, right: box.left + size.l + size.w,
                 bottom: box.top + size.t + size.h };
  const boxes = [];
  const title = gd.querySelector('.g-gtitle');
  if (title && title.getBBox().width > 0) { boxes.push(['title', title.getBoundingClientRect()]); }
  const subtitle = gd.querySelector('.g-gtitle-subtitle');
  if (subtitle && subtitle.getBBox().width > 0) { boxes.push(['subtitle', subtitle.getBoundingClientRect()]); }
  if (legendBox && legendBox.width > 0 && fl.showlegend !== false) {
    boxes.push(['legend', legendBox]);
    if (overlap(legendBox, plot)) { out.push('legend overlaps the plot area'); }
  }
  // Notes on the plot (claim labels, value labels) belong there; notes placed outside it must not collide.
  gd.querySelectorAll('.annotation').forEach((a, i) => {
    const r = a.getBoundingClientRect();
    if (r.width > 0 && !overlap(r, plot)) { boxes.push([`note "${label(a)}"`, r]); }
  });
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (overlap(boxes[i][1], boxes[j][1])) { out.push(`${boxes[i][0]} overlaps ${boxes[j][0]}`); }
    }
  }
  // (j) no blank band between the header and the plot (a two-line title once left ~70 px of it in every image)
  const header = [title, subtitle].filter((el) => el && el.getBBox().width > 0)
    .map((el) => el.getBoundingClientRect().bottom);
  const aboveNotes = Array.from(gd.querySelectorAll('.annotation')).map((a) => a.getBoundingClientRect())
    .filter((r) => r.width > 0 && r.bottom <= plot.top + 1).map((r) => r.bottom);
  if (header.length) {
    const gap = plot.top - Math.max(...header, ...aboveNotes);
    if (gap > headerGapMax) { out.push(`blank band of ${Math.round(gap)} px between the header and the plot`); }
  }
  // (h) tick labels of one axis never over those of another (the "0" of a y axis in the corner, on the first date)
  const ticks = (sel) => Array.from(gd.querySelectorAll(sel)).filter(shown);
  const xTicks = ticks('.xtick text, .x2tick text, .x3tick text');
  const yTicks = ticks('.ytick text, .y2tick text, .y3tick text');
  for (const xt of xTicks) {
    for (const yt of yTicks) {
      if (overlap(xt.getBoundingClientRect(), yt.getBoundingClientRect())) {
        out.push(`tick "${label(yt)}" overlaps tick "${label(xt)}"`);
      }
    }
  }
  // (i) a note on the plot never over a data point (a claim label on the 2025 count hides it)
  const marks = Array.from(gd.querySelectorAll('.scatterlayer .points path'))
    .map((p) => p.getBoundingClientRect()).filter((r) => r.width > 0 && r.width < 40);
  gd.querySelectorAll('.annotation').forEach((a) => {
    const r = (a.querySelector('.annotation-text-g') || a).getBoundingClientRect();  // its text, not its arrow
    if (r.width === 0 || !overlap(r, plot)) { return; }
    if (marks.some((m) => overlap(r, m))) { out.push(`note "${label(a)}" sits on a data point`); }
  });
  // (d) lines run forward in time within each drawn run
  const num = (ax, v) => { const c = v === null || v === undefined || v === '' ? NaN : ax.d2c(v);
    return Number.isFinite(c) ? c : NaN; };
  const present = (v) => v !== null && v !== undefined && v !== '' && !(typeof v === 'number' && Number.isNaN(v));
  let points = 0;
  gd._fullData.forEach((tr) => {
    if (tr.visible !== true) { return; }
    const xa = fl[(tr.xaxis || 'x').replace('x', 'xaxis')];
    const ya = fl[(tr.yaxis || 'y').replace('y', 'yaxis')];
    const xs = Array.from(tr.x || []);
    const ys = Array.from(tr.y || []);
    points += ys.filter((v, i) => present(v) && present(xs[i])).length;
    if (tr.type === 'scatter' && (tr.mode || '').includes('lines') && tr.fill !== 'toself' && xa && ya &&
        xa.type !== 'category') {
      let back = 0;
      let prev = NaN;
      for (let i = 0; i < xs.length; i++) {
        const x = num(xa, xs[i]);
        const y = num(ya, ys[i]);
        if (Number.isNaN(x) || Number.isNaN(y)) { if (!tr.connectgaps) { prev = NaN; } continue; }
        if (!Number.isNaN(prev) && x < prev) { back++; }
        prev = x;
      }
      if (back) { out.push(`line "${tr.name}" runs back in time (${back} times)`); }
    }
  });
  // (e) axes from the data: not stretched beyond ~5x the largest value drawn; a log axis says so
  for (const key of Object.keys(fl).filter((k) => /^[xy]axis[0-9]*$/.test(k))) {
    const ax = fl[key];
    if (!ax.visible || ax.type === 'date' || ax.type === 'category') { continue; }
    const letter = key[0];
    const titleText = ((ax.title && ax.title.text) || '').toLowerCase();
    if (ax.type === 'log' && !titleText.includes('log')) { out.push(`${key} is logarithmic but does not say so`); }
    if (ax.type !== 'linear') { continue; }
    let biggest = 0;
    gd._fullData.forEach((tr) => {
      if (tr.visible !== true || (tr[letter + 'axis'] || letter) !== ax._id) { return; }
      const horizontal = tr.type === 'bar' && tr.orientation === 'h';
      if ((letter === 'x') !== horizontal) { return; }
      const bases = tr.type === 'bar' && Array.isArray(tr.base) ? tr.base : null;  // a floating bar: base + length
      Array.from(tr[letter] || []).forEach((v, i) => {
        const c = ax.d2c(v) + (bases && !horizontal ? Number(bases[i]) || 0 : 0);
        if (Number.isFinite(c)) { biggest = Math.max(biggest, Math.abs(c)); }
      });
    });
    (fl.shapes || []).forEach((sh) => {  // a claim drawn on the axis: its line, or its band's near edge
      if (sh[letter + 'ref'] !== ax._id) { return; }
      const edges = [sh[letter + '0'], sh[letter + '1']].map((v) => Math.abs(ax.d2c(v)))
        .filter((e) => Number.isFinite(e) && e > 0);  // an edge at 0 is the floor of "at most", not a bound
      if (edges.length) { biggest = Math.max(biggest, Math.min(...edges)); }
    });
    if (biggest === 0) { continue; }
    const top = Math.max(Math.abs(ax.range[0]), Math.abs(ax.range[1]));
    const fullScale = fullScales.some((s) => Math.abs(top - s) < 1e-9);
    if (top > stretchMax * biggest && !fullScale) {
      out.push(`${key} reaches ${Math.round(top)}, ${Math.round(top / biggest)}x the largest value drawn (${biggest})`);
    }
  }
  // (g) the plot keeps room to be read
  if (size.w < minPlot[0] || size.h < minPlot[1]) {
    out.push(`plot area squeezed to ${Math.round(size.w)}x${Math.round(size.h)} px`);
  }
  // (f) not empty
  if (!points) { out.push('no trace has any data point'); }
  return out;
}""".replace("headerGapMax", str(HEADER_GAP_MAX_PX))

DRAWN_JS = "() => { const gd = document.getElementById('chart'); return !!(gd && gd._fullLayout && gd.querySelector('.main-svg .cartesianlayer, .main-svg .barlayer, .main-svg')); }"

# Every wait in the page is bounded (a plotly promise that never settles must not hang the run).
BOUNDED = "(p) => Promise.race([p, new Promise((done) => setTimeout(() => done('timed out'), 5000))])"
AUTO_HEIGHT_JS = f"""() => {{ document.body.classList.add('auto-height');
  return ({BOUNDED})(window.Plotly.Plots.resize('chart').then(() => true)); }}"""

IMAGE_JS = """([fig, w, h]) => {
  document.body.innerHTML = '<div id="chart" style="width:' + w + 'px;height:' + h + 'px"></div>';
  const layout = Object.assign({}, fig.layout, { width: w, height: h, autosize: false });
  return (BOUNDED)(window.Plotly.newPlot('chart', fig.data, layout, { staticPlot: true }).then(() => true));
}""".replace("BOUNDED", BOUNDED)


def browser_findings(browser, live_server: str, chart_ids: list[str]) -> list[Finding]:
    """Each chart's embed at both widths and in both languages, and its full figure (the PNG/SVG download's
    drawing, 960 px) once per language: one page per width, reused."""
    findings: list[Finding] = []
    pages = {width: browser.new_page(viewport={"width": width, "height": height}) for width, height in WIDTHS.items()}
    errors: list[str] = []
    for page in pages.values():
        page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for chart_id in chart_ids:
            for lang in LANGS:
                for width, page in pages.items():
                    state = f"embed {width}px {lang}"
                    page.goto(f"{live_server}/embed/{chart_id}?lang={lang}", wait_until="load")
                    try:
                        page.wait_for_function(DRAWN_JS, timeout=20000)
                    except Exception:  # noqa: BLE001  (a chart that never draws is a finding, not a crash)
                        findings.append(Finding(chart_id, state, "the graph was not drawn"))
                        continue
                    defects = page.evaluate(
                        CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), width == 375, MIN_PLOT_PX]
                    )
                    findings += [Finding(chart_id, state, d) for d in defects]
                    if width == 375:  # on a site with /embed.js the frame follows the content: the chart's own height
                        page.evaluate(AUTO_HEIGHT_JS)
                        defects = page.evaluate(
                            CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), True, MIN_PLOT_PX]
                        )
                        findings += [Finding(chart_id, f"embed {width}px {lang} auto-height", d) for d in defects]
                # The download image: the full figure (title, subtitle, legend, source line inside) at its size.
                page = pages[1280]
                fig = json.loads(pio.to_json(build_view(chart_id, lang).figure, validate=False))
                page.evaluate(IMAGE_JS, [fig, *IMAGE_SIZE])
                defects = page.evaluate(CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), False, MIN_PLOT_PX])
                findings += [Finding(chart_id, f"image 960px {lang}", d) for d in defects]
    finally:
        for page in pages.values():
            page.close()
    findings += [Finding("-", "page error", e) for e in errors]
    return findings


@pytest.mark.browser
def test_chk010_topic_charts_pass_the_browser_checks(browser, live_server):
    findings = browser_findings(browser, live_server, topic_chart_ids())
    assert findings == [], report(findings)


@pytest.mark.browser
def test_chk011_claim_charts_pass_the_browser_checks(browser, live_server):
    findings = browser_findings(browser, live_server, claim_chart_ids())
    assert findings == [], report(findings)


@pytest.mark.browser
def test_chk012_the_browser_checks_catch_each_defect(browser, live_server):
    """A deliberately broken figure (tiny text, a line back in time, a stretched axis, a legend on the plot, text
    off the figure, a blank band under the header) drawn in an embed page: every defect must be reported."""
    page = browser.new_page(viewport={"width": 375, "height": 740})
    try:
        page.goto(f"{live_server}/embed/une-units-out", wait_until="load")
        page.wait_for_function(DRAWN_JS, timeout=20000)
        broken = {
            "data": [
                {"type": "scatter", "mode": "lines", "name": "back", "x": [3, 2, 1], "y": [1, 2, 3]},
            ],
            "layout": {
                "font": {"size": 8},
                "yaxis": {"range": [0, 1000]},
                "xaxis": {"type": "log"},
                "legend": {"x": 0.3, "y": 0.5},
                "showlegend": True,
                "annotations": [
                    {
                        "text": "off the edge " * 6,
                        "x": 1.4,
                        "xref": "paper",
                        "y": 1.1,
                        "yref": "paper",
                        "showarrow": False,
                    }
                ],
            },
        }
        page.evaluate(IMAGE_JS, [broken, 375, 400])
        defects = page.evaluate(CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), True, MIN_PLOT_PX])
        text = "\n".join(defects)
        for expected in (
            "px (< 11 px)",
            "cut off by the figure",
            "legend overlaps the plot area",
            'line "back" runs back in time',
            "yaxis reaches 1000",
            "xaxis is logarithmic",
        ):
            assert expected in text, (expected, defects)
        from dashboard.figures.common import LEGEND_BELOW

        crowded = {
            "data": [{"type": "scatter", "name": f"series {i}", "x": [1, 2], "y": [i, i]} for i in range(6)],
            "layout": {"legend": LEGEND_BELOW, "margin": {"t": 10, "b": 10}},
        }
        cornered = {  # the y axis's "0" on the first x label, and a note printed over a data point
            "data": [{"type": "scatter", "mode": "markers", "x": [0, 5, 10], "y": [0, 5, 10], "marker": {"size": 14}}],
            "layout": {
                "xaxis": {"range": [0, 10], "tickfont": {"size": 30}, "ticklabelstandoff": -20},
                "yaxis": {"range": [0, 10], "tickfont": {"size": 30}},
                "annotations": [{"text": "a note", "x": 5, "y": 5, "showarrow": False}],
            },
        }
        page.evaluate(IMAGE_JS, [cornered, 375, 400])
        defects = page.evaluate(CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), True, MIN_PLOT_PX])
        assert any(d.startswith('tick "0" overlaps tick "0"') for d in defects), defects
        assert 'note "a note" sits on a data point' in defects, defects
        gapped = {  # a header whose padding leaves a blank band above the plot
            "data": [{"type": "scatter", "x": [1, 2], "y": [1, 2]}],
            "layout": {
                "title": {"text": "A title", "automargin": True, "yref": "container", "y": 1, "pad": {"b": 90}},
                "margin": {"t": 20},
            },
        }
        page.evaluate(IMAGE_JS, [gapped, 375, 400])
        defects = page.evaluate(CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), True, MIN_PLOT_PX])
        assert any(d.startswith("blank band of") for d in defects), defects
        page.evaluate(IMAGE_JS, [crowded, 375, 200])
        defects = page.evaluate(CHECK_JS, [MIN_FONT_PX, STRETCH_MAX, list(FULL_SCALES), True, MIN_PLOT_PX])
        assert any(d.startswith("plot area squeezed") for d in defects), defects
    finally:
        page.close()


# -- the topic-chart fixes of issue 14 (pure python, on the published data) --------------------------------------------
def test_chk020_oil_gap_is_on_a_linear_axis_with_room_for_every_value_label():
    for lang in LANGS:
        doc = figure_doc(build_view("oil-gap-vs-producers", lang))
        axis = doc["layout"]["xaxis"]
        assert axis.get("type", "linear") == "linear" and "log" not in json.dumps(axis.get("title"))
        bars = doc["data"][0]
        assert axis["range"][1] >= 1.25 * max(bars["x"])  # headroom for the labels of short bars
        assert bars.get("textangle") == 0  # labels are never turned to fit
        if lang == "es":  # every word in Spanish, including the bar labels
            assert not any("production" in y or "need" in y for y in bars["y"]), bars["y"]


def test_chk021_oil_balance_never_joins_two_publishers_and_draws_each_figure_across_its_period():
    view = build_view("oil-balance", "en")
    doc = figure_doc(view)
    drawn = [t for t in doc["data"] if t.get("showlegend") is False]
    assert len(drawn) >= 2
    for tr in drawn:
        publishers = {row[0] for row in tr["customdata"]}
        assert len(publishers) == 1, publishers  # one publisher per line
        xs = tr["x"]
        for i in range(0, len(xs), 4):  # start, midpoint (the marker), end, break
            start, middle, end = (pd.Timestamp(x) for x in xs[i : i + 3])
            gap = tr["y"][i + 3]
            assert start <= middle <= end and (gap is None or math.isnan(gap))
    keyed = [t["name"] for t in doc["data"] if t.get("showlegend") is not False]
    assert keyed == ["Consumption", "Domestic production"]  # colour = measure, in the legend
    assert "▲ CIA World Factbook" in view.subtitle  # symbol = publisher, keyed in words beside the chart
    assert "▲ CIA World Factbook" in doc["layout"]["title"]["subtitle"]["text"]  # and inside the image


def test_chk022_shipments_leave_out_totals_that_count_domestic_production():
    for lang in LANGS:
        view = build_view("oil-shipments", lang)
        assert not view.frame["supplier"].str.contains("domestic").any()
        names = {t.get("name") for t in figure_doc(view)["data"] if t.get("name")}
        assert not any("Other / all origins" in n for n in names)
        assert view.notes and ("own production" in view.notes[0] or "producción propia" in view.notes[0])
    assert "Todos los orígenes (importaciones totales)" in {
        t.get("name") for t in figure_doc(build_view("oil-shipments", "es"))["data"]
    }


def test_chk023_an_annual_value_sits_at_the_middle_of_its_year_on_every_chart():
    from dashboard.figures.common import period_midpoint, year_midpoints

    middle = period_midpoint("2023-01-01", "2023-12-31")
    assert middle == year_midpoints(pd.Series([2023]))[0] == pd.Timestamp("2023-07-02")
    balance = figure_doc(build_view("oil-balance", "en"))
    cia = next(t for t in balance["data"] if t.get("name", "").endswith("CIA World Factbook") and "customdata" in t)
    assert pd.Timestamp(cia["x"][1]) == middle  # the CIA's 2023 figure, at 2 July 2023
    generation = figure_doc(build_view("generation-by-source", "en"))
    xs = [pd.Timestamp(x) for x in generation["data"][0]["x"]]
    assert pd.Timestamp("2023-07-02") in xs and all(x.month == 7 for x in xs)


def test_chk024_every_topic_legend_sits_below_the_plot():
    for chart_id in topic_chart_ids():
        layout = figure_doc(build_view(chart_id, "en"))["layout"]
        legend = layout.get("legend", {})
        assert (legend.get("yref"), legend.get("y"), legend.get("yanchor")) == ("container", 0, "bottom"), chart_id


def test_chk025_event_markers_stay_at_the_top_of_the_blackout_charts():
    """Grid collapses and key events are drawn on a hidden 0–1 axis; a chart's own y range must not reset it (the
    markers then fell to the bottom of une-share-dark)."""
    for chart_id in ("une-supply-demand", "une-share-dark"):
        layout = figure_doc(build_view(chart_id, "en"))["layout"]
        assert layout["yaxis2"]["range"] == [0, 1.05], chart_id


# -- the second reading of issue 14 (graphics desk): shipments, Havana periods, explore, stale flags, Spanish ticks ---
def test_chk030_shipments_draw_every_supplier_with_cargoes_in_their_own_panel():
    for lang in LANGS:
        view = build_view("oil-shipments", lang)
        doc = figure_doc(view)
        cargo = [t for t in doc["data"] if t.get("yaxis") == "y2"]
        assert cargo and all(t.get("xaxis") == "x2" for t in cargo)  # barrels never share the bbl/d axis
        assert doc["layout"]["yaxis2"]["type"] == "log" and "log" in doc["layout"]["yaxis2"]["title"]["text"]
        keyed = {t["name"] for t in doc["data"] if t.get("showlegend") is not False and t.get("name")}
        assert ("Russia" if lang == "en" else "Rusia") in keyed
        headings = [a["text"] for a in doc["layout"].get("annotations", [])]
        assert len(headings) == 2  # each panel has its own heading
        assert view.as_of in ("23 March 2026", "23 de marzo de 2026")  # the table's latest observation
        assert not re.search(r"\d{4}-\d{2}", view.summary), view.summary  # dates in words, no ISO ranges
        assert "hover" not in doc["layout"]["title"]["subtitle"]["text"]
        assert view.summary.count(" ") <= 40


def test_chk031_havana_figures_span_their_period_and_stop_at_the_as_of_date():
    for lang in LANGS:
        view = build_view("une-outage-hours", lang)
        doc = figure_doc(view)
        havana = [t for t in doc["data"] if "Havana" in str(t.get("name")) or "Habana" in str(t.get("name"))]
        assert len(havana) == 1
        xs = [pd.Timestamp(x) for x in havana[0]["x"] if x is not None]
        assert max(xs) <= pd.Timestamp("2026-04-29")
        assert pd.Timestamp("2022-08-01") in xs  # 2022 drawn from its first message, not mid-year
        assert any("2026" in n and ("17" in n) for n in view.notes)  # the 17-day 2026 figure: named, not drawn
        assert doc["layout"]["yaxis"]["range"][1] < 20


def test_chk032_explore_names_the_place_in_its_own_language():
    en, es = build_view("explore", "en"), build_view("explore", "es")
    assert en.title.startswith("Cuba") and es.title.startswith("Cuba")
    assert "share" not in es.title.lower() and "electricidad" in es.title
    for view in (en, es):
        assert "_" not in view.title and "_" not in view.subtitle
        assert "Cuba" in figure_doc(view)["layout"]["title"]["text"]
        assert "2024" in view.summary and "values" not in view.summary


def test_chk033_embeds_and_cards_flag_stale_data_as_the_image_does(client):
    for lang in LANGS:
        mark = "stale" if lang == "en" else "desactualizad"
        view = build_view("une-units-out", lang)
        assert mark in view.figure.layout.title.subtitle.text  # the image
        embed = client.get(f"/embed/une-units-out?lang={lang}").get_data(as_text=True)
        caption = embed[embed.index("<figcaption>") : embed.index("</figcaption>")]
        assert mark in caption and view.as_of in caption, caption  # the embed
        from dashboard import charts
        from dashboard.chart_card import chart_card

        spec = charts.get("une-units-out")
        card = json.dumps(
            chart_card(spec, view, charts.ChartState(lang=lang), "http://x").to_plotly_json(), default=str
        )
        assert mark in card  # the page card
    demand = build_view("electricity-demand-two-publishers", "en")
    text = demand.figure.layout.title.subtitle.text
    assert "Ember, latest data: 2023" in text  # Cuba's Ember series ends in 2023, whatever the table's latest year


def test_chk034_spanish_time_axes_have_spanish_month_ticks():
    english = ("Jan", "Apr", "Aug", "Dec")
    for chart_id in ("une-supply-demand", "une-outage-hours", "une-load-cut"):
        layout = figure_doc(build_view(chart_id, "es"))["layout"]
        text = " ".join(layout["xaxis"].get("ticktext") or [])
        assert text and not any(m in text for m in english), (chart_id, text)
    # the calendar is labelled by years alone (no month names in any language: graphics review, rounds 4-5)
    calendar = figure_doc(build_view("une-calendar", "es"))["layout"]["xaxis"]
    assert calendar.get("tickformat") == "%Y" and not calendar.get("ticktext")
    ticks = figure_doc(build_view("oil-gap-vs-producers", "es"))["layout"]["xaxis"]["ticktext"]
    assert any("mill." in t for t in ticks) and not any(t.endswith("M") for t in ticks)


def test_the_oil_gap_names_the_year_of_each_estimate():
    """Topic review round 2: the summary said "2024" for CIA estimates of 2023, and Mexico's difference mixes a 2023
    production estimate with a 2024 consumption one; each bar and the summary now say their years."""
    view = build_view("oil-gap-vs-producers", "en")
    labels = [lab.replace("<br>", " ") for lab in figure_doc(view)["data"][0]["y"]]
    assert any(lab.startswith("Cuba: import need") and "(2023)" in lab for lab in labels), labels
    assert any("production − consumption (2023/2024)" in lab for lab in labels), labels
    assert "CIA estimates for 2023" in view.summary and "2024" not in view.summary


def test_every_dataset_title_and_publisher_reads_in_spanish():
    """Topic review round 2: English source prose on every Spanish state ("compiled from the publishers named in
    each row", "Energy dataset"). Every source of the published package has Spanish words on a Spanish chart."""
    import json

    from dashboard.i18n import source_text

    package = json.loads((Path(__file__).resolve().parents[2] / "data" / "datapackage.json").read_text("utf-8"))
    texts = {
        t for r in package["resources"] for s in r.get("sources", []) for t in (s.get("title"), s.get("publisher")) if t
    }
    english = (
        "compiled from",
        "dataset",
        "daily notes",
        "Yearly",
        "Database",
        "checked against",
        "side by side",
        "via ",
    )
    untranslated = [t for t in texts if any(w in source_text(t, "es") for w in english)]
    assert untranslated == []
    # every dataset's own title has a whole Spanish title (the /data page; word by word it read "Energy y
    # electricity by country y year": third reader of the archived pages)
    from dashboard.i18n import SOURCES_ES

    assert [r["title"] for r in package["resources"] if r.get("title") not in SOURCES_ES] == []
    line = build_view("thermal-plants", "es").figure.layout.title.subtitle.text
    assert "fuentes citadas en cada fila" in line and "compiled" not in line


def test_licences_read_as_words_in_each_language():
    """Graphics round 3 (issue 20): the Spanish source list said "licencia public-domain"."""
    import json as json_lib

    from dashboard.chart_card import source_list

    def text(lang: str) -> str:
        return json_lib.dumps(source_list(build_view("oil-gap-vs-producers", lang), lang).to_plotly_json(), default=str)

    assert "dominio p\\u00fablico" in text("es") or "dominio público" in text("es")
    assert "public domain" in text("en")
    assert "public-domain" not in text("es") + text("en")


# -- phones: a window of the long monthly series, and calendar tiles that never overlap (graphics review, round 7) --
PHONE_WINDOW_JS = """() => { const gd = document.getElementById('chart');
  const note = (gd.layout.annotations || []).find((a) => a.name === 'phone-note');
  return { range: gd.layout.xaxis.range, meta: gd.layout.meta, note: note ? note.visible : null }; }"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_chk040_the_monthly_oil_chart_shows_its_last_three_years_on_a_phone(browser, live_server, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(f"{live_server}/embed/oil-imports-monthly", wait_until="load")
        page.wait_for_function(DRAWN_JS, timeout=20000)
        page.wait_for_function(
            "(narrow) => { const gd = document.getElementById('chart'); const r = gd.layout.xaxis.range;"
            " return String(r[0]).slice(0, 10) === String(gd.layout.meta[narrow ? 'phone_range' : 'full_range'][0]); }",
            arg=width < 560,
            timeout=10000,
        )
        state = page.evaluate(PHONE_WINDOW_JS)
    finally:
        page.close()
    full, phone = state["meta"]["full_range"], state["meta"]["phone_range"]
    assert phone[0] > full[0] and phone[1] == full[1]  # the latest months, not another period
    if width == 375:
        assert str(state["range"][0])[:10] == phone[0] and state["note"] is True  # and the chart says so
    else:
        assert str(state["range"][0])[:10] == full[0] and not state["note"]


def test_chk041_the_monthly_oil_chart_names_a_window_of_36_months_and_phone_images_draw_it():
    from dashboard.figures.common import phone_layout

    fig = json.loads(pio.to_json(build_view("oil-imports-monthly", "es").figure, validate=False))
    meta = fig["layout"]["meta"]
    months = (pd.Timestamp(meta["phone_range"][1]) - pd.Timestamp(meta["phone_range"][0])).days / 30.44
    assert 35 <= months <= 38
    phone = phone_layout(fig["layout"])
    assert phone["xaxis"]["range"] == meta["phone_range"]
    assert [a["visible"] for a in phone["annotations"] if a.get("name") == "phone-note"] == [True]
    assert fig["layout"]["xaxis"]["range"] == meta["full_range"]  # the full figure (PNG, desktop) is unchanged


CALENDAR_TILES_JS = """() => {
  const boxes = [...document.querySelectorAll('#chart .barlayer .point path')].map((p) => p.getBoundingClientRect());
  let overlaps = 0;
  const byRow = {};
  for (const b of boxes) { const k = Math.round(b.top); (byRow[k] = byRow[k] || []).push(b); }
  for (const row of Object.values(byRow)) {
    row.sort((a, b) => a.left - b.left);
    for (let i = 1; i < row.length; i++) { if (row[i].left < row[i - 1].right - 0.5) { overlaps += 1; } }
  }
  return { tiles: boxes.length, overlaps: overlaps, minWidth: Math.min(...boxes.map((b) => b.width)) };
}"""


@pytest.mark.browser
def test_chk042_calendar_tiles_never_overlap_on_a_phone(browser, live_server):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(f"{live_server}/embed/une-calendar", wait_until="load")
        page.wait_for_function(DRAWN_JS, timeout=20000)
        found = page.evaluate(CALENDAR_TILES_JS)
    finally:
        page.close()
    assert found["tiles"] > 500 and found["overlaps"] == 0 and found["minWidth"] >= 2


# -- phones: an outlier off the scale, and a year for every year in view (graphics review, round 6) -----------------
def test_chk043_off_scale_finds_only_values_far_beyond_the_rest_on_their_side():
    from dashboard.figures.common import off_scale

    assert off_scale([100, -50, 1313, 599, 598, float("nan"), -430, -420]) == ([2], [])
    assert off_scale([100, 599, 598, -430, -420, -2000]) == ([], [5])
    assert off_scale([100, 200, 390, -10]) == ([], [])  # less than twice the next: on the scale
    assert off_scale([5000]) == ([], [])  # a lone value is the scale


@pytest.mark.parametrize("lang", LANGS)
def test_chk044_the_forecast_error_phone_axis_stops_at_the_other_days_and_names_the_outlier(lang):
    """One day at +1,313 MW stretched the phone's axis to twice the other days' (graphics review, rounds 5-6)."""
    from dashboard.figures.common import phone_layout
    from dashboard.i18n import fmt_num

    figure = build_view("une-forecast-error", lang).figure
    errors = np.asarray(figure.data[0].y, dtype=float)
    fig = json.loads(pio.to_json(figure, validate=False))
    highest, second = np.sort(errors)[-1], np.sort(errors)[-2]
    phone = phone_layout(fig["layout"])
    low, top = phone["yaxis"]["range"]
    assert second < top < highest and low <= errors.min()  # every other day in view, the outlier not
    assert fig["layout"]["yaxis"]["range"][1] > highest  # the full figure still draws it
    notes = [a["text"] for a in phone["annotations"] if a.get("name") == "phone-note" and a.get("visible")]
    assert notes == [f"▲ {fmt_num(highest, lang, 0)} MW, {'off scale' if lang == 'en' else 'fuera de escala'}"]


@pytest.mark.parametrize("lang", LANGS)
def test_chk045_the_monthly_oil_phone_image_names_every_year_it_shows_and_its_note_whole(lang):
    """The phone window of the last three years starts in February 2023: its eleven 2023 bars had no year ("2024 2025
    2026"), and the note above the plot was cut by the image's top (graphics review, round 6)."""
    from dashboard import render
    from dashboard.charts import ChartState
    from dashboard.static_first import screen_svg

    if render.browser_missing():
        pytest.skip("no Chromium to draw the image")
    meta = json.loads(pio.to_json(build_view("oil-imports-monthly", lang).figure, validate=False))["layout"]["meta"]
    first, last = (pd.Timestamp(x) for x in meta["phone_range"])
    shown = [
        y
        for y in range(first.year, last.year + 1)
        if (min(last, pd.Timestamp(y + 1, 1, 1)) - max(first, pd.Timestamp(y, 1, 1))).days >= 60
    ]
    assert first.month > 1 and first.year in shown  # (the case the review found)
    svg = screen_svg("oil-imports-monthly", ChartState(lang=lang), "s", "page", "light", False).decode()
    assert re.findall(r'class="xtick"><text[^>]*>([^<]*)<', svg) == [str(y) for y in shown]
    note = re.search(r'<g class="annotation"[^>]*>.*?font-size: ([\d.]+)px[^>]*>([^<]*(?:3 years|3 años)[^<]*)<', svg)
    assert note and float(note[1]) >= 12


def test_no_spanish_hover_asks_plotly_for_a_month_name():
    """plotly.js writes month names in English (no locale module is loaded), so a Spanish hover read "Jan 2025" until
    the month came written from the catalogue (graphics review, 7 December 2026)."""
    english_months = ("%b", "%B")
    for chart_id in topic_chart_ids():
        doc = figure_doc(build_view(chart_id, "es"))
        for trace in doc["data"]:
            formats = [str(trace.get(k) or "") for k in ("hovertemplate", "xhoverformat", "yhoverformat")]
            assert not any(m in f for f in formats for m in english_months), (chart_id, trace.get("name"), formats)
        hover = json.dumps([t.get("customdata") for t in doc["data"]], ensure_ascii=False, default=str)
        if chart_id == "oil-imports-monthly":
            assert "enero de 2025" in hover and "January" not in hover
            # the month's other figures too: "10.000 b/d (14ymedio)", not "10,000 bbl/d (14ymedio)"
            assert "También:<br>10.000 b/d (14ymedio)" in hover and "bbl/d" not in hover
            assert not re.search(r"\d,\d{3}", hover) and " to " not in hover


@pytest.mark.parametrize("lang", LANGS)
def test_the_monthly_oil_hovers_are_short_lines_a_phone_shows_whole(lang):
    """A 375 px phone showed hover boxes cut on both sides ("También: 28.000 b/d (Reuters (recordado por…))"): every
    line the hover fills in is at most HOVER_LINE_CHARS long, the publisher and the other figures each on their own."""
    from dashboard.chartdefs.oil_monthly.monthly import HOVER_LINE_CHARS

    doc = figure_doc(build_view("oil-imports-monthly", lang))
    texts = [str(v) for tr in doc["data"] for key in ("customdata", "text") for v in _flat(tr.get(key))]
    lines = [line for text in texts for line in text.split("<br>") if line]
    assert lines and max(len(line) for line in lines) <= HOVER_LINE_CHARS + 6, max(lines, key=len)


def _flat(values) -> list:
    if values is None or isinstance(values, str):
        return [] if values is None else [values]
    return [x for v in values for x in (_flat(v) if isinstance(v, list | tuple) else [v])]
