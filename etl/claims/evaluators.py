"""One evaluator per rule kind: each judges its claim's series (`rules`), weighs them (`weighing`), records the
measured values, ratios and evidence rows in the result, and has the conclusion worded (`wording`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl.claims.catalogue import LANGS, say
from etl.claims.formatting import fmt_date, fmt_value, period_name, refers_to, sentence
from etl.claims.labels import LABEL_CANNOT_CHECK, LABEL_CONSISTENT, LABEL_NOT_CONSISTENT, LABEL_PARTLY
from etl.claims.rules import combine, judge
from etl.claims.selection import Selection, no_data
from etl.claims.values import parse_date, time_text, to_number, year_of
from etl.claims.weighing import claim_window, evidence_rows, frame_span, weigh
from etl.claims.wording import (
    chart_series_name,
    conclude,
    event_list,
    pair_caveat,
    rank_desc,
    ratio_desc,
    series_name,
    source_name,
    value_desc,
)


def _add_caveats(result: dict[str, Any], caveats: list[dict[str, str]]) -> None:
    for caveat in caveats:
        if caveat["en"] not in result["caveats_en"]:
            result["caveats_en"].append(caveat["en"])
            result["caveats_es"].append(caveat["es"])


def _measured_entry(
    sel: Selection, verdict: str | None = None, difference: float | None = None, counted: bool = False
) -> dict[str, Any]:
    entry = {
        "label": sel.spec.get("label") or f"{sel.spec['table']}.{sel.spec['column']}",
        "name": series_name(sel.spec, "en"),
        "name_es": series_name(sel.spec, "es"),
        "table": sel.spec["table"],
        "column": sel.spec["column"],
        "value": sel.value if sel.ok else None,
        "unit": sel.unit,
        "period": sel.period,
        "publisher": sel.publisher,
        "url": sel.url,
        "retrieved": sel.retrieved,
        "rows_used": sel.rows_used,
        "status": "ok" if sel.ok else "no data",
        # A context series is shown, not judged: no verdict of its own (fact-check of issue 20, R3).
        "verdict": verdict if counted and sel.ok else None,
        "counted": bool(counted and sel.ok),
        "difference": difference if counted and sel.ok else None,
        "note": sel.note_en,
    }
    entry.update(sel.extra)
    return entry


def _record_missing(
    result: dict[str, Any], sel: Selection, labels: list[str | None], counted_flags: list[bool]
) -> None:
    """A series with no usable value: no label, not counted, listed as measured with its note."""
    labels.append(None)
    counted_flags.append(False)
    result["measured"].append(_measured_entry(sel))


def _record_judged(
    result: dict[str, Any],
    sel: Selection,
    judged: tuple[str, float, float | None],
    weighed: tuple[bool, list[dict[str, str]]],
    labels: list[str | None],
    counted_flags: list[bool],
) -> None:
    """One series' label, whether it counts, its measured entry and evidence rows; the first counted series gives the
    claim's difference and ratio."""
    label, diff, ratio = judged
    counted, caveats = weighed
    _add_caveats(result, caveats)
    labels.append(label)
    counted_flags.append(counted)
    result["measured"].append(_measured_entry(sel, label, diff, counted))
    result["evidence_rows"].extend(evidence_rows(sel, counted))
    if counted and result["difference"] is None:
        result["difference"], result["ratio"] = diff, ratio


