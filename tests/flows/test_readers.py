"""Reading reports in worker processes (flows/readers.py): the same result as in the thread,
and a worker that dies loses no report but the one that killed it."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime

import pytest

from flows.readers import WorkerDied, read_later, reading_processes
from flows.reading import read_report
from tests.conftest import seed_text
from transform.documents import UnreadableDocument, read_document


def _square(n: int) -> int:
    return n * n


def _refuse(reason: str) -> int:
    raise UnreadableDocument(reason)


def _die_on(n: int, fatal: int) -> int:
    if n == fatal:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel does to a worker out of memory
    return n


def _read_seed() -> tuple[object, ...]:
    page = read_document(seed_text("002").encode("utf-8"), name="r.txt", fallback_region="新乡市")
    when = datetime(2024, 3, 1, tzinfo=UTC)
    return (page, (), "新乡市", "http://127.0.0.1/r.html", "s", ("http://127.0.0.1/r", "ab"), when)


def test_without_processes_a_report_is_read_in_the_asking_thread():
    calls = []
    reading = read_later(calls.append, 1)
    assert calls == []  # nothing read until asked for
    reading.result()
    assert calls == [1]
    with pytest.raises(UnreadableDocument, match="bad bytes"):
        read_later(_refuse, "bad bytes").result()


def test_a_report_read_in_a_process_is_the_one_read_here():
    args = _read_seed()
    here = read_report(*args)  # type: ignore[arg-type]
    with reading_processes(2):
        there = read_later(read_report, *args).result()
        with pytest.raises(UnreadableDocument, match="bad bytes"):
            read_later(_refuse, "bad bytes").result()  # the reader's reason comes back as is
    assert there == here
    assert len(there.facts) > 10


def test_a_worker_that_dies_loses_only_the_report_that_killed_it():
    with reading_processes(2):
        readings = [read_later(_die_on, n, 3) for n in range(8)]
        outcomes = []
        for r in readings:
            try:
                outcomes.append(r.result())
            except WorkerDied as exc:
                outcomes.append(str(exc))
        # reports in flight beside it are read again in a new pool
        assert outcomes[3].startswith("the process reading it died")
        assert [o for i, o in enumerate(outcomes) if i != 3] == [0, 1, 2, 4, 5, 6, 7]
        assert read_later(_square, 7).result() == 49  # the pool was replaced and reads on


def test_how_many_processes_read_is_a_setting():
    from flows.settings import Settings, SettingsError

    assert Settings.from_env({"GOVREPORTS_READ_PROCESSES": "3"}).reading_processes() == 3
    assert Settings.from_env({"GOVREPORTS_READ_PROCESSES": "0"}).reading_processes() == 0
    cores = os.cpu_count() or 1
    assert Settings.from_env({}).reading_processes() == (cores if cores > 1 else 0)
    dask = {"GOVREPORTS_TASK_RUNNER": "dask", "GOVREPORTS_READ_PROCESSES": "4"}
    assert Settings.from_env(dask).reading_processes() == 0  # its workers read
    with pytest.raises(SettingsError, match="GOVREPORTS_READ_PROCESSES=-1"):
        Settings.from_env({"GOVREPORTS_READ_PROCESSES": "-1"})
    with pytest.raises(SettingsError, match="not a whole number"):
        Settings.from_env({"GOVREPORTS_READ_PROCESSES": "two"})
