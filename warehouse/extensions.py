"""DuckDB extensions installed offline from their PyPI packages (`duckdb-extension-<name>`).

Extensions cannot be downloaded at run time here (and should not be on production workers):
each ships as a `.duckdb_extension` file inside a package pinned to the same version as duckdb.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import duckdb


class ExtensionMissing(RuntimeError):
    """The extension's package is not installed for this duckdb version."""


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` file of package `duckdb-extension-<name>`."""
    try:
        package = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        raise ExtensionMissing(
            f"DuckDB extension {name!r} is not installed: pip install "
            f"duckdb-extension-{name}=={duckdb.__version__}"
        ) from None
    root = Path(package.__file__).parent / "extensions"
    exact = root / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(root.glob(f"*/{name}.duckdb_extension"))
    if not found:
        raise ExtensionMissing(f"package duckdb-extension-{name} holds no {name}.duckdb_extension")
    return found[-1]


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Install (from the package's file, no network) and load one extension."""
    con.execute(f"INSTALL '{extension_file(name).as_posix()}'")
    con.execute(f"LOAD {name}")


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", re.I)  # 1GB, 512 MiB, 64M
_UNIT = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def size_bytes(text: str, default: int = 2**30) -> int:
    """A memory size as DuckDB writes or takes it (1GB, 512 MiB, 244.0 MiB, 64M) in bytes;
    `default` for text that is not one."""
    size = _SIZE.fullmatch(text)
    return int(float(size.group(1)) * _UNIT[size.group(2).upper()]) if size else default


def checkpoint_threshold() -> str:
    """How much write-ahead log a warehouse gathers before DuckDB checkpoints: what is written
    since the last checkpoint stays in memory, so a quarter of the memory limit, and at most
    256 MB (a checkpoint every 16 MB, DuckDB's default, made a large load write its data twice
    over; the log is replayed after a crash either way)."""
    return f"{max(1, min(256, int(size_bytes(memory_limit()) / 4 / 2**20)))}MB"


def memory_limit() -> str:
    """How much memory one DuckDB connection of ours may use before it spills to disk
    (GOVREPORTS_DUCKDB_MEMORY_LIMIT, default 1GB; DuckDB's own default is 80% of the machine)."""
    return os.environ.get("GOVREPORTS_DUCKDB_MEMORY_LIMIT", "").strip() or "1GB"


class CheckpointOutOfMemory(RuntimeError):
    """A load was committed, but the checkpoint after it needed more memory than the limit."""


def checkpoint_failure(exc: BaseException) -> CheckpointOutOfMemory | None:
    """The readable error for DuckDB's fatal 'autocheckpoint failed' (`exc`), else None. The
    committed rows are durable: reopened with a larger limit, the checkpoint is redone. What
    must fit is a row group's report texts, which a checkpoint merges (texts of ~83 KB failed
    at 1,150 reports in 96 MB, and were checkpointed 2,000 at a time in 256 MB)."""
    if not isinstance(exc, duckdb.FatalException) or "autocheckpoint failed" not in str(exc):
        return None
    return CheckpointOutOfMemory(
        f"the load was committed, but the checkpoint after it ran out of memory: "
        f"GOVREPORTS_DUCKDB_MEMORY_LIMIT={memory_limit()} must hold about 2,000 report "
        "texts at once; raise it and run again"
    )
