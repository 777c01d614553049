"""The ETL's one catalogue of words (`etl/words/*.yaml`, read through `etl/catalogue.py`): every entry in both
languages with the same placeholders, every key the claims engine and the alerts name exists, and none of those
modules chooses words by language inline, so the rule keeps holding as the wording changes (issue 17, item 4).

Modules are read as text and `ast`, so a key or branch is found whether or not a test reaches it.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from etl.catalogue import FIELD_SUFFIX, LANGS, WORDS, _read, contract, localized, ordinal, plural, plural_subject, say

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_MODULE = ROOT / "etl" / "catalogue.py"  # the one place grammar may differ by language
ALERTS = ROOT / "etl" / "sources" / "alerts.py"
ENGINE = [*sorted((ROOT / "etl" / "claims").glob("*.py")), CATALOGUE_MODULE, ALERTS]
INLINE_BRANCH = re.compile(r"""\blang\s*[!=]=\s*["'](en|es)["']|["'](en|es)["']\s+if\b|\bif\s+en\s+else\b""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_both_languages_and_the_same_placeholders():
    for key, entry in WORDS.items():
        assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
        assert all(isinstance(entry[lang], str) for lang in LANGS), f"{key}: not text"
    assert set(FIELD_SUFFIX) == set(LANGS)


def test_both_languages_take_the_same_placeholders():
    # Except where a language needs another form: "event.refers": English names the period, Spanish says it with its preposition; both are passed.
    # "series.unnamed": Spanish writes nothing rather than an English table name; "note.unreadable_date" is short;
    # "engine.reason_untranslated": Spanish names the label before the English reason.
    different = {"event.refers", "series.unnamed", "note.unreadable_date", "engine.reason_untranslated"}
    for key, entry in WORDS.items():
        if key not in different:
            assert _placeholders(entry["en"]) == _placeholders(entry["es"]), key


def _said_keys(path: Path) -> list[tuple[int, str]]:
    """Keys passed to say() as plain string literals."""
    tree = ast.parse(path.read_text())
    return [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("say", "say_each")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: p.name)
def test_every_key_the_engine_names_is_in_the_catalogue(path):
    missing = [f"{path.name}:{n}: {key}" for n, key in _said_keys(path) if key not in WORDS]
    assert not missing, "keys missing from etl/words/*.yaml:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", [p for p in ENGINE if p != CATALOGUE_MODULE], ids=lambda p: p.name)
def test_the_engine_chooses_no_words_by_language_inline(path):
    lines = path.read_text().splitlines()
    branches = [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(lines, 1) if INLINE_BRANCH.search(line)]
    assert not branches, (
        "words chosen by language inline; put them in etl/words/*.yaml and read them with say() (grammar that "
        "is not words: one function in etl/catalogue.py):\n" + "\n".join(branches)
    )


def test_the_alerts_write_no_language_pairs():
    # Before the catalogue, etl/sources/alerts.py wrote `title_en = f"…"; title_es = f"…"` and called
    # `day_text(d, "en")`, `day_text(d, "es")`: each sentence twice, free to say different things.
    tree = ast.parse(ALERTS.read_text())
    pairs = [
        f"alerts.py:{node.lineno}: {ast.unparse(node)[:80]}"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and re.search(r"_(en|es)$", node.id))
        or (isinstance(node, ast.Constant) and node.value in LANGS)
    ]
    assert not pairs, "words written once per language; put them in etl/words/alerts.yaml:\n" + "\n".join(pairs)


def test_every_record_series_has_its_words():
    from etl.sources.alerts import RECORD_SERIES

    missing = [column for column in RECORD_SERIES if f"alerts.series.{column}" not in WORDS]
    assert not missing, missing


def test_a_key_in_two_catalogue_files_is_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text('x.y:\n  en: "x"\n  es: "x"\n')
    with pytest.raises(ValueError, match="repeats keys"):
        _read(tmp_path)


def test_the_inline_branch_check_finds_the_usual_forms():
    for line in (
        'x = "a" if lang == "en" else "b"',
        "if lang != 'es':",
        'key = "chart_name_es" if lang == "es" else "chart_name"',
        'spec.get("note" if lang == "en" else "note_es")',
        'suffix = "es" if plural else ""  # (a false alarm is cheap: say it another way)',
    ):
        assert INLINE_BRANCH.search(line), line
    assert not INLINE_BRANCH.search('for lang in ("en", "es"):')


def test_say_fills_placeholders_and_refuses_a_missing_language():
    assert say("phrase.in", "es", date="2025") == "en 2025"
    assert say("list.more", "en", n=3) == "and 3 more"
    with pytest.raises(KeyError):
        say("phrase.in", "fr", date="2025")


def test_localized_falls_back_to_the_english_field():
    spec = {"name": "Estimate", "name_es": "Estimación", "source": "Reuters"}
    assert localized(spec, "name", "en") == "Estimate"
    assert localized(spec, "name", "es") == "Estimación"
    assert localized(spec, "source", "es") == "Reuters"
    assert localized(spec, "note", "es") is None


def test_grammar_that_is_not_words():
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    assert ordinal(2, "es") == "2.º"
    assert [plural(w, "en") for w in ("Estimate", "box", "Dispatch")] == ["Estimates", "boxes", "Dispatches"]
    assert [plural(w, "es") for w in ("Estimación", "Cifra", "Total")] == ["Estimaciones", "Cifras", "Totales"]
    assert plural_subject("Las importaciones") and not plural_subject("la demanda")
    assert contract("al 40 % de el consumo") == "al 40 % del consumo"
    assert contract("al la demanda de la la isla") == "a la demanda de la isla"
