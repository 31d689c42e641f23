"""The raw zone: every fetched body stored once, content-addressed by sha256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path_of(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def put(self, body: bytes) -> str:
        digest = sha256_hex(body)
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, path)
        return digest

    def get(self, digest: str) -> bytes:
        return self.path_of(digest).read_bytes()
