"""OWID and Ember electricity demand in one long table: where publishers disagree, show both."""

from __future__ import annotations

import pandas as pd

from etl.sources.base import DeriveContext

INPUTS = ("owid_energy", "ember_yearly")


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    inputs, vintages = ctx.inputs, ctx.vintages
    columns = ["country", "iso_code", "year", "electricity_demand_twh"]
    owid = (
        inputs["owid_energy"][columns]
        .dropna(subset=["electricity_demand_twh"])
        .assign(source="OWID", vintage=vintages.get("owid_energy"))
    )
    ember = (
        inputs["ember_yearly"][columns]
        .dropna(subset=["electricity_demand_twh"])
        .assign(source="Ember", vintage=vintages.get("ember_yearly"))
    )
    both = pd.concat([owid, ember], ignore_index=True)
    return {"electricity_demand_by_source": both}
