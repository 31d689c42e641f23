"""Prefect's temporary server, started so that it dies with the process that started it.

Without a configured PREFECT_API_URL, a flow run starts a temporary Prefect server as a child
process and stops it at exit. A run killed with SIGKILL never reaches exit: the server child
lived on, holding its port and memory, night after night. Here the same server (Prefect's own
`SubprocessASGIServer`, the singleton its clients use) is started first, its child asked by the
kernel to receive SIGTERM when its parent dies (Linux `prctl(PR_SET_PDEATHSIG)`). Prefect has
no option for this; the wrapper below hands the one `Popen` call that flag and changes nothing
else.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from typing import Any

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child, between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class _PopenDiesWithParent:
    """The `subprocess` module, but Popen's children get a parent-death signal."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:  # noqa: N802
        kwargs.setdefault("preexec_fn", _die_with_parent)
        return subprocess.Popen(*args, **kwargs)


def start_temporary_server() -> str | None:
    """Start Prefect's temporary server tied to this process, unless an API URL is configured
    or it runs already (on Linux; elsewhere Prefect starts its own as usual). Returns its URL."""
    from prefect.settings import get_current_settings

    if get_current_settings().api.url or not sys.platform.startswith("linux"):
        return None
    from prefect.server.api import server as server_module

    server = server_module.SubprocessASGIServer()
    if not server.running:
        server_module.subprocess = _PopenDiesWithParent()  # type: ignore[assignment]
        try:
            server.start()
        finally:
            server_module.subprocess = subprocess
    return server.api_url
