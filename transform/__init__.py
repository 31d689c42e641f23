"""Pure transforms: bytes -> normalised text + metadata -> indicator facts.

No network, no Prefect, no DuckDB here: plain typed functions over frozen dataclasses and named tuples.
"""

from transform.model import Document, Fact, Region

__all__ = ["Document", "Fact", "Region"]
