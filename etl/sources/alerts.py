"""Alerts: the events a journalist would want to hear about, derived once here so that the dashboard's Atom and JSON
feeds only select and format them (dashboard/feeds.py). Every rule is a pure function of published tables, the
changelog's records, the package and the day of the run:

- a new record in the daily UNE series: a day whose value is the highest for at least RECORD_MIN_DAYS;
- a grid collapse (the curated `grid_collapses` table);
- a claim whose label changed (the claims source's `label_changes` in the changelog: the runner writes a run's
  changelog record when the run ends, so a change is published by the next refresh, dated by the run that made it);
- a new vintage of an upstream source (the files the package records as retrieved on a day), kept once seen;
- a table whose next observation is overdue (content staleness, etl/staleness.py), kept once seen.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from etl.claims.labels import LABELS_ES
from etl.month_names import MONTHS
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
# Column of une_daily → chart id, unit, and the words of its title.
RECORD_SERIES = {
    "peak_deficit_mw": (
        "une-supply-demand",
        "MW",
        ("Highest forecast peak deficit", "Mayor déficit previsto en el pico"),
    ),
    "peak_share_of_demand_cut_pct": (
        "une-share-dark",
        "%",
        (
            "Largest share of demand planned to be cut at the peak",
            "Mayor parte de la demanda prevista para cortar en el pico",
        ),
    ),
    "prev_day_max_affectation_mw": (
        "une-load-cut",
        "MW",
        ("Largest actual load cut", "Mayor afectación real"),
    ),
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


def day_text(day: str, lang: str) -> str:
    """'18 October 2024' / '18 de octubre de 2024'."""
    d = date.fromisoformat(day[:10])
    month = MONTHS[lang][d.month - 1]
    return f"{d.day} {month} {d.year}" if lang == "en" else f"{d.day} de {month} de {d.year}"


def number_text(value: float, unit: str, lang: str) -> str:
    text = f"{value:,.1f}" if unit == "%" else f"{value:,.0f}"
    text = text.removesuffix(".0")
    if lang == "es":
        text = text.replace(",", " ").replace(".", ",")
    return f"{text} %" if unit == "%" else f"{text} {unit}"


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
    for column, (chart_id, unit, (what_en, what_es)) in RECORD_SERIES.items():
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
                since_en, since_es = day_text(since.isoformat(), "en"), day_text(since.isoformat(), "es")
                title_en = f"{what_en} since {since_en}: {number_text(value, unit, 'en')}"
                title_es = f"{what_es} desde el {since_es}: {number_text(value, unit, 'es')}"
            else:
                if (day - first_day).days < SERIES_MIN_DAYS:
                    continue
                since = first_day
                since_en, since_es = day_text(since.isoformat(), "en"), day_text(since.isoformat(), "es")
                title_en = f"{what_en} in the series (since {since_en}): {number_text(value, unit, 'en')}"
                title_es = f"{what_es} de la serie (desde el {since_es}): {number_text(value, unit, 'es')}"
            when_en, when_es = day_text(day.isoformat(), "en"), day_text(day.isoformat(), "es")
            row = series.iloc[i]
            note_en, note_es = day_text(row["note_day"].isoformat(), "en"), day_text(row["note_day"].isoformat(), "es")
            if row["kind"] == "press point":  # a figure another outlet reported for a day without a parsed note
                said_en = f"A press report ({row['publisher']}) gives {number_text(value, unit, 'en')} for {when_en}"
                said_es = (
                    f"Una nota de prensa ({row['publisher']}) da {number_text(value, unit, 'es')} para el {when_es}"
                )
            elif shift:
                said_en = f"The UNE's note of {note_en} reports {number_text(value, unit, 'en')} on {when_en}"
                said_es = f"La nota de la UNE del {note_es} informa {number_text(value, unit, 'es')} el {when_es}"
            else:
                said_en = f"The UNE's note for {when_en} gives {number_text(value, unit, 'en')}"
                said_es = f"La nota de la UNE del {when_es} da {number_text(value, unit, 'es')}"
            out.append(
                {
                    "event_id": f"record:{column}:{day.isoformat()}",
                    "date": day.isoformat(),
                    "kind": "record",
                    "subject": column,
                    "value": float(value),
                    "value_unit": unit,
                    "since_date": since.isoformat(),
                    "title_en": title_en,
                    "title_es": title_es,
                    "summary_en": f"{said_en}, the highest value of this series since {since_en} "
                    + (
                        f"({between} days with a figure in between)."
                        if not whole
                        else f"({between} days with a figure)."
                    ),
                    "summary_es": f"{said_es}, el valor más alto de esta serie desde el {since_es} "
                    + (f"({between} días con cifra entre medias)." if not whole else f"({between} días con cifra)."),
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
        when_en, when_es = day_text(day.isoformat(), "en"), day_text(day.isoformat(), "es")
        total = scope == "total"
        title_en = f"{'Total' if total else 'Partial'} collapse of the national grid on {when_en}"
        title_es = f"Desconexión {'total' if total else 'parcial'} del sistema eléctrico nacional el {when_es}"
        publisher = str(row.get("publisher") or "")
        out.append(
            {
                "event_id": f"grid_collapse:{day.isoformat()}:{scope}",
                "date": day.isoformat(),
                "kind": "grid_collapse",
                "subject": scope,
                "value": None,
                "value_unit": None,
                "since_date": None,
                "title_en": title_en,
                "title_es": title_es,
                "summary_en": f"{title_en}"
                + (f"; cause reported: {trigger}" if trigger else "")
                + (f" (source: {publisher})." if publisher else "."),
                "summary_es": f"{title_es}"
                + (f"; causa informada (en inglés): {trigger}" if trigger else "")
                + (f" (fuente: {publisher})." if publisher else "."),
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
            quote = _short(quotes.get(claim_id, claim_id))
            if new:
                title_en = f"Claim relabelled: “{quote}” ({claim_id}) is now {new} (was {old})"
                title_es = (
                    f"Afirmación reetiquetada: «{quote}» ({claim_id}) ahora es {LABELS_ES.get(new, new)} "
                    f"(antes {LABELS_ES.get(old, old)})"
                )
                # A label changes with new data or with a re-reading of the claim or its sources: the claim page
                # says which; the alert does not presume new data.
                summary_en = (
                    f"In the refresh of {day_text(day, 'en')}, the claim's label changed from {old} to {new} "
                    f"(claim {claim_id}; the claim page gives the reasons)."
                )
                summary_es = (
                    f"En la actualización del {day_text(day, 'es')}, la etiqueta de la afirmación cambió de "
                    f"{LABELS_ES.get(old, old)} a {LABELS_ES.get(new, new)} (afirmación {claim_id}; la página de la "
                    "afirmación da los motivos). La cita es del documento original, en inglés."
                )
            else:
                title_en = f"Claim withdrawn: “{quote}” (was {old})"
                title_es = f"Afirmación retirada: «{quote}» (antes {LABELS_ES.get(old, old)})"
                summary_en = f"On {day_text(day, 'en')} the claim was no longer published."
                summary_es = f"El {day_text(day, 'es')} la afirmación dejó de publicarse."
            out.append(
                {
                    "event_id": f"label_change:{claim_id}:{day}:{_slug(new or 'withdrawn')}",
                    "date": day,
                    "kind": "label_change",
                    "subject": claim_id,
                    "value": None,
                    "value_unit": None,
                    "since_date": None,
                    "title_en": title_en,
                    "title_es": title_es,
                    "summary_en": summary_en,
                    "summary_es": summary_es,
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
        title = titles.get(source_id, source_id)
        first = min(files)
        name = first.rsplit("/", 1)[-1]
        count = len(files)
        out.append(
            {
                "event_id": f"new_vintage:{source_id}:{day}:{digest}",
                "date": day,
                "kind": "new_vintage",
                "subject": source_id,
                "value": None,
                "value_unit": None,
                "since_date": None,
                "title_en": f"New version of {title}" + (f": {name}" if count == 1 else f" ({count} files)"),
                "title_es": f"Nueva versión de {title}" + (f": {name}" if count == 1 else f" ({count} archivos)"),
                "summary_en": f"Published with the content retrieved on {day_text(day, 'en')}: {first}"
                + (f" and {count - 1} more files." if count > 1 else "."),
                "summary_es": f"Publicado con el contenido obtenido el {day_text(day, 'es')}: {first}"
                + (f" y {count - 1} archivos más." if count > 1 else "."),
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
        title = str(res.get("title") or table)
        out.append(
            {
                "event_id": f"stale:{table}:{latest}",
                "date": since,
                "kind": "stale",
                "subject": table,
                "value": None,
                "value_unit": None,
                "since_date": latest,
                "title_en": f"Overdue: {title} has no observation after {day_text(latest, 'en')}",
                "title_es": f"Con retraso: {title} no tiene observaciones posteriores al {day_text(latest, 'es')}",
                "summary_en": f"A new observation of {table} was due every {res.get('x_expected_cadence_days')} days; "
                f"the latest is of {day_text(latest, 'en')}.",
                "summary_es": f"Se esperaba una nueva observación de {table} cada {res.get('x_expected_cadence_days')} "
                f"días; la última es del {day_text(latest, 'es')}.",
                "link_path": "/data",
            }
        )
    return out
