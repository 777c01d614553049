"""ETL for the Cuba energy dashboard: fetch public sources, parse them purely, validate, publish to data/."""
