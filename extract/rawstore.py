"""The raw zone: every fetched body stored once, content-addressed by sha256, and a log of
every fetch (URL, status, headers, time, sha256) beside it, so transforms can be re-run offline."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol

TMP_PREFIX = ".tmp-"  # a body being written; renamed into place when whole


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class Fetched(Protocol):
    url: str
    requested_url: str
    status: int | None
    headers: dict[str, str]

    @property
    def fetched_at(self) -> object: ...


class RawStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._log_lock = threading.Lock()

    def path_of(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def put(self, body: bytes, fetched: Fetched | None = None) -> str:
        """Store `body` (once per content) and log the fetch it came from; returns its sha256."""
        digest = sha256_hex(body)
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TMP_PREFIX)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(body)
                os.replace(tmp, path)
            except BaseException:  # a full disk, a file-size limit: leave no partial file
                Path(tmp).unlink(missing_ok=True)
                raise
        if fetched is not None:
            self._log(fetched, digest, len(body))
        return digest

    def _log(self, fetched: Fetched, digest: str, size: int) -> None:
        when = fetched.fetched_at
        line = json.dumps(
            {
                "url": fetched.url,
                "requested_url": fetched.requested_url,
                "status": fetched.status,
                "fetched_at": when.isoformat() if hasattr(when, "isoformat") else str(when),
                "sha256": digest,
                "bytes": size,
                "headers": fetched.headers,
            },
            ensure_ascii=False,
        )
        day = when.date().isoformat() if hasattr(when, "date") else "undated"
        log = self.root / "fetches" / f"{day}.jsonl"
        log.parent.mkdir(parents=True, exist_ok=True)
        with self._log_lock, open(log, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def fetch_log(self) -> list[dict[str, object]]:
        rows = []
        for log in sorted((self.root / "fetches").glob("*.jsonl")):
            rows += [json.loads(x) for x in log.read_text("utf-8").splitlines() if x.strip()]
        return rows

    def sweep(self, older_than: float = 3600.0) -> int:
        """Remove partial files a killed process left (`.tmp-*` older than `older_than`
        seconds: a younger one may be another process's write in progress). Returns how many."""
        cutoff = time.time() - older_than
        removed = 0
        for tmp in (self.root / "objects").glob(f"*/{TMP_PREFIX}*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def get(self, digest: str) -> bytes:
        return self.path_of(digest).read_bytes()