def evaluate_values(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """approx / range / at_least / at_most: each series judged on its own, weighed, then combined."""
    period = str(claimed.get("period") or "")
    window = claim_window(period)
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    for sel in selections:
        number = to_number(sel.value) if sel.ok else None
        if sel.ok and number is None:
            no_data(sel, "value_not_a_number", value=repr(sel.value))
        if not sel.ok:
            _record_missing(result, sel, labels, counted_flags)
            continue
        judged = judge(kind, number, claimed, rule)
        _record_judged(result, sel, judged, weigh(sel, window, period), labels, counted_flags)
    _finish(result, labels, selections, claimed, rule, kind, [value_desc(s) for s in selections], counted_flags)


def evaluate_event(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """A matching row is the event on record; no row cannot show the event did not happen, so it is 'no data'.

    A row that records only part of the claim (`supports: partly`: "considering" for "preparing", a repost for "said")
    gives 'Partly consistent'. Only the factual core is judged (the claim file's `core`); its wording (`characterisation`) is the document's."""
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    for sel in selections:
        if sel.ok and sel.spec.get("aggregate") == "count" and not sel.value:
            no_data(sel, "no_matching_row")
        counted, caveats = weigh(sel, None, "")
        _add_caveats(result, caveats)
        found = LABEL_PARTLY if sel.spec.get("supports") == "partly" else LABEL_CONSISTENT
        labels.append(found if sel.ok and counted else None)
        counted_flags.append(counted)
        result["measured"].append(_measured_entry(sel, found if sel.ok else None, counted=counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
    label, disagree = combine(labels)
    result["label"], result["sources_disagree"] = label, disagree
    period = str(claimed.get("period") or "")
    shown = [s for s, c in zip(selections, counted_flags, strict=True) if s.ok and c]
    for lang in ("en", "es"):
        core = result.get(f"core_{lang}") or ""
        refers = period_name(period, lang) if period else ""
        if label == LABEL_CANNOT_CHECK:
            others = [s for s in selections if s.ok]
            if others:
                text = say("event.only_weak", lang, events=event_list(others, lang))
            else:
                notes = "; ".join(getattr(s, f"note_{lang}") for s in selections if getattr(s, f"note_{lang}"))
                text = say("event.none", lang) + (f" ({notes})" if notes else "")
        elif core:
            sources = "; ".join(dict.fromkeys(source_name(s, lang) for s in shown if source_name(s, lang)))
            result[f"conclusion_{lang}"] = sentence(core.rstrip(".") + (f" ({sources})" if sources else ""))
            result[f"finding_{lang}"] = sentence(core)
            continue
        else:
            text = say("event.on_record", lang, events=event_list(shown, lang))
        tail = f" {say('event.refers', lang, period=refers, refers=refers_to(period, lang))}" if refers else ""
        result[f"conclusion_{lang}"] = sentence(text) + tail
        result[f"finding_{lang}"] = sentence(text)


def evaluate_date_diff(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """Years between the evidence's date and the claim period (its first day), compared like `approx`."""
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    target = parse_date(str(claimed.get("period") or ""))
    for sel in selections:
        start = parse_date(str(sel.value)) if sel.ok else None
        if sel.ok and (start is None or target is None):
            no_data(sel, "unreadable_date", value=repr(sel.value))
        if not sel.ok:
            _record_missing(result, sel, labels, counted_flags)
            continue
        years = round((target - start).days / 365.2425, 2)
        sel.extra = {"years": years, "from_date": start.isoformat(), "to_date": target.isoformat()}
        _record_judged(result, sel, judge(kind, years, claimed, rule), weigh(sel, None, ""), labels, counted_flags)
    descs: list[dict[str, str] | None] = []
    for sel in selections:
        if not sel.ok:
            descs.append(None)
            continue
        descs.append({lang: _date_diff_desc(sel, str(claimed["period"]), lang) for lang in LANGS})
    _finish(result, labels, selections, {**claimed, "period": ""}, rule, kind, descs, counted_flags)


def _date_diff_desc(sel: Selection, period: str, lang: str) -> str:
    """'3 years from 13 February 2023 (Reuters) to 13 February 2026'."""
    source = f" ({source_name(sel, lang)})" if source_name(sel, lang) else ""
    return say(
        "date_diff.desc",
        lang,
        years=fmt_value(sel.extra["years"], "years", lang, decimals=0),
        start=fmt_date(sel.extra["from_date"], lang),
        source=source,
        end=fmt_date(period, lang),
    )


def _missing_ratio_note(missing: list[Selection], lang: str) -> str:
    """Why a pair has no ratio: its series' own notes, else that a figure is not a number, or a zero denominator."""
    if not missing:
        return say("note.zero_denominator", lang)
    return "; ".join(getattr(s, f"note_{lang}") or say("note.not_a_number", lang) for s in missing)


def evaluate_ratio(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """100 × evidence[0] / evidence[1] per consecutive pair, each pair judged against [low, high] ± tolerance; a
    series marked `stated_pct` is a share its publisher states itself (Reuters: "roughly a third of the island's
    needs", with no denominator given) and is judged as it stands, beside the computed ones.

    A pair counts only when both of its series may count (see `weigh`); the card says when the two come from different
    periods or publishers."""
    period = str(claimed.get("period") or "")
    window = claim_window(period)
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    descs: list[dict[str, Any] | None] = []
    pair_sels: list[Selection] = []
    previous_num: dict[str, Any] | None = None
    stated = [sel for sel in selections if sel.spec.get("stated_pct")]
    selections = [sel for sel in selections if not sel.spec.get("stated_pct")]
    for num, den in zip(selections[::2], selections[1::2], strict=True):
        a = to_number(num.value) if num.ok else None
        b = to_number(den.value) if den.ok else None
        num_ok, num_caveats = weigh(num, window, period)
        den_ok, den_caveats = weigh(den, window, period)
        counted = num_ok and den_ok
        _add_caveats(result, num_caveats + den_caveats)
        result["measured"].extend([_measured_entry(num, counted=counted), _measured_entry(den, counted=counted)])
        result["evidence_rows"].extend(evidence_rows(num, counted) + evidence_rows(den, counted))
        names = {lang: (series_name(num.spec, lang), series_name(den.spec, lang)) for lang in ("en", "es")}
        legend = {lang: (chart_series_name(num.spec, lang), chart_series_name(den.spec, lang)) for lang in ("en", "es")}
        pair_label = f"{names['en'][0]} / {names['en'][1]}"
        stand_in = Selection(spec={"table": num.spec["table"], "column": num.spec["column"], "label": pair_label})
        pair_sels.append(stand_in)
        if a is None or b is None or b == 0:
            missing = [s for s, v in ((num, a), (den, b)) if v is None]
            stand_in.note_en, stand_in.note_es = (_missing_ratio_note(missing, lang) for lang in LANGS)
            why = stand_in.note_en
            labels.append(None)
            counted_flags.append(False)
            descs.append(None)
            result["ratios"].append(
                {"label": pair_label, "value": None, "unit": "pct", "status": "no data", "note": why, "counted": False}
            )
            continue
        pct = 100 * a / b
        label, diff, _ = judge(kind, pct, claimed, rule)
        labels.append(label)
        counted_flags.append(counted)
        stand_in.status, stand_in.value, stand_in.unit = "ok", pct, "pct"
        publishers = [source_name(s) for s in (num, den) if source_name(s)]
        # The ratio is drawn over the numerator's period (the flow being compared); a differing denominator period is
        # a caveat, not a wider segment.
        span = frame_span(num.used, num.time_col)
        starts, ends = [span[0]] if span[0] else [], [span[1]] if span[1] else []
        if num.period != den.period:
            _add_caveats(result, [pair_caveat("periods", names, (num.period, den.period))])
        if len(set(publishers)) > 1:
            _add_caveats(result, [pair_caveat("publishers", names, tuple(publishers))])
        result["ratios"].append(
            {
                "label": pair_label,
                "label_es": f"{names['es'][0]} / {names['es'][1]}",
                "numerator_label": legend["en"][0],
                "numerator_label_es": legend["es"][0],
                "denominator_label": legend["en"][1],
                "denominator_label_es": legend["es"][1],
                "numerator": a,
                "denominator": b,
                "numerator_unit": num.unit,
                "denominator_unit": den.unit,
                "value": round(pct, 4),
                "unit": "pct",
                "status": "ok",
                "verdict": label if counted else None,  # a context ratio is shown, not judged
                "counted": counted,
                "difference": diff if counted else None,
                "publisher": " / ".join(dict.fromkeys(p for p in (num.publisher, den.publisher) if p)),
                "source": " / ".join(dict.fromkeys(publishers)),  # whom a legend credits, short ("Piñón", "CIA")
                "period": num.period if num.period == den.period else f"{num.period} / {den.period}",
                "x_start": min(starts, default=""),
                "x_end": max(ends, default=""),
                "url": num.url or den.url,
            }
        )
        if counted and result["difference"] is None:
            result["difference"] = diff
        same_num = previous_num == num.spec
        descs.append({lang: ratio_desc(pct, a, b, num, den, lang, same_num) for lang in ("en", "es")})
        descs[-1]["cont"] = same_num
        previous_num = num.spec
    for sel in stated:
        _stated_share(result, sel, claimed, rule, kind, window, period, (labels, pair_sels, descs, counted_flags))
    _finish(result, labels, pair_sels, claimed, rule, kind, descs, counted_flags)


def _stated_share(
    result: dict[str, Any],
    sel: Selection,
    claimed: dict[str, Any],
    rule: dict[str, Any],
    kind: str,
    window: tuple[str, str] | None,
    period: str,
    lists: tuple[list, list, list, list],
) -> None:
    """A share as its publisher states it, judged like a computed ratio and drawn beside them."""
    labels, pair_sels, descs, counted_flags = lists
    value = to_number(sel.value) if sel.ok else None
    ok, caveats = weigh(sel, window, period)
    _add_caveats(result, caveats)
    counted = ok and value is not None
    pair_sels.append(sel)  # drawn and listed as its ratio entry below, not again as a row of its own
    if value is None:
        labels.append(None)
        counted_flags.append(False)
        descs.append(None)
        result["measured"].append(_measured_entry(sel))
        return
    label, diff, _ = judge(kind, value, claimed, rule)
    result["measured"].append(_measured_entry(sel, label, diff, counted))
    labels.append(label)
    counted_flags.append(counted)
    start, end = frame_span(sel.used, sel.time_col)
    result["ratios"].append(
        {
            "label": sel.spec.get("chart_name") or series_name(sel.spec, "en"),
            "label_es": sel.spec.get("chart_name_es") or series_name(sel.spec, "es"),
            "stated": True,  # the publisher's own words ("roughly a third"): a chart draws it as approximate
            "value": round(value, 4),
            "unit": "pct",
            "status": "ok",
            "verdict": label if counted else None,
            "counted": counted,
            "difference": diff,
            "publisher": sel.publisher,
            "source": source_name(sel),
            "period": sel.period,
            "x_start": start,
            "x_end": end,
            "url": sel.url,
        }
    )
    if counted and result["difference"] is None:
        result["difference"] = diff
    descs.append(value_desc(sel))


def evaluate_rank(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """The claim year's value against the other years of the window: lowest → consistent, second → partly."""
    year = year_of(str(claimed.get("period") or ""))
    window = int(rule.get("window_years") or 0)
    excluded = {int(y) for y in rule.get("exclude_years") or []}
    first_year = year - window + 1 if year is not None else 0
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    descs: list[dict[str, str] | None] = []
    for sel in selections:
        per_year = _per_year(sel) if sel.ok else {}
        per_year = {y: v for y, v in per_year.items() if first_year <= y <= (year or 0) and y not in excluded}
        if sel.ok and year not in per_year:
            no_data(sel, "no_value_in_window", year=year)
        if not sel.ok:
            labels.append(None)
            counted_flags.append(False)
            descs.append(None)
            result["measured"].append(_measured_entry(sel))
            continue
        value = per_year[year]
        rank = 1 + sum(1 for v in per_year.values() if v < value)
        others = {y: v for y, v in per_year.items() if y != year}
        lowest_year = min(others, key=lambda y: (others[y], y)) if others else None
        label = LABEL_CONSISTENT if rank == 1 else LABEL_PARTLY if rank == 2 else LABEL_NOT_CONSISTENT
        labels.append(label)
        years_of_rows = sel.rows[sel.time_col].map(lambda v: year_of(time_text(v)))
        sel.used = sel.rows[years_of_rows.isin(list(per_year)).astype(bool)]
        counted, caveats = weigh(sel, None, "")
        _add_caveats(result, caveats)
        counted_flags.append(counted)
        sel.value, sel.period = value, str(year)
        _attribute(sel, year)
        sel.extra = {
            "rank": rank,
            "years_compared": sorted(per_year),
            "window": f"{first_year}/{year}",
            "excluded_years": sorted(excluded),
            "lowest_other_year": lowest_year,
            "lowest_other_value": others.get(lowest_year) if lowest_year is not None else None,
        }
        result["measured"].append(_measured_entry(sel, label, counted=counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
        if result["difference"] is None and lowest_year is not None:
            result["difference"] = value - others[lowest_year]
        descs.append({lang: rank_desc(sel, year, rank, len(per_year), lang) for lang in ("en", "es")})
    _finish(result, labels, selections, {**claimed, "period": ""}, rule, kind, descs, counted_flags)


def _attribute(sel: Selection, year: int) -> None:
    """Publisher and URL of the claim year's own rows (the aggregate picked them from another year's row)."""
    rows = sel.rows
    if rows is None or sel.time_col is None:
        return
    own = rows[rows[sel.time_col].map(lambda v: year_of(time_text(v)) == year).astype(bool)]
    if own.empty:
        return
    sel.rows_used = len(own)
    if "publisher" in own.columns and own["publisher"].notna().any():
        sel.publisher = "; ".join(dict.fromkeys(str(p) for p in own["publisher"].dropna()))
    if "url" in own.columns and own["url"].notna().any():
        sel.url = str(own["url"].dropna().iloc[0])


def _per_year(sel: Selection) -> dict[int, float]:
    """One value per year (several rows in a year are reduced with the evidence's own aggregate)."""
    rows = sel.rows
    if rows is None or sel.time_col is None:
        return {}
    years = rows[sel.time_col].map(lambda v: year_of(time_text(v)))
    values = pd.to_numeric(rows[sel.spec["column"]], errors="coerce")
    frame = pd.DataFrame({"year": years, "value": values}).dropna()
    how = sel.spec.get("aggregate", "last")
    reduce = {"min": "min", "max": "max", "mean": "mean", "sum": "sum"}.get(how, "last")
    grouped = frame.groupby("year", sort=True)["value"].agg(reduce)
    return {int(y): float(v) for y, v in grouped.items()}


def _finish(
    result: dict[str, Any],
    labels: list[str | None],
    selections: list[Selection],
    claimed: dict[str, Any],
    rule: dict[str, Any],
    kind: str,
    descs: list[dict[str, Any] | None],
    counted: list[bool] | None = None,
) -> None:
    """Combine the counted series' labels, then word the conclusion and the finding (`conclude`)."""
    counted = counted if counted is not None else [label is not None for label in labels]
    label, disagree = combine([lab if ok else None for lab, ok in zip(labels, counted, strict=True)])
    result["label"], result["sources_disagree"] = label, disagree
    conclude(result, labels, selections, claimed, rule, kind, descs, counted)
