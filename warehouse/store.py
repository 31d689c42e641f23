"""The warehouse: schema from sql/, bulk loads through Arrow, one transaction per batch.

Two backends hold the same tables, loaded by the same code:
- `duckdb`: one DuckDB file, one writer process at a time (the default, and the demo's).
- `ducklake`: a DuckLake catalog (PostgreSQL in production) with Parquet data files under a data
  path, so several runs on different machines write at once and BI reads while they do. DuckLake
  settles most concurrent commits itself; the rest fail with a conflict and are redone here.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from transform.model import (
    EXTRACTOR_VERSION,
    CrawlRecord,
    DocumentLoad,
    Fact,
    Indicator,
    Region,
)
from warehouse.extensions import checkpoint_failure, checkpoint_threshold, memory_limit
from warehouse.keys import document_key, name_key, surrogate_key, url_key
from warehouse.lake import (
    CONFLICT_RETRIES,
    LakeTarget,
    attach_lake,
    is_conflict,
)
from warehouse.rows import fact_columns, region_row
from warehouse.schema import TABLES, code_version, query_sql, rebuilds, renames, sql_files


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file."""


class WarehouseCorrupt(RuntimeError):
    """The warehouse file is not a DuckDB database, or a block of it fails its checksum."""


_CORRUPT = re.compile(r"not a valid DuckDB database|Corrupt database|checksum", re.I)


