"""Alerts: the events a journalist would want to hear about, derived once here so that the dashboard's Atom and JSON
feeds only select and format them (dashboard/feeds.py). Every rule is a pure function of published tables, the
changelog's records, the package and the day of the run:

- a new record in the daily UNE series: a day whose value is the highest for at least RECORD_MIN_DAYS;
- a grid collapse (the curated `grid_collapses` table);
- a claim whose label changed (the claims source's `label_changes` in the changelog: the runner writes a run's
  changelog record when the run ends, so a change is published by the next refresh, dated by the run that made it);
- a new vintage of an upstream source (the files the package records as retrieved on a day), kept once seen;
- a table whose next observation is overdue (content staleness, etl/staleness.py), kept once seen.

Every title and summary is a template of the ETL's catalogue (etl/words/alerts.yaml, read with `say_each`), so both
languages say the same thing and a translator edits one file; this module picks templates, never words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from etl.catalogue import LANGS, each, localized, number_marks, say, say_each
from etl.claims.formatting import fmt_date
from etl.claims.labels import LABELS_ES
from etl.sources.base import DeriveContext
from etl.staleness import content_staleness

INPUTS = ("une_daily", "grid_collapses", "alerts")
OPTIONAL_INPUTS = ("alerts",)  # its own previous events: stale and vintage events stay once seen
# Read, not published, by this source (the runner hands a derived source these files of data/): the changelog is the
# history of label changes, claims.json gives their quotes (not an input table: a claims-only refresh need not run
# this source). Such a source is recomputed on every run (etl/registry.py), as staleness, which depends on the day,
# needs; an unchanged result changes no file.
READS_DOCUMENTS = ("changelog.jsonl", "claims.json")

RECORD_MIN_DAYS = 180  # "highest since": at least half a year
SERIES_MIN_DAYS = 365  # "highest in the series" only once the series covers a year
RECORD_WINDOW_DAYS = 365  # the chart a record links to shows the year before it
COLLAPSE_WINDOW_DAYS = 30
COLUMNS = (
    "event_id",
    "date",
    "kind",
    "subject",
    "value",
    "value_unit",
    "since_date",
    "title_en",
    "title_es",
    "summary_en",
    "summary_es",
    "link_path",
)
# Column of une_daily → chart id and unit; the words of its title are the catalogue's `alerts.series.<column>`.
RECORD_SERIES = {
    "peak_deficit_mw": ("une-supply-demand", "MW"),
    "peak_share_of_demand_cut_pct": ("une-share-dark", "%"),
    "prev_day_max_affectation_mw": ("une-load-cut", "MW"),
}
KEPT_KINDS = ("stale", "new_vintage")  # events the inputs no longer show once they are over: kept once seen


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    records = changelog_records(ctx.previous_documents.get("changelog.jsonl", b""))
    events = derive_events(
        une_daily=ctx.inputs["une_daily"],
        grid_collapses=ctx.inputs["grid_collapses"],
        claims=claim_quotes(ctx.previous_documents.get("claims.json", b"")),
        changelog=records,
        package=ctx.package,
        today=ctx.now.date(),
        previous=ctx.inputs.get("alerts"),
    )
    return {"alerts": events}


def claim_quotes(content: bytes) -> pd.DataFrame:
    """claim_id and quote of every published claim (claims.json; empty if it is missing or unreadable)."""
    try:
        claims = json.loads(content.decode("utf-8")).get("claims") or [] if content else []
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        claims = []
    rows = [{"claim_id": c.get("claim_id"), "quote": c.get("quote")} for c in claims if isinstance(c, dict)]
    return pd.DataFrame(rows, columns=["claim_id", "quote"])


def changelog_records(content: bytes) -> list[dict[str, Any]]:
    """The changelog's records (JSON lines); a line that does not parse is skipped, as the dashboard does."""
    out = []
    for line in content.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            out.append(record)
    return out


