"""One translation catalogue (`dashboard/content/strings.yaml`, read through `dashboard/i18n.py` `t()`): every entry in both languages with the same
placeholders, every key the converted modules (chart definitions, the pieces pages are built of) name exists, and they
choose no words by language inline (`"…" if lang == "en" else "…"`), so the rule keeps holding as the code changes.

Files are read as text and `ast` (nothing is imported to find the keys, so a key built at import time is caught too).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from dashboard import claim_cards
from dashboard.chartdefs import _shared, explore, generation, oil, oil_monthly
from dashboard.i18n import LANGS, STRINGS, other_lang, t, translation
from dashboard.static_first.home_trend import TREND_MARKS

ROOT = Path(__file__).resolve().parents[2]
# Modules whose visible words all come from the catalogue (the other chart definitions are being converted): chart
# definitions, and the pieces every page is built of (shell and controls, chart card, table view, claims' cards).
CONVERTED = (
    "dashboard/chartdefs/_shared.py",
    "dashboard/chartdefs/blackouts/__init__.py",
    "dashboard/chartdefs/blackouts/days.py",
    "dashboard/chartdefs/blackouts/forecasts.py",
    "dashboard/chartdefs/blackouts/outages.py",
    "dashboard/chartdefs/blackouts/supply.py",
    "dashboard/chartdefs/claims.py",
    "dashboard/chartdefs/explore.py",
    "dashboard/chartdefs/generation.py",
    "dashboard/chartdefs/month_ticks.py",
    "dashboard/chartdefs/oil/__init__.py",
    "dashboard/chartdefs/oil/balance.py",
    "dashboard/chartdefs/oil/gap.py",
    "dashboard/chartdefs/oil/groups.py",
    "dashboard/chartdefs/oil/shipments.py",
    "dashboard/chartdefs/oil_monthly/__init__.py",
    "dashboard/chartdefs/oil_monthly/monthly.py",
    "dashboard/chartdefs/oil_monthly/share.py",
    "dashboard/chartdefs/oil_monthly/suppliers.py",
    "dashboard/components.py",
    "dashboard/chart_card.py",
    "dashboard/table_view.py",
    "dashboard/claim_cards.py",
    "dashboard/describe.py",
    "dashboard/describe_figure.py",
    "dashboard/describe_periods.py",
    "dashboard/error_page.py",
    "dashboard/light.py",
    "dashboard/figures/evidence/axes.py",
    "dashboard/figures/evidence/figure.py",
    "dashboard/figures/evidence/labels.py",
    "dashboard/figures/evidence/notes.py",
    "dashboard/figures/evidence/rows.py",
    "dashboard/figures/evidence/traces.py",
    "dashboard/static_first/dcc.py",
    "dashboard/static_first/home_trend.py",
    "dashboard/static_first/markup.py",
    "dashboard/static_first/pages.py",
    "dashboard/static_first/phone_rules.py",
    "dashboard/static_first/prewarm.py",
    "dashboard/static_first/screen_image.py",
    "dashboard/static_first/tree.py",
    "dashboard/static_first/web.py",
)
INLINE_BRANCH = re.compile(r"""lang\s*[!=]=\s*["'](en|es)["']|\bif en else\b""")
LANGUAGE_DICT = re.compile(r"""\{\s*["']en["']\s*:""")


# Every dashboard module but i18n.py (where the catalogue is read and numbers, dates and data values are formatted).
EVERY_MODULE = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "dashboard").rglob("*.py")
    if p.name != "i18n.py" or p.parent.name != "dashboard"
)


@pytest.mark.parametrize("path", EVERY_MODULE)
def test_no_dashboard_module_chooses_words_by_language_inline(path):
    text = (ROOT / path).read_text()
    branches = [
        f"{path}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if INLINE_BRANCH.search(line)
    ]
    assert not branches, (
        "words chosen by language inline; put them in dashboard/content/strings.yaml and read them with t():\n"
        + ("\n".join(branches))
    )
    # a dict written over several lines ({\n "en": …) is one too
    dicts = [f"{path}:{text.count(chr(10), 0, m.start()) + 1}" for m in LANGUAGE_DICT.finditer(text)]
    assert not dicts, "a local {'en': …, 'es': …} dict; the words belong in the catalogue:\n" + "\n".join(dicts)