class Warehouse:
    """One writer's (or reader's) connection to the warehouse: a DuckDB file at `path`, or the
    DuckLake `lake` when given."""

    def __init__(
        self,
        path: str | Path | None = None,
        read_only: bool = False,
        lake: LakeTarget | None = None,
    ):
        self.lake = lake
        self.path = Path(path) if path is not None else None
        self.conflicts_retried = 0
        if lake is not None:
            self.con = attach_lake(lake, read_only)
        else:
            if self.path is None:
                raise ValueError("a warehouse needs a DuckDB file path or a DuckLake target")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.con = duckdb.connect(
                    str(self.path),
                    read_only=read_only,
                    config={
                        "memory_limit": memory_limit(),
                        "checkpoint_threshold": checkpoint_threshold(),
                    },
                )
            except duckdb.IOException as exc:
                message = str(exc)
                if re.search(r"\block\b", message, re.I):  # "Could not set lock", not "block"
                    raise WarehouseBusy(
                        f"{self.path} is in use by another process (a run is writing); "
                        "try again when it finishes"
                    ) from None
                if _CORRUPT.search(message):
                    first = message.strip().splitlines()[0]
                    raise WarehouseCorrupt(
                        f"{self.path} is damaged and cannot be opened ({first}); restore it from "
                        "a backup, or rebuild it: move it aside and run `govreports reprocess`"
                    ) from None
                raise
        if not read_only:
            self.ensure_schema()

    @property
    def label(self) -> str:
        return f"ducklake:{self.lake.catalog}" if self.lake else str(self.path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ddl(self, sql: str) -> str:
        """DuckLake has no PRIMARY KEY or UNIQUE constraints: keys are kept unique by the
        loaders (delete-then-insert by key in one transaction; claims for shared rows)."""
        if self.lake is None:
            return sql
        return re.sub(r"\s+(?:PRIMARY\s+KEY|UNIQUE)\b", "", sql)

    def ensure_schema(self) -> None:
        tables = [self._ddl(sql) for sql in sql_files("tables") + sql_files("migrations")]
        views = [self._ddl(sql) for sql in sql_files("views")]

        def work() -> None:
            for sql in tables:
                self.con.execute(sql)
            for sql in renames(self._columns):  # warehouses from before a column was renamed
                self.con.execute(sql)
            if self.lake is None:  # ... or before a constraint was dropped (DuckLake has none)
                for sql in rebuilds(self._constraints):
                    self.con.execute(sql)
            for sql in views:
                self.con.execute(sql)
            self._claim()

        # One transaction: two runs creating a fresh lake at once conflict, and the loser's
        # retry finds the tables (IF NOT EXISTS) and the seeded rows (NOT IN) already there.
        self._transaction(work)

    # -- helpers -------------------------------------------------------------------------------
    def _columns(self, table: str) -> set[str]:
        return {r[0] for r in self.con.execute(f"DESCRIBE {table}").fetchall()}

    def _constraints(self, table: str) -> set[str]:
        sql = "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?"
        return {r[0] for r in self.con.execute(sql, [table]).fetchall()}

    def _replace_rows(self, table: str, key: str, rows: list[dict[str, object]]) -> None:
        """Delete rows by key and insert the new ones through Arrow (caller holds the transaction)."""
        if not rows:
            return
        columns = [r[0] for r in self.con.execute(f"DESCRIBE {table}").fetchall()]
        arrow = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])
        self.con.register("_incoming", arrow)
        try:
            self.con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM _incoming)")
            cols = ", ".join(columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def _claim(self) -> None:
        """Inside a transaction that adds rows another writer may add too: make two such
        transactions conflict (a no-op guard on the single-writer DuckDB file)."""
        if self.lake is not None:
            self.con.execute("UPDATE writer_claim SET claims = claims + 1")

    def _transaction(self, *work: Callable[[], None], claim: bool = False) -> None:
        """Run the `work` steps, in order, in one transaction. On DuckLake a commit that
        conflicts with another writer's is rolled back and the steps run again on the new
        snapshot (they must read what they depend on inside the transaction), up to
        CONFLICT_RETRIES times with jittered backoff."""
        for attempt in range(CONFLICT_RETRIES + 1):
            self.con.execute("BEGIN TRANSACTION")
            try:
                if claim:
                    self._claim()
                for step in work:
                    step()
                self.con.execute("COMMIT")
                return
            except BaseException as exc:
                # (a failed DuckLake commit has already ended the transaction)
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("ROLLBACK")
                if (failure := checkpoint_failure(exc)) is not None:
                    raise failure from None
                if self.lake is None or not is_conflict(exc) or attempt == CONFLICT_RETRIES:
                    raise
                self.conflicts_retried += 1
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))

    # -- dimensions ----------------------------------------------------------------------------
    def upsert_indicators(self, catalogue: Iterable[Indicator], load_id: str) -> None:
        rows = [
            {
                "indicator_key": surrogate_key(i.code),
                "indicator": i.code,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "synonyms": list(i.synonyms),
                "_load_id": load_id,
            }
            for i in catalogue
            if i.emit
        ]
        self._upsert_changed(
            "dim_indicator",
            "indicator_key",
            "indicator",
            ("name_zh", "name_en", "synonyms"),
            rows,
        )

    def upsert_sources(self, sources: Iterable[object], load_id: str) -> None:
        rows = [
            {
                "source_key": surrogate_key(s.id),
                "source_id": s.id,
                "source_name": s.name,
                "region": s.region,
                "start_urls": list(s.start_urls),
                "_load_id": load_id,
            }
            for s in sources
        ]
        self._upsert_changed(
            "dim_source",
            "source_key",
            "source_id",
            ("source_name", "region", "start_urls"),
            rows,
        )

    def _upsert_changed(
        self,
        table: str,
        key: str,
        natural: str,
        attrs: tuple[str, ...],
        rows: list[dict[str, object]],
    ) -> None:
        """Write only the rows whose attributes differ from what the table holds, so a rerun
        with an unchanged catalogue or sources file changes no row."""
        cols = ", ".join((natural, *attrs))

        def work() -> None:
            existing = {
                r[0]: r[1:] for r in self.con.execute(f"SELECT {cols} FROM {table}").fetchall()
            }
            changed = [r for r in rows if existing.get(r[natural]) != tuple(r[a] for a in attrs)]
            if changed:
                self._claim()
            self._replace_rows(table, key, changed)

        self._transaction(work)

    # -- crawl state -----------------------------------------------------------------------------
    def crawl_state(self, source_id: str) -> dict[str, dict[str, object]]:
        """The source's crawl state rows by url_key."""
        cur = self.con.execute("SELECT * FROM crawl_state WHERE source_id = ?", [source_id])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        return {r["url_key"]: r for r in rows}

    def attainment(self, limit: int = 20) -> list[dict[str, object]]:
        """Targets with their results (sql/queries/attainment.sql), decided ones first."""
        cur = self.con.execute(query_sql("attainment.sql"), [limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def content_shas(self, source_id: str) -> dict[str, str]:
        """The sha256 of what each of the source's documents was read from, by url_key."""
        rows = self.con.execute(
            "SELECT url_key, sha256 FROM dim_document WHERE source_id = ?", [source_id]
        ).fetchall()
        return dict(rows)

    def _rows_by_key(self, table: str, key: str, keys: list[str]) -> dict[str, dict[str, object]]:
        """The rows of `table` whose `key` is among `keys` (one query, however many keys)."""
        self.con.register("_wanted", pa.table({"k": keys}))
        try:
            cur = self.con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT k FROM _wanted)")
            names = [d[0] for d in cur.description]
            return {
                r[key]: r for r in (dict(zip(names, row, strict=True)) for row in cur.fetchall())
            }
        finally:
            self.con.unregister("_wanted")

    def record_crawl(self, records: Sequence[CrawlRecord]) -> None:
        if records:
            self._transaction(self._crawl_work(records))

    def _crawl_work(self, records: Sequence[CrawlRecord]) -> Callable[[], None]:
        """The crawl-state upsert of `records`, to run inside a transaction."""
        keyed = [(surrogate_key(r.source_id, url_key(r.url)), url_key(r.url), r) for r in records]

        def work() -> None:
            previous = self._rows_by_key("crawl_state", "crawl_key", [k for k, _, _ in keyed])
            rows = []
            for crawl_key, key, r in keyed:
                prev = previous.get(crawl_key)
                rows.append(
                    {
                        "crawl_key": crawl_key,
                        "url_key": key,
                        "url": r.url,
                        "source_id": r.source_id,
                        "role": r.role,
                        "listing_title": r.listing_title or (prev or {}).get("listing_title"),
                        "listing_date": r.listing_date or (prev or {}).get("listing_date"),
                        "status": r.status,
                        "http_status": r.http_status,
                        "error": r.error,
                        "attempts": (int(prev["attempts"]) if prev else 0) + 1,
                        "etag": r.etag,
                        "last_modified": r.last_modified,
                        "sha256": r.sha256,
                        "content_type": r.content_type,
                        "first_seen": prev["first_seen"] if prev else r.attempted_at,
                        "last_attempt": r.attempted_at,
                    }
                )
            self._replace_rows("crawl_state", "crawl_key", rows)

        return work

    # -- documents and facts ---------------------------------------------------------------------
    def load_documents(self, loads: Sequence[DocumentLoad], load_id: str) -> int:
        """Replace each document and all its facts in one transaction. Returns facts written."""
        if not loads:
            return 0
        work, facts = self._documents_work(loads, load_id)
        self._transaction(work)
        return facts

    def load_batch(
        self, loads: Sequence[DocumentLoad], records: Sequence[CrawlRecord], load_id: str
    ) -> int:
        """A batch's documents and facts and the crawl state that marks them done, in one
        transaction: a run killed at any moment leaves both or neither. Returns facts written."""
        steps = [self._crawl_work(records)] if records else []
        facts = 0
        if loads:
            documents, facts = self._documents_work(loads, load_id)
            steps.insert(0, documents)
        if steps:
            self._transaction(*steps)
        return facts

    def _documents_work(
        self, loads: Sequence[DocumentLoad], load_id: str
    ) -> tuple[Callable[[], None], int]:
        """The replacement of each document and its facts, to run inside a transaction, and the
        number of facts it writes."""
        regions: dict[str, dict[str, object]] = {}
        docs: list[dict[str, object]] = []
        fact_docs: list[tuple[str, Sequence[Fact]]] = []
        for ld in loads:
            doc = ld.document
            region = doc.region
            region_key = surrogate_key(region.name) if region else None
            if region:
                regions[region.name] = region_row(region, region_key, load_id)
            doc_key = document_key(ld.source_id, ld.url)
            named = {r.name: r for r in ld.fact_regions}
            docs.append(
                {
                    "document_key": doc_key,
                    "url_key": url_key(ld.url),
                    "url": ld.url,
                    "source_id": ld.source_id,
                    "title": doc.title,
                    "report_type": doc.report_type,
                    "publish_date": doc.publish_date,
                    "report_year": doc.report_year,
                    "region_key": region_key,
                    "region": region.name if region else None,
                    "publisher": doc.publisher,
                    "content_url": ld.content_url,
                    "sha256": ld.sha256,
                    "text_chars": len(doc.text),
                    "fact_count": len(ld.facts),
                    "extractor_version": EXTRACTOR_VERSION,
                    "fetched_at": ld.fetched_at,
                    "doc_text": doc.text,
                    "_load_id": load_id,
                }
            )
            for name in dict.fromkeys(f.region for f in ld.facts if f.region):
                if name not in regions:
                    region = named.get(name) or Region(name)
                    regions[name] = region_row(region, name_key(name), load_id)
            fact_docs.append((doc_key, ld.facts))
        keys = pa.table({"document_key": [d["document_key"] for d in docs]})
        facts = fact_columns(fact_docs, load_id)

        def work() -> None:
            known = {r[0] for r in self.con.execute("SELECT region FROM dim_region").fetchall()}
            new_regions = [r for name, r in regions.items() if name not in known]
            if new_regions:
                self._claim()
            self._replace_rows("dim_region", "region_key", new_regions)
            self.con.register("_docs", keys)
            try:
                # only a document loaded before has facts to replace: a batch of new reports
                # (a first crawl, a backfill) never scans the fact table
                if self.con.execute(query_sql("reloaded_documents.sql")).fetchone()[0]:
                    self.con.execute(
                        "DELETE FROM fct_indicator_value WHERE document_key IN "
                        "(SELECT document_key FROM _docs)"
                    )
            finally:
                self.con.unregister("_docs")
            self._replace_rows("dim_document", "document_key", docs)
            # the documents' facts were deleted above: their keys (which hold the document's)
            # are free, so the new ones are inserted without a delete by key
            self.con.register("_incoming_facts", facts)
            try:
                self.con.execute(query_sql("insert_facts.sql"))
            finally:
                self.con.unregister("_incoming_facts")

        return work, facts.num_rows

    def reprocess_inputs(self) -> list[tuple]:
        """Per loaded document: url, source, region, content url and sha256, page sha256,
        content type, listing title and date, fetch time (sql/queries/reprocess_inputs.sql)."""
        return self.con.execute(query_sql("reprocess_inputs.sql")).fetchall()

    # -- load audit --------------------------------------------------------------------------------
    def close_abandoned_loads(self, started_before: datetime) -> int:
        """Loads still `running` that started before `started_before` were killed (SIGKILL, OOM,
        a reboot): marked `interrupted`, with when that was noticed. Returns how many."""
        now = datetime.now(UTC)

        def work() -> None:
            self.con.execute(
                "UPDATE load_audit SET status = 'interrupted', finished_at = ? "
                "WHERE status = 'running' AND started_at < ?",
                [now, started_before],
            )

        before = self.con.execute(
            "SELECT count(*) FROM load_audit WHERE status = 'running' AND started_at < ?",
            [started_before],
        ).fetchone()[0]
        if before:
            self._transaction(work)
        return before

    def start_load(self, load_id: str, flow_run_id: str | None) -> None:
        self._transaction(lambda: self._start_load(load_id, flow_run_id))

    def _start_load(self, load_id: str, flow_run_id: str | None) -> None:
        self.con.execute(
            "INSERT INTO load_audit (load_id, flow_run_id, started_at, status, extractor_version, "
            "code_version) VALUES (?, ?, ?, 'running', ?, ?)",
            [load_id, flow_run_id, datetime.now(UTC), EXTRACTOR_VERSION, code_version()],
        )

    def finish_load(self, load_id: str, status: str, summary: dict[str, object]) -> None:
        self._transaction(lambda: self._finish_load(load_id, status, summary))

    def _finish_load(self, load_id: str, status: str, summary: dict[str, object]) -> None:
        totals = summary.get("totals", {})
        self.con.execute(
            "UPDATE load_audit SET finished_at = ?, status = ?, sources = ?, listed = ?, fetched = ?, "
            "failed = ?, documents_loaded = ?, facts_loaded = ?, summary_json = ? WHERE load_id = ?",
            [
                datetime.now(UTC),
                status,
                totals.get("sources"),
                totals.get("listed"),
                totals.get("fetched"),
                totals.get("failed"),
                totals.get("documents"),
                totals.get("facts"),
                json.dumps(summary, ensure_ascii=False, default=str),
                load_id,
            ],
        )

    def recent_run_summaries(self, limit: int) -> list[dict[str, object]]:
        """Summaries of the last finished crawl runs, newest first."""
        rows = self.con.execute(
            "SELECT summary_json FROM load_audit WHERE finished_at IS NOT NULL AND summary_json IS NOT NULL "
            "ORDER BY started_at DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [s for (raw,) in rows if (s := json.loads(raw)).get("kind") != "reprocess"]

    def table_counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
