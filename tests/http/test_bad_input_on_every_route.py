"""Bad input over every route (issue 8): property-based tests through the Flask test client.

Every page, download, published file, embed, oEmbed, share image, health check, Dash callback and unknown path is
asked for with random text, 10 kB values, unicode, control characters, raw and percent-encoded path traversal,
script tags and quotes, repeated parameters, and real chart ids / country codes mixed with bad values. Whatever
comes in: never a 5xx, never a traceback, a helpful page for every 4xx, reflected input escaped, and nothing
served from outside data/ (the only files /files/ serves are the ones datapackage.json lists).

PNG/SVG rendering needs Chromium and takes seconds, so fuzzed image requests are always invalid (they must be
refused before anything is rendered); CSV downloads, embeds and oEmbed build real views.
"""

from __future__ import annotations

import builtins
import html
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from dashboard.charts import period_bounds
from tests.conftest import REPO

DATA = REPO / "data"
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repository; failures print their reproduction
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
FEW = settings(SETTINGS, max_examples=60)

PAGE_PATHS = ["/", "/blackouts", "/oil", "/generation", "/explore", "/data", "/methodology"]
EXTRA_FILES = ["datapackage.json", "claims.json", "changelog.jsonl", "claims-review.jsonld"]
PACKAGE_ZIP = "cuba-energy-data.zip"
PARAM_KEYS = [
    "lang",
    "tab",
    "country",
    "start",
    "end",
    "table",
    "series",
    "topic",
    "label",
    "claim",
    "theme",
    "transparent",
    "controls",
    "static",
    "url",
    "format",
    "maxwidth",
    "maxheight",
]

# -- what must never appear in a response ---------------------------------------------------------------------------
EXCEPTION_NAMES = sorted(
    {
        name
        for name in dir(builtins)
        if isinstance(getattr(builtins, name), type)
        and issubclass(getattr(builtins, name), BaseException)
        and not name.endswith("Warning")
    }
    | {
        "DateParseError",
        "OutOfBoundsDatetime",
        "ParserError",
        "DependencyException",
        "PreventUpdate",
        "BadParameter",
        "SchemaError",
        "JSONDecodeError",
        "DecodeError",
        "BuildError",
        "WerkzeugError",
    }
)
EXCEPTION_RE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|\b(" + "|".join(EXCEPTION_NAMES) + r")\b"
)
MARKUP_RE = re.compile(r"<[A-Za-z!/?]")
PWNED_RE = re.compile(
    r"<(script|img|svg|iframe|body|details|a)\b[^>]*(__pwned|onerror|onload|ontoggle|javascript:)", re.IGNORECASE
)


def _first_line_with(path: Path, needle: str) -> str:
    return next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if needle in line)


# Distinctive contents of files outside data/ that a traversal could reach (their names may be reflected in an
# error message; their contents must never be served).
OUTSIDE_MARKERS = {
    "/etc/passwd": "root:x:0:0",
    "/etc/hostname": None,  # content varies; covered by "never 200 for a traversal" below
    "dashboard/app.py": _first_line_with(REPO / "dashboard" / "app.py", "def create_app("),
    "etl/paths.py": _first_line_with(REPO / "etl" / "paths.py", "def default_paths("),
    "pyproject.toml": 'name = "cuba-energy-dashboard"',
    "README.md": "# Cuba Energy Crisis Dashboard",
    ".git/config": "repositoryformatversion",
    "deploy/gunicorn.conf.py": "worker_class",
}
TARGETS = [
    "etc/passwd",
    "dashboard/app.py",
    "etl/paths.py",
    "pyproject.toml",
    "README.md",
    ".git/config",
    "deploy/gunicorn.conf.py",
    ".cache/state/status.json",
]
TRAVERSAL_PREFIXES = [
    "../",
    "..%2f",
    "..%2F",
    "%2e%2e/",
    "%2e%2e%2f",
    "%252e%252e%252f",
    "..\\",
    "..%5c",
    "....//",
    "..;/",
    ".%2e/",
    "%c0%ae%c0%ae/",
    "..%c0%af",
    "%u002e%u002e/",
]


