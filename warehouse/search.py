"""Full-text search over report text, so an analyst can find the passage behind any number.

Chinese has no spaces between words, so passages (the non-empty lines of a report) are indexed
by character bigrams (the usual approach for CJK search); queries are cut the same way, and
scored with BM25 in SQL (sql/queries/search_query.sql).

Written here rather than with DuckDB's fts extension, which gives the same scores
(tests/warehouse/test_search.py holds the two side by side): fts can only rebuild its index
whole, and a night that adds ten reports to a warehouse of twenty thousand should cut ten
reports, not twenty thousand. This index is kept document by document: a night cuts the
documents it loaded or rewrote and forgets the ones it replaced or removed.

The index is a DuckDB file published beside the Parquet: a night's update is made on a copy and
swapped in whole, so searching never touches the live warehouse file nor a half-updated index.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.extensions import checkpoint_threshold, memory_limit
from warehouse.publish import read_state, record_state
from warehouse.scans import passing_scan
from warehouse.schema import query_sql

SEARCH_FILE = "search.duckdb"  # beside the published Parquet
INDEX_FORMAT = 4  # 1: by the fts extension; 3: terms as strings; another format is rebuilt
_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
# Documents cut into passages and terms by one statement, up to this many characters of text
# between them: their texts, passages and term lists (each a few times the text) are held at
# once, so few enough to stay well within a small memory limit (~3 MB of text), and as many as
# fit, since each statement waits its turn for the interpreter lock, which a thread busy beside
# it (the visual report) holds for up to 5 ms at a time: cut 32 documents at a time, a first
# night's 600 reports took 1.9 s alone and 4.4 s beside a busy thread; in slices of a million
# characters, 1.9 s and 2.8-3.0 s.
SLICE_CHARS = 1_000_000
# Deleted rows are not reclaimed at once, and each night's postings are a block of their own
# that every query reads: an index whose postings deleted or added since it was built whole
# outnumber a quarter of those it holds is built whole again (one sorted block) rather than
# updated.
REBUILD_SHARE = 0.25


def query_terms(text: str) -> list[str]:
    """The terms of `text` as the index cuts a passage (sql/queries/search_passages.sql)."""
    terms: list[str] = []
    for run in _RUN.findall(text):
        if run.isascii():
            terms.append(run.lower())
        elif len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


class IndexOutdated(RuntimeError):
    """The search file was made by another version of this code (another INDEX_FORMAT)."""


def index_format(path: str | Path) -> int | None:
    """The format of the search file at `path`; None if it is missing or not one we can read."""
    if not Path(path).exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return _format(con)
    finally:
        con.close()


def _format(con: duckdb.DuckDBPyConnection) -> int | None:
    """The index's format; None when another DuckDB version built it (its term numbers may
    differ: sql/queries/search_schema.sql)."""
    try:
        return con.execute(
            "SELECT max(format) FROM index_meta WHERE engine = ?", [duckdb.__version__]
        ).fetchone()[0]
    except duckdb.Error:  # an index of format 1 has no index_meta; before 4, no engine
        return None


def publish_search(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, whole: bool = False
) -> Path:
    """Bring the search file up to date with dim_document and swap it in: the published index
    updated on a copy (the documents loaded or rewritten since cut, the replaced or removed ones
    forgotten), or built whole when asked, when there is none of this format, or when it has
    changed too much. On failure the published index stays as it was and no file is left."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # what a run killed mid-update left (one writer publishes at a time: none is in use)
    for left in out.glob(".search-*.duckdb*"):
        left.unlink(missing_ok=True)
    final = out / SEARCH_FILE
    current = con.execute(query_sql("search_documents.sql")).to_arrow_table()
    tmp = out / f".search-{uuid.uuid4().hex[:8]}.duckdb"
    done = False
    try:
        idx, updating = _prepared(tmp, final, current, whole)
        try:
            # statement by statement, not one transaction: a transaction holds what it wrote in
            # memory until it commits, and a whole build's postings outgrow a small memory
            # limit (the work is on a copy that only replaces the index once it is done)
            _cut_fresh(con, idx)
            idx.execute(query_sql("search_append.sql"), {"whole": not updating})
            idx.execute("CHECKPOINT")
        finally:
            idx.close()
        os.replace(tmp, final)
        done = True
    finally:
        shutil.rmtree(out / ".search-spill", ignore_errors=True)
        if not done:  # the previous index stays as it was; no half-built file is left
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
    return final


