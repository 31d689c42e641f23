"""Surrogate keys, deterministic from natural keys, so reruns and rebuilds give the same keys."""

from __future__ import annotations

import hashlib

from transform.model import url_key

__all__ = ["document_key", "surrogate_key", "url_key"]


def surrogate_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def document_key(source_id: str, url: str) -> str:
    return surrogate_key(source_id, url_key(url))
