"""The claims engine's names for the ETL's one catalogue (etl/catalogue.py), kept so its modules' imports still hold."""

from etl.catalogue import (
    FIELD_SUFFIX,
    LANGS,
    WORDS,
    contract,
    each,
    field_key,
    has,
    localized,
    number_marks,
    ordinal,
    plural,
    plural_subject,
    say,
    say_each,
)

__all__ = [
    "FIELD_SUFFIX",
    "LANGS",
    "WORDS",
    "contract",
    "each",
    "field_key",
    "has",
    "localized",
    "number_marks",
    "ordinal",
    "plural",
    "plural_subject",
    "say",
    "say_each",
]
