"""The data-quality gate run after each load: SQL checks in sql/checks/, one per file, each
selecting the offending rows. A failing `error` check blocks publishing; a `warn` is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

_HEADER = re.compile(r"--\s*check:\s*(?P<what>.+?)\s*\|\s*severity:\s*(?P<severity>error|warn)")


@dataclass(frozen=True)
class CheckResult:
    name: str
    what: str
    severity: str  # error | warn
    failing: int
    sample: tuple[tuple, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return self.failing == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.name,
            "what": self.what,
            "severity": self.severity,
            "failing": self.failing,
            "sample": [list(map(str, r)) for r in self.sample],
        }


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    results = []
    root = resources.files("warehouse.sql.checks")
    for f in sorted(root.iterdir(), key=lambda f: f.name):
        if not f.name.endswith(".sql"):
            continue
        sql = f.read_text("utf-8")
        header = _HEADER.search(sql)
        if header is None:
            raise ValueError(f"{f.name}: missing '-- check: … | severity: error|warn' header")
        body = sql.strip().rstrip(";")
        failing = con.execute(f"SELECT count(*) FROM ({body})").fetchone()[0]
        sample = tuple(con.execute(f"SELECT * FROM ({body}) LIMIT 3").fetchall()) if failing else ()
        results.append(
            CheckResult(
                f.name.removesuffix(".sql"), header["what"], header["severity"], failing, sample
            )
        )
    return results


SHRINK_TABLES = ("dim_document", "fct_indicator_value")
MAX_SHRINK = 0.05  # share of published documents or facts a load may lose before it is held


def published_rows(published_dir: str | Path, table: str) -> int | None:
    """Rows of `table` in the Parquet published under `published_dir` (None: nothing there)."""
    files = sorted(Path(published_dir, table).rglob("*.parquet"))
    if not files:
        return None
    con = duckdb.connect(":memory:")
    try:
        paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        return con.execute(f"SELECT count(*) FROM read_parquet([{paths}])").fetchone()[0]
    finally:
        con.close()


def shrink_check(
    con: duckdb.DuckDBPyConnection, published_dir: str | Path, max_share: float = MAX_SHRINK
) -> CheckResult:
    """Publishing never shrinks silently: an error when the warehouse now holds fewer than
    (1 - max_share) of the documents or facts last published (a table dropped or emptied, a
    night that lost reports). A reprocess, or a run told it may shrink, skips this check."""
    shrunk = []
    for table in SHRINK_TABLES:
        before = published_rows(published_dir, table)
        now = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if before and now < before * (1 - max_share):
            shrunk.append((table, before, now))
    return CheckResult(
        "publish_would_shrink",
        f"a table would lose more than {max_share:.0%} of its published rows "
        "(pass --allow-shrink when that is meant)",
        "error",
        len(shrunk),
        tuple(shrunk),
    )


def blocking(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.severity == "error" and not r.passed]
