"""Oil imports month by month and year by year, from the curated monthly reports: one figure per month and
supplier chosen by a stated rule (the others kept and counted), cargo totals turned into barrels per day over the
month's days, and each year's imports set against the consumption estimates published for that year."""

from __future__ import annotations

import pandas as pd

from etl.sources.base import DeriveContext

INPUTS = ("oil_supply_monthly", "oil_supply_reported", "cia_factbook", "eia_international")
# More estimates (CIA: 2023; EIA: needs an API key); the series stand without them.
OPTIONAL_INPUTS = ("cia_factbook", "eia_international")
SUPPLIERS = ("Venezuela", "Mexico", "Russia", "Algeria", "Angola")

# What a month's figure is, from the most to the least complete.
MONTH_AVERAGE = "month average"
STATED_ZERO = "stated zero"
MONTH_TO_DATE = "part of the month"
CARGOES = "cargoes reported (at least)"
KIND_ORDER = {MONTH_AVERAGE: 0, STATED_ZERO: 0, MONTH_TO_DATE: 1, CARGOES: 2}
# A Reuters-style figure from company documents and tank tracking beats a press report of unknown basis.
BASIS_ORDER = {
    "company documents and tanker tracking": 0,
    "company documents": 1,
    "official filing": 1,
    "tanker tracking": 2,
    "press report": 3,
}
MIN_COVERAGE = 0.75  # share of a year's months that need a figure before a yearly share is given
NO_ESTIMATE = "no estimate for this year"  # a key column cannot be empty
DOCUMENT_NEEDS_BBL_PER_DAY = 110_000  # the figure the document cites for Cuba's needs (January 2026, EFE)

MONTHLY_COLUMNS = [
    "month",
    "supplier",
    "value_bbl_per_day",
    "figure_kind",
    "period_start",
    "period_end",
    "publisher",
    "basis",
    "product_scope",
    "url",
    "verification",
    "days_in_month",
    "reports_count",
    "other_reports",
    "lower_bound",
]
# A figure for one product only counts part of a month's supply: a lower bound of it, like a sum of cargoes.
ONE_PRODUCT_SCOPES = ("crude", "refined products", "fuel oil", "diesel")
YEARLY_COLUMNS = [
    "year",
    "supplier",
    "months_with_figure",
    "months_in_year",
    "partial_months",
    "reported_months_mean_bbl_per_day",
    "year_bbl_per_day",
    "year_basis",
    "year_url",
    "consumption_bbl_per_day",
    "consumption_publisher",
    "consumption_url",
    "share_of_consumption_pct",
    "share_of_110000_bbl_per_day_pct",
]


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    monthly = imports_by_month(ctx.inputs["oil_supply_monthly"])
    estimates = consumption_estimates(ctx.inputs["oil_supply_reported"], ctx.inputs.get("cia_factbook"))
    annual = annual_figures(ctx.inputs["oil_supply_reported"])
    cia, eia = ctx.inputs.get("cia_factbook"), ctx.inputs.get("eia_international")
    return {
        "oil_imports_monthly": monthly,
        "oil_imports_yearly": imports_by_year(monthly, estimates, annual),
        "oil_balance_estimates": balance_estimates(ctx.inputs["oil_supply_reported"], cia, eia),
        "oil_gap_estimates": gap_estimates(cia),
    }


def _kind(row: pd.Series, days: int) -> str:
    """A zero is a stated zero only for a whole month: "none since the 1st" in a report of the 16th is a zero for
    part of the month, like a month-to-date average."""
    whole = row["period_start"].day == 1 and row["period_end"].day == days
    if row["value"] == 0:
        return STATED_ZERO if whole else MONTH_TO_DATE
    if row["unit"] == "bbl":
        return CARGOES
    return MONTH_AVERAGE if whole else MONTH_TO_DATE


def _figure_text(value: float, publisher: str, kind: str, end: pd.Timestamp) -> str:
    part = f", to {end.day} {end:%b}" if kind == MONTH_TO_DATE else ""
    return f"{value:,.0f} bbl/d ({publisher}{part})"


def _lower_bound(chosen: pd.Series) -> bool:
    """Reported cargoes only, or a figure for some products only (Reuters' October 2025 figure counts refined
    products; crude was not disclosed): the month's supply was at least this."""
    scopes = {s.strip() for s in str(chosen["product_scope"]).split(";")}
    one_product = scopes <= set(ONE_PRODUCT_SCOPES) and float(chosen["value_bbl_per_day"]) > 0
    return bool(chosen["figure_kind"] == CARGOES or one_product)


