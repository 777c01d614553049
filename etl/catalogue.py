"""The ETL's words in English and Spanish, and the few pieces of grammar that are not words.

Every phrase the ETL publishes (the claims engine's sentences, the alerts' titles and summaries) is a template in one
catalogue: the YAML files of `etl/words/` (key → {en, es}, named placeholders; one file per part, read into one
mapping), the same shape as the dashboard's `dashboard/content/strings.yaml`, so a translator edits both the same way;
the ETL does not import the dashboard, so it reads its own files. Modules call `say()` and `localized()` and never
choose words by language themselves: a missing translation is a KeyError in tests, not an English word in a Spanish
sentence. What a template cannot say (ordinals, plurals, which claim-file field holds a language) is one small
function per concern here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

LANGS = ("en", "es")
CATALOGUE = Path(__file__).with_name("words")


def _read(folder: Path) -> dict[str, dict[str, str]]:
    """Every file's entries in one mapping; a key in two files is an error, not a silent override."""
    words: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        entries = yaml.load(  # libyaml's safe loader when present, as the dashboard does
            path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
        twice = words.keys() & entries.keys()
        if twice:
            raise ValueError(f"{path.name} repeats keys of another file of {folder}: {sorted(twice)}")
        words.update(entries)
    return words


WORDS: dict[str, dict[str, str]] = _read(CATALOGUE)

# The claim files write English in `field` and Spanish in `field_es` (docs/CLAIMS_FORMAT.md).
FIELD_SUFFIX = {"en": "", "es": "_es"}


def say(key: str, lang: str, **values: object) -> str:
    """The template for `key` in `lang`, its placeholders filled (KeyError if the key or language is missing)."""
    return WORDS[key][lang].format(**values)


def say_each(key: str, **values: object) -> dict[str, str]:
    """The template in every language, for the result's paired fields; a value given as {lang: text} (a series' name,
    a period) is taken in each language, any other as it is."""
    return each(lambda lang: say(key, lang, **{k: v[lang] if isinstance(v, Mapping) else v for k, v in values.items()}))


def each(text: Callable[[str], str]) -> dict[str, str]:
    """{lang: text(lang)} for every language."""
    return {lang: text(lang) for lang in LANGS}


def has(key: str) -> bool:
    """Whether the catalogue has `key` (for open sets such as units, where an unknown one is written as it is)."""
    return key in WORDS


def field_key(field: str, lang: str) -> str:
    """The claim-file field that holds `field` in `lang`: 'name' / 'name_es'."""
    return field + FIELD_SUFFIX[lang]


def localized(spec: Mapping[str, Any], field: str, lang: str) -> Any:
    """A claim-file field in `lang`, else as the file writes it (English): `name_es` or `name`."""
    return spec.get(field_key(field, lang)) or spec.get(field)


def number_marks(text: str, lang: str) -> str:
    """'1,234.5' (as Python writes it) with the language's thousands and decimal marks: '1.234,5' in Spanish."""
    return text.translate(str.maketrans(",.", say("number.marks", lang)))


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural_en(noun: str) -> str:
    return noun + ("s" if not noun.endswith(("s", "x", "ch", "sh")) else "es")


def _plural_es(noun: str) -> str:
    if noun.endswith("ción"):
        return noun[:-4] + "ciones"
    return noun + "s" if noun[-1] in "aeiou" else noun + "es"


_ORDINALS: dict[str, Callable[[int], str]] = {"en": _ordinal_en, "es": lambda n: f"{n}.º"}
_PLURALS: dict[str, Callable[[str], str]] = {"en": _plural_en, "es": _plural_es}


def ordinal(n: int, lang: str) -> str:
    """2 → '2nd' / '2.º'."""
    return _ORDINALS[lang](n)


def plural(noun: str, lang: str) -> str:
    """A one-word noun in the plural: 'Estimate' → 'Estimates', 'Estimación' → 'Estimaciones'."""
    return _PLURALS[lang](noun)


def plural_subject(name: str) -> bool:
    """Whether a series' name is a plural subject the verb agrees with ('las importaciones' → 'equivalieron')."""
    return name.lower().startswith(("las ", "los "))


def contract(text: str) -> str:
    """Words a template put side by side, joined as Spanish writes them ('de el' → 'del', 'al la' → 'a la'). Applied
    to every language's text, as before the catalogue: English holds such pairs only where a name quotes Spanish."""
    return text.replace(" de el ", " del ").replace(" de la la ", " de la ").replace("al la ", "a la ")
