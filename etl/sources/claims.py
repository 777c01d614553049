"""Claims of the seed documents checked against every published table (derived source).

Each `seeds/<document-id>/` folder (document.txt, meta.yaml, claims.yaml; format in docs/CLAIMS_FORMAT.md)
is validated (`etl.claims.seeds`) and every claim is evaluated by `etl.claims.engine.evaluate`. Adding a document is
adding a folder: nothing here names a document. Published: the tidy `claims` table, `claims.json` (full results) and
`claims-review.jsonld` (schema.org ClaimReview). Both JSON files change only when their content changes:
`label_since` is carried over from the previous claims.json while a claim's label stays the same.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from etl.claims.engine import evaluate
from etl.claims.labels import LABEL_NOT_FACTUAL
from etl.claims.seeds import SeedDocument, load_documents, paragraphs
from etl.claims.sentence_check import unsupported_numbers
from etl.sources.base import DeriveContext, ParseError

INPUTS = ("*",)
READS_SEEDS = True  # the claims and documents in seeds/ are inputs too
WRITTEN_SENTENCES = ("headline", "headline_es", "summary", "summary_es")
DOCUMENTS = ("claims.json", "claims-review.jsonld")
SITE_URL_ENV = "CUBA_SITE_URL"
CLAIM_PAGE = "/claims/{claim_id}"  # the dashboard's page per claim (dashboard/pages/claim.py); ClaimReview points at it
ORGANISATION = "Cuba Energy Crisis Dashboard"

# derive() and documents() get the same context in one run; evaluating once is enough (see evaluate_all).
_LAST: dict[str, Any] = {}


# ---------------------------------------------------------------------------------------------------------------
# Evaluating
# ---------------------------------------------------------------------------------------------------------------


def table_info(package: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What the datapackage says about each table, in the shape the verdict engine reads."""
    out: dict[str, dict[str, Any]] = {}
    for res in package.get("resources", []):
        path = str(res.get("path", ""))
        if not path.endswith(".csv"):
            continue
        sources = res.get("sources") or []
        retrieved = [str(s.get("retrieved"))[:10] for s in sources if s.get("retrieved")]
        out[path.removesuffix(".csv")] = {
            "title": res.get("title", ""),
            "publishers": list(dict.fromkeys(str(s["publisher"]) for s in sources if s.get("publisher"))),
            "urls": list(dict.fromkeys(str(s["path"]) for s in sources if s.get("path"))),
            "retrieved": max(retrieved) if retrieved else "",
            "licence": ((res.get("licenses") or [{}])[0]).get("name", ""),
            "units": {f["name"]: f["unit"] for f in (res.get("schema") or {}).get("fields", []) if f.get("unit")},
        }
    return out


def evaluate_all(ctx: DeriveContext) -> list[tuple[SeedDocument, dict[str, Any], dict[str, Any]]]:
    """(document, claim, result) for every claim of every seed document, in file order.

    Memoised for the context object it was given: the runner calls derive() then documents() with the same one."""
    if _LAST.get("ctx") is ctx:
        return _LAST["results"]
    info = table_info(ctx.package)
    out = []
    for doc in load_documents(ctx.seeds_dir):
        for claim in doc.claims:
            result = evaluate(claim, ctx.inputs, info, doc.meta)
            unsupported = unsupported_numbers(claim, result)
            if unsupported:
                # A hand-written sentence no longer matches the data (a refresh moved a figure): publish the
                # engine's own sentences for this claim instead, and say so, so that a wrong number never goes out
                # and the night's refresh still publishes everything else.
                print(
                    f"claims: {doc.id}/{claim.get('id')}: written sentences set aside ({'; '.join(unsupported)})",
                    file=sys.stderr,
                )
                plain = {k: v for k, v in claim.items() if k not in WRITTEN_SENTENCES}
                result = evaluate(plain, ctx.inputs, info, doc.meta)
                result["notes"] = [*result.get("notes", []), "written sentences set aside: " + "; ".join(unsupported)]
            out.append((doc, claim, result))
    _LAST.clear()
    _LAST.update(ctx=ctx, results=out)
    return out


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    rows = []
    for doc, claim, result in evaluate_all(ctx):
        measured = [m for m in result["measured"] if m["status"] == "ok"]
        rows.append(
            {
                "document_id": doc.id,
                "claim_id": claim["id"],
                "paragraph": claim["paragraph"],
                "topic": claim["topic"],
                "type": claim["type"],
                "quote": claim["quote"],
                "label": result["label"],
                "checkable": claim["rule"]["kind"] != "not_checkable",
                "sources_disagree": result["sources_disagree"],
                "claimed_text": result["claimed_text"] or None,
                "measured_text": _measured_text(result) or None,
                "difference": result["difference"],
                "sources": "; ".join(dict.fromkeys(m["publisher"] for m in measured if m["publisher"])) or None,
                "conclusion_en": result["conclusion_en"],
                "conclusion_es": result["conclusion_es"],
            }
        )
    return {"claims": pd.DataFrame(rows)}


def _measured_text(result: Mapping[str, Any]) -> str:
    """The measured values in one line (English), for the CSV: '82.3 pct (2024, Our World in Data); …'."""
    parts = []
    items = result["ratios"] if result["ratios"] else result["measured"]
    for m in items:
        if m.get("status") != "ok":
            continue
        unit = f" {m['unit']}" if m.get("unit") and m["unit"] != "count" else ""
        period = m.get("period") if m.get("period") != str(m["value"]) else ""
        where = ", ".join(x for x in (period, m.get("publisher")) if x)
        context = "" if m.get("counted", True) else "context, not counted: "
        parts.append(f"{context}{m['value']}{unit}" + (f" ({where})" if where else ""))
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# The published JSON documents
# ---------------------------------------------------------------------------------------------------------------