def imports_by_month(reports: pd.DataFrame) -> pd.DataFrame:
    """One figure per month and supplier. Rule: a month average (or a stated zero) beats a part-month figure,
    which beats a sum of reported cargoes; then a confirmed figure beats a conflicting one; then company documents
    and tanker tracking beat a filing, which beats tracking alone, which beats a press report; then an unhedged
    figure beats an approximate one; then the publisher's name (stable). Cargoes of one month are added up (a cargo
    reported by several outlets counts once) and spread over the month's days: a lower bound."""
    if reports.empty:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    df = reports.copy()
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    df["days_in_month"] = pd.to_datetime(df["month"] + "-01").dt.days_in_month
    df["figure_kind"] = [_kind(r, d) for (_, r), d in zip(df.iterrows(), df["days_in_month"], strict=True)]
    cargo = df["figure_kind"] == CARGOES
    cargo_rows = _one_report_per_cargo(df[cargo])
    sums = (
        cargo_rows.groupby(["month", "supplier"], as_index=False)
        .agg(
            value=("value", "sum"),
            period_start=("period_start", "min"),
            period_end=("period_end", "max"),
            days_in_month=("days_in_month", "first"),
            publisher=("publisher", lambda s: "; ".join(sorted(set(s)))),
            basis=("basis", lambda s: "; ".join(sorted(set(s)))),
            product_scope=("product_scope", lambda s: "; ".join(sorted(set(s)))),
            url=("url", "first"),
            verification=("verification", lambda s: "conflicting" if (s == "conflicting").any() else "confirmed"),
            approximate=("approximate", "any"),
        )
        .assign(figure_kind=CARGOES)
    )
    sums["value_bbl_per_day"] = sums["value"] / sums["days_in_month"]
    # A month's stated total (bbl_month) is that month's flow: its barrels over the month's days.
    per_month = df["unit"] == "bbl_month"
    rates = df[~cargo].assign(
        value_bbl_per_day=lambda d: d["value"].where(~per_month[d.index], d["value"] / d["days_in_month"])
    )
    candidates = pd.concat([rates, sums], ignore_index=True)
    candidates["_kind"] = candidates["figure_kind"].map(KIND_ORDER)
    candidates["_verified"] = (candidates["verification"] != "confirmed").astype(int)
    candidates["_basis"] = candidates["basis"].map(BASIS_ORDER).fillna(len(BASIS_ORDER))
    candidates["_approx"] = candidates["approximate"].astype(bool).astype(int)
    ordered = candidates.sort_values(
        ["month", "supplier", "_kind", "_verified", "_basis", "_approx", "publisher", "url"], kind="mergesort"
    )
    rows = []
    for (month, supplier), group in ordered.groupby(["month", "supplier"], sort=True):
        chosen, others = group.iloc[0], group.iloc[1:]
        all_reports = df[(df["month"] == month) & (df["supplier"] == supplier)]
        rows.append(
            {
                "month": month,
                "supplier": supplier,
                "value_bbl_per_day": round(float(chosen["value_bbl_per_day"]), 1),
                "figure_kind": chosen["figure_kind"],
                "period_start": chosen["period_start"].date().isoformat(),
                "period_end": chosen["period_end"].date().isoformat(),
                "publisher": chosen["publisher"],
                "basis": chosen["basis"],
                "product_scope": chosen["product_scope"],
                "url": chosen["url"],
                "verification": chosen["verification"],
                "days_in_month": int(chosen["days_in_month"]),
                "reports_count": len(all_reports),
                "other_reports": _other_reports(chosen, others),
                "lower_bound": _lower_bound(chosen),
            }
        )
    return pd.DataFrame(rows, columns=MONTHLY_COLUMNS)


def _one_report_per_cargo(cargoes: pd.DataFrame) -> pd.DataFrame:
    """Several outlets reporting one shipment (same `cargo` name in a month, or the same dates and volume) count
    once: the confirmed report with the best basis is kept, as for month averages."""
    if cargoes.empty:
        return cargoes
    named = cargoes["cargo"].fillna("").astype(str).str.strip()
    unnamed = (
        cargoes["period_start"].astype(str)
        + "/"
        + cargoes["period_end"].astype(str)
        + "/"
        + cargoes["value"].astype(str)
    )
    ranked = cargoes.assign(
        _cargo=named.where(named != "", unnamed),
        _verified=(cargoes["verification"] != "confirmed").astype(int),
        _basis=cargoes["basis"].map(BASIS_ORDER).fillna(len(BASIS_ORDER)),
    ).sort_values(["_verified", "_basis", "publisher"], kind="mergesort")
    return ranked.drop_duplicates(["month", "supplier", "_cargo"]).drop(columns=["_cargo", "_verified", "_basis"])


