"""Where a run keeps its files: <data_dir>/warehouse.duckdb, raw/, parquet/<table>/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def at(cls, data_dir: str | Path) -> DataPaths:
        return cls(Path(data_dir).resolve())

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"