def derive_events(
    une_daily: pd.DataFrame,
    grid_collapses: pd.DataFrame,
    claims: pd.DataFrame,
    changelog: list[dict[str, Any]],
    package: dict[str, Any],
    today: date,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every event, one row each, sorted by date then id (the published order)."""
    rows = [
        *record_events(une_daily),
        *collapse_events(grid_collapses),
        *label_events(changelog, claims),
        *vintage_events(package),
        *stale_events(package, today),
    ]
    fresh = {r["event_id"] for r in rows}
    if previous is not None and len(previous):
        for row in previous.to_dict("records"):
            if row.get("kind") in KEPT_KINDS and row["event_id"] not in fresh:
                rows.append({c: _plain(row.get(c)) for c in COLUMNS})
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df = df.drop_duplicates("event_id", keep="first")
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    return df.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    return value


def day_text(day: str) -> dict[str, str]:
    """A day (ISO, maybe with a time) in every language, by the catalogue's `date.day`: '18 October 2024' /
    '18 de octubre de 2024'."""
    return each(lambda lang: fmt_date(day[:10], lang))


def number_text(value: float, unit: str) -> dict[str, str]:
    """A record's value and unit in every language: a share with one decimal unless it is whole, else none."""
    text = (f"{value:,.1f}" if unit == "%" else f"{value:,.0f}").removesuffix(".0")
    return each(lambda lang: say("alerts.value", lang, number=number_marks(text, lang), unit=unit))


def label_text(label: str) -> dict[str, str]:
    """A claim's label in every language: as the claims write it, with etl/claims/labels.py's Spanish (if any) read
    the way a claim file's translated field is."""
    return each(lambda lang: localized({"label": label, "label_es": LABELS_ES.get(label)}, "label", lang))


def texts(title: Mapping[str, str], summary: Mapping[str, str]) -> dict[str, str]:
    """An event's title_<lang> and summary_<lang> columns."""
    return {f"{field}_{lang}": text[lang] for field, text in (("title", title), ("summary", summary)) for lang in LANGS}


def chart_path(chart_id: str, start: date, end: date) -> str:
    """The /blackouts chart showing the period around an event (the page's own start/end parameters)."""
    return f"/blackouts?{urlencode({'start': start.isoformat(), 'end': end.isoformat()})}#{chart_id}"


def record_events(une_daily: pd.DataFrame) -> list[dict[str, Any]]:
    """Days whose value is the highest for at least RECORD_MIN_DAYS ("highest since D": D is the last earlier day
    with a value as high), or the highest of a series that covers at least SERIES_MIN_DAYS before it."""
    if une_daily is None or une_daily.empty:
        return []
    days = pd.to_datetime(une_daily["date"]).dt.date
    out = []
    for column, (chart_id, unit) in RECORD_SERIES.items():
        if column not in une_daily.columns:
            continue
        kinds = une_daily["source_kind"] if "source_kind" in une_daily else pd.Series("note", index=une_daily.index)
        publishers = une_daily["publisher"] if "publisher" in une_daily else pd.Series("", index=une_daily.index)
        # The previous day's actual maximum is reported by the next morning's note: it belongs to the day before.
        shift = timedelta(days=1) if column == "prev_day_max_affectation_mw" else timedelta(0)
        series = pd.DataFrame(
            {
                "day": [d - shift for d in days],
                "note_day": days,
                "value": pd.to_numeric(une_daily[column], errors="coerce"),
                "kind": kinds.astype("string").fillna("note"),
                "publisher": publishers.astype("string").fillna(""),
            }
        )
        series = series.dropna(subset=["value"]).sort_values("day").reset_index(drop=True)
        if series.empty:
            continue
        first_day = series["day"].iloc[0]
        last_at_least: list[tuple[date, float, int]] = []  # days with values in decreasing order (a monotonic stack)
        for i, (day, value) in enumerate(zip(series["day"], series["value"], strict=True)):
            while last_at_least and last_at_least[-1][1] < value:
                last_at_least.pop()
            since, between = (last_at_least[-1][0], i - last_at_least[-1][2] - 1) if last_at_least else (None, i)
            last_at_least.append((day, value, i))
            whole = since is None  # the highest of the whole series so far: `between` counts from its first day
            if since is not None:
                if (day - since).days < RECORD_MIN_DAYS:
                    continue
            else:
                if (day - first_day).days < SERIES_MIN_DAYS:
                    continue
                since = first_day
            reach = "series" if whole else "since"  # the catalogue's alerts.record.title_<reach>, summary_<reach>
            row = series.iloc[i]
            words = {"since": day_text(since.isoformat()), "value": number_text(value, unit)}
            when = day_text(day.isoformat())
            if row["kind"] == "press point":  # a figure another outlet reported for a day without a parsed note
                said = say_each("alerts.record.said_press", publisher=row["publisher"], when=when, **words)
            elif shift:
                said = say_each(
                    "alerts.record.said_note_of", note=day_text(row["note_day"].isoformat()), when=when, **words
                )
            else:
                said = say_each("alerts.record.said_note", when=when, **words)
            title = say_each(f"alerts.record.title_{reach}", what=say_each(f"alerts.series.{column}"), **words)
            summary = say_each(f"alerts.record.summary_{reach}", said=said, between=between, **words)
            out.append(
                {
                    "event_id": f"record:{column}:{day.isoformat()}",
                    "date": day.isoformat(),
                    "kind": "record",
                    "subject": column,
                    "value": float(value),
                    "value_unit": unit,
                    "since_date": since.isoformat(),
                    **texts(title, summary),
                    "link_path": chart_path(chart_id, day - timedelta(days=RECORD_WINDOW_DAYS), day),
                }
            )
    return out


def collapse_events(grid_collapses: pd.DataFrame) -> list[dict[str, Any]]:
    """One event per curated grid collapse, linked to the supply chart around it."""
    if grid_collapses is None or grid_collapses.empty:
        return []
    out = []
    for row in grid_collapses.to_dict("records"):
        day = pd.Timestamp(row["date"]).date()
        scope = str(row.get("scope") or "")
        trigger = str(row.get("trigger") or "").strip()
        title = say_each(
            f"alerts.collapse.title_{'total' if scope == 'total' else 'partial'}", when=day_text(day.isoformat())
        )
        publisher = str(row.get("publisher") or "")
        summary = say_each(
            "alerts.collapse.summary",
            title=title,
            cause=say_each("alerts.collapse.cause", trigger=trigger) if trigger else "",
            source=say_each("alerts.collapse.source", publisher=publisher)
            if publisher
            else say_each("alerts.collapse.no_source"),
        )
        out.append(
            {
                "event_id": f"grid_collapse:{day.isoformat()}:{scope}",
                "date": day.isoformat(),
                "kind": "grid_collapse",
                "subject": scope,
                "value": None,
                "value_unit": None,
                "since_date": None,
                **texts(title, summary),
                "link_path": chart_path(
                    "une-supply-demand",
                    day - timedelta(days=COLLAPSE_WINDOW_DAYS),
                    day + timedelta(days=COLLAPSE_WINDOW_DAYS),
                ),
            }
        )
    return out


def _slug(text: str) -> str:
    """'Partly consistent' → 'partly-consistent': ids are used in feed entry ids (IRIs: no spaces)."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def label_events(changelog: list[dict[str, Any]], claims: pd.DataFrame) -> list[dict[str, Any]]:
    """A claim whose label changed (not its first publication), from the claims source's records in the changelog."""
    quotes = {}
    if claims is not None and not claims.empty:
        quotes = {str(r["claim_id"]): str(r.get("quote") or "") for r in claims.to_dict("records")}
    out = []
    for record in changelog:
        day = str(record.get("started_at") or "")[:10]
        for change in ((record.get("sources") or {}).get("claims") or {}).get("label_changes") or []:
            claim_id, old, new = change.get("claim_id"), change.get("old"), change.get("new")
            if not claim_id or not old or not day:
                continue
            words = {"quote": _short(quotes.get(claim_id, claim_id)), "claim_id": claim_id, "day": day_text(day)}
            # A label changes with new data or with a re-reading of the claim or its sources: the claim page says
            # which; the alert does not presume new data.
            change = "changed" if new else "withdrawn"
            if new:
                words["new"] = label_text(new)
            title = say_each(f"alerts.label.title_{change}", old=label_text(old), **words)
            summary = say_each(f"alerts.label.summary_{change}", old=label_text(old), **words)
            out.append(
                {
                    "event_id": f"label_change:{claim_id}:{day}:{_slug(new or 'withdrawn')}",
                    "date": day,
                    "kind": "label_change",
                    "subject": claim_id,
                    "value": None,
                    "value_unit": None,
                    "since_date": None,
                    **texts(title, summary),
                    "link_path": f"/claims/{claim_id}",
                }
            )
    return out


def _source_titles(package: dict[str, Any]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for res in package.get("resources", []):
        sid = res.get("x_source_id")
        for src in res.get("sources") or []:
            if sid and src.get("title"):
                titles.setdefault(sid, src["title"])
    return titles


def vintage_events(package: dict[str, Any]) -> list[dict[str, Any]]:
    """Per source and day, the upstream files the package records as retrieved that day (a publish records the
    vintage when the content changed, never when it was only checked), as one event: an archive of many files is one
    piece of news. From the package of this very run, so an event is published the night its data are; earlier
    vintages stay in the table once seen (KEPT_KINDS)."""
    titles = _source_titles(package)
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for res in package.get("resources", []):
        source_id = str(res.get("x_source_id") or "")
        for src in res.get("sources") or []:
            url, sha, day = str(src.get("path") or ""), str(src.get("sha256") or ""), str(src.get("retrieved") or "")
            if source_id and url.startswith("http") and sha and len(day) >= 10:
                groups.setdefault((source_id, day[:10]), {})[url] = sha
    out = []
    for (source_id, day), files in sorted(groups.items()):
        digest = hashlib.sha256("".join(f"{u} {files[u]}" for u in sorted(files)).encode()).hexdigest()[:12]
        first = min(files)
        name = first.rsplit("/", 1)[-1]
        count = len(files)
        many = "many" if count > 1 else "one"
        title = say_each(f"alerts.vintage.title_{many}", title=titles.get(source_id, source_id), name=name, count=count)
        summary = say_each(f"alerts.vintage.summary_{many}", day=day_text(day), first=first, more=count - 1)
        out.append(
            {
                "event_id": f"new_vintage:{source_id}:{day}:{digest}",
                "date": day,
                "kind": "new_vintage",
                "subject": source_id,
                "value": None,
                "value_unit": None,
                "since_date": None,
                **texts(title, summary),
                "link_path": "/data",
            }
        )
    return out


def stale_events(package: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """Tables whose next observation is overdue today by their declared cadence (etl/staleness.py)."""
    out = []
    for res in package.get("resources", []):
        latest = res.get("x_latest_observation")
        is_stale, since = content_staleness(latest, res.get("x_expected_cadence_days"), today)
        if not is_stale or not since:
            continue
        table = str(res["path"]).removesuffix(".csv")
        words = {"title": str(res.get("title") or table), "table": table, "latest": day_text(latest)}
        title = say_each("alerts.stale.title", **words)
        summary = say_each("alerts.stale.summary", cadence=res.get("x_expected_cadence_days"), **words)
        out.append(
            {
                "event_id": f"stale:{table}:{latest}",
                "date": since,
                "kind": "stale",
                "subject": table,
                "value": None,
                "value_unit": None,
                "since_date": latest,
                **texts(title, summary),
                "link_path": "/data",
            }
        )
    return out
