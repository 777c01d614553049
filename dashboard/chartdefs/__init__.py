"""Chart definitions by page; each module registers its charts with `dashboard.charts.register`."""
