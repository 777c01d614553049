"""One module per source: `<id>.py` (what to fetch, how to parse) beside `<id>.meta.yaml` (who, licence, tables)."""
