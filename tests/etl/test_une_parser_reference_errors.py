"""Parser errors found with the hand-checked reference set (issue 16, bench/une_reference.yaml), one test per fix.

Every note here is our own sentence in the UNE's wording of its year (figures invented), so the tests need no mirror.
"""

from __future__ import annotations

import pytest

from etl.une.parser import parse_note

PEAK = (
    "Con este pronóstico, se estima para la hora pico una disponibilidad de 2 500 MW y una demanda máxima de 2 900 MW, "
    "para un déficit de 400 MW, por lo que de mantenerse las condiciones previstas se pronostica una afectación de "
    "470 MW en este horario."
)


def _note(*sentences: str) -> dict:
    return parse_note("La Unión Eléctrica informa. " + " ".join(sentences) + " " + PEAK, "2023-05-10")


@pytest.mark.parametrize(
    "sentence",
    [
        "Este lunes hubo afectación en el servicio durante todo el día.",  # the old \b after "afectaci" never matched
        "El martes se afectó el servicio por déficit de capacidad durante toda la jornada.",
        "Ayer el servicio se afectó durante 24 horas por déficit de capacidad.",
        "En el día de ayer se afectó el servicio la 24 horas del día.",
        "El miércoles el servicio presentó afectaciones desde las 12 am hasta las 12 am del jueves (24:00 horas).",
        "Este viernes el servicio se vio afectado por déficit de capacidad durante las 24 horas del día.",
        "En el día de ayer las afectaciones al servicio se mantuvieron durante todo el día.",
    ],
)
def test_previous_day_cut_all_day_in_each_wording(sentence: str) -> None:
    assert _note(sentence, "La máxima afectación fue de 812 MW a las 20:40 horas.")["prev_day_affected_all_day"] is True


def test_a_forecast_of_all_day_cuts_is_not_the_previous_day() -> None:
    r = _note(
        "Se estima que la afectación se mantendrá durante toda la jornada.",
        "Ayer se afectó el servicio desde las 17:10.",
    )
    assert r["prev_day_affected_all_day"] is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Informa que ayer no se afectó el servicio por déficit, y precisa que para hoy se pronostica una afectación de 90 MW.",
        (
            "En el día de ayer no se afectó el servicio eléctrico por déficit de capacidad de generación La disponibilidad "
            "del SEN a las 07:00 horas es de 2 300 MW y la demanda 1 900 MW."
        ),  # a missing period
        "El día de ayer tampoco hubo afectaciones por esa causa.",
    ],
)
def test_no_cut_the_previous_day_is_zero_when_the_sentence_goes_on(sentence: str) -> None:
    r = _note(sentence)
    assert r["prev_day_max_affectation_mw"] == 0
    assert r["prev_day_affected_all_day"] is False


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Se estima que en el horario diurno no se afecte el servicio por déficit de capacidad.", 0),
        ("En el horario diurno no deben ocurrir afectaciones al servicio por déficit de capacidad.", 0),
        ("La UNE no prevé afectaciones en el servicio durante el día.", 0),
        (
            "A partir de las 08:00 horas se comenzará a afectar el servicio, con un máximo de 320 MW en el horario del mediodía.",
            320,
        ),
        ("Se estima que a partir de las 09:00 horas se comience a afectar el servicio con un máximo de 260 MW.", 260),
        (
            "La afectación comenzó a las 8:00 horas y se mantendrá durante toda la jornada, con un máximo de 340MW en el horario diurno.",
            340,
        ),
        ("Se estima una afectación en el horario de cerca de 760 MW.", 760),  # "de la media" dropped
        ("Para el horario de la tarde (conocido como “media”), se estima una afectación de 1 180 MW.", 1180),
        ("Pronóstico para el mediodía: 1150 MW afectados.", 1150),
    ],
)
def test_daytime_forecast_in_each_wording(sentence: str, expected: int) -> None:
    assert _note(sentence)["midday_affectation_mw"] == expected


def test_a_bound_in_the_lead_is_not_the_daytime_forecast() -> None:
    r = _note(
        "La UNE prevé un déficit de 1 115 MW para el pico, mientras que las afectaciones en el día rebasan también los 1000 MW.",
        "Se estima una afectación en el horario de la media de 1 100 MW.",
    )
    assert r["midday_affectation_mw"] == 1100