# -- valid values, read once from the published data -----------------------------------------------------------------
@lru_cache(maxsize=1)
def known() -> dict[str, list[str]]:
    from dashboard import charts
    from dashboard.chartdefs import explore
    from dashboard.data import DataStore

    store = DataStore()
    specs = charts.all_charts()
    countries = sorted({c for s in specs if s.country_choices for c in s.country_choices(store)})
    tables = sorted({t for s in specs if s.table_choices for t in s.table_choices(store)})
    series = sorted({x for t in tables for x in explore.numeric_series(store, t)})
    claims = json.loads((DATA / "claims.json").read_text(encoding="utf-8"))["claims"]
    claim_charts = []
    for claim in claims:
        try:
            charts.get(f"claim-{claim['claim_id']}")
            claim_charts.append(f"claim-{claim['claim_id']}")
        except KeyError:
            pass
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    return {
        "charts": sorted(s.id for s in specs) + claim_charts[:5],
        "countries": countries,
        "tables": tables,
        "series": series[:40],
        "claims": [c["claim_id"] for c in claims],
        "topics": sorted({c["topic"] for c in claims}),
        "files": sorted(r["path"] for r in package["resources"]),
        "pages": ["claims", "blackouts", "oil", "generation", "explore", "data", "methodology"],
    }


def _known(kind: str) -> st.SearchStrategy[str]:
    return st.deferred(lambda: st.sampled_from(known()[kind]))


# -- strategies ------------------------------------------------------------------------------------------------------
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "'><svg onload=window.__pwned=1>",
    "</title></script><script>window.__pwned=1</script>",
    "<iframe src=javascript:window.__pwned=1>",
    '" autofocus onfocus="window.__pwned=1" x="',
    "<!--<script>window.__pwned=1//-->",
    "<details open ontoggle=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "{{7*7}}${7*7}<%= 7*7 %>",
]
payloads = st.sampled_from(PAYLOADS)
control = st.text(
    alphabet=st.one_of(st.characters(max_codepoint=0x1F), st.sampled_from("\x7f\x85\u2028\u2029\ufeff\u202e\u200b")),
    min_size=1,
    max_size=8,
)
huge = st.builds(lambda c, n: c * n, st.sampled_from(["x", "<", '"', "é", "%", "~", "CUB~", "../"]), st.just(10240))
unicode_text = st.text(alphabet=st.characters(min_codepoint=0x80, exclude_categories=["Cs"]), min_size=1, max_size=20)
traversal = st.builds(
    lambda prefix, n, target: prefix * n + target,
    st.sampled_from(TRAVERSAL_PREFIXES),
    st.integers(1, 6),
    st.sampled_from(TARGETS),
) | st.sampled_from(["/etc/passwd", "//etc/passwd", "file:///etc/passwd", "%2fetc%2fpasswd", "data/../../etc/passwd"])
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.integers(0, 99999).map(str),
    st.sampled_from(
        ["2024-13", "2024-00", "2024-02-30", "2024-1-1", "٢٠٢٤", "2024\n", " 2024", "1899", "2101", "-2024"]
    ),
)
valid = st.one_of(
    _known("countries"),
    _known("charts"),
    _known("tables"),
    _known("series"),
    _known("claims"),
    _known("topics"),
    st.sampled_from(["en", "es", "chart", "table", "light", "dark", "auto", "0", "1", "on", "off", "json", "xml"]),
    dates,
)
junk = st.one_of(st.text(max_size=30), payloads, control, huge, unicode_text, traversal)
mixed = st.one_of(
    st.builds(lambda a, b: a + b, valid, junk),
    st.builds(lambda a, b: a + b, junk, valid),
    st.lists(st.one_of(_known("countries"), junk), min_size=1, max_size=14).map("~".join),
)
values = st.one_of(valid, junk, mixed)
keys = st.one_of(st.sampled_from(PARAM_KEYS), st.text(max_size=12), payloads)
params = st.lists(st.tuples(keys, values), max_size=5)
RAW_QUERIES = [
    "start=%zz",
    "%",
    "&&&==&",
    "lang=%FF%FE",
    "country=%E0%A4%A",
    "start=2024&start=2020",
    "lang=es&lang=en&lang=es",
    "country=CUB&country=<script>",
    "a" * 10240 + "=1",
    "start=%00",
    "tab=chart%0d%0aSet-Cookie:%20x=1",
    "=",
    "lang",
]


