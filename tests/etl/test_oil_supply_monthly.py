"""The monthly oil supply series: the curated table's checks, the choice of one figure per month, cargoes counted
once, the yearly shares and their coverage rule, publication in the data package, and the two charts."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from etl.runner import Refresher
from etl.sources import curated, oil_supply
from etl.sources.oil_supply import CARGOES, MONTH_AVERAGE, MONTH_TO_DATE, NO_ESTIMATE, STATED_ZERO

BASE = {
    "unit": "bbl_per_day",
    "product_scope": "crude and products",
    "basis": "company documents and tanker tracking",
    "republisher": "",
    "cargo": "",
    "several_shipments": False,
    "url": "https://example.org/a",
    "checked_date": "2026-12-06",
    "verification": "confirmed",
    "approximate": False,
    "note": "",
}


def report(month: str, value: float, publisher: str = "Reuters", **over: object) -> dict:
    first = pd.Timestamp(month + "-01")
    row = {
        **BASE,
        "month": month,
        "supplier": "Venezuela",
        "period_start": first.date().isoformat(),
        "period_end": (first + pd.offsets.MonthEnd(0)).date().isoformat(),
        "value": value,
        "publisher": publisher,
    }
    row.update(over)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_a_month_average_beats_cargoes_and_a_confirmed_figure_beats_a_conflicting_one():
    monthly = oil_supply.imports_by_month(
        frame(
            report("2024-05", 70_000, "El Toque", basis="press report"),
            report("2024-05", 66_000, "Reuters", verification="conflicting"),
            report("2024-05", 68_000, "Reuters"),
            report("2024-05", 900_000, "14ymedio", unit="bbl", period_start="2024-05-10", period_end="2024-05-10"),
        )
    )
    row = monthly.iloc[0]
    assert len(monthly) == 1 and row["value_bbl_per_day"] == 68_000 and row["figure_kind"] == MONTH_AVERAGE
    assert row["reports_count"] == 4
    # The other month averages are listed, with their publishers; the cargo is not a month average.
    assert "70,000 bbl/d (El Toque)" in row["other_reports"] and "66,000 bbl/d (Reuters)" in row["other_reports"]
    assert "900,000" not in row["other_reports"]


def test_cargoes_are_added_per_month_once_each_and_spread_over_the_months_days():
    cargo = {"unit": "bbl", "supplier": "Russia", "period_start": "2024-03-28", "period_end": "2024-03-30"}
    monthly = oil_supply.imports_by_month(
        frame(
            # one cargo reported by three outlets with three volumes: counted once (confirmed first)
            report(
                "2024-03", 684_000, "14ymedio", cargo="90,000 t, late March", verification="conflicting", **_(cargo)
            ),
            report("2024-03", 650_000, "EFE", cargo="90,000 t, late March", **_(cargo)),
            report(
                "2024-03", 715_000, "Lex Maris", cargo="90,000 t, late March", verification="conflicting", **_(cargo)
            ),
            # another cargo the same month
            report(
                "2024-03", 310_000, "Reuters", **{**_(cargo), "period_start": "2024-03-05", "period_end": "2024-03-05"}
            ),
        )
    )
    row = monthly.iloc[0]
    assert row["figure_kind"] == CARGOES and row["days_in_month"] == 31
    assert row["value_bbl_per_day"] == pytest.approx((650_000 + 310_000) / 31, abs=0.1)


def _(d: dict) -> dict:
    return dict(d)


def test_zeros_and_part_months_are_named_for_what_they_are():
    monthly = oil_supply.imports_by_month(
        frame(
            # "none so far" on the 12th is a zero for part of the month; a whole month's zero is a stated zero, and
            # is the one chosen
            report("2026-01", 0, "Reuters", period_end="2026-01-12", approximate=True),
            report("2026-01", 0, "TRT World", basis="press report"),
            report("2026-02", 0, "El Comercio", period_end="2026-02-16", approximate=True, basis="press report"),
            report("2020-02", 173_000, "Reuters", period_end="2020-02-14", approximate=True),
            report("2026-02", 0, "Orinoco Tribune", unit="bbl", supplier="Mexico"),
        )
    ).set_index(["month", "supplier"])
    january = monthly.loc[("2026-01", "Venezuela")]
    assert january["figure_kind"] == STATED_ZERO and january["publisher"] == "TRT World"
    assert "to 12 Jan" in january["other_reports"]
    february = monthly.loc[("2026-02", "Venezuela")]
    assert february["figure_kind"] == MONTH_TO_DATE and february["period_end"] == "2026-02-16"
    assert monthly.loc[("2026-02", "Mexico"), "figure_kind"] == STATED_ZERO  # a stated zero in barrels is still zero
    assert monthly.loc[("2020-02", "Venezuela"), "figure_kind"] == MONTH_TO_DATE


def test_a_figure_for_one_product_only_is_a_lower_bound_like_a_sum_of_cargoes():
    """Fact-check of issue 20 (#18): Reuters' October 2025 figure counts refined products only (crude was not
    disclosed), yet it was published as a whole month's supply."""
    monthly = oil_supply.imports_by_month(
        frame(
            report("2025-10", 11_000, product_scope="refined products"),
            report("2025-09", 52_000),  # crude and products
            report("2025-08", 0, product_scope="crude", basis="press report"),  # a stated zero stays a zero
            report("2025-07", 300_000, unit="bbl", cargo="Ship A", period_start="2025-07-10", period_end="2025-07-10"),
        )
    ).set_index("month")
    assert monthly["lower_bound"].to_dict() == {"2025-07": True, "2025-08": False, "2025-09": False, "2025-10": True}
    estimates = pd.DataFrame(
        [{"year": 2025, "consumption_bbl_per_day": 110_000.0, "consumption_publisher": "CIA", "consumption_url": "u"}]
    )
    yearly = oil_supply.imports_by_year(monthly.reset_index(), estimates)
    assert int(yearly.loc[yearly["supplier"] == "Venezuela", "partial_months"].iloc[0]) == 2