@pytest.mark.parametrize(
    ("snapshot", "affected"),
    [
        ("La disponibilidad del SEN a las 07:00 horas es de 2 200 MW y la demanda 2 110 MW, con todo servido.", 0),
        (
            "A las 7:00 horas la disponibilidad era de 2 600 MW y la demanda de 2 070 MW, con servicio en todo el sistema.",
            0,
        ),
        (
            "La disponibilidad del SEN a las 7 a.m. fue de 2 240 MW y la demanda, 2 000 MW, con toda la carga servida.",
            0,
        ),
        (
            (
                "La disponibilidad del SEN a las 07:00 horas es de 2440 MW, la demanda 2300 MW. No hay afectación por déficit "
                "de capacidad de generación, se estima en el horario de la media una máxima afectación de 150 MW."
            ),
            0,
        ),
        (
            (
                "A las 7:00 a.m. la disponibilidad del SEN era de 1870 MW, mientras que la demanda alcanza los 2700 MW. "
                "Ello provoca un déficit de 935 MW."
            ),
            935,
        ),
        (
            (
                "A las 07:00 horas la disponibilidad de generación fue de 1 930 megavatios (MW) frente a una demanda de "
                "3 160 MW, resultando en un déficit de 1 259 MW que causó afectaciones."
            ),
            1259,
        ),
    ],
)
def test_morning_cut_in_each_wording(snapshot: str, affected: int) -> None:
    assert _note(snapshot)["morning_affected_mw"] == affected


def test_terse_labelled_snapshot() -> None:
    r = _note("Estado actual: Disponibilidad: 1740 MW. Demanda: 3120 MW. Afectación actual: 1405 MW.")
    assert (r["morning_availability_mw"], r["morning_demand_mw"], r["morning_affected_mw"]) == (1740, 3120, 1405)


def test_a_demand_followed_by_afectados_is_the_cut() -> None:
    r = _note(
        "La disponibilidad a las siete de la mañana era de 1970 MW, con una demanda de 1080 MW afectados por déficit."
    )
    assert (r["morning_demand_mw"], r["morning_affected_mw"]) == (None, 1080)


def test_a_no_cut_at_dawn_is_not_a_no_cut_at_the_peak() -> None:
    r = parse_note(
        "La Unión Eléctrica informa. Para el horario pico se estima una disponibilidad de 2 671 MW y una demanda "
        "máxima de 2 620 MW, para una reserva de 51 MW, por lo que existe riesgo de afectaciones en este horario y "
        "no se prevén afectaciones en el horario de la madrugada.",
        "2022-06-26",
    )
    assert r["peak_affectation_mw"] is None


@pytest.mark.parametrize(
    ("sentences", "dg", "fuel"),
    [
        # "megawatts (MW)" and a comma before the cause
        (
            [
                "En la generación distribuida no se encuentran disponibles 1 089 megawatts (MW), por averías, y 203 MW por mantenimiento."
            ],
            1292,
            None,
        ),
        # "centrales en la generación distribuida"
        (
            [
                "En la generación distribuida están indisponibles por avería 930 MW y en mantenimiento 153 MW.",
                "Se encuentran fuera de servicio por combustible 21 centrales en la generación distribuida con 141 MW.",
            ],
            1224,
            141,
        ),
        # a long gap, no other plant in it
        (
            [
                "Hay 75 centrales de generación distribuida con problemas por falta de combustible, lo cual genera una indisponibilidad de 485 MW."
            ],
            485,
            485,
        ),
        # a total for DG only
        (
            [
                "Se encuentran fuera de servicio por combustible 42 centrales de generación distribuida, para un total de 170 MW afectado por este concepto."
            ],
            170,
            170,
        ),
        # the DG part of a total that includes barges
        (
            [
                (
                    "Están fuera de servicio por combustible 47 centrales de generación distribuida, la Patana de Regla y la "
                    "Patana de Melones para un total de 594 MW, de ellos 305 MW en grupos distribuidos y 289 MW en las Patanas."
                )
            ],
            305,
            594,
        ),
        # a total that includes a barge is not DG's
        (
            [
                "Se encuentran fuera de servicio por combustible 83 centrales de generación distribuida y la patana de Santiago para un total de 610 MW."
            ],
            None,
            610,
        ),
        (
            [
                "Los problemas por falta de combustible afectan la generación distribuida, con 74 centrales inoperativas (501 MW) y otros 67 MW no disponibles por falta de aceite, lo que da un total de 568 MW afectados por esta causa."
            ],
            501,
            568,
        ),
    ],
)
def test_distributed_generation_and_fuel(sentences: list[str], dg: int | None, fuel: int | None) -> None:
    r = _note(*sentences)
    assert (r["distributed_generation_out_mw"], r["out_of_fuel_mw"]) == (dg, fuel)


def test_fuel_total_after_a_list_of_plants_in_brackets() -> None:
    r = _note(
        "Problemas por falta de combustible: 85 centrales de generación distribuida (514 MW).",
        "Central fuel de Mariel (116 MW)",
        "Central fuel de Moa (147 MW)",
        "Patana de Regla (54 MW) 8 motores en la Patana de Melones (135 MW)",
        "Total: 966 MW afectados por esta causa.",
    )
    assert r["out_of_fuel_mw"] == 966


