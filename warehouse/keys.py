"""Surrogate keys, deterministic from natural keys, so reruns and rebuilds give the same keys."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from transform.model import url_key

__all__ = ["document_key", "name_key", "surrogate_key", "url_key"]


def surrogate_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def document_key(source_id: str, url: str) -> str:
    return surrogate_key(source_id, url_key(url))


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """The surrogate key of a one-part natural key (indicator code, region name), memoised:
    a load repeats the same few thousand names over millions of facts."""
    return surrogate_key(name)
