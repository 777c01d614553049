"""Table and source metadata: one YAML per source (`etl/sources/<id>.meta.yaml`) feeds the pandera schema,
the published `datapackage.json`, the dashboard's titles and units, and the CSV column order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pandera.errors
import pandera.pandas as pa
import yaml

TYPES = {"string", "integer", "number", "date", "boolean"}


@dataclass(frozen=True)
class FieldMeta:
    name: str
    type: str
    description: str = ""
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False  # no missing values allowed
    enum: tuple[str, ...] | None = None
    upstream: str | None = None  # the upstream column or label it comes from

    def descriptor(self) -> dict[str, Any]:
        """A Frictionless Table Schema field."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        if self.unit:
            out["unit"] = self.unit
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        return out

    @classmethod
    def from_descriptor(cls, spec: dict[str, Any]) -> FieldMeta:
        """The inverse of `descriptor()`: a published field, so a reader checks it with the same contract."""
        constraints = spec.get("constraints") or {}
        kind = spec.get("type", "string")
        if kind not in TYPES:
            raise ValueError(f"field {spec.get('name')!r} has unknown type {kind!r}")
        return cls(
            name=str(spec["name"]),
            type=kind,
            description=spec.get("description", ""),
            unit=spec.get("unit"),
            minimum=constraints.get("minimum"),
            maximum=constraints.get("maximum"),
            required=bool(constraints.get("required", False)),
            enum=tuple(constraints["enum"]) if constraints.get("enum") else None,
        )


@dataclass(frozen=True)
class TableMeta:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    fields: tuple[FieldMeta, ...]
    source_id: str
    unique: bool = True
    notes: str = ""
    # Staleness from content (etl/staleness.py): the column that dates each row, rows that count (e.g. monthly
    # aggregates only), and how many days may pass after the latest observation before a new one is due.
    # None = irregular (curated, event-driven or static tables): never stale by content.
    time_column: str | None = None
    time_where: tuple[tuple[str, str], ...] = ()
    expected_cadence_days: int | None = None

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def text_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.type == "string"]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.required or f.name in self.primary_key]

    @classmethod
    def from_descriptor(cls, resource: dict[str, Any]) -> TableMeta:
        """A published resource of `datapackage.json` back to the metadata that wrote it, so that the dashboard
        validates what it loads with the very schema the ETL validated before publishing (`schema()`)."""
        schema = resource.get("schema") or {}
        fields = tuple(FieldMeta.from_descriptor(f) for f in schema.get("fields") or [])
        if not fields:
            raise ValueError(f"{resource.get('path')}: no schema fields")
        return cls(
            name=str(resource["path"]).removesuffix(".csv"),
            title=resource.get("title", ""),
            description=resource.get("description", ""),
            primary_key=tuple(schema.get("primaryKey") or ()),
            fields=fields,
            source_id=resource.get("x_source_id", ""),
        )

    def field(self, name: str) -> FieldMeta:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def schema(self) -> pa.DataFrameSchema:
        """The runtime contract checked before publishing: columns, types, ranges, required keys, uniqueness."""
        columns = {}
        for f in self.fields:
            checks = []
            if f.minimum is not None:
                checks.append(pa.Check.ge(f.minimum, error=f"{f.name} below {f.minimum}"))
            if f.maximum is not None:
                checks.append(pa.Check.le(f.maximum, error=f"{f.name} above {f.maximum}"))
            if f.enum:
                checks.append(pa.Check.isin(list(f.enum)))
            nullable = not (f.required or f.name in self.primary_key)
            dtype = {"string": None, "date": None, "boolean": None, "integer": "Int64", "number": float}[f.type]
            if f.type == "date":
                checks.append(
                    pa.Check(
                        lambda s: s.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), element_wise=False, error="date not YYYY-MM-DD"
                    )
                )
            columns[f.name] = pa.Column(dtype, checks=checks, nullable=nullable, coerce=dtype is not None)
        return pa.DataFrameSchema(
            columns,
            strict=True,
            ordered=True,
            unique=list(self.primary_key) if self.unique and self.primary_key else None,
            report_duplicates="all",
        )


class SchemaViolation(ValueError):
    """A table broke its schema; the message names the table, the columns, the checks and a few values."""


def check_schema(df: pd.DataFrame, table: TableMeta) -> pd.DataFrame:
    """Conform and validate against `table.schema()` (pandera, every failure at once). Used before publishing
    (etl/validation.py) and when the dashboard loads a published version (dashboard/data.py)."""
    try:
        df = conform(df, table)
        return table.schema().validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, case in cases.head(8).iterrows():
            lines.append(f"{case.get('column')}: {case.get('check')} (value {case.get('failure_case')!r})")
        more = f" and {len(cases) - 8} more" if len(cases) > 8 else ""
        raise SchemaViolation(f"{table.name} failed validation: " + "; ".join(lines) + more) from exc
    except (ValueError, TypeError) as exc:
        raise SchemaViolation(f"{table.name} failed validation: {exc}") from exc


def from_published_text(df: pd.DataFrame, table: TableMeta) -> pd.DataFrame:
    """A published CSV read as text (`dtype=str`, empty = missing) typed as its metadata says."""
    df = df.copy()
    for f in table.fields:
        if f.name in df.columns and f.type == "boolean":
            df[f.name] = df[f.name].map({"true": True, "false": False}).astype("boolean")
    return df