def test_an_aside_naming_availability_does_not_end_the_fuel_list() -> None:
    r = _note(
        "Se encuentran fuera de servicio por combustible 76 centrales con 944 MW, de ellos 75 MW en la Generación Móvil "
        "de Melones (se operan 5 motores en el horario diurno según disponibilidad de combustible), 52 MW en Regla."
    )
    assert r["out_of_fuel_mw"] == 944


# Found on the held-out draw (fixed after it was scored; bench/RESULTS.md gives the figures before and after).


@pytest.mark.parametrize(
    "sentence",
    [
        "Se mantienen en la generación térmica una limitación de 424 MW.",
        "Un total de 424 MW están fuera de servicio por limitaciones en la generación térmica.",
        "A esto se suman 424 MW fuera de servicio debido a limitaciones en la generación térmica.",
        "Actualmente existen 424 MW de capacidad térmica convencional limitada.",
    ],
)
def test_thermal_limits_in_each_wording(sentence: str) -> None:
    assert _note(sentence)["thermal_limitations_mw"] == 424


def test_a_section_heading_after_a_lost_period_ends_the_fuel_list() -> None:
    r = _note(
        "Problemas por falta de combustible 76 centrales de generación distribuida con 581 MW Pronóstico para el "
        "horario pico Para el pico se estima la recuperación de 100 MW en motores que están fuera por combustible."
    )
    assert (r["out_of_fuel_mw"], r["distributed_generation_out_mw"]) == (581, 581)


def test_past_tense_estimate_of_a_morning_start() -> None:
    r = _note(
        "La UNE estimó que el servicio comenzara a presentar afectaciones a partir de las 8 a.m., con una máxima afectación de 250 MW."
    )
    assert r["midday_affectation_mw"] == 250


def test_rewritten_version_last_24_hours_and_a_morning_deficit() -> None:
    r = _note(
        "El servicio eléctrico durante las últimas 24 horas se vio afectado por un déficit de capacidad, y la máxima "
        "afectación fue de 1 671 MW a las 20:20 horas.",
        "A las 06:00 horas de hoy, el SEN reportó una disponibilidad de 1 217 MW, frente a una demanda de 2 110 MW, lo que "
        "generó un déficit de 1 023 MW.",
    )
    assert r["prev_day_affected_all_day"] is True
    assert (r["morning_availability_mw"], r["morning_demand_mw"], r["morning_affected_mw"]) == (1217, 2110, 1023)


# Found by spot-checking changed values outside the reference set.


def test_a_thermal_unit_in_the_fuel_list_is_not_distributed_generation() -> None:
    r = _note(
        "Se encuentran fuera de servicio por combustible 40 centrales de generación distribuida y la unidad 3 de la "
        "CTE Cienfuegos (135 MW), para un total de 327 MW afectado por este concepto."
    )
    assert (r["distributed_generation_out_mw"], r["out_of_fuel_mw"]) == (None, 327)


def test_cut_until_midnight_with_a_gap_is_not_all_day() -> None:
    r = _note(
        "En la jornada de ayer se afectó el servicio desde las 00:00 horas hasta las 02:20 y desde las 05:16 hasta "
        "las 24:00, por déficit de capacidad de generación."
    )
    assert r["prev_day_affected_all_day"] is False


# -- reference-set misses fixed on 6 December 2026 (every field at 99 % or more) ---------------------------------------
def test_an_afternoon_forecast_is_the_daytime_cut_but_the_evening_one_is_the_peak() -> None:
    note = _note(
        "A las 06:00 horas la disponibilidad es de 1 300 MW con una demanda de 1 800 MW, resultando en 500 MW "
        "afectados, y se estima una afectación de 900 MW para el horario de la tarde."
    )
    assert note["midday_affectation_mw"] == 900 and note["peak_affectation_mw"] == 470
    evening = _note("Se estima una afectación de 900 MW para el horario de la tarde-noche.")
    assert evening["midday_affectation_mw"] is None


def test_a_typo_in_no_still_says_no_daytime_cut() -> None:
    note = _note("N o se estima afectación por déficit de capacidad de generación durante el horario diurno.")
    assert note["midday_affectation_mw"] == 0


def test_an_agency_rewrite_names_the_critical_moment_instead_of_the_maximum_cut() -> None:
    note = _note(
        "El punto crítico del jueves ocurrió a las 20:50 horas, con la mayor demanda del día, cuando el déficit "
        "alcanzó los 1 640 MW."
    )
    assert (note["prev_day_max_affectation_mw"], note["prev_day_max_affectation_time"]) == (1640, "20:50")
    forecast = _note("El punto crítico ocurrirá a las 20:50 horas, cuando se estima que el déficit alcance 1 640 MW.")
    assert forecast["prev_day_max_affectation_mw"] != 1640
