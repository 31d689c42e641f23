"""Surrogate keys, deterministic from natural keys, so reruns and rebuilds give the same keys."""

from __future__ import annotations

import hashlib


def surrogate_key(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()
