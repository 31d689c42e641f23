"""The DuckLake backend: a catalog (PostgreSQL in production, or a local file) with Parquet
data files under a folder or an object-store prefix, attached to an in-memory DuckDB
connection; S3 credentials from the variables AWS tools read; commits that conflict with
another writer's are told apart so the store can redo them."""

from __future__ import annotations

import os
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from warehouse.extensions import load_extension, memory_limit


class WarehouseUnavailable(RuntimeError):
    """The DuckLake catalog or data path cannot be reached or attached."""


@dataclass(frozen=True)
class LakeTarget:
    """A DuckLake: `catalog` as DuckLake spells it after `ducklake:` (for example
    `postgres:dbname=lake host=127.0.0.1 port=5433`, or a local `.ducklake` file), and the
    folder or object-store prefix its Parquet data files go under."""

    catalog: str
    data_path: str

    def attach_sql(self, alias: str, read_only: bool = False) -> str:
        options = [f"DATA_PATH {_quote(self.data_path)}"]
        if read_only:
            options.append("READ_ONLY")
        return f"ATTACH {_quote('ducklake:' + self.catalog)} AS {alias} ({', '.join(options)})"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """An S3 secret from the variables AWS tools read (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN, AWS_REGION, and AWS_ENDPOINT_URL for S3-compatible stores such as OSS,
    COS or MinIO, addressed path-style). Without keys DuckDB's own lookup applies."""
    env = os.environ
    if not (env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY")):
        return
    options = {
        "TYPE": "s3",
        "KEY_ID": _quote(env["AWS_ACCESS_KEY_ID"]),
        "SECRET": _quote(env["AWS_SECRET_ACCESS_KEY"]),
        "REGION": _quote(env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"),
    }
    if env.get("AWS_SESSION_TOKEN"):
        options["SESSION_TOKEN"] = _quote(env["AWS_SESSION_TOKEN"])
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        options["ENDPOINT"] = _quote(parts.netloc or parts.path)
        options["USE_SSL"] = "true" if parts.scheme != "http" else "false"
        options["URL_STYLE"] = _quote("path")
    body = ", ".join(f"{k} {v}" for k, v in options.items())
    con.execute(f"CREATE OR REPLACE SECRET govreports_s3 ({body})")


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) or "conflict" in str(exc).lower()


CONFLICT_RETRIES = 8

# Two processes attaching a fresh lake at once both create the catalog's metadata tables in
# PostgreSQL; the loser's CREATE TABLE fails (the winner's transaction committed first). Its
# own initialisation rolled back, so attaching again finds the initialised catalog.
_INIT_RACE = re.compile(r"Failed to initialize DuckLake.*(duplicate key|already exists)", re.S)


def attach_lake(lake: LakeTarget, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit()})
    try:
        load_extension(con, "ducklake")
        if lake.catalog.startswith(("postgres:", "postgresql:")):
            load_extension(con, "postgres")
        if "://" in lake.data_path:  # object storage: s3:// (and S3-compatible stores)
            load_extension(con, "httpfs")
            s3_secret(con)
        else:
            Path(lake.data_path).mkdir(parents=True, exist_ok=True)
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                con.execute(lake.attach_sql("lake", read_only))
                break
            except duckdb.Error as exc:
                if not _INIT_RACE.search(str(exc)) or attempt == CONFLICT_RETRIES:
                    raise
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        con.execute("USE lake")
    except duckdb.Error as exc:
        con.close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarehouseUnavailable(f"cannot attach DuckLake {lake.catalog!r}: {first}") from None
    return con
