"""The DuckDB warehouse: schema from sql/, bulk loads through Arrow, one transaction per batch."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb
import pyarrow as pa

from transform.indicators import Indicator
from transform.metadata import region_from_name
from transform.model import EXTRACTOR_VERSION, Document, Fact, Region
from warehouse.keys import document_key, surrogate_key, url_key

TABLES = (
    "dim_period",
    "dim_region",
    "dim_indicator",
    "dim_source",
    "dim_document",
    "fct_indicator_value",
    "crawl_state",
    "load_audit",
)


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """The surrogate key of a one-part natural key (indicator code, region name), memoised:
    a load repeats the same few thousand names over millions of facts."""
    return surrogate_key(name)


def code_version() -> str:
    try:
        return version("govreports")
    except PackageNotFoundError:
        return "unknown"


_PARENT = re.compile(r"^(.+?(?:省|自治区|市|自治州|地区|盟))(.+(?:区|县|市|旗|开发区|高新区))$")


def region_row(region: Region, key: str, load_id: str) -> dict[str, object]:
    parent = _PARENT.match(region.name)
    return {
        "region_key": key,
        "region_name": region.name,
        "level": region.level,
        "gb2260_code": region.code,
        "kind": "zone" if region.level == "zone" else "government",
        "parent_name": parent.group(1) if parent else None,
        "_load_id": load_id,
    }


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file."""


@dataclass(frozen=True)
class DocumentLoad:
    """A read document with its facts and provenance, ready to load."""

    url: str
    source_id: str
    content_url: str
    sha256: str
    fetched_at: datetime
    document: Document
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class CrawlRecord:
    url: str
    source_id: str
    role: str
    status: str
    attempted_at: datetime
    http_status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    content_type: str | None = None
    listing_title: str | None = None
    listing_date: date | None = None


def _sql_files(folder: str) -> list[str]:
    root = resources.files(f"warehouse.sql.{folder}")
    return [
        f.read_text("utf-8")
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".sql")
    ]


class Warehouse:
    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusy(
                    f"{self.path} is in use by another process (a run is writing); "
                    "try again when it finishes"
                ) from None
            raise
        if not read_only:
            self.ensure_schema()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self) -> None:
        for sql in _sql_files("tables") + _sql_files("migrations") + _sql_files("views"):
            self.con.execute(sql)

    # -- helpers -------------------------------------------------------------------------------
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

    def _transaction(self, work: callable) -> None:  # type: ignore[valid-type]
        self.con.execute("BEGIN TRANSACTION")
        try:
            work()
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- dimensions ----------------------------------------------------------------------------
    def upsert_indicators(self, catalogue: Iterable[Indicator], load_id: str) -> None:
        rows = [
            {
                "indicator_key": surrogate_key(i.code),
                "indicator_code": i.code,
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
            "indicator_code",
            ("name_zh", "name_en", "synonyms"),
            rows,
        )

    def upsert_sources(self, sources: Iterable[object], load_id: str) -> None:
        rows = [
            {
                "source_key": surrogate_key(s.id),
                "source_id": s.id,
                "source_name": s.name,
                "region_name": s.region,
                "start_urls": list(s.start_urls),
                "_load_id": load_id,
            }
            for s in sources
        ]
        self._upsert_changed(
            "dim_source",
            "source_key",
            "source_id",
            ("source_name", "region_name", "start_urls"),
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
        existing = {r[0]: r[1:] for r in self.con.execute(f"SELECT {cols} FROM {table}").fetchall()}
        changed = [r for r in rows if existing.get(r[natural]) != tuple(r[a] for a in attrs)]
        self._transaction(lambda: self._replace_rows(table, key, changed))

    # -- crawl state -----------------------------------------------------------------------------
    def crawl_state(self, source_id: str) -> dict[str, dict[str, object]]:
        """The source's crawl state rows by url_key."""
        cur = self.con.execute("SELECT * FROM crawl_state WHERE source_id = ?", [source_id])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        return {r["url_key"]: r for r in rows}

    def record_crawl(self, records: Sequence[CrawlRecord]) -> None:
        if not records:
            return
        previous = {sid: self.crawl_state(sid) for sid in {r.source_id for r in records}}
        rows = []
        for r in records:
            key = url_key(r.url)
            prev = previous[r.source_id].get(key)
            rows.append(
                {
                    "crawl_key": surrogate_key(r.source_id, key),
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
        self._transaction(lambda: self._replace_rows("crawl_state", "crawl_key", rows))

    # -- documents and facts ---------------------------------------------------------------------
    def load_documents(self, loads: Sequence[DocumentLoad], load_id: str) -> int:
        """Replace each document and all its facts in one transaction. Returns facts written."""
        if not loads:
            return 0
        regions: dict[str, dict[str, object]] = {}
        docs, facts = [], []
        for ld in loads:
            doc = ld.document
            region = doc.region
            region_key = surrogate_key(region.name) if region else None
            if region:
                regions[region.name] = region_row(region, region_key, load_id)
            doc_key = document_key(ld.source_id, ld.url)
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
                    "region_name": region.name if region else None,
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
            for f in ld.facts:
                fact_region_key = name_key(f.region) if f.region else None
                if f.region and f.region not in regions:
                    r = region_from_name(f.region)
                    regions[f.region] = region_row(r, fact_region_key, load_id)
                facts.append(
                    {
                        **f.as_dict(),
                        "fact_key": surrogate_key(
                            doc_key,
                            f.char_start,
                            f.indicator,
                            f.measure,
                            f.kind,
                            f.year,
                            f.value,
                            f.value_high,
                            f.qualifier,
                        ),
                        "document_key": doc_key,
                        "indicator_key": name_key(f.indicator),
                        "region_key": fact_region_key,
                        "_load_id": load_id,
                    }
                )
        known_regions = {
            r[0] for r in self.con.execute("SELECT region_name FROM dim_region").fetchall()
        }
        new_regions = [r for name, r in regions.items() if name not in known_regions]
        keys = pa.table({"document_key": [d["document_key"] for d in docs]})

        def work() -> None:
            self._replace_rows("dim_region", "region_key", new_regions)
            self.con.register("_docs", keys)
            try:
                self.con.execute(
                    "DELETE FROM fct_indicator_value WHERE document_key IN "
                    "(SELECT document_key FROM _docs)"
                )
            finally:
                self.con.unregister("_docs")
            self._replace_rows("dim_document", "document_key", docs)
            self._replace_rows("fct_indicator_value", "fact_key", facts)

        self._transaction(work)
        return len(facts)

    def reprocess_inputs(self) -> list[tuple]:
        """Per loaded document: url, source, region, content url and sha256, page sha256,
        content type, listing title and date, fetch time (sql/queries/reprocess_inputs.sql)."""
        sql = resources.files("warehouse.sql.queries").joinpath("reprocess_inputs.sql")
        return self.con.execute(sql.read_text("utf-8")).fetchall()

    # -- load audit --------------------------------------------------------------------------------
    def start_load(self, load_id: str, flow_run_id: str | None) -> None:
        self.con.execute(
            "INSERT INTO load_audit (load_id, flow_run_id, started_at, status, extractor_version, "
            "code_version) VALUES (?, ?, ?, 'running', ?, ?)",
            [load_id, flow_run_id, datetime.now(UTC), EXTRACTOR_VERSION, code_version()],
        )

    def finish_load(self, load_id: str, status: str, summary: dict[str, object]) -> None:
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