def months_of(year: int, count: int, value: float, supplier: str = "Venezuela") -> list[dict]:
    return [report(f"{year}-{m:02d}", value, supplier=supplier) for m in range(1, count + 1)]


def test_a_yearly_share_needs_nine_months_or_a_published_whole_year_figure():
    monthly = oil_supply.imports_by_month(
        frame(*months_of(2023, 11, 55_000), *months_of(2024, 8, 30_000), *months_of(2024, 12, 5_000, "Mexico"))
    )
    estimates = pd.DataFrame(
        [{"year": 2023, "consumption_bbl_per_day": 110_000.0, "consumption_publisher": "CIA", "consumption_url": "u"}]
    )
    annual = pd.DataFrame(
        [
            {
                "year": 2024,
                "supplier": "Venezuela",
                "annual_bbl_per_day": 32_000.0,
                "annual_publisher": "Reuters",
                "annual_url": "v",
            }
        ]
    )
    yearly = oil_supply.imports_by_year(monthly, estimates, annual).set_index(["year", "supplier"])
    y2023 = yearly.loc[(2023, "Venezuela")]
    assert y2023["year_basis"] == "monthly figures" and y2023["share_of_consumption_pct"] == 50.0
    y2024 = yearly.loc[(2024, "Venezuela")]
    # 8 of 12 months: the months' mean is kept but the year's supply is the published whole-year figure
    assert y2024["months_with_figure"] == 8 and y2024["reported_months_mean_bbl_per_day"] == 30_000
    assert y2024["year_bbl_per_day"] == 32_000 and y2024["year_basis"] == "annual figure (Reuters)"
    # no consumption estimate for 2024: no share, nothing borrowed from 2023
    assert y2024["consumption_publisher"] == NO_ESTIMATE and math.isnan(y2024["share_of_consumption_pct"])
    assert y2024["share_of_110000_bbl_per_day_pct"] == pytest.approx(100 * 32_000 / 110_000, abs=0.05)


NO_ESTIMATES = pd.DataFrame(columns=["year", "consumption_bbl_per_day", "consumption_publisher", "consumption_url"])


