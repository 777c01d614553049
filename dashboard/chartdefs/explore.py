"""Explore: any published numeric series, by country where the table has countries, over any period."""

from __future__ import annotations

import pandas as pd

from dashboard.chart_registry import ChartSpec, ChartState, ChartView, register
from dashboard.chartdefs._shared import WORLD_CODE, country_label, filter_period, no_data, source_line, sources_for
from dashboard.chartdefs.generation import MID_YEAR, at_mid_year, with_mid_year
from dashboard.data import DataStore
from dashboard.figures.basic import make_lines
from dashboard.figures.common import Frame, rows_with_values
from dashboard.i18n import fmt_date, fmt_num

DEFAULT_TABLE = "owid_energy"
DEFAULT_SERIES = "oil_share_of_electricity_pct"
TIME_COLUMNS = ("year", "date")

# Every explorable series and dataset in words, in both languages: the title and subtitle of a chart that travels
# alone (embed, PNG) name the measure, the place and the period, never a column name.
SERIES_NAMES: dict[str, tuple[str, str]] = {
    "electricity_demand_twh": ("Electricity demand", "Demanda de electricidad"),
    "electricity_demand_per_capita_mwh": ("Electricity demand per person", "Demanda de electricidad por persona"),
    "carbon_intensity_gco2_per_kwh": ("Carbon intensity of electricity", "Intensidad de carbono de la electricidad"),
    "carbon_intensity_of_electricity_gco2_per_kwh": (
        "Carbon intensity of electricity",
        "Intensidad de carbono de la electricidad",
    ),
    "usd_cup_informal": ("Informal exchange rate, pesos per US dollar", "Tasa informal, pesos por dólar"),
    "eur_cup_informal": ("Informal exchange rate, pesos per euro", "Tasa informal, pesos por euro"),
    "usd_cup_official": ("Official exchange rate, pesos per US dollar", "Tasa oficial, pesos por dólar"),
    "block": ("Blackout block number", "Número de bloque de apagones"),
    "estimated_outage_hours": ("Estimated outage hours", "Horas de apagón estimadas"),
    "days_covered": ("Days covered", "Días cubiertos"),
    "outage_hours_per_day": ("Estimated outage hours per day", "Horas de apagón estimadas por día"),
    "declared_affectations": ("Declared outages", "Afectaciones declaradas"),
    "mentions": ("Mentions", "Menciones"),
    "gross_generation_gwh": ("Gross electricity generation", "Generación bruta de electricidad"),
    "population": ("Population", "Población"),
    "electricity_generation_twh": ("Electricity generation", "Generación de electricidad"),
    "per_capita_electricity_kwh": ("Electricity generation per person", "Generación de electricidad por persona"),
    "oil_electricity_twh": ("Electricity generated from oil", "Electricidad generada con petróleo"),
    "gas_electricity_twh": ("Electricity generated from gas", "Electricidad generada con gas"),
    "coal_electricity_twh": ("Electricity generated from coal", "Electricidad generada con carbón"),
    "fossil_electricity_twh": (
        "Electricity generated from fossil fuels",
        "Electricidad generada con combustibles fósiles",
    ),
    "renewables_electricity_twh": ("Electricity generated from renewables", "Electricidad generada con renovables"),
    "solar_electricity_twh": ("Electricity generated from solar", "Electricidad solar"),
    "wind_electricity_twh": ("Electricity generated from wind", "Electricidad eólica"),
    "hydro_electricity_twh": ("Electricity generated from hydropower", "Electricidad hidráulica"),
    "biofuel_electricity_twh": ("Electricity generated from bioenergy", "Electricidad generada con bioenergía"),
    "nuclear_electricity_twh": ("Electricity generated from nuclear power", "Electricidad nuclear"),
    "oil_share_of_electricity_pct": (
        "Share of electricity generated from oil",
        "Parte de la electricidad generada con petróleo",
    ),
    "fossil_share_of_electricity_pct": (
        "Share of electricity generated from fossil fuels",
        "Parte de la electricidad generada con combustibles fósiles",
    ),
    "renewables_share_of_electricity_pct": (
        "Share of electricity generated from renewables",
        "Parte de la electricidad generada con renovables",
    ),
    "primary_energy_consumption_twh": ("Primary energy consumption", "Consumo de energía primaria"),
    "oil_consumption_twh": ("Primary energy consumption from oil", "Consumo de energía primaria de petróleo"),
    "oil_production_twh": ("Oil production (energy content)", "Producción de petróleo (contenido energético)"),
    "oil_share_of_primary_energy_pct": ("Oil's share of primary energy", "Parte del petróleo en la energía primaria"),
    "capacity_mw": ("Capacity of floating power plants", "Capacidad de las centrales flotantes"),
    "value": ("Value", "Valor"),
    "international_visitors": ("International visitors", "Visitantes internacionales"),
    "peak_availability_mw": ("Available capacity at the evening peak", "Disponibilidad en el pico nocturno"),
    "peak_demand_mw": ("Demand at the evening peak", "Demanda en el pico nocturno"),
    "peak_deficit_mw": ("Deficit at the evening peak", "Déficit en el pico nocturno"),
    "peak_affectation_mw": ("Planned load cut at the evening peak", "Afectación prevista en el pico nocturno"),
    "prev_day_max_affectation_mw": ("Largest load cut of the previous day", "Máxima afectación del día anterior"),
    "morning_availability_mw": ("Available capacity in the morning", "Disponibilidad por la mañana"),
    "morning_demand_mw": ("Demand in the morning", "Demanda por la mañana"),
    "morning_affected_mw": ("Load cut in the morning", "Afectación por la mañana"),
    "midday_affectation_mw": ("Planned load cut for the daytime", "Afectación prevista para el día"),
    "thermal_limitations_mw": ("Thermal capacity limited", "Limitaciones en la generación térmica"),
    "distributed_generation_out_mw": (
        "Distributed generation out of service",
        "Generación distribuida fuera de servicio",
    ),
    "distributed_generation_out_of_fuel_plants": (
        "Distributed generation plants out of fuel",
        "Centrales de generación distribuida sin combustible",
    ),
    "distributed_generation_out_of_fuel_mw": (
        "Distributed generation out of fuel",
        "Generación distribuida sin combustible",
    ),
    "lubricant_unavailable_mw": ("Capacity down for lack of lubricant", "Capacidad parada por falta de lubricante"),
    "out_of_fuel_mw": ("Capacity down for lack of fuel", "Capacidad parada por falta de combustible"),
    "solar_parks_new": ("New solar parks", "Parques solares nuevos"),
    "solar_energy_mwh": ("Energy from solar parks", "Energía de los parques solares"),
    "solar_max_power_mw": ("Peak output of solar parks", "Potencia máxima de los parques solares"),
    "peak_share_of_demand_cut_pct": ("Share of peak demand cut", "Parte de la demanda pico cortada"),
    "estimated_outage_hours_per_day_low": (
        "Hours without power per day, estimate (low end)",
        "Horas sin corriente por día, estimación (extremo bajo)",
    ),
    "estimated_outage_hours_per_day_central": (
        "Hours without power per day, estimate",
        "Horas sin corriente por día, estimación",
    ),
    "estimated_outage_hours_per_day_high": (
        "Hours without power per day, estimate (high end)",
        "Horas sin corriente por día, estimación (extremo alto)",
    ),
    "thermal_units_out_of_service": ("Thermal units out of service", "Unidades térmicas fuera de servicio"),
    "unit": ("Unit", "Unidad"),
}
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "electricity_demand_by_source": ("Electricity demand, by publisher", "Demanda de electricidad, por fuente"),
    "ember_yearly": ("Ember yearly electricity data", "Datos anuales de electricidad de Ember"),
    "exchange_rate": ("Exchange rates of the Cuban peso", "Tasas de cambio del peso cubano"),
    "havana_block_outages": (
        "Havana blackout blocks (third-party estimate)",
        "Bloques de apagones de La Habana (estimación de terceros)",
    ),
    "onei_generation": ("Electricity generation in Cuba (ONEI)", "Generación de electricidad en Cuba (ONEI)"),
    "owid_energy": ("Our World in Data energy dataset", "Datos de energía de Our World in Data"),
    "powerships": ("Floating power plants in Cuba", "Centrales eléctricas flotantes en Cuba"),
    "reference_facts": ("Reference facts", "Datos de referencia"),
    "tourism_visitors": ("International visitors to Cuba", "Visitantes internacionales a Cuba"),
    "une_daily": ("UNE daily notes", "Notas diarias de la UNE"),
    "une_notes_archive": ("Archived UNE daily notes", "Archivo de notas diarias de la UNE"),
    "une_press_points": ("UNE figures reported by other outlets", "Cifras de la UNE publicadas por otros medios"),
    "une_rejected_values": ("Values rejected as implausible", "Valores descartados por inverosímiles"),
    "une_unit_outages": ("Thermal units out of service", "Unidades térmicas fuera de servicio"),
}
UNIT_NAMES_ES = {
    "people": "personas",
    "persons": "personas",
    "hours": "horas",
    "hours per day": "horas por día",
    "MWh per person": "MWh por persona",
    "kWh per person": "kWh por persona",
    "CUP per USD": "CUP por USD",
    "CUP per EUR": "CUP por EUR",
}


