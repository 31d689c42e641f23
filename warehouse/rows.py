"""A batch's rows as the warehouse takes them: dimension rows as dicts (a few per batch), the
facts as Arrow columns (millions per backfill: no per-fact dict, no per-fact key in Python;
sql/queries/insert_facts.sql computes the keys)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

import pyarrow as pa

from transform.model import Fact, Region


def region_row(region: Region, key: str, load_id: str) -> dict[str, object]:
    return {
        "region_key": key,
        "region": region.name,
        "region_level": region.level,
        "gb2260_code": region.code,
        "kind": "zone" if region.level == "zone" else "government",
        "parent_name": region.parent_name,
        "_load_id": load_id,
    }


# The Fact fields the fact table stores (the cues behind year and kind are for `extract
# --explain` only), with their Arrow types: the facts go in as columns, never as row dicts.
_FACT_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("indicator", pa.string()),
    ("indicator_text", pa.string()),
    ("measure", pa.string()),
    ("value", pa.float64()),
    ("value_high", pa.float64()),
    ("unit", pa.string()),
    ("unit_text", pa.string()),
    ("qualifier", pa.string()),
    ("kind", pa.string()),
    ("year", pa.int32()),
    ("region", pa.string()),
    ("sentence", pa.string()),
    ("char_start", pa.int32()),
    ("char_end", pa.int32()),
    ("year_basis", pa.string()),
    ("kind_basis", pa.string()),
)


def fact_columns(fact_docs: Sequence[tuple[str, Sequence[Fact]]], load_id: str) -> pa.Table:
    """The facts of several documents as one Arrow table, built column by column (each field
    read off every fact in C by attrgetter), with each fact's document key and the load id."""
    every = [f for _, facts in fact_docs for f in facts]
    columns = {
        name: pa.array(list(map(attrgetter(name), every)), type=kind)
        for name, kind in _FACT_COLUMNS
    }
    doc_keys = [key for key, facts in fact_docs for _ in range(len(facts))]
    columns["document_key"] = pa.array(doc_keys, type=pa.string())
    columns["_load_id"] = pa.repeat(pa.scalar(load_id, pa.string()), len(every))
    return pa.table(columns)
