"""A claim evaluated end to end: checked, its evidence selected and judged by its rule kind's evaluator, then the
file's own sentences, thresholds and caveats added. JSON-serialisable, deterministic, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from etl.claims.catalogue import LANGS, each, field_key, localized, say, say_each
from etl.claims.evaluators import evaluate_date_diff, evaluate_event, evaluate_rank, evaluate_ratio, evaluate_values
from etl.claims.formatting import sentence
from etl.claims.labels import LABEL_CANNOT_CHECK, LABEL_CONSISTENT, LABELS_ES
from etl.claims.schema import ROLE_EVIDENCE, check_claim
from etl.claims.selection import select
from etl.claims.values import is_number, jsonable, normalise
from etl.claims.weighing import unique_rows
from etl.claims.wording import claimed_text, tolerance_text


def evaluate(
    claim: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    table_info: Mapping[str, Mapping[str, Any]],
    document: Mapping[str, Any],
) -> dict[str, Any]:
    """The verdict on one claim (see etl/claims/__init__.py); JSON-serialisable, deterministic, no I/O.

    Raises ValueError only for a malformed claim (check_claim); missing tables, columns or rows give
    'Cannot be checked with available data' with a note saying why."""
    problems = check_claim(claim)
    if problems:
        raise ValueError(f"claim {claim.get('id')!r}: " + "; ".join(problems))
    claim = normalise(dict(claim))
    rule = claim["rule"]
    kind = rule["kind"]
    claimed = dict(claim.get("claimed") or {})
    if kind != "not_checkable" and not claimed.get("period") and document.get("published"):
        claimed["period"] = str(normalise(document["published"]))
    result: dict[str, Any] = {
        "claim_id": claim["id"],
        "label": LABEL_CANNOT_CHECK,
        "conclusion_en": "",
        "conclusion_es": "",
        "finding_en": "",
        "finding_es": "",
        "measured": [],
        "ratios": [],
        "evidence_rows": [],
        "caveats_en": [],
        "caveats_es": [],
        "difference": None,
        "ratio": None,
        "sources_disagree": False,
        "claimed": claimed,
        "claimed_text": "",
        "tolerance": "",
        "tolerance_es": "",
        "notes": [],
        "as_of": "",
    }
    for key in ("characterisation", "core"):
        en = " ".join(str(claim.get(key) or "").split())
        result[f"{key}_en"], result[f"{key}_es"] = en, " ".join(str(claim.get(f"{key}_es") or en).split())
    if kind == "not_checkable":
        result["label"] = rule["label"]
        reason = sentence(str(claim.get("reason") or ""))
        label_words = {"en": rule["label"], "es": LABELS_ES[rule["label"]]}
        for lang in LANGS:
            own = str(claim.get(field_key("reason", lang)) or "").strip()
            untranslated = say("engine.reason_untranslated", lang, label=label_words[lang], reason=reason)
            result[f"conclusion_{lang}"] = sentence(own) if own else untranslated
        result["finding_en"], result["finding_es"] = result["conclusion_en"], result["conclusion_es"]
        return jsonable(result)
    result["tolerance"], result["tolerance_es"] = tolerance_text(rule, claimed.get("unit"))
    result["claimed_text"] = claimed_text(kind, claimed, rule, "en")
    selections = [select(ev, tables, table_info, claimed.get("unit")) for ev in claim["evidence"]]
    result["notes"] = [f"{s.spec['table']}.{s.spec['column']}: {s.note_en}" for s in selections if not s.ok]
    handler = {
        "event": evaluate_event,
        "ratio_range": evaluate_ratio,
        "rank_min": evaluate_rank,
        "date_diff_years": evaluate_date_diff,
    }.get(kind, evaluate_values)
    handler(result, selections, claimed, rule, kind)
    tolerance_given = any(is_number(rule.get(k)) and rule[k] > 0 for k in ("tolerance_pct", "tolerance_abs"))
    if tolerance_given and kind not in ("event", "rank_min"):
        _add_caveat(
            result, say_each("engine.tolerance", tolerance={"en": result["tolerance"], "es": result["tolerance_es"]})
        )
    result["evidence_rows"] = unique_rows(result["evidence_rows"])
    for lang, key in (("en", "headline"), ("es", "headline_es")):
        headline = " ".join(str(claim.get(key) or "").split())
        if headline:  # the claim file's plain-words finding, for titles and the compact list
            result[f"finding_{lang}"] = sentence(headline)
    for lang, key in (("en", "summary"), ("es", "summary_es")):
        summary = " ".join(str(claim.get(key) or "").split())
        if summary:  # the fact-check desk's sentence, its numbers held to the data by `unsupported_numbers`
            result[f"conclusion_{lang}"] = sentence(summary)
    threshold = " ".join(str(claimed.get("threshold") or "").split())
    if threshold:
        own = each(lambda lang: sentence(" ".join(str(localized(claimed, "threshold", lang) or threshold).split())))
        _add_caveat(result, say_each("engine.threshold", threshold=own))
    if result["label"] == LABEL_CONSISTENT and result["characterisation_en"]:
        _add_caveat(result, say_each("engine.core_only"))
    evidence_ends = [r["x_end"] for r in result["evidence_rows"] if r["role"] == ROLE_EVIDENCE and r["x_end"]]
    result["as_of"] = max(evidence_ends, default="")
    return jsonable(result)


def _add_caveat(result: dict[str, Any], caveat: Mapping[str, str]) -> None:
    for lang in LANGS:
        result[f"caveats_{lang}"].append(caveat[lang])
