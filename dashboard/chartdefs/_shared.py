"""Small helpers used by several chart definitions: country names and codes, sources, the source line inside every
image, and filtering by a URL's period."""

from __future__ import annotations

import pandas as pd

from dashboard.data import DataStore, SourceRef
from dashboard.figures.common import wrap
from dashboard.i18n import LANGS, fmt_date, fmt_num, source_text, t

WORLD_CODE = "OWID_WRL"
COUNTRY_KEYS = {  # country names as the data write them (in English) → their key in the catalogue (dashboard/i18n.py)
    "Cuba": "country_cuba",
    "Dominican Republic": "country_dominican_republic",
    "Jamaica": "country_jamaica",
    "Haiti": "country_haiti",
    "Puerto Rico": "country_puerto_rico",
    "Trinidad and Tobago": "country_trinidad_and_tobago",
    "Mexico": "country_mexico",
    "Brazil": "country_brazil",
    "Venezuela": "country_venezuela",
    "United States": "country_united_states",
    "World": "country_world",
}


def country_label(name: str, lang: str) -> str:
    """A country in the reader's language; a name the catalogue does not know stays as the data write it."""
    return t(COUNTRY_KEYS[name], lang) if name in COUNTRY_KEYS else name


def in_every_language(key: str) -> dict[str, str]:
    """A catalogue entry in every language, for what takes a mapping of languages (a chart's `ChartSpec.title`)."""
    return {lang: t(key, lang) for lang in LANGS}


def with_codes(df: pd.DataFrame) -> pd.DataFrame:
    """OWID leaves World without an ISO code; give it OWID's own so URLs can name it."""
    out = df.copy()
    out["code"] = out["iso_code"].fillna(WORLD_CODE).replace("", WORLD_CODE)
    return out


def owid_with_codes(store: DataStore) -> pd.DataFrame:
    """OWID's energy table with codes for every entity, prepared once per published package."""
    return store.prepared("owid_energy:with_codes", lambda s: with_codes(s.table("owid_energy")))


def owid_columns(store: DataStore, *columns: str) -> pd.DataFrame:
    """country, code, year (plain int64) and those of the given columns OWID's energy table has, prepared once per
    published package: filtering the full table (130 columns) cost more than drawing the chart."""

    def make(s: DataStore) -> pd.DataFrame:
        full = owid_with_codes(s)
        df = full[["country", "code", "year", *(c for c in columns if c in full.columns)]]
        return df.astype({"year": "int64"}) if df["year"].notna().all() else df

    return store.prepared("owid_energy:" + ",".join(columns), make)


def owid_country_choices(store: DataStore) -> list[str]:
    return store.prepared("owid_energy:country_choices", lambda s: sorted(owid_with_codes(s)["code"].unique().tolist()))


def sources_for(store: DataStore, *tables: str) -> list[SourceRef]:
    refs: list[SourceRef] = []
    for table in tables:
        for ref in store.sources(table):
            if ref not in refs:
                refs.append(ref)
    return refs


def pct(value: float | None, lang: str) -> str:
    return f"{fmt_num(value, lang, 1)}%" if value is not None else "–"


def no_data(lang: str) -> str:
    return t("no_data", lang)