def _prepared(
    tmp: Path, final: Path, current: pa.Table, whole: bool
) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The index at `tmp` open, with what changed (the warehouse's documents, `current`, against
    what it holds) worked out, and whether it is an update: a copy of the published index with
    the replaced and removed documents forgotten, or, when there is none of this format, when
    asked to or when an update would cost more than a build, a new and empty one."""
    if not whole and index_format(final) == INDEX_FORMAT:
        shutil.copyfile(final, tmp)
        idx = _open(tmp, current)
        try:
            updating = _forget_changed(idx)
        except BaseException:
            idx.close()
            raise
        if updating:
            return idx, True
        idx.close()
        tmp.unlink()
    idx = _open(tmp, current)
    try:
        idx.execute(query_sql("search_schema.sql"))
        idx.execute("INSERT INTO index_meta VALUES (?, 0, ?)", [INDEX_FORMAT, duckdb.__version__])
        idx.execute(query_sql("search_changes.sql"))
    except BaseException:
        idx.close()
        raise
    return idx, False


def _open(path: Path, current: pa.Table) -> duckdb.DuckDBPyConnection:
    """The index file at `path` open, with the warehouse's documents registered as _current.
    Bounded memory, spilling to disk beside the file: the peak does not grow with the corpus."""
    idx = duckdb.connect(
        str(path),
        config={
            "memory_limit": memory_limit(),
            "checkpoint_threshold": checkpoint_threshold(),
            "temp_directory": str(path.parent / ".search-spill"),
        },
    )
    idx.register("_current", current)
    return idx


def _forget_changed(idx: duckdb.DuckDBPyConnection) -> bool:
    """In a copy of the published index: find what changed and delete the passages of the
    documents replaced or removed. False (nothing deleted) when the postings changed since the
    index was built whole, these deletions included, would pass REBUILD_SHARE of it: it is
    then better built whole."""
    idx.execute(query_sql("search_changes.sql"))
    held, changed, stale, documents = idx.execute(
        "SELECT (SELECT count(*) FROM postings), (SELECT max(changed_postings) FROM index_meta), "
        "(SELECT count(*) FROM postings WHERE passage_id IN (SELECT passage_id FROM _gone)), "
        "(SELECT count(*) FROM _stale)"
    ).fetchone()
    if changed + stale > REBUILD_SHARE * max(held, 1):
        return False
    if documents:  # (a document whose lines hold no terms has passages but no postings)
        idx.execute(query_sql("search_forget.sql"), {"postings": stale})
    return True


def _cut_fresh(con: duckdb.DuckDBPyConnection, idx: duckdb.DuckDBPyConnection) -> None:
    """The documents in _fresh read from the warehouse a slice at a time (memory stays flat
    however long the texts; the pass does not fill the warehouse's cache) and cut into
    passages, terms and postings in SQL."""
    fresh = idx.execute("SELECT row_id, text_chars FROM _fresh ORDER BY row_id").fetchall()
    with passing_scan(con):
        for part in text_slices(fresh, SLICE_CHARS):
            docs = con.execute(
                "SELECT document_key, title, url, doc_text, _load_id AS load_id "
                f"FROM dim_document WHERE rowid BETWEEN {part[0]} AND {part[-1]} "
                f"AND rowid IN ({', '.join(map(str, part))})"
            ).to_arrow_table()
            idx.register("_docs", docs)
            idx.execute(query_sql("search_passages.sql"))
            idx.unregister("_docs")


def text_slices(documents: list[tuple[int, int]], chars: int) -> list[list[int]]:
    """Row ids of `documents` ((row id, characters of text), in row order) in consecutive
    slices of at most `chars` characters of text (a longer document in a slice of its own)."""
    slices: list[list[int]] = []
    held = chars  # a first document starts a slice
    for row_id, length in documents:
        if held + length > chars:
            slices.append([])
            held = 0
        slices[-1].append(int(row_id))
        held += length
    return slices


def refresh_search(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> Path | None:
    """The search file brought up to date when the documents changed since it was (as the
    published folder's state says), or when it is missing or of another format; None when it
    is up to date."""
    state = read_state(out_dir)
    documents = state.get("tables", {}).get("dim_document")  # type: ignore[union-attr]
    index = Path(out_dir) / SEARCH_FILE
    if state.get("search_built_from") == documents and index_format(index) == INDEX_FORMAT:
        return None
    built = publish_search(con, out_dir)
    record_state(out_dir, search_built_from=documents)
    return built


def search(path: str | Path, query: str, limit: int = 10) -> list[tuple[str, str, str, float]]:
    """(title, url, passage, score) of the passages best matching `query`, best first.
    IndexOutdated when the file was made by another version (the next run rebuilds it)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        if _format(con) != INDEX_FORMAT:
            raise IndexOutdated(
                f"{path}: a search index this version cannot read (made by another version); the "
                "next `govreports run` rebuilds it"
            )
        terms = query_terms(query)
        if not terms:
            return []
        con.execute("SET enable_external_access = false")  # the index file is open already
        con.execute("SET lock_configuration = true")
        codes = con.execute("SELECT list(term_code(t)) FROM unnest(?::VARCHAR[]) AS u(t)", [terms])
        return con.execute(
            query_sql("search_query.sql"), {"terms": codes.fetchone()[0], "limit": limit}
        ).fetchall()
    finally:
        con.close()