@st.composite
def query_strings(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A query string and the raw strings it carries (to check how they come back)."""
    if draw(st.integers(0, 9)) == 0:
        raw = draw(st.sampled_from(RAW_QUERIES))
        return raw, [raw]
    pairs = draw(params)
    if pairs and draw(st.booleans()):  # repeat a parameter, sometimes with a different value
        key, value = draw(st.sampled_from(pairs))
        pairs.append((key, draw(st.one_of(st.just(value), values))))
    return urlencode(pairs, quote_via=quote), [s for pair in pairs for s in pair]


def segment(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str]]:
    """A path segment: percent-encoded (as a browser sends it) or raw (traversal as typed), with its source text."""
    return st.tuples(strategy, st.booleans()).map(lambda t: (quote(t[0], safe="") if t[1] else t[0], t[0]))


# -- the properties --------------------------------------------------------------------------------------------------
def fetch(client, method: str, path: str, query: str = "", **kwargs):
    """A raw path may carry its own "?" (a traversal or junk segment as typed): the URL is used as one string."""
    url = f"{path}{'&' if '?' in path else '?'}{query}" if query else path
    return client.open(url, method=method, **kwargs)


def check(response, inputs: list[str], *, traversal_attempt: bool = False, xml_oembed: bool = False) -> str:
    """The properties every answer must have; returns the body as text."""
    status = response.status_code
    body = response.get_data(as_text=False).decode("utf-8", errors="replace")
    event(f"HTTP {status}")  # shown by --hypothesis-show-statistics: the mix of answers the inputs reached
    if xml_oembed and status == 501:  # the oEmbed spec's answer to format=xml (we only offer JSON)
        assert body == "only format=json is supported"
        return body
    assert status < 500, f"{status}: {body[:300]}"
    if response.request.method == "HEAD":
        assert body == ""
        return body
    # No traceback or exception name (inputs reflected in a message are removed first: a user may type "KeyError").
    scrubbed = body
    for text in sorted(set(inputs), key=len, reverse=True):
        for form in {text, html.escape(text), html.escape(text, quote=False), repr(text), html.escape(repr(text))}:
            if len(form) >= 3:
                scrubbed = scrubbed.replace(form, "")
    if status >= 300 or response.mimetype == "text/html":
        found = EXCEPTION_RE.search(scrubbed)
        assert not found, f"{status}: exception text {found.group(0)!r} in {body[:300]}"
    assert "root:x:0:0" not in body
    if response.mimetype == "text/html":
        assert not PWNED_RE.search(body), f"unescaped payload in {body[:500]}"
        for text in inputs:
            if len(text) >= 6 and MARKUP_RE.search(text):
                assert text not in body, f"input {text[:60]!r} reflected raw"
        if 400 <= status < 500:
            assert_helpful(body, status)
    if traversal_attempt:
        for marker in OUTSIDE_MARKERS.values():
            if marker:
                assert marker not in body, f"file contents outside data/ served ({marker!r})"
    return body


def assert_helpful(body: str, status: int) -> None:
    """Our 4xx page: a heading, a sentence saying what was wrong, and links to the pages that exist."""
    assert 'class="container error-page"' in body, f"{status} without the helpful page: {body[:300]}"
    assert re.search(r"<h1>[^<]+</h1>", body)
    assert re.search(r'<p class="lead">[^<]+</p>', body)
    assert re.search(r'<li><a href="/(\?lang=es)?">', body), "a link back to the home page"


# -- pages -----------------------------------------------------------------------------------------------------------
@SETTINGS
@given(path=st.sampled_from(PAGE_PATHS), query=query_strings())
@example(path="/oil", query=("start=2024-13", ["2024-13"]))
@example(path="/generation", query=("country=CUB~%3Cscript%3E", ["CUB~<script>"]))
@example(path="/", query=("claim=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E", [PAYLOADS[0]]))
@example(path="/explore", query=("table=..%2F..%2Fetc%2Fpasswd", ["../../etc/passwd"]))
@example(path="/blackouts", query=("lang=es&lang=en", []))
def test_pages_never_fail_and_escape_what_they_reflect(client, path, query):
    qs, inputs = query
    response = fetch(client, "GET", path, qs)
    body = check(response, inputs)
    if response.status_code == 200:
        assert response.mimetype == "text/html" and "<!DOCTYPE html>" in body


# -- downloads -------------------------------------------------------------------------------------------------------
not_an_image = st.one_of(st.just("csv"), st.text(max_size=8).filter(lambda e: e not in ("png", "svg", "zip")), payloads)


@SETTINGS
@given(
    chart=segment(st.one_of(_known("charts"), junk, mixed)),
    ext=segment(not_an_image),
    query=query_strings(),
)
@example(chart=("oil-shipments", "oil-shipments"), ext=("csv", "csv"), query=("start=2024-13", ["2024-13"]))
@example(
    chart=("une-supply-demand", "une-supply-demand"), ext=("csv", "csv"), query=("start=%D9%A2%D9%A0%D9%A2%D9%A4", [])
)
@example(chart=("..%2f..%2fetc%2fpasswd", "../../etc/passwd"), ext=("csv", "csv"), query=("", []))
def test_csv_downloads(client, chart, ext, query):
    (chart_seg, chart_raw), (ext_seg, ext_raw) = chart, ext
    qs, inputs = query
    response = fetch(client, "GET", f"/download/{chart_seg}.{ext_seg}", qs)
    check(response, [chart_raw, ext_raw, *inputs], traversal_attempt=True)
    if response.status_code == 200:
        assert response.mimetype == "text/csv" and chart_raw in known()["charts"] and ext_raw == "csv"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{chart_raw}.csv"'


@lru_cache(maxsize=1)
def chart_choices() -> dict[str, dict[str, list[str]]]:
    """Per chart, the values each of its parameters accepts."""
    from dashboard import charts
    from dashboard.data import DataStore

    store = DataStore()
    out = {}
    for chart_id in known()["charts"]:
        spec = charts.get(chart_id)
        choices: dict[str, list[str]] = {"lang": ["en", "es"], "tab": ["chart", "table"]}
        if "country" in spec.params and spec.country_choices:
            choices["country"] = sorted(spec.country_choices(store))
        if "table" in spec.params and spec.table_choices:
            choices["table"] = sorted(spec.table_choices(store))
        for key in ("start", "end"):
            if key in spec.params:
                choices[key] = []
        out[chart_id] = choices
    return out


@st.composite
def valid_states(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A real chart in a state its URL may describe: dates anywhere in 1900–2100 (often outside the data), a few
    countries, the other language, the table tab."""
    chart = draw(st.sampled_from(sorted(chart_choices())))
    choices = chart_choices()[chart]
    query: dict[str, str] = {}
    for key in draw(st.lists(st.sampled_from(sorted(choices)), unique=True, max_size=4)):
        if key == "country":
            query[key] = "~".join(draw(st.lists(st.sampled_from(choices[key]), min_size=1, max_size=4, unique=True)))
        elif key in ("start", "end"):
            day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
            query[key] = draw(st.sampled_from([day.isoformat(), day.isoformat()[:7], str(day.year)]))
        else:
            query[key] = draw(st.sampled_from(choices[key]))
    if "table" in query:  # series depend on the table
        from dashboard.chartdefs import explore
        from dashboard.data import DataStore

        series = explore.numeric_series(DataStore(), query["table"])
        if series and draw(st.booleans()):
            query["series"] = draw(st.sampled_from(series))
    return chart, query


@FEW
@given(state=valid_states())
@example(state=("generation-by-source", {"start": "2100"}))
@example(state=("une-supply-demand", {"start": "1900", "end": "1900-01-01"}))
@example(state=("oil-shipments", {"start": "2099-12", "lang": "es", "tab": "table"}))
@example(state=("une-supply-demand", {"start": "2024-06", "end": "2024"}))  # a month within the end year
def test_valid_states_build_for_every_chart(client, state):
    """Real charts in states that select no data, one day, other countries: a CSV (or a 400 for start > end)."""
    chart, query = state
    response = fetch(client, "GET", f"/download/{chart}.csv", urlencode(query))
    check(response, list(query.values()))
    start, end = query.get("start"), query.get("end")
    if start and end and period_bounds(start)[0] > period_bounds(end)[1]:
        assert response.status_code == 400
    else:
        assert response.status_code == 200, (chart, query, response.get_data(as_text=True)[:300])
        assert response.get_data(as_text=True).splitlines()[0].endswith("source,source_url,licence,retrieved")
    embed = fetch(client, "GET", f"/embed/{chart}", urlencode(query))
    check(embed, list(query.values()))
    assert embed.status_code == response.status_code


@FEW
@given(
    chart=segment(st.one_of(_known("charts"), junk)),
    ext=st.sampled_from(["png", "svg"]),
    bad=st.sampled_from(["start=2024-13", "country=XXX", "lang=fr", "tab=<script>", "end=0000", "start=2020&end=2010"]),
    query=query_strings(),
)
def test_image_downloads_with_bad_input_are_refused_before_rendering(client, chart, ext, bad, query):
    chart_seg, chart_raw = chart
    qs, inputs = query
    response = fetch(client, "GET", f"/download/{chart_seg}.{ext}", "&".join(p for p in (bad, qs) if p))
    check(response, [chart_raw, *inputs], traversal_attempt=True)
    assert 400 <= response.status_code < 500


# -- published files -------------------------------------------------------------------------------------------------
def allowed_files() -> set[str]:
    return set(known()["files"]) | set(EXTRA_FILES) | {PACKAGE_ZIP}


@SETTINGS
@given(
    name=segment(
        st.one_of(
            _known("files"),
            st.sampled_from([*EXTRA_FILES, PACKAGE_ZIP, "curated/README.md", "curated", ".", "..", "README.md"]),
            st.sampled_from(["datapackage.json", "claims.csv", "owid_energy.csv"]).map(lambda n: f"../data/{n}"),
            st.builds(lambda a, b: a + b, _known("files"), junk),
            junk,
        )
    ),
    query=query_strings(),
)
@example(name=("..%2f..%2fetc%2fpasswd", "../../etc/passwd"), query=("", []))
@example(name=("../../etc/passwd", "../../etc/passwd"), query=("", []))
@example(name=("%2e%2e%2fREADME.md", "../README.md"), query=("", []))
@example(name=("curated%2Fthermal_plants.csv", "curated/thermal_plants.csv"), query=("", []))
def test_files_serves_only_published_files(client, name, query):
    seg, raw = name
    qs, inputs = query
    response = fetch(client, "GET", f"/files/{seg}", qs)
    check(response, [raw, *inputs], traversal_attempt=True)
    if response.status_code in (200, 304):
        served = response.request.path.removeprefix("/files/")
        assert served in allowed_files(), f"/files/ served {served!r}"
        if served != PACKAGE_ZIP:
            assert response.get_data() == (DATA / served).read_bytes()


# -- embeds ----------------------------------------------------------------------------------------------------------
@SETTINGS
@given(chart=segment(st.one_of(_known("charts"), junk, mixed)), query=query_strings())
@example(chart=("une-supply-demand", "une-supply-demand"), query=("theme=%3Cscript%3E", ["<script>"]))
@example(chart=("une-supply-demand", "une-supply-demand"), query=("start=2024-13", ["2024-13"]))
def test_embed_pages(client, chart, query):
    chart_seg, chart_raw = chart
    qs, inputs = query
    if chart_raw.endswith(".svg"):  # /embed/<chart>.svg renders an image: covered by the test below
        return
    response = fetch(client, "GET", f"/embed/{chart_seg}", qs)
    body = check(response, [chart_raw, *inputs], traversal_attempt=True)
    if response.status_code == 200:
        assert response.mimetype == "text/html" and 'id="figure-data"' in body or 'class="chart-static"' in body


@FEW
@given(
    chart=segment(st.one_of(_known("charts"), junk)),
    bad=st.sampled_from(["theme=neon", "static=2", "start=2024-13", "country=<b>", "transparent=yes", "x=1"]),
    query=query_strings(),
)
def test_svg_embeds_with_bad_input_are_refused_before_rendering(client, chart, bad, query):
    chart_seg, chart_raw = chart
    qs, inputs = query
    response = fetch(client, "GET", f"/embed/{chart_seg}.svg", "&".join(p for p in (bad, qs) if p))
    check(response, [chart_raw, *inputs], traversal_attempt=True)
    assert 400 <= response.status_code < 500


# -- oEmbed ----------------------------------------------------------------------------------------------------------
@st.composite
def oembed_urls(draw: st.DrawFn) -> str:
    host = draw(st.sampled_from(["http://localhost", "https://localhost", "http://evil.example", "localhost", ""]))
    kind = draw(st.integers(0, 4))
    qs, _ = draw(query_strings())
    if kind == 0:
        chart = draw(st.one_of(_known("charts"), junk))
        return f"{host}/embed/{quote(chart, safe='')}" + (f"?{qs}" if qs else "")
    if kind == 1:
        return f"{host}/?claim={quote(draw(st.one_of(_known('claims'), junk)), safe='')}"
    if kind == 2:
        page = draw(st.sampled_from(PAGE_PATHS))
        return f"{host}{page}" + (f"?{qs}" if qs else "") + "#" + draw(st.one_of(_known("charts"), junk))
    if kind == 3:
        return draw(traversal)
    return draw(junk)


@SETTINGS
@given(
    url=oembed_urls(),
    extra=st.lists(
        st.tuples(st.sampled_from(["format", "maxwidth", "maxheight", "url", "lang"]), values),
        max_size=3,
    ),
)
@example(url="http://localhost/embed/une-supply-demand?start=2024-13", extra=[])
@example(url="http://localhost/embed/une-supply-demand", extra=[("maxwidth", "9" * 400)])
@example(url="http://localhost/embed/une-supply-demand", extra=[("maxheight", "-5")])
@example(url="http://localhost/embed/une-supply-demand", extra=[("maxwidth", "١٢٣")])
@example(url="http://localhost/embed/une-supply-demand", extra=[("format", "xml")])
@example(url="http://localhost/embed/une-supply-demand", extra=[("format", "<script>")])
def test_oembed(client, url, extra):
    qs = urlencode([("url", url), *extra], quote_via=quote)
    response = fetch(client, "GET", "/oembed", qs)
    first_format = next((v for k, v in extra if k == "format"), "json")
    check(response, [url, *(v for _, v in extra)], xml_oembed=first_format == "xml")
    if response.status_code == 200:
        doc = response.get_json()
        assert doc["type"] == "rich" and doc["version"] == "1.0"
        assert not PWNED_RE.search(doc["html"])
        assert 0 < doc["width"] <= 1200 and 0 < doc["height"] <= 1200


# -- share images ----------------------------------------------------------------------------------------------------
@FEW
@given(
    page=segment(st.one_of(junk, st.builds(lambda p, j: p + j, _known("pages"), junk.filter(bool)))),
    query=query_strings(),
)
def test_share_images_for_unknown_pages(client, page, query):
    page_seg, page_raw = page
    qs, inputs = query
    response = fetch(client, "GET", f"/share/{page_seg}.png", qs)
    check(response, [page_raw, *inputs], traversal_attempt=True)
    assert 400 <= response.status_code < 500


@FEW
@given(
    page=_known("pages"),
    bad=st.sampled_from(["start=2024-13", "start=2020&end=2010", "lang=xx", "tab=<img>", "start=" + "9" * 300]),
    query=query_strings(),
)
def test_share_images_with_bad_values_are_refused_before_rendering(client, page, bad, query):
    qs, inputs = query
    response = fetch(client, "GET", f"/share/{page}.png", "&".join(p for p in (bad, qs) if p))
    check(response, inputs)
    assert 400 <= response.status_code < 500


# -- health, unknown paths, methods, static files --------------------------------------------------------------------
@FEW
@given(query=query_strings())
def test_healthz_ignores_its_query(client, query):
    qs, inputs = query
    response = fetch(client, "GET", "/healthz", qs)
    check(response, inputs)
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


PREFIXES = [
    "",
    "/files/",
    "/download/",
    "/embed/",
    "/share/",
    "/static/",
    "/static/v/0123456789ab/",
    "/assets/",
    "/_dash-component-suites/dash/",
    "/_dash-component-suites/plotly/",
    "/_dash-component-suites/nope/",
    "/generation/",
    "/data/",
]


@SETTINGS
@given(
    prefix=st.sampled_from(PREFIXES),
    rest=st.one_of(segment(traversal), segment(junk), segment(st.text(max_size=40))),
    query=query_strings(),
)
@example(prefix="/_dash-component-suites/dash/", rest=("../../../etc/passwd", "../../../etc/passwd"), query=("", []))
@example(prefix="/static/", rest=("..%2f..%2fdashboard%2fapp.py", "../../dashboard/app.py"), query=("", []))
@example(prefix="/assets/", rest=("%2e%2e/%2e%2e/pyproject.toml", "../../pyproject.toml"), query=("", []))
@example(prefix="", rest=("%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E", PAYLOADS[0]), query=("", []))
def test_unknown_paths_and_traversal(client, prefix, rest, query):
    seg, raw = rest
    qs, inputs = query
    path = prefix + seg if prefix else "/" + seg
    response = fetch(client, "GET", path, qs)
    check(response, [raw, *inputs], traversal_attempt=True)
    traversal_like = ".." in raw or "%2e" in raw.lower() or "passwd" in raw
    if traversal_like and response.status_code == 200:  # only a file the app publishes under that prefix
        assert prefix in ("/files/", "/static/", "/assets/", "/_dash-component-suites/dash/", "/embed/", "")


@FEW
@given(
    method=st.sampled_from(["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    path=st.sampled_from(
        [
            *PAGE_PATHS,
            "/download/oil-shipments.csv",
            "/files/datapackage.json",
            "/embed/une-supply-demand",
            "/oembed",
            "/share/oil.png?start=2024-13",  # refused before rendering (no Chromium in fuzz runs)
            "/healthz",
            "/nope",
        ]
    ),
    body=st.one_of(st.binary(max_size=200), payloads.map(str.encode)),
)
def test_other_methods(client, method, path, body):
    response = fetch(client, method, path, data=body)
    check(response, [])
    if method in ("POST", "PUT", "DELETE", "PATCH"):
        assert response.status_code in (405, 404, 400), (method, path, response.status_code)


# -- Dash callbacks --------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def generation_callback_body() -> dict:
    """What the browser posts when a control changes on /generation (built from /_dash-dependencies, like the
    renderer does)."""
    from dashboard.pages_index import PAGES

    return {
        "output": CHART_OUTPUT,
        "outputs": [
            [{"id": {"chart": c, "type": f"chart-{kind}"}, "property": prop} for c in PAGES["/generation"].charts]
            for kind, prop in CHART_OUTPUT_PARTS
        ]
        + [{"id": "url-sync", "property": "children"}],
        "inputs": [
            {"id": "control-countries", "property": "value", "value": ["CUB", "DOM", "MEX"]},
            {"id": "control-start", "property": "value", "value": None},
            {"id": "control-end", "property": "value", "value": None},
            {"id": "control-tab", "property": "value", "value": "table"},
            {"id": "control-table", "property": "value", "value": None},
            {"id": "control-series", "property": "value", "value": None},
        ],
        "changedPropIds": ["control-tab.value"],
        "state": [
            {
                "id": "page-state",
                "property": "data",
                "value": {
                    "page": "/generation",
                    "lang": "en",
                    "charts": list(PAGES["/generation"].charts),
                    "extras": {},
                },
            },
            [
                {
                    "id": {"chart": c, "type": "chart-graph"},
                    "property": "id",
                    "value": {"type": "chart-graph", "chart": c},
                }
                for c in PAGES["/generation"].charts
            ],
        ],
    }


CHART_OUTPUT_PARTS = [
    ("graph", "figure"),
    ("table", "children"),
    ("summary", "children"),
    ("description", "children"),
    ("graph-wrap", "hidden"),
    ("table", "hidden"),
    ("csv", "href"),
    ("png", "href"),
    ("svg", "href"),
    ("zip", "href"),
    ("pinned", "href"),
    ("pinned", "children"),
    ("pinned-page", "href"),
    ("pinned-page", "children"),
    ("share", "value"),
    ("embed", "value"),
]
CHART_OUTPUT = (
    ".."
    + "...".join(f'{{"chart":["ALL"],"type":"chart-{kind}"}}.{prop}' for kind, prop in CHART_OUTPUT_PARTS)
    + "...url-sync.children.."
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | payloads,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


def test_the_captured_callback_body_is_the_one_dash_expects(client):
    deps = client.get("/_dash-dependencies").get_json()
    assert CHART_OUTPUT in {d["output"] for d in deps}
    response = client.post("/_dash-update-component", json=generation_callback_body())
    assert response.status_code == 200
    assert response.get_json()["response"]["url-sync"]["children"] == "?country=CUB~DOM~MEX&tab=table"


def test_a_repeated_callback_is_answered_from_memory_with_the_same_bytes(client, monkeypatch):
    """The chart controls' answers are cached by request body (dashboard/routes.py); the answer is unchanged."""
    import dashboard.callbacks

    body = json.loads(json.dumps(generation_callback_body()))
    body["inputs"][0]["value"] = ["CUB", "MEX"]  # a state no other test asks for
    first = client.post("/_dash-update-component", json=body)
    built: list[str] = []
    real = dashboard.callbacks._views_for
    monkeypatch.setattr(dashboard.callbacks, "_views_for", lambda ids, state: built.extend(ids) or real(ids, state))
    again = client.post("/_dash-update-component", json=body)
    assert again.status_code == first.status_code == 200
    assert again.get_data() == first.get_data() and not built
    body["inputs"][3]["value"] = "chart"  # another view: built, not served from the cache
    other = client.post("/_dash-update-component", json=body)
    assert other.status_code == 200 and built and other.get_data() != first.get_data()


@pytest.mark.parametrize("path", ["/download/oil-shipments.csv?start=2019", "/embed/une-supply-demand?theme=auto"])
def test_a_repeated_request_gets_the_same_answer_and_headers(client, path):
    """Answers kept as sent (compressed) are sent again unchanged, with the security headers of a fresh answer."""
    headers = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    first, again = client.get(path, headers=headers), client.get(path, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.get_data() == again.get_data() and first.headers["Content-Encoding"] == "zstd"
    for name in ("Content-Type", "Content-Encoding", "Cache-Control", "Content-Security-Policy", "Vary"):
        assert first.headers.get(name) == again.headers.get(name), name
    plain = client.get(path)  # another Accept-Encoding: its own answer, not the compressed bytes
    assert "Content-Encoding" not in plain.headers and plain.get_data() != first.get_data()


@FEW
@given(
    which=st.integers(0, 5),
    # Mostly values no control can hold, or strings the chart state refuses: a valid view builds six charts.
    value=st.one_of(
        json_values.filter(lambda v: v is not None),
        st.lists(st.one_of(_known("countries"), junk.filter(lambda j: j and "~" not in j)), min_size=2, max_size=4),
        st.one_of(junk, mixed).filter(bool),
    ),
    page=st.one_of(st.none(), json_values, st.fixed_dictionaries({"page": values, "lang": values})),
    graphs=st.one_of(st.just(None), json_values, st.lists(st.fixed_dictionaries({"chart": values}), max_size=3)),
    mutate=st.sampled_from(["value", "page", "graphs"]),
)
def test_callback_with_garbage_control_values(client, which, value, page, graphs, mutate):
    body = json.loads(json.dumps(generation_callback_body()))
    if mutate == "value":
        body["inputs"][which]["value"] = value
    elif mutate == "page":
        body["state"][0]["value"] = page
    else:
        body["state"][1] = [{"id": {"chart": "x", "type": "chart-graph"}, "property": "id", "value": graphs}]
    response = client.post("/_dash-update-component", json=body)
    check(response, [])
    assert response.status_code in (200, 204, 400), response.status_code


@SETTINGS
@given(
    body=st.one_of(
        st.binary(max_size=100),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.builds(
            lambda key, v: json.dumps({**generation_callback_body(), key: v}).encode(),
            st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]),
            json_values,
        ),
        st.sampled_from(
            [
                b"",
                b"{",
                b"{}",
                b"[]",
                b"null",
                b'{"output": "url-sync.title", "inputs": [], "outputs": {}}',
                b'{"output": "nope.children", "inputs": [], "outputs": {}}',
                b'{"output": "_pages_content.children", "inputs": [{"id": 1}], "outputs": []}',
            ]
        ),
    ),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]),
)
def test_malformed_callback_requests(client, body, content_type):
    response = client.post("/_dash-update-component", data=body, content_type=content_type)
    check(response, [])
    assert response.status_code in (200, 204, 400, 415), response.status_code


