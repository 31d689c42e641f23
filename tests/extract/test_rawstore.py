"""The raw zone (extract/rawstore.py): content-addressed, logged, and clean after failures."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from extract.rawstore import TMP_PREFIX, RawStore, sha256_hex


def test_bodies_are_kept_once_by_content(tmp_path):
    store = RawStore(tmp_path)
    digest = store.put(b"report")
    assert digest == sha256_hex(b"report") and store.put(b"report") == digest
    assert store.get(digest) == b"report"
    assert len(list((tmp_path / "objects").rglob("*"))) == 2  # one folder, one file


def test_a_write_that_fails_leaves_no_partial_file(tmp_path):
    # a real failing write: a child process whose files may not grow past 64 KiB (EFBIG)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "from extract.rawstore import RawStore\n"
        "try:\n"
        f"    RawStore({str(tmp_path)!r}).put(b'x' * 1_000_000)\n"
        "except OSError as exc:\n"
        "    print('failed', exc.errno)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("failed")
    assert [p for p in (tmp_path / "objects").rglob("*") if p.is_file()] == []


def test_sweep_removes_what_a_killed_process_left_and_spares_writes_in_progress(tmp_path):
    store = RawStore(tmp_path)
    store.put(b"kept")
    folder = tmp_path / "objects" / "ab"
    folder.mkdir(parents=True)
    old, young = folder / f"{TMP_PREFIX}old", folder / f"{TMP_PREFIX}young"
    old.write_bytes(b"partial")
    young.write_bytes(b"being written")
    hour_ago = time.time() - 7200
    os.utime(old, (hour_ago, hour_ago))
    assert store.sweep() == 1
    assert not old.exists() and young.exists() and store.get(sha256_hex(b"kept")) == b"kept"
