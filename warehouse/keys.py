"""Surrogate keys, deterministic from natural keys, so reruns and rebuilds give the same keys."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit


def surrogate_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def url_key(url: str) -> str:
    """A URL's identity within its source: path and query, without scheme, host, port or fragment,
    so a portal that moves from http to https or to another host name (or the demo portal to
    another port) does not look like new documents."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def document_key(source_id: str, url: str) -> str:
    return surrogate_key(source_id, url_key(url))
