"""The five verdict labels and their Spanish: the one list the claims engine, the alerts and the dashboard import,
so a label's text (which keys translations, badges and colours) is written once."""

from __future__ import annotations

LABEL_CONSISTENT = "Consistent with the data"
LABEL_PARTLY = "Partly consistent"
LABEL_NOT_CONSISTENT = "Not consistent with the data"
LABEL_CANNOT_CHECK = "Cannot be checked with available data"
LABEL_NOT_FACTUAL = "Not a factual claim"
LABELS: tuple[str, ...] = (
    LABEL_CONSISTENT,
    LABEL_PARTLY,
    LABEL_NOT_CONSISTENT,
    LABEL_CANNOT_CHECK,
    LABEL_NOT_FACTUAL,
)
LABELS_ES: dict[str, str] = {  # what the alerts and the dashboard show in Spanish
    LABEL_CONSISTENT: "Coherente con los datos",
    LABEL_PARTLY: "Parcialmente coherente",
    LABEL_NOT_CONSISTENT: "No coherente con los datos",
    LABEL_CANNOT_CHECK: "No se puede comprobar con los datos disponibles",
    LABEL_NOT_FACTUAL: "No es una afirmación factual",
}
