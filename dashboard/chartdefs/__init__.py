"""Chart definitions by page; each module registers its charts with `dashboard.chart_registry.register` when it is
imported, and `dashboard/charts.py` imports them all."""