def test_the_inline_branch_check_finds_the_usual_forms():
    for line in (
        'title = "Oil" if lang == "en" else "Petróleo"',
        "x = 'a' if lang != 'es' else 'b'",
        'en = lang == "en"',
        'unit = "bbl/d" if en else "b/d"',
    ):
        assert INLINE_BRANCH.search(line), line
    assert LANGUAGE_DICT.search('TITLE = {"en": "Oil", "es": "Petróleo"}')
    assert LANGUAGE_DICT.search('words = {\n    "en": "{when}: {value}%",\n    "es": "{when}: {value} %",\n}')
    assert not INLINE_BRANCH.search('title = t("oil_balance_title", lang)')


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders():
    formatter = string.Formatter()
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        assert all(isinstance(texts[lang], str) and texts[lang].strip() for lang in LANGS), key
        fields = {lang: {name for _, name, _, _ in formatter.parse(texts[lang]) if name is not None} for lang in LANGS}
        assert fields["en"] == fields["es"], f"{key}: placeholders differ between languages: {fields}"


def _literal_keys(path: str) -> set[str]:
    """The first argument of every `t("…", …)` and `in_every_language("…")` call with a literal key."""
    keys = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("t", "in_every_language")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            keys.add(node.args[0].value)
    return keys


@pytest.mark.parametrize("path", CONVERTED)
def test_every_key_a_converted_chart_definition_reads_is_in_the_catalogue(path):
    missing = sorted(k for k in _literal_keys(path) if k not in STRINGS)
    assert not missing, f"{path} reads keys the catalogue lacks: {missing}"


def test_every_key_of_the_chart_definitions_lookup_tables_is_in_the_catalogue():
    keys = [
        *_shared.COUNTRY_KEYS.values(),
        *(group[0] for group in oil.GROUPS.values()),
        *oil.MEASURES.values(),
        *oil.GAP_MEASURES.values(),
        *oil.CARGO_TICKTEXT,
        *oil_monthly.SUPPLIER_KEYS.values(),
        *oil_monthly.KIND_KEYS.values(),
        *oil_monthly.SCOPE_KEYS.values(),
        *(context[0] for context in oil_monthly.CONTEXT.values()),
        *generation.SOURCES.values(),
        *generation.FUEL_KEYS.values(),
        *explore.UNIT_KEYS.values(),
        *claim_cards.TOPIC_KEYS.values(),
        *TREND_MARKS.values(),
        "explore_series_untranslated",
    ]
    assert [k for k in keys if k not in STRINGS] == []


def test_names_read_from_the_catalogue_keep_the_data_names_in_english():
    """The English entry of a name looked up by a data value is that value: English pages show the data's words."""
    for name, key in _shared.COUNTRY_KEYS.items():
        assert t(key, "en") == name
    for fuel, key in generation.FUEL_KEYS.items():
        assert t(key, "en") == fuel
    for unit, key in explore.UNIT_KEYS.items():
        assert t(key, "en") == unit
    for topic, key in claim_cards.TOPIC_KEYS.items():
        assert t(key, "en") == topic
    assert claim_cards.topic_text("oil supply", "es") == "suministro de petróleo"
    assert claim_cards.topic_text("no such topic", "es") == "no such topic"  # unknown topics stay as written
    assert _shared.country_label("Dominican Republic", "es") == "República Dominicana"
    assert _shared.country_label("Atlantis", "es") == "Atlantis"  # unknown names stay as the data write them
    assert explore.series_name("no_such_column", {}, "es") == "No such column (en inglés)"


def test_data_fields_in_the_readers_language_fall_back_to_the_datas_own():
    """`translation` gives our translation of a data field on a Spanish page and nothing on an English one (the data
    are written in English), so callers show the field as written; `other_lang` is where the switch leads."""
    record = {"name": "Oil imports", "name_es": "Importaciones de petróleo", "name_en": "ignored"}
    assert translation(record, "name", "es") == "Importaciones de petróleo"
    assert translation(record, "name", "en") is None
    assert translation({"name": "Oil imports"}, "name", "es") is None
    assert (other_lang("en"), other_lang("es")) == ("es", "en")


def test_every_key_a_chart_description_builds_is_in_the_catalogue():
    """The description's measure names and units (`describe.MEASURES`) and its four forms of a period are looked up by
    built keys, which the literal-key check above cannot see."""
    from dashboard import describe

    keys = [*describe.MEASURES.values(), *(f"describe_measure_{column}" for column in describe.MEASURES)]
    keys += [f"describe_period_{a}_{b}" for a in ("day", "other") for b in ("day", "other")]
    assert [k for k in keys if k not in STRINGS] == []