def documents(
    validated: Mapping[str, pd.DataFrame], ctx: DeriveContext
) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """claims.json and claims-review.jsonld (deterministic bytes) and the labels that changed since the last publish."""
    evaluated = evaluate_all(ctx)
    previous = _previous_labels(ctx.previous_documents.get("claims.json"))
    today = ctx.now.date().isoformat()
    claims_out: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    current_keys = set()
    for doc, claim, result in evaluated:
        key = (doc.id, claim["id"])
        current_keys.add(key)
        old = previous.get(key)
        if old is not None and old["label"] == result["label"] and old.get("label_since"):
            since = old["label_since"]
        else:
            since = today
        if previous and (old is None or old["label"] != result["label"]):
            changes.append(
                {
                    "document_id": doc.id,
                    "claim_id": claim["id"],
                    "old": old["label"] if old else None,
                    "new": result["label"],
                }
            )
        claims_out.append(
            {
                **result,
                "document_id": doc.id,
                "quote": claim["quote"],
                "quote_es": " ".join(str(claim.get("quote_es") or "").split()),
                "paragraph": claim["paragraph"],
                "topic": claim["topic"],
                "type": claim["type"],
                "context": " ".join(str(claim.get("context") or "").split()),
                "context_es": " ".join(str(claim.get("context_es") or "").split()),
                "reason": " ".join(str(claim.get("reason") or "").split()),
                "reason_es": " ".join(str(claim.get("reason_es") or "").split()),
                "evidence": claim.get("evidence") or [],
                "rule": claim["rule"],
                "label_since": since,
            }
        )
    for (doc_id, claim_id), old in sorted(previous.items()):
        if (doc_id, claim_id) not in current_keys:
            changes.append({"document_id": doc_id, "claim_id": claim_id, "old": old["label"], "new": None})
    docs_out = []
    seen_docs: dict[str, SeedDocument] = {}
    for doc, _, _ in evaluated:
        seen_docs.setdefault(doc.id, doc)
    for doc in sorted(seen_docs.values(), key=lambda d: d.id):
        docs_out.append(
            {
                "id": doc.id,
                "title": doc.meta.get("title"),
                "title_es": doc.meta.get("title_es") or "",
                "publisher": doc.meta.get("publisher"),
                "url": doc.meta.get("url"),
                "published": str(doc.meta.get("published") or ""),
                "language": doc.meta.get("language"),
                "kind": doc.meta.get("kind"),
                "claims": sum(1 for d, _, _ in evaluated if d.id == doc.id),
                "paragraphs": len(paragraphs(doc.text)),
            }
        )
    _LAST.clear()  # do not keep the input tables alive after the run
    claims_json = {"documents": docs_out, "claims": claims_out}
    review = [_claim_review(c, seen_docs[c["document_id"]]) for c in claims_out if c["label"] != LABEL_NOT_FACTUAL]
    return {"claims.json": dump_json(claims_json), "claims-review.jsonld": dump_json(review)}, changes


def site_url() -> str:
    """The public site's base URL (env CUBA_SITE_URL, read at call time), or "" when it is not set.

    Why "" and not a default host: the published files are shared by every deployment and kept in git, so they must
    never carry the address of the machine that ran the refresh. Without a site URL the ClaimReview `url`s are
    root-relative (`/claims/<id>`): schema.org's JSON-LD context types `url` as an IRI, resolved against the address
    the file is served from; each claim page's inline copy is made absolute on the host serving it (pagemeta).
    A loopback, private or non-http(s) value is refused (ParseError: the claims source fails loudly)."""
    raw = (os.environ.get(SITE_URL_ENV) or "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise ParseError(f"{SITE_URL_ENV} must be the public site's http(s) address, not {raw[:80]!r}")
    if _local_host(host):
        raise ParseError(f"{SITE_URL_ENV} is a local address ({host}); published files must name the public site")
    return raw.rstrip("/")


def _local_host(host: str) -> bool:
    """localhost names and loopback, private, link-local or unspecified IP addresses."""
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def _claim_review(claim: Mapping[str, Any], doc: SeedDocument) -> dict[str, Any]:
    """One schema.org ClaimReview: the quoted claim, where it appeared, our label and its explanation; `url` is the
    claim's own page (FACTCHECK.md: one per claim page, factual labels only)."""
    base = site_url()
    author: dict[str, Any] = {"@type": "Organization", "name": ORGANISATION, "url": f"{base}/"}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base + CLAIM_PAGE.format(claim_id=claim["claim_id"]),
        "claimReviewed": claim["quote"],
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": doc.meta.get("publisher")},
            "datePublished": str(doc.meta.get("published") or ""),
            "appearance": {"@type": "CreativeWork", "url": doc.meta.get("url"), "headline": doc.meta.get("title")},
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": claim["label"],
            "ratingExplanation": claim["conclusion_en"],
        },
        "author": author,
        "datePublished": claim["label_since"],
        "inLanguage": "en",
    }


def dump_json(obj: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, 2-space indent, UTF-8 as is, trailing newline; NaN is an error."""
    return (json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def _previous_labels(content: bytes | None) -> dict[tuple[str, str], dict[str, Any]]:
    """(document_id, claim_id) → {label, label_since} from the last published claims.json ({} if none or unreadable)."""
    if not content:
        return {}
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    out = {}
    for c in data.get("claims", []) if isinstance(data, dict) else []:
        if isinstance(c, dict) and c.get("document_id") and c.get("claim_id"):
            out[(c["document_id"], c["claim_id"])] = {"label": c.get("label"), "label_since": c.get("label_since")}
    return out