def series_name(series: str, field: dict, lang: str) -> str:
    """The measure in words (never the column name)."""
    if series in SERIES_NAMES:
        return SERIES_NAMES[series][0 if lang == "en" else 1]
    text = field.get("description") or series.replace("_", " ").capitalize()
    return text if lang == "en" else f"{text} (en inglés)"


def _place_names(df: pd.DataFrame, entity_col: str | None, table: str, lang: str) -> str:
    if entity_col and "country" in df.columns and len(df):
        names = [country_label(c, lang) for c in dict.fromkeys(df["country"])]
    elif table.startswith("havana"):
        names = ["Havana" if lang == "en" else "La Habana"]
    else:
        names = ["Cuba"]
    if len(names) > 4:
        names = [*names[:3], f"{len(names) - 3} {'more' if lang == 'en' else 'más'}"]
    joiner = " and " if lang == "en" else " y "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]


def _when(value: object, time_col: str, lang: str) -> str:
    return fmt_date(pd.Timestamp(value).date(), lang) if time_col == "date" else str(int(value))


def explorable_tables(store: DataStore) -> list[str]:
    out = []
    for name in store.table_names():
        fields = {f["name"]: f for f in store.fields(name)}
        if any(c in fields for c in TIME_COLUMNS) and numeric_series(store, name):
            out.append(name)
    return sorted(out)


