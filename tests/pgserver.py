"""A real, throw-away PostgreSQL server on 127.0.0.1 for DuckLake catalogs in tests and benches.

initdb into a fresh folder, pg_ctl start on a free port (fsync off: test data), createdb per
catalog, pg_ctl stop at the end. PostgreSQL refuses to run as root, so as root the server
commands run as the `postgres` system user (runuser) in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.localnet import free_port


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise PostgresUnavailable(f"PostgreSQL server binary {name!r} not found")
    return found


class PostgresServer:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="govreports-pg-"))
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self._started = False

    def _run(self, *args: str) -> None:
        cmd = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        data = str(self.root / "data")
        self._run(_binary("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(_binary("pg_ctl"), "-D", data, "-o", options, "-l", f"{data}.log", "-w", "start")
        self._started = True
        return self

    def create_database(self, name: str) -> str:
        """A new database; returns its DuckLake catalog string."""
        self._run(
            _binary("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )
        return self.catalog(name)

    def catalog(self, name: str) -> str:
        return f"postgres:dbname={name} host=127.0.0.1 port={self.port} user=postgres"

    def stop(self) -> None:
        if self._started:
            self._run(_binary("pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