def test_a_published_whole_year_figure_beats_the_mean_of_nine_reported_months():
    """2022: nine reported months average 60,767 bbl/d, Reuters' whole year 53,600; the missing months were the low
    ones, so the year is the publisher's figure (fact-check of 6 December 2026). The months' mean stays beside it."""
    monthly = oil_supply.imports_by_month(frame(*months_of(2022, 9, 60_000), *months_of(2023, 1, 50_000)))
    annual = pd.DataFrame(
        [
            {
                "year": 2022,
                "supplier": "Venezuela",
                "annual_bbl_per_day": 53_600.0,
                "annual_publisher": "Reuters",
                "annual_url": "v",
            }
        ]
    )
    row = oil_supply.imports_by_year(monthly, NO_ESTIMATES, annual).set_index("year").loc[2022]
    assert row["reported_months_mean_bbl_per_day"] == 60_000 and row["months_with_figure"] == 9
    assert row["year_bbl_per_day"] == 53_600 and row["year_basis"] == "annual figure (Reuters)"
    without = oil_supply.imports_by_year(monthly, NO_ESTIMATES).set_index("year").loc[2022]
    assert without["year_bbl_per_day"] == 60_000 and without["year_basis"] == "monthly figures"


def test_annual_figures_add_a_publishers_crude_and_products_and_skip_crude_alone():
    reported = pd.DataFrame(
        [
            {
                "period_start": "2024-01-01",
                "period_end": "2024-12-31",
                "supplier": "Mexico",
                "flow": "crude",
                "value": 20_100.0,
                "unit": "bbl_per_day",
                "publisher": "Pemex",
                "url": "p",
                "verification": "confirmed",
            },
            {
                "period_start": "2024-01-01",
                "period_end": "2024-12-31",
                "supplier": "Mexico",
                "flow": "refined products",
                "value": 2_700.0,
                "unit": "bbl_per_day",
                "publisher": "Pemex",
                "url": "p",
                "verification": "confirmed",
            },
            {
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "supplier": "Mexico",
                "flow": "crude",
                "value": 12_284.0,
                "unit": "bbl_per_day",
                "publisher": "FT",
                "url": "f",
                "verification": "confirmed",
            },
            {
                "period_start": "2024-01-01",
                "period_end": "2024-06-30",
                "supplier": "Venezuela",
                "flow": "crude and products",
                "value": 40_000.0,
                "unit": "bbl_per_day",
                "publisher": "R",
                "url": "r",
                "verification": "confirmed",
            },
        ]
    )
    annual = oil_supply.annual_figures(reported)
    assert annual[["year", "supplier", "annual_bbl_per_day"]].values.tolist() == [[2024, "Mexico", 22_800.0]]


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"month": "2024-5"}, "month must be YYYY-MM"),
        ({"period_start": "2024-04-28", "unit": "bbl"}, "whose dates run outside its month"),
        ({"period_end": "2024-05-14"}, "does not cover its whole month"),
        ({"value": 341_000}, "more than 300,000"),
        ({"several_shipments": True}, "several shipments (several_shipments) in a figure that is not a total"),
    ],
)
def test_the_curated_check_refuses_a_row_that_is_not_one_months_figure(change, problem):
    row = report("2024-05", 50_000)
    row.update(change)
    problems = curated.check_monthly(pd.DataFrame([row]))
    assert any(problem in p for p in problems), problems
    assert curated.check_monthly(pd.DataFrame([report("2024-05", 50_000)])) == []
    two_loadings = report("2024-05", 774_000, unit="bbl", several_shipments=True, period_start="2024-05-03")
    assert curated.check_monthly(pd.DataFrame([two_loadings])) == []


def test_a_curated_refresh_publishes_both_series_with_their_method(paths):
    report_ = Refresher(paths, env={}).refresh(["curated"])
    oil = next(r for r in report_.results if r.source_id == "oil_supply")
    assert oil.status == "ok", oil.line()  # the CIA Factbook is optional: one consumption estimate fewer
    package = json.loads(paths.datapackage.read_text())
    described = {r["path"].removesuffix(".csv"): r.get("description", "") for r in package["resources"]}
    assert "LOWER BOUND" in described["oil_imports_monthly"]
    assert "three quarters" in described["oil_imports_yearly"]
    monthly = pd.read_csv(paths.data_dir / "oil_imports_monthly.csv")
    curated_rows = pd.read_csv(paths.data_dir / "curated" / "oil_supply_monthly.csv")
    assert len(monthly) == curated_rows.groupby(["month", "supplier"]).ngroups


@pytest.fixture
def published(tmp_path_factory):
    """The shipped data (data/): the published series and the charts drawn from them."""
    from dashboard.data import DataStore

    return DataStore()


