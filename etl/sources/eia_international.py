"""EIA API v2 `international` route: oil production, consumption, imports, exports (TBPD) for Cuba and peers.

Manual check of ids: https://api.eia.gov/v2/international/facet/productId?api_key=KEY lists products;
activity 1 = production, 2 = consumption, 3 = imports, 4 = exports.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, parse_json

ENDPOINT = "https://api.eia.gov/v2/international/data/"
COUNTRIES = ("CUB", "MEX", "BRA", "VEN", "DOM", "JAM")
PRODUCTS = ("53", "57")  # total petroleum and other liquids; crude oil including lease condensate
ACTIVITIES = ("1", "2", "3", "4")
PAGE_LENGTH = 5000
FILE = "international.json"


def query_url(api_key: str, offset: int = 0) -> str:
    params: list[tuple[str, str]] = [
        ("api_key", api_key),
        ("frequency", "annual"),
        ("data[0]", "value"),
        ("start", "2000"),
        ("offset", str(offset)),
        ("length", str(PAGE_LENGTH)),
    ]
    params += [("facets[countryRegionId][]", c) for c in COUNTRIES]
    params += [("facets[productId][]", p) for p in PRODUCTS]
    params += [("facets[activityId][]", a) for a in ACTIVITIES]
    params.append(("facets[unit][]", "TBPD"))
    return f"{ENDPOINT}?{urlencode(params)}"


def resources(ctx: FetchContext) -> list[Resource]:
    return [Resource(FILE, query_url(ctx.env["EIA_API_KEY"]), max_bytes=20 * 1024 * 1024)]


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    """EIA sends `value` as a string (sometimes "--" or "NA" for missing); totals are cross-checked."""
    content = raw[FILE]
    doc = parse_json(content, FILE)
    response = doc.get("response") if isinstance(doc, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("data"), list):
        error = doc.get("error") if isinstance(doc, dict) else None
        raise ParseError(f"{FILE}: no response.data in EIA answer" + (f" (EIA says: {error})" if error else ""))
    data = response["data"]
    total = int(response.get("total", len(data)))
    if total > len(data):
        raise ParseError(f"{FILE}: EIA reports {total} rows but sent {len(data)}; raise PAGE_LENGTH or paginate")
    rows = []
    for item in data:
        if isinstance(item, dict) and "value" not in item:  # a renamed key must not read as "no value"
            raise ParseError(f"{FILE}: data rows have no 'value' field (schema drift upstream?)")
        try:
            unit = item["unit"]
            raw_value = item.get("value")
            value = pd.to_numeric(raw_value, errors="coerce") if raw_value not in (None, "") else None
            if unit != "TBPD":
                raise ParseError(f"{FILE}: unexpected unit {unit!r} (wanted TBPD)")
            rows.append(
                {
                    "iso_code": item["countryRegionId"],
                    "country": item["countryRegionName"],
                    "year": int(str(item["period"])[:4]),
                    "product_id": str(item["productId"]),
                    "product": item.get("productName"),
                    "activity_id": str(item["activityId"]),
                    "activity": item.get("activityName"),
                    "value_bbl_per_day": None if value is None or pd.isna(value) else float(value) * 1000.0,
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(f"{FILE}: malformed data row {item!r:.200}: {exc}") from exc
    df = pd.DataFrame(rows, columns=[f.name for f in meta.tables["eia_international"].fields])
    if df.empty:
        raise ParseError(f"{FILE}: EIA returned no rows")
    return {"eia_international": df}