def _other_reports(chosen: pd.Series, others: pd.DataFrame) -> str:
    """The month's other figures (not cargoes), each once: a second outlet relaying the chosen figure adds nothing."""
    mine = _figure_text(chosen["value_bbl_per_day"], chosen["publisher"], chosen["figure_kind"], chosen["period_end"])
    texts = [
        _figure_text(o["value_bbl_per_day"], o["publisher"], o["figure_kind"], o["period_end"])
        for _, o in others.iterrows()
        if o["figure_kind"] != CARGOES
    ]
    return "; ".join(t for t in dict.fromkeys(texts) if t != mine)


def consumption_estimates(reported: pd.DataFrame, cia: pd.DataFrame | None) -> pd.DataFrame:
    """Cuba's oil consumption by year and publisher, in bbl/d: the curated estimates (annual ones, and a dated
    statement counted for its year) and the CIA Factbook's refined-products consumption."""
    cuba = reported[(reported["supplier"] == "consumption") & (reported["unit"] == "bbl_per_day")]
    rows = [
        {
            "year": pd.Timestamp(r.period_end).year,
            "consumption_bbl_per_day": float(r.value),
            "consumption_publisher": r.publisher,
            "consumption_url": r.url,
        }
        for r in cuba.itertuples(index=False)
    ]
    if cia is None:
        cia = pd.DataFrame(columns=["iso_code", "indicator", "unit", "reference_year", "value"])
    factbook = cia[(cia["iso_code"] == "CUB") & (cia["indicator"] == "refined_petroleum_consumption")]
    factbook = factbook[factbook["unit"] == "bbl_per_day"].dropna(subset=["reference_year"])
    rows += [
        {
            "year": int(r.reference_year),
            "consumption_bbl_per_day": float(r.value),
            "consumption_publisher": "CIA World Factbook (refined products)",
            "consumption_url": "https://www.cia.gov/the-world-factbook/countries/cuba/",
        }
        for r in factbook.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["year", "consumption_bbl_per_day", "consumption_publisher", "consumption_url"])


def annual_figures(reported: pd.DataFrame) -> pd.DataFrame:
    """Whole-year import figures as published (a company's filing, Reuters' yearly average), one per year and
    supplier: a publisher's crude and refined-products figures on one page are added; otherwise its 'crude and
    products' figure; among publishers, the confirmed one first, then by name. Used for years whose months are too
    thinly reported (Mexico's shipments are reported by period, not month)."""
    columns = ["year", "supplier", "annual_bbl_per_day", "annual_publisher", "annual_url"]
    df = reported[
        reported["supplier"].isin(SUPPLIERS)
        & (reported["unit"] == "bbl_per_day")
        & (reported["verification"] == "confirmed")
    ].copy()
    start, end = pd.to_datetime(df["period_start"]), pd.to_datetime(df["period_end"])
    df = df[(start.dt.year == end.dt.year) & (start.dt.day_of_year == 1) & (end.dt.month == 12) & (end.dt.day == 31)]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df["year"] = pd.to_datetime(df["period_end"]).dt.year
    rows = []
    for (year, supplier, publisher, url), page in df.groupby(["year", "supplier", "publisher", "url"], sort=True):
        flows = set(page["flow"])
        if flows == {"crude", "refined products"}:
            value = float(page["value"].sum())
        elif "crude and products" in flows:
            value = float(page.loc[page["flow"] == "crude and products", "value"].iloc[0])
        else:
            continue  # one part of the supply only (crude alone): not the supplier's whole year
        rows.append(
            {
                "year": year,
                "supplier": supplier,
                "annual_bbl_per_day": value,
                "annual_publisher": publisher,
                "annual_url": url,
            }
        )
    found = pd.DataFrame(rows, columns=columns)
    return found.sort_values(["year", "supplier", "annual_publisher"], kind="mergesort").drop_duplicates(
        ["year", "supplier"]
    )


