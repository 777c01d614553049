"""Every source module provides what its kind needs, checked when it is loaded (etl/registry.py: Hooks), so a
missing hook fails at once with its name rather than midway through a nightly run."""

from __future__ import annotations

import types

import pytest

from etl.registry import SOURCE_IDS, SourceContractError, all_sources, read_hooks


def test_every_registered_source_meets_its_kinds_contract():
    sources = all_sources()
    assert [s.id for s in sources] == [s for s in SOURCE_IDS if s in {x.id for x in sources}]
    for source in sources:
        hooks = source.hooks
        if source.meta.kind == "upstream":
            assert hooks.parse and (hooks.fetch or hooks.resources), source.id
        elif source.meta.kind == "curated":
            assert hooks.parse and hooks.local_files, source.id
        else:
            assert hooks.derive and hooks.inputs, source.id
    claims = next(s for s in sources if s.id == "claims")
    assert claims.hooks.reads_seeds and claims.hooks.document_names == ("claims.json", "claims-review.jsonld")


def test_a_derived_source_reads_only_tables_published_before_it():
    produced: set[str] = set()
    for source in all_sources():
        if source.meta.kind == "derived" and source.inputs != ("*",):
            own = set(source.meta.tables)
            later = set(source.inputs) - produced - own - set(source.hooks.optional_inputs)
            assert not later, f"{source.id} reads {sorted(later)}, published after it (or never)"
        produced |= set(source.meta.tables)


def _module(**attrs: object) -> types.ModuleType:
    module = types.ModuleType("etl.sources.example")
    for name, value in attrs.items():
        setattr(module, name, value)
    return module


@pytest.mark.parametrize(
    ("kind", "attrs", "missing"),
    [
        ("upstream", {"parse": lambda raw, meta: {}}, "fetch or resources"),
        ("upstream", {"resources": lambda ctx: []}, "parse"),
        ("curated", {"parse": lambda raw, meta: {}}, "local_files"),
        ("derived", {"INPUTS": ("une_daily",)}, "derive"),
        ("derived", {"derive": lambda ctx: {}}, "INPUTS"),
        ("derived", {"derive": lambda ctx: {}, "INPUTS": ("a",), "OPTIONAL_INPUTS": ("b",)}, "OPTIONAL_INPUTS"),
        ("derived", {"derive": lambda ctx: {}, "INPUTS": ("a",), "documents": lambda t, c: ({}, [])}, "DOCUMENTS"),
        ("nightly", {}, "unknown kind"),
    ],
)
def test_a_module_without_its_hooks_is_refused_naming_what_is_missing(kind, attrs, missing):
    with pytest.raises(SourceContractError, match=missing):
        read_hooks(_module(**attrs), kind)
