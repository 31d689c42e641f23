"""The data-quality gate run after each load: SQL checks in sql/checks/, one per file, each
selecting the offending rows. A failing `error` check blocks publishing; a `warn` is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

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


def blocking(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.severity == "error" and not r.passed]