@settings(FEW, max_examples=40)
@given(
    pathname=st.one_of(json_values, st.sampled_from(PAGE_PATHS), junk, junk.map(lambda j: "/" + j)),
    # A search the pages refuse (an unknown parameter), or none that Dash reads: a valid one renders a whole page.
    search=st.one_of(
        json_values.filter(lambda v: not isinstance(v, str)),
        st.builds(lambda k, v: "?" + urlencode([("zz" + k, v)]), st.text(max_size=8), values),
        st.builds(lambda k, v: "?" + urlencode([(k, v)]), st.sampled_from(PARAM_KEYS), junk.filter(bool)),
    ),
)
@example(pathname="/data", search="")
def test_page_router_callback_with_garbage_location(client, pathname, search):
    """The router callback of Dash pages (in-app navigation), with locations no browser sends."""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body)
    check(response, [])
    assert response.status_code in (200, 204, 400), response.status_code


@pytest.mark.parametrize("path", ["/", "/generation?country=CUB~MEX&start=2010", "/data"])
def test_valid_pages_still_answer_200(client, path):
    """The guards refuse bad input, not good input (so the properties above cannot pass by refusing everything)."""
    assert client.get(path).status_code == 200
    assert client.get("/download/oil-shipments.csv?start=2023").status_code == 200
    assert client.get("/files/datapackage.json").status_code == 200
    assert client.get("/embed/une-supply-demand?theme=dark").status_code == 200


def test_csv_downloads_keep_each_rows_own_source_url(client):
    """Found by the fuzzing above: the citation columns overwrote the UNE note each row came from."""
    import csv
    import io

    text = client.get("/download/une-supply-demand.csv?start=2024-03&end=2024-03-31").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["source_url"] for r in rows)
    notes = [r for r in rows if r["source_kind"] == "note"]
    assert notes and all("/noticias/2024/03/" in r["source_url"] for r in notes)
    assert all(r["licence"] and r["retrieved"] and r["source"] for r in rows)