def numeric_series(store: DataStore, table: str | None) -> list[str]:
    table = table or DEFAULT_TABLE
    try:
        fields = store.fields(table)
    except KeyError:
        return []
    return [
        f["name"]
        for f in fields
        if f.get("type") in ("number", "integer") and f["name"] not in ("year",) and not f["name"].endswith("_year")
    ]


def entity_choices(store: DataStore) -> list[str]:
    codes: set[str] = {WORLD_CODE}
    for name in explorable_tables(store):
        df = store.table(name)
        if "iso_code" in df.columns:
            codes |= set(df["iso_code"].dropna().unique())
    return sorted(codes)


def explore_frame(store: DataStore, state: ChartState) -> tuple[pd.DataFrame, str, str, str | None]:
    table = state.table or DEFAULT_TABLE
    series = state.series or (DEFAULT_SERIES if table == DEFAULT_TABLE else numeric_series(store, table)[0])
    df = store.table(table)
    time_col = next(c for c in TIME_COLUMNS if c in df.columns)
    entity_col = "iso_code" if "iso_code" in df.columns else None
    if entity_col:
        codes = df[entity_col].fillna(WORLD_CODE).replace("", WORLD_CODE)
        df = df.assign(code=codes)
        df = df[df["code"].isin(state.countries or ("CUB",))]
        name_col = "country" if "country" in df.columns else "code"
        extra = [c for c in ("source",) if c in df.columns]
        group = df[name_col] + (" — " + df[extra[0]] if extra else "")
        df = df.assign(group=group)
    else:
        df = df.assign(group=table)
    df = rows_with_values(filter_period(df, time_col, state.start, state.end), [series])
    return df.sort_values(["group", time_col]), time_col, series, entity_col