def imports_by_year(monthly: pd.DataFrame, estimates: pd.DataFrame, annual: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each supplier's yearly supply: a whole-year figure as published, where there is one (its publisher saw every
    month; the months reported here can leave out the low ones: 2022's nine months average 60,767 bbl/d, Reuters'
    year 53,600, fact-check of 6 December 2026), else the mean of its monthly figures when at least three quarters
    of the year's months have one (a mean of a few months is not a year's supply), else none (the row keeps the
    months' mean, with no share). Then its share of each consumption estimate published for
    the same year (one row per estimate; a year without one gets no share: nothing is borrowed from another year)
    and of the 110,000 bbl/d the document cites."""
    if monthly.empty:
        return pd.DataFrame(columns=YEARLY_COLUMNS)
    m = monthly.assign(year=monthly["month"].str[:4].astype(int))
    last_month = m["month"].max()
    m["partial"] = m["figure_kind"].isin([MONTH_TO_DATE, CARGOES]) | m["lower_bound"].astype(bool)
    per_year = m.groupby(["year", "supplier"], as_index=False).agg(
        months_with_figure=("month", "nunique"),
        partial_months=("partial", "sum"),
        reported_months_mean_bbl_per_day=("value_bbl_per_day", "mean"),
    )
    last_year, last_month_number = int(last_month[:4]), int(last_month[5:7])
    per_year["months_in_year"] = [12 if y < last_year else last_month_number for y in per_year["year"]]
    per_year["reported_months_mean_bbl_per_day"] = per_year["reported_months_mean_bbl_per_day"].round(0)
    if annual is not None and len(annual):
        per_year = per_year.merge(annual, on=["year", "supplier"], how="outer")
    else:
        per_year = per_year.assign(annual_bbl_per_day=float("nan"), annual_publisher=None, annual_url=None)
    per_year["months_with_figure"] = per_year["months_with_figure"].fillna(0).astype(int)
    per_year["partial_months"] = per_year["partial_months"].fillna(0).astype(int)
    per_year["months_in_year"] = per_year["months_in_year"].fillna(12).astype(int)
    # A year's months, all twelve: the latest, unfinished year gets no yearly share (two months are not a year).
    published = per_year["annual_bbl_per_day"].notna()
    covered = (per_year["months_with_figure"] >= MIN_COVERAGE * 12) & (per_year["months_in_year"] == 12) & ~published
    per_year["year_bbl_per_day"] = per_year["reported_months_mean_bbl_per_day"].where(
        covered, per_year["annual_bbl_per_day"]
    )
    per_year["year_basis"] = [
        "monthly figures" if c else (f"annual figure ({p})" if isinstance(p, str) and p else "")
        for c, p in zip(covered, per_year["annual_publisher"], strict=True)
    ]
    per_year["year_url"] = per_year["annual_url"].where(~covered)
    merged = per_year.merge(estimates, on="year", how="left")
    # Three decimals: a reader's rounding to whole percent must not round twice (27.496 -> 27.5 -> 28).
    merged["share_of_consumption_pct"] = (100 * merged["year_bbl_per_day"] / merged["consumption_bbl_per_day"]).round(3)
    merged["share_of_110000_bbl_per_day_pct"] = (100 * merged["year_bbl_per_day"] / DOCUMENT_NEEDS_BBL_PER_DAY).round(3)
    merged["consumption_publisher"] = merged["consumption_publisher"].fillna(NO_ESTIMATE)
    return merged[YEARLY_COLUMNS]


FACTBOOK_URL = "https://www.cia.gov/the-world-factbook/countries/cuba/"
EIA_URL = "https://www.eia.gov/international/data/country/CUB"
BALANCE_MEASURES = ("consumption", "domestic production")
BALANCE_COLUMNS = [
    "year",
    "period_start",
    "period_end",
    "measure",
    "flow",
    "value_bbl_per_day",
    "publisher",
    "basis",
    "url",
    "verification",
]


def _year_period(year: int) -> dict[str, object]:
    return {"period_start": pd.Timestamp(year, 1, 1).date(), "period_end": pd.Timestamp(year, 12, 31).date()}


def balance_estimates(
    reported: pd.DataFrame, cia: pd.DataFrame | None, eia: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cuba's oil consumption and domestic production (bbl/d) from every publisher held, one row per figure with
    the period it covers (a Factbook or EIA year: 1 January to 31 December): the estimates /oil draws as yearly
    reference lines, each publisher apart, never joined into one series."""
    cuba = reported[reported["supplier"].isin(BALANCE_MEASURES) & (reported["unit"] == "bbl_per_day")]
    rows = [
        {
            "year": pd.Timestamp(r.period_end).year,
            "period_start": pd.Timestamp(r.period_start).date(),
            "period_end": pd.Timestamp(r.period_end).date(),
            "measure": r.supplier,
            "flow": r.flow if isinstance(r.flow, str) else "",
            "value_bbl_per_day": float(r.value),
            "publisher": r.publisher,
            "basis": r.basis if isinstance(r.basis, str) else "",
            "url": r.url,
            "verification": r.verification,
        }
        for r in cuba.itertuples(index=False)
    ]
    indicators = {"refined_petroleum_consumption": "consumption", "total_petroleum_production": "domestic production"}
    factbook_flows = {"consumption": "refined petroleum products", "domestic production": "total petroleum"}
    if cia is not None:
        factbook = cia[(cia["iso_code"] == "CUB") & (cia["unit"] == "bbl_per_day") & cia["indicator"].isin(indicators)]
        rows += [
            {
                "year": int(r.reference_year),
                **_year_period(int(r.reference_year)),
                "measure": indicators[r.indicator],
                "flow": factbook_flows[indicators[r.indicator]],
                "value_bbl_per_day": float(r.value),
                "publisher": "CIA World Factbook",
                "basis": r.text if isinstance(r.text, str) else "",
                "url": FACTBOOK_URL,
                "verification": "confirmed",
            }
            for r in factbook.dropna(subset=["reference_year"]).itertuples(index=False)
        ]
    if eia is not None:
        eia = eia[(eia["iso_code"] == "CUB") & eia["activity_id"].isin(["1", "2"]) & (eia["product_id"] == "53")]
        rows += [
            {
                "year": int(r.year),
                **_year_period(int(r.year)),
                "measure": "consumption" if r.activity_id == "2" else "domestic production",
                "flow": r.product if isinstance(r.product, str) else "",
                "value_bbl_per_day": float(r.value_bbl_per_day),
                "publisher": "U.S. EIA",
                "basis": r.product if isinstance(r.product, str) else "",
                "url": EIA_URL,
                "verification": "confirmed",
            }
            for r in eia.dropna(subset=["value_bbl_per_day"]).itertuples(index=False)
        ]
    out = pd.DataFrame(rows, columns=BALANCE_COLUMNS)
    return out.sort_values(["measure", "period_start", "publisher"], kind="mergesort").reset_index(drop=True)


GAP_COLUMNS = ["country", "iso_code", "measure", "value_bbl_per_day", "reference_years", "source"]
GAP_COUNTRIES = ("CUB", "MEX", "BRA")  # in this order: Cuba's need, then the two producers the document names


def _years(production_year: str, consumption_year: str) -> str:
    return production_year if production_year == consumption_year else f"{production_year}/{consumption_year}"


def gap_estimates(cia: pd.DataFrame | None) -> pd.DataFrame:
    """Cuba's import need (consumption − domestic production) beside Mexico's and Brazil's production and their
    production − consumption, from the CIA Factbook. Each estimate has its own year (Mexico: production 2023,
    consumption 2024), so a difference names both years."""
    if cia is None:
        return pd.DataFrame(columns=GAP_COLUMNS)
    cia = cia[(cia["unit"] == "bbl_per_day") & cia["iso_code"].isin(GAP_COUNTRIES)].dropna(subset=["value"])
    rows = []
    for iso in GAP_COUNTRIES:
        country = cia[cia["iso_code"] == iso]
        if country.empty:
            continue
        name = str(country["country"].iloc[0])
        figures = {r.indicator: (float(r.value), _year_text(r.reference_year)) for r in country.itertuples(index=False)}
        prod, prod_year = figures.get("total_petroleum_production", (None, ""))
        cons, cons_year = figures.get("refined_petroleum_consumption", (None, ""))
        both = prod is not None and cons is not None
        if iso == "CUB":
            if both:
                need = {"measure": "import need (consumption − production)", "value_bbl_per_day": cons - prod}
                rows.append(
                    {**need, "reference_years": _years(prod_year, cons_year), "source": "CIA World Factbook (derived)"}
                )
        else:
            if prod is not None:
                rows.append(
                    {
                        "measure": "production",
                        "value_bbl_per_day": prod,
                        "reference_years": prod_year,
                        "source": "CIA World Factbook",
                    }
                )
            if both:
                rows.append(
                    {
                        "measure": "production − consumption",
                        "value_bbl_per_day": prod - cons,
                        "reference_years": _years(prod_year, cons_year),
                        "source": "CIA World Factbook (derived)",
                    }
                )
        for row in rows:
            row.setdefault("country", name)
            row.setdefault("iso_code", iso)
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _year_text(year: object) -> str:
    return str(int(year)) if pd.notna(year) else ""
