"""The UNE daily series as pure transforms: one record per date from the parsed notes, what is refused, the
outage-hours estimate and the tables derived from the series. The source ``etl/sources/une_daily.py`` runs them."""