@dataclass(frozen=True)
class SourceMeta:
    id: str
    title: str
    publisher: str
    homepage: str
    licence: dict[str, str]
    citation: str
    cadence_days: int
    description: str = ""
    urls: tuple[str, ...] = ()
    requires_env: tuple[str, ...] = ()
    tables: dict[str, TableMeta] = field(default_factory=dict)
    kind: str = "upstream"  # upstream | curated | derived
    # Hosts a fetch may be redirected to besides the hosts of `urls` (etl/http.py refuses any other).
    redirect_hosts: tuple[str, ...] = ()

    @property
    def own_hosts(self) -> frozenset[str]:
        """The hosts this source's requests may end on: those of its declared URLs plus `redirect_hosts`."""
        hosts = {urlsplit(u).hostname for u in self.urls}
        return frozenset(h.lower() for h in hosts | set(self.redirect_hosts) if h)


def load_yaml(text: str) -> Any:
    """PyYAML's C loader when available (ten times faster on the claims files), else the pure-Python one."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


_META_CACHE: dict[tuple[str, float], SourceMeta] = {}


def load_source_meta(path: Path) -> SourceMeta:
    """Read `<id>.meta.yaml` (cached per file version), failing loudly on unknown types or missing keys."""
    key = (str(path), path.stat().st_mtime)
    if key not in _META_CACHE:
        _META_CACHE[key] = _load_source_meta(path)
    return _META_CACHE[key]


def _load_source_meta(path: Path) -> SourceMeta:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    tables = {}
    for name, table in (raw.get("tables") or {}).items():
        fields = []
        for fname, spec in table["fields"].items():
            spec = spec or {}
            if spec.get("type", "string") not in TYPES:
                raise ValueError(f"{path.name}: {name}.{fname} has unknown type {spec.get('type')!r}")
            fields.append(
                FieldMeta(
                    name=fname,
                    type=spec.get("type", "string"),
                    description=spec.get("description", ""),
                    unit=spec.get("unit"),
                    minimum=spec.get("minimum"),
                    maximum=spec.get("maximum"),
                    required=bool(spec.get("required", False)),
                    enum=tuple(spec["enum"]) if spec.get("enum") else None,
                    upstream=spec.get("upstream"),
                )
            )
        time_column, cadence = table.get("time_column"), table.get("expected_cadence_days")
        declared = {f.name for f in fields}
        if time_column is not None and time_column not in declared:
            raise ValueError(f"{path.name}: {name}.time_column {time_column!r} is not a field")
        if cadence is not None and (not isinstance(cadence, int) or cadence < 1 or time_column is None):
            raise ValueError(f"{path.name}: {name}.expected_cadence_days must be a whole number ≥ 1 with a time_column")
        time_where = tuple((str(k), str(v)) for k, v in (table.get("time_where") or {}).items())
        if any(k not in declared for k, _ in time_where):
            raise ValueError(f"{path.name}: {name}.time_where names an unknown field")
        tables[name] = TableMeta(
            name=name,
            title=table["title"],
            description=table.get("description", "").strip(),
            primary_key=tuple(table.get("primary_key", [])),
            fields=tuple(fields),
            source_id=raw["id"],
            unique=table.get("unique", True),
            notes=table.get("notes", "").strip(),
            time_column=time_column,
            time_where=time_where,
            expected_cadence_days=cadence,
        )
    return SourceMeta(
        id=raw["id"],
        title=raw["title"],
        publisher=raw["publisher"],
        homepage=raw.get("homepage", ""),
        licence=raw["licence"],
        citation=raw["citation"].strip(),
        cadence_days=int(raw["cadence_days"]),
        description=raw.get("description", "").strip(),
        urls=tuple(raw.get("urls", [])),
        requires_env=tuple(raw.get("requires_env", [])),
        tables=tables,
        kind=raw.get("kind", "upstream"),
        redirect_hosts=tuple(str(h).lower() for h in raw.get("redirect_hosts") or ()),
    )


def conform(df: pd.DataFrame, table: TableMeta) -> pd.DataFrame:
    """Order columns as declared and sort rows by the primary key, so unchanged data gives identical bytes."""
    missing = [c for c in table.columns if c not in df.columns]
    extra = [c for c in df.columns if c not in table.columns]
    if missing or extra:
        raise ValueError(f"{table.name}: columns differ from its metadata (missing {missing}, unexpected {extra})")
    out = df[table.columns].copy()
    for f in table.fields:
        if f.type in ("integer", "number"):
            try:
                numbers = pd.to_numeric(out[f.name])
            except (ValueError, TypeError) as exc:  # name the column: "N/A" in une_daily.deficit_mw, not "position 3"
                raise ValueError(f"{table.name}.{f.name} is not numeric: {exc}") from exc
            out[f.name] = numbers.astype("Int64" if f.type == "integer" else "float64")
        elif f.type == "boolean":
            out[f.name] = out[f.name].astype("boolean")
        else:
            out[f.name] = out[f.name].astype("string")
    if table.primary_key:
        out = out.sort_values(list(table.primary_key), kind="mergesort", na_position="first")
    return out.reset_index(drop=True)
