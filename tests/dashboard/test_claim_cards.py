"""The figures listed on a claim's card (dashboard/claim_cards.py): every publisher in the reader's language, as the
sources list of the same page writes it (second fact-check of 6 December 2026: Spanish cards listed "Girón (UNE
note)" above a sources list saying "Girón (nota de la UNE)")."""

from __future__ import annotations

import json

from dashboard import claim_cards


def _texts(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _claim(rows_key: str) -> dict:
    row = {"value": 20.17, "unit": "hours", "publisher": "Girón (UNE note)", "url": "https://example.cu/a"}
    if rows_key == "evidence_rows":
        return {"evidence_rows": [{**row, "series": "UNE", "role": "evidence", "period": "2026-02-06"}]}
    return {"measured": [{**row, "status": "ok", "name": "UNE", "period": "2026-02-06"}]}


def test_the_cards_figures_name_their_publishers_in_the_readers_language():
    for rows_key in ("evidence_rows", "measured"):
        spanish = _texts(claim_cards.measured_list(_claim(rows_key), "es"))
        english = _texts(claim_cards.measured_list(_claim(rows_key), "en"))
        assert "Girón (nota de la UNE)" in spanish and "UNE note" not in spanish, rows_key
        assert "Girón (UNE note)" in english, rows_key