def test_the_published_series_cover_the_venezuelan_months_the_curated_table_reports(published):
    monthly = published.table("oil_imports_monthly")
    reports = published.table("oil_supply_monthly")
    assert set(monthly["month"] + monthly["supplier"]) == set(reports["month"] + reports["supplier"])
    assert monthly.duplicated(["month", "supplier"]).sum() == 0
    ven = monthly[(monthly["supplier"] == "Venezuela") & monthly["month"].between("2019-01", "2026-02")]
    assert len(ven) >= 60  # 66 of 86 months when compiled (December 2026); never fewer without a reason


@pytest.mark.parametrize("chart_id", ["oil-imports-monthly", "oil-imports-share"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_oil_supply_charts_draw_the_published_columns(published, chart_id, lang):
    from dashboard import charts

    view = charts.build(chart_id, published, charts.ChartState(lang=lang))
    assert len(view.frame) and view.summary and view.as_of
    drawn = [t for t in view.draft.data if t.get("type") == "bar"]
    assert drawn, "no bars"
    if chart_id == "oil-imports-monthly":
        # Venezuela's bars (solid month averages and lighter lower bounds) are exactly its published non-zero months;
        # its zeros are marked on the axis instead of drawn as invisible bars.
        ven = [y for t in drawn if t["name"] == "Venezuela" for y in t["y"]]
        published_ven = view.frame[view.frame["supplier"] == "Venezuela"]["value_bbl_per_day"]
        assert sorted(ven) == sorted(published_ven[published_ven > 0])
        zero_marks = [t for t in view.draft.data if t.get("name") in ("None shipped", "Ningún envío")]
        marked = [
            text for text in zero_marks[0]["text"] if " · Venezuela: 0" in text
        ]  # "February 2026 · Venezuela: 0 …"
        assert len(marked) == int((published_ven == 0).sum()) > 0
        lighter = [t for t in drawn if t["name"] == "Venezuela" and t["marker"].get("pattern")]
        shown = view.frame[(view.frame["supplier"] == "Venezuela") & (view.frame["value_bbl_per_day"] > 0)]
        # partial figures: cargo sums across their month, part-month averages across only their days, and a figure
        # for one product only (October 2025: refined products), a lower bound of the month's supply
        partial = shown["figure_kind"].isin(["part of the month", "cargoes reported (at least)"]) | shown["lower_bound"]
        assert shown["lower_bound"].any() and sum(len(t["y"]) for t in lighter) == int(partial.sum())
        narrow = [t for t in lighter if "width" in t]
        assert narrow and all(w < 31 * 86_400_000 for w in narrow[0]["width"])
        document = [t for t in view.draft.data if "document" in t.get("name", "").lower()]
        assert document and set(document[0]["y"]) == {110_000}
    else:
        assert all(0 < y < 100 for t in drawn for y in t["y"])


def test_a_curators_removal_is_refused_unless_named_for_that_run(paths, monkeypatch):
    """The shrink guard protects the nightly run; a deliberate removal passes only with the table named."""
    Refresher(paths, env={}).refresh(["curated"])
    monthly_csv = paths.data_dir / "curated" / "oil_supply_monthly.csv"
    rows = pd.read_csv(monthly_csv, dtype=str, keep_default_na=False)
    rows[rows["month"] >= "2025-01"].to_csv(monthly_csv, index=False)  # most of the table removed
    before = (paths.data_dir / "oil_supply_monthly.csv").read_bytes()
    refused = Refresher(paths, env={}).refresh(["curated"])
    result = next(r for r in refused.results if r.source_id == "curated")
    assert result.status == "failed" and "CUBA_ALLOW_SHRINK=oil_supply_monthly" in result.message
    assert (paths.data_dir / "oil_supply_monthly.csv").read_bytes() == before  # nothing published
    monkeypatch.setenv("CUBA_ALLOW_SHRINK", "oil_supply_monthly,oil_imports_monthly,oil_imports_yearly")
    allowed = Refresher(paths, env={}).refresh(["curated"])
    assert not allowed.failed, [r.line() for r in allowed.failed]
    published = pd.read_csv(paths.data_dir / "oil_supply_monthly.csv", dtype=str)
    assert len(published) == len(rows[rows["month"] >= "2025-01"])


def _estimate(measure: str, value: float, publisher: str, year: int, **over: object) -> dict:
    return {
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "supplier": measure,
        "flow": "crude",
        "value": value,
        "unit": "bbl_per_day",
        "basis": "",
        "publisher": publisher,
        "url": "https://example.org/e",
        "verification": "confirmed",
        **over,
    }


def _factbook(iso: str, indicator: str, value: float, year: int) -> dict:
    country = {"CUB": "Cuba", "MEX": "Mexico", "BRA": "Brazil"}[iso]
    return {
        "country": country,
        "iso_code": iso,
        "indicator": indicator,
        "value": value,
        "unit": "bbl_per_day",
        "reference_year": year,
        "is_estimate": True,
        "text": f"{value} bbl/day ({year} est.)",
    }


def test_balance_estimates_keep_each_estimate_apart_with_what_it_counts():
    reported = pd.DataFrame(
        [
            _estimate("domestic production", 38_000, "14ymedio", 2024, basis="expert estimate (Piñón)"),
            _estimate(
                "domestic production",
                40_000,
                "14ymedio",
                2024,
                flow="crude (oil equivalent incl. gas liquids)",
                basis="Cupet to Granma",
            ),
            _estimate("consumption", 110_000, "EFE", 2026, period_start="2026-01-15", period_end="2026-01-15"),
            _estimate("Venezuela", 30_000, "Reuters", 2025),  # an import figure, not part of the balance
        ]
    )
    cia = pd.DataFrame([_factbook("CUB", "refined_petroleum_consumption", 120_000, 2023)])
    balance = oil_supply.balance_estimates(reported, cia)
    assert (
        len(balance) == 4
        and not balance.duplicated(["measure", "period_start", "period_end", "publisher", "url", "flow"]).any()
    )
    production = balance[balance["measure"] == "domestic production"]
    assert sorted(production["value_bbl_per_day"]) == [38_000, 40_000]
    assert set(production["basis"]) == {"expert estimate (Piñón)", "Cupet to Granma"}
    factbook = balance[balance["publisher"] == "CIA World Factbook"].iloc[0]
    assert (str(factbook["period_start"]), str(factbook["period_end"])) == ("2023-01-01", "2023-12-31")
    assert factbook["flow"] == "refined petroleum products"
    statement = balance[balance["publisher"] == "EFE"].iloc[0]
    assert statement["year"] == 2026 and str(statement["period_start"]) == "2026-01-15"


def test_gap_estimates_name_both_years_of_a_difference():
    cia = pd.DataFrame(
        [
            _factbook("CUB", "refined_petroleum_consumption", 124_000, 2023),
            _factbook("CUB", "total_petroleum_production", 40_000, 2023),
            _factbook("MEX", "total_petroleum_production", 2_100_000, 2023),
            _factbook("MEX", "refined_petroleum_consumption", 1_740_000, 2024),
            _factbook("BRA", "total_petroleum_production", 4_000_000, 2023),  # no consumption: no difference
        ]
    )
    gap = oil_supply.gap_estimates(cia).set_index(["iso_code", "measure"])
    assert gap.loc[("CUB", "import need (consumption − production)"), "value_bbl_per_day"] == 84_000
    assert gap.loc[("MEX", "production − consumption"), "reference_years"] == "2023/2024"
    assert gap.loc[("MEX", "production − consumption"), "value_bbl_per_day"] == 360_000
    assert ("BRA", "production − consumption") not in gap.index
    assert list(oil_supply.gap_estimates(cia)["iso_code"]) == ["CUB", "MEX", "MEX", "BRA"]


def test_the_oil_balance_and_gap_charts_draw_the_published_estimates():
    from dashboard import charts
    from dashboard.data import DataStore

    store = DataStore()
    balance = charts.get("oil-balance")
    view = balance.build(store, charts.narrow(balance, store, charts.parse_state(balance, store, {})))
    published = store.table("oil_balance_estimates")
    assert len(view.frame) == len(published) > 0
    assert sorted(view.frame["value_bbl_per_day"]) == sorted(published["value_bbl_per_day"])
    gap = charts.get("oil-gap-vs-producers")
    view = gap.build(store, charts.narrow(gap, store, charts.parse_state(gap, store, {})))
    need = store.table("oil_gap_estimates").query("iso_code == 'CUB'")["value_bbl_per_day"].iloc[0]
    assert need in set(view.frame["value_bbl_per_day"])
