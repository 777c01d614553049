"""What a table must pass before it is published: its schema (pandera, from the `.meta.yaml`), the no-silent-loss
rules against the previous publish (no shrinking, no going back in time, nothing in the future) and the text checks
of `etl/safety.py`. A table that fails is refused with `ValidationFailed`; the published one stays as it was.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pandas as pd

from etl.meta import SchemaViolation, TableMeta, check_schema, conform, from_published_text
from etl.paths import Paths
from etl.safety import TextNote, UnsafeText, guard_text

SHRINK_TOLERANCE = 0.95  # a table may not lose more than 5% of its rows in one refresh


class ValidationFailed(ValueError):
    """A parsed table broke its schema or a plausibility check; it is not published."""


class InputNotPublished(ValidationFailed):
    """A derived source's input table has never been published (its source has not run yet): the derived source
    waits, reported as skipped, and nothing it published before changes."""


ALLOW_SHRINK_ENV = "CUBA_ALLOW_SHRINK"


def allowed_to_shrink() -> set[str]:
    """Tables an operator lets lose rows in this run (comma-separated names): a curator's deliberate removal, said
    out loud, never a nightly default."""
    return {n.strip() for n in os.environ.get(ALLOW_SHRINK_ENV, "").split(",") if n.strip()}


def read_published(paths: Paths, table: TableMeta) -> pd.DataFrame | None:
    """The previously published table, typed as its metadata says (for shrink checks and derived sources)."""
    path = paths.data_dir / f"{table.name}.csv"
    if not path.exists():
        return None
    df = from_published_text(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]), table)
    return conform(df, table) if set(df.columns) == set(table.columns) else df


def validate(df: pd.DataFrame, table: TableMeta, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Schema (pandera, all errors at once) and the no-silent-loss rules against the previous publish."""
    try:
        df = check_schema(df, table)
    except SchemaViolation as exc:
        raise ValidationFailed(str(exc)) from exc
    if previous is not None and len(previous):
        if len(df) < SHRINK_TOLERANCE * len(previous) and table.name not in allowed_to_shrink():
            raise ValidationFailed(
                f"{table.name} would shrink from {len(previous):,} to {len(df):,} rows; refusing to publish"
                f" (if a curator removed rows on purpose, rerun with {ALLOW_SHRINK_ENV}={table.name})"
            )
        for col in ("year", "date"):
            if col in df.columns and col in previous.columns:
                old_max, new_max = previous[col].dropna().max(), df[col].dropna().max()
                if pd.notna(old_max) and (pd.isna(new_max) or str(new_max) < str(old_max)):
                    raise ValidationFailed(
                        f"{table.name}: latest {col} would go back from {old_max} to {new_max}; refusing to publish"
                    )
    today = datetime.now(UTC).date()
    if "year" in df.columns and df["year"].dropna().gt(today.year).any():
        raise ValidationFailed(f"{table.name}: years in the future ({df['year'].max()})")
    for f in table.fields:
        if f.type == "date" and f.name in df.columns and not f.name.startswith(("period_end", "expected")):
            future = df[f.name].dropna()
            future = future[future > today.isoformat()]
            if len(future):
                raise ValidationFailed(f"{table.name}: {f.name} in the future ({future.iloc[0]})")
    return df


def texts_rejected(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The counts a parser left in its tables' `attrs["rejected"]` ({reason: texts}), summed over the tables and
    sorted by reason: what the run log records as the texts the source read but did not take."""
    counts: dict[str, int] = {}
    for df in tables.values():
        for reason, count in (df.attrs.get("rejected") or {}).items():
            counts[str(reason)] = counts.get(str(reason), 0) + int(count)
    return {reason: counts[reason] for reason in sorted(counts) if counts[reason]}


def check_text(df: pd.DataFrame, table: TableMeta, from_third_party: bool) -> tuple[pd.DataFrame, list[TextNote]]:
    """Links only with http(s) schemes (an optional one that is not is removed, a required one refuses the table);
    in text from third parties (upstream sources), cells a spreadsheet would run as formulas are neutralised. Each
    change is returned with its reason for the run log. Curated and derived text is ours and reviewed by hand."""
    try:
        return guard_text(df, table.name, table.text_columns, table.required_columns, formulas=from_third_party)
    except UnsafeText as exc:
        raise ValidationFailed(str(exc)) from exc