def source_line(sources: list[SourceRef], as_of: str, lang: str, extra: str = "") -> str:
    """'Source: Ember · Data as of 2024', inside every image. "As of" is the latest observation (the chart's, else its
    tables'); a table whose latest observation is older than its cadence allows says so: 'Data as of 29 April 2026
    — stale', or '… · latest data: 29 April 2026 — stale' when the view ends earlier than the table (naming the
    publisher when the chart has several)."""
    names = []
    for s in sources:
        name = source_text(s.publisher or s.title, lang)
        if name and name not in names:
            names.append(name)
    # a credit the chart adds (a third party's log, the notes' outlets) is a source too: named with the others,
    # before the date (it trailed the date and read as a note, graphics round 7b)
    text = f"{t('source', lang)}: {'; '.join(names + ([extra] if extra else []))}"
    observed = [s for s in sources if s.latest_observation]
    if not as_of and observed:
        latest = max(observed, key=lambda s: s.latest_observation)
        as_of = observation_text(latest.latest_observation, latest.resolution, lang)
    if as_of:
        text += f" · {t('data_as_of', lang)} {as_of}"
    stale = max((s for s in observed if s.stale_since), key=lambda s: s.latest_observation, default=None)
    if stale is not None:
        latest_text = observation_text(stale.latest_observation, stale.resolution, lang)
        note = f"{t('latest_data', lang)}: {latest_text} — {t('stale_mark', lang)}"
        stale_name = source_text(stale.publisher or stale.title, lang)
        if as_of in (latest_text, stale.latest_observation) and stale_name == names[0]:
            text += f" — {t('stale_mark', lang)}"  # the chart's own source, already named first: said once
        elif len(names) > 1:  # name the stale one: 'OWID; Ember · Data as of 2024 · Ember, latest data: 2024 — stale'
            text += f" · {stale_name}, {note}"
        else:
            text += f" · {note}"
    return wrap(text + archived_mark(lang), 110)


def archived_mark(lang: str) -> str:
    """ " · Archived: data version … (day)" on every chart drawn for a request pinned to a data version (an archived
    page, a pinned embed or download), so that a screenshot or a saved image says it is a frozen copy; "" else."""
    from dashboard.data import store

    data = store()
    if not data.is_pinned:
        return ""
    day = str(data.package().get("x_last_changed") or "")[:10]
    return " · " + t("archived_mark", lang, version=data.version_id, day=fmt_date(day, lang) if day else "")


def period_start(start: str) -> pd.Timestamp:
    return pd.Timestamp(start if len(start) > 4 else f"{start}-01-01")


def period_end(end: str) -> pd.Timestamp:
    """The last day a year, month or date covers."""
    if len(end) == 10:
        return pd.Timestamp(end)
    if len(end) == 4:
        return pd.Timestamp(f"{end}-12-31")
    return pd.Timestamp(f"{end}-01") + pd.offsets.MonthEnd(0)


def filter_period(df: pd.DataFrame, column: str, start: str | None, end: str | None) -> pd.DataFrame:
    """Keep rows within [start, end]; works on integer years and on datetime columns."""
    if df.empty:
        return df
    col = df[column]
    if pd.api.types.is_datetime64_any_dtype(col):
        if col.is_monotonic_increasing:  # sorted dates (prepared frames): two binary searches, no mask over the rows
            first = col.searchsorted(period_start(start), "left") if start else 0
            last = col.searchsorted(period_end(end), "right") if end else len(col)
            return df.iloc[first:last]
        if start:
            df = df[col >= period_start(start)]
            col = df[column]
        if end:
            df = df[col <= period_end(end)]
        return df
    if col.is_monotonic_increasing and col.dtype.kind == "i":  # sorted years (one entity's rows): binary searches
        first = col.searchsorted(int(start[:4]), "left") if start else 0
        last = col.searchsorted(int(end[:4]), "right") if end else len(col)
        return df.iloc[first:last]
    if start:
        df = df[col >= int(start[:4])]
        col = df[column]
    if end:
        df = df[col <= int(end[:4])]
    return df


def column_span(df: pd.DataFrame, column: str) -> tuple[str, str]:
    """The first and last value of a table's period column (a year or an ISO month or day), as text (ChartSpec.span)."""
    values = df[column].dropna()
    return (str(values.min()), str(values.max())) if len(values) else ("9999", "0001")


def observation_text(latest: str, resolution: str, lang: str) -> str:
    """A latest observation (ISO date) as its table publishes it: '2024' for a year, 'April 2026', '29 April 2026'."""
    if not latest:
        return ""
    if resolution == "year":
        return latest[:4]
    if resolution == "month":
        return fmt_date(latest[:7], lang)
    return fmt_date(latest[:10], lang)
