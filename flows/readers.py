"""Where reports are read and their facts extracted: in the thread that fetched them, or in a
pool of worker processes for the length of a run (which draws the run's visual report too, beside
the search index build).

Reading and extraction are pure Python: on threads they hold the interpreter lock that fetching,
loading and Prefect's own bookkeeping wait for, and use one core however many the machine has.
With GOVREPORTS_READ_PROCESSES (flows/settings.py) a run reads in that many processes instead,
while its threads go on fetching the next reports and loading the last batch.

A worker that dies (killed, out of memory) loses only what it was reading: the pool is replaced,
each report it held is tried once more in the new pool, and a report that kills a worker again
is recorded failed with the reason (tried again next run), never the run.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from transform.documents import UnreadableDocument

WORKER_DIED = "the process reading it died (killed or out of memory) twice: not loaded"


class WorkerDied(UnreadableDocument):
    """The worker process reading a report died, in two pools in a row."""


class _Pool:
    """A process pool that is replaced when one of its workers dies."""

    def __init__(self, processes: int, modules: tuple[str, ...] = ()) -> None:
        self.processes, self.modules = processes, modules
        self._lock = threading.Lock()
        self._lifelines: list[Connection] = []
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # forkserver (spawn where there is none), not fork: the flow's process runs threads
        # (Prefect, HTTP) a fork would copy in whatever state they were; workers import the
        # reading code once and are reused
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            # the fork server imports them once (if it is not running yet) and each worker is
            # forked with them: one import, not one per worker; keep them free of threads
            # (pyarrow's allocator starts one), which a fork would not copy
            context.set_forkserver_preload(list(self.modules))
        # a pipe whose writing end only this process holds: its workers read the other end and
        # see it close when this process ends, however it ends (SIGKILL too)
        ends, lifeline = context.Pipe(duplex=False)
        self._lifelines = [ends, lifeline]
        executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(ends, self.modules),
        )
        # the workers started now, importing what they read with while the run walks its
        # listings (one core idle then), not when the first report arrives
        for _ in range(self.processes):
            executor.submit(_ready)
        return executor

    def submit(self, fn: Callable[..., Any], *args: Any) -> tuple[Future[Any], ProcessPoolExecutor]:
        """The future of `fn(*args)` in a worker, and the pool it runs in."""
        with self._lock:
            try:
                return self._executor.submit(fn, *args), self._executor
            except BrokenProcessPool:
                self._replace(self._executor)
                return self._executor.submit(fn, *args), self._executor

    def replace_broken(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            self._replace(broken)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:  # not already replaced by another thread
            broken.shutdown(wait=False, cancel_futures=True)
            for end in self._lifelines:  # its workers are gone: their pipe goes too
                end.close()
            self._lifelines = []
            self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        for end in self._lifelines:
            end.close()


_current: _Pool | None = None


def _ready() -> None:
    """A task that does nothing: submitted to start a worker."""


def _start_worker(lifeline: Connection, modules: tuple[str, ...]) -> None:
    """In each worker: import `modules`, and exit when the run's process has ended."""
    for name in modules:
        importlib.import_module(name)
    _die_with_the_run(lifeline)


def _die_with_the_run(lifeline: Connection) -> None:
    """Exit when the run's process has ended (its end of `lifeline` closed). Without this a
    worker of a killed run would wait on its queue for ever, and keep the fork server (which
    lives while any of its children does) alive with it."""

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()  # nothing is ever sent: returns only at the end of the pipe
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


@contextmanager
def reading_processes(processes: int, modules: tuple[str, ...] = ()) -> Iterator[None]:
    """Read reports in `processes` worker processes until the block ends (0: in the calling
    threads, as without this block); each worker imports `modules` as it starts, and they all
    start at once."""
    global _current
    if processes < 1:
        yield
        return
    pool = _Pool(processes, modules)
    _current = pool
    try:
        yield
    finally:
        _current = None
        pool.close()


class Reading:
    """One report being read: `result()` gives what `fn` returned or raises what it raised."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._fn, self._args = fn, args
        self._pool = _current
        self._future: Future[Any] | None = None
        self._executor: ProcessPoolExecutor | None = None
        if self._pool is not None:
            self._future, self._executor = self._pool.submit(fn, *args)

    def result(self) -> Any:
        if self._future is None:  # no pool: read here, now
            return self._fn(*self._args)
        try:
            return self._future.result()
        except BrokenProcessPool:
            pool = self._pool
            assert pool is not None and self._executor is not None
            pool.replace_broken(self._executor)
            future, executor = pool.submit(self._fn, *self._args)
            try:
                return future.result()
            except BrokenProcessPool:
                pool.replace_broken(executor)
                raise WorkerDied(WORKER_DIED) from None


def read_later(fn: Callable[..., Any], *args: Any) -> Reading:
    """Start reading (in the run's pool when there is one; otherwise when `result()` is asked
    for, in the asking thread). `fn` and its arguments must pickle."""
    return Reading(fn, args)
