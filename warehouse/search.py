"""Full-text search over report text with DuckDB's fts extension (installed offline from the
`duckdb-extension-fts` package), so an analyst can find the passage behind any number.

Chinese has no spaces between words, so passages are indexed as overlapping character bigrams
(the usual approach for CJK search); queries are cut the same way. The index is a small DuckDB
file published beside the Parquet and swapped in whole, so searching never touches the live
warehouse file.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import duckdb

from warehouse.extensions import checkpoint_threshold, load_extension, memory_limit
from warehouse.publish import read_state, record_state, row_slices
from warehouse.schema import query_sql

SEARCH_FILE = "search.duckdb"  # beside the published Parquet
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9.]+")
# Documents cut into passages and tokens by one statement: their texts, passages and bigram
# lists (each about twice the text) are held at once, so few enough to stay well within a small
# memory limit (32 reports of 100 KB: ~10 MB of text).
SLICE_DOCUMENTS = 32
# fts lower-cases and replaces `ignore` matches by spaces before splitting on white space.
_IGNORE = r"(\.|[^a-z0-9\x{4e00}-\x{9fff}])+"


def bigrams(text: str) -> str:
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        if run[0].isascii():
            tokens.append(run.lower().strip("."))
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(t for t in tokens if t)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    load_extension(con, "fts")


def publish_search(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> Path:
    """Build the search file from dim_document (one passage per non-empty line) and swap it in."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".search-{uuid.uuid4().hex[:8]}.duckdb"
    # Building the index is DuckDB SQL over every passage: bounded memory, spilling to disk
    # beside the file, so its peak does not grow with the corpus.
    idx = duckdb.connect(
        str(tmp),
        config={
            "memory_limit": memory_limit(),
            "checkpoint_threshold": checkpoint_threshold(),
            "temp_directory": str(out / ".search-spill"),
        },
    )
    built = False
    try:
        load_fts(idx)
        columns = ("passage_key", "document_key", "title", "url", "passage", "tokens")
        idx.execute(f"CREATE TABLE passages ({', '.join(f'{k} VARCHAR' for k in columns)})")
        # documents a slice at a time (memory stays flat however long the texts), cut and
        # tokenised in SQL
        for where in row_slices(con, "dim_document", SLICE_DOCUMENTS):
            docs = con.execute(
                f"SELECT document_key, title, url, doc_text FROM dim_document WHERE {where}"
            ).fetch_arrow_table()
            idx.register("_docs", docs)
            idx.execute(query_sql("search_passages.sql"))
            idx.unregister("_docs")
        passages = idx.execute("SELECT count(*) FROM passages").fetchone()[0]
        if passages:
            idx.execute(
                f"PRAGMA create_fts_index('passages', 'passage_key', 'tokens', stemmer = 'none', "
                f"stopwords = 'none', ignore = '{_IGNORE}', strip_accents = 0, lower = 1)"
            )
        built = True
    finally:
        idx.close()
        shutil.rmtree(out / ".search-spill", ignore_errors=True)
        if not built:  # the previous index stays as it was; no half-built file is left
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
    final = out / SEARCH_FILE
    os.replace(tmp, final)
    return final


def refresh_search(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> Path | None:
    """The search file rebuilt when the documents changed since it was built (as the published
    folder's state says) or it is missing; None when it is up to date."""
    documents = read_state(out_dir).get("tables", {}).get("dim_document")  # type: ignore[union-attr]
    index = Path(out_dir) / SEARCH_FILE
    if index.exists() and read_state(out_dir).get("search_built_from") == documents:
        return None
    built = publish_search(con, out_dir)
    record_state(out_dir, search_built_from=documents)
    return built


def search(path: str | Path, query: str, limit: int = 10) -> list[tuple[str, str, str, float]]:
    """(title, url, passage, score) of the passages best matching `query`, best first."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        load_fts(con)
        con.execute("SET enable_external_access = false")  # the index file is open already
        con.execute("SET lock_configuration = true")
        if not con.execute("SELECT count(*) FROM passages").fetchone()[0]:
            return []
        return con.execute(
            "SELECT title, url, passage, score FROM (SELECT *, fts_main_passages.match_bm25("
            "passage_key, ?) AS score FROM passages) WHERE score IS NOT NULL "
            "ORDER BY score DESC LIMIT ?",
            [bigrams(query), limit],
        ).fetchall()
    finally:
        con.close()