def _explore(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    table = state.table or DEFAULT_TABLE
    df, time_col, series, entity_col = explore_frame(store, state)
    field = store.field(table, series)
    unit = field.get("unit", "")
    res = store.resource(table)
    # The measure and the place as the title; unit, period and dataset as the subtitle (in the language shown): the
    # embed and the image travel alone and must say what they show.
    measure = series_name(series, field, lang)
    places = _place_names(df, entity_col, table, lang)
    lead = measure[:1].lower() + measure[1:]
    title = f"{places}: {lead}"
    unit_words = UNIT_NAMES_ES.get(unit, unit) if lang == "es" else unit
    dataset = TABLE_NAMES.get(table, (str(res.get("title", table)),) * 2)[0 if lang == "en" else 1]
    period = ""
    if len(df):
        first, last = _when(df[time_col].min(), time_col, lang), _when(df[time_col].max(), time_col, lang)
        period = first if first == last else f"{first}–{last}" if time_col == "year" else f"{first} – {last}"
    unit_title = {"en": "Per cent", "es": "Porcentaje"}[lang] if unit == "%" else unit_words
    subtitle = "; ".join(p for p in (unit_title, period, dataset) if p)
    sources = sources_for(store, table)
    as_of = _when(df[time_col].max(), time_col, lang) if len(df) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    if entity_col:
        df = df.assign(group=df["group"].map(lambda g: country_label(g, lang) if " — " not in g else g))
    if time_col == "year":  # a year is drawn at its middle, as on every time chart of the site
        fig = make_lines(
            with_mid_year(df),
            MID_YEAR,
            series,
            "group",
            fr,
            unit,
            no_data(lang),
            hover_format=",.2f",
            markers=len(df) < 400,
        )
        at_mid_year(fig)
    else:
        fig = make_lines(
            df, time_col, series, "group", fr, unit, no_data(lang), hover_format=",.2f", markers=len(df) < 400
        )
    keep = [c for c in ("country", "code", "source", time_col, series) if c in df.columns]
    frame_df = df[keep].reset_index(drop=True)
    if len(frame_df):
        # Each line's latest value, in words: "Cuba, share of electricity generated from oil: 82.3 % in 2024."
        latest = df.sort_values(time_col, kind="stable").groupby("group", sort=False).tail(1)
        spaced = f" {unit_words}" if unit_words and unit_words != "%" else unit_words
        values = [
            (
                g,
                f"{fmt_num(v, lang, None if abs(v) >= 100 or float(v).is_integer() else 1)}{spaced}",
                _when(w, time_col, lang),
            )
            for g, v, w in zip(latest["group"], latest[series], latest[time_col], strict=True)
        ]
        if len(values) == 1:
            _, value, when = values[0]
            on = ("on" if lang == "en" else "el") if time_col == "date" else ("in" if lang == "en" else "en")
            summary = f"{places}, {lead}: {value} {on} {when}."
        else:
            shown = "; ".join(f"{g} {v} ({w})" for g, v, w in values[:4])
            more = f"; +{len(values) - 4}" if len(values) > 4 else ""
            summary = (f"Latest {lead}: " if lang == "en" else f"Último dato, {lead}: ") + shown + more + "."
    else:
        summary = no_data(lang)
    return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of)


register(
    ChartSpec(
        id="explore",
        page="/explore",
        build=_explore,
        params=("table", "series", "country", "start", "end"),
        default_countries=("CUB",),
        country_choices=entity_choices,
        series_choices=numeric_series,
        table_choices=explorable_tables,
        title={"en": "Explore the data", "es": "Explorar los datos"},
    )
)
