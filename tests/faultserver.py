"""A real HTTP server on 127.0.0.1 whose routes misbehave on purpose (for crawler tests)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

Answer = tuple[int, dict[str, str], bytes] | None
# A route returns (status, headers, body) or None to drop the connection.
Route = Callable[[int], Answer]


@dataclass(frozen=True)
class Request:
    """What a page handler is asked: a replica of a platform answers from these."""

    method: str
    path: str  # without the query
    query: dict[str, str]
    form: dict[str, str]  # a form POST's fields


# A page handler answers a path whatever its query or method (registered in `pages`).
Page = Callable[[Request], Answer]


class FaultServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.pages: dict[str, Page] = {}
        self.posted: list[tuple[str, dict[str, str]]] = []
        self.hits: Counter[str] = Counter()
        self.last_headers: dict[str, str] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._count_lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size).decode("utf-8", "replace") if size else ""
                self._form = dict(parse_qsl(body, keep_blank_values=True))
                server.posted.append((self.path, self._form))
                self.do_GET()

            def do_GET(self) -> None:  # noqa: N802
                with server._count_lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                self._counted = True
                try:
                    self._answer()
                finally:
                    self._done()

            def _done(self) -> None:
                """The request stops counting as in flight: before its last bytes go out, since
                the client may send its next request the moment it has them (counting until
                this handler returns measured the server's lag, not the client's concurrency)."""
                if self._counted:
                    self._counted = False
                    with server._count_lock:
                        server.in_flight -= 1

            def _answer(self) -> None:
                server.hits[self.path] += 1
                server.last_headers = {k.lower(): v for k, v in self.headers.items()}
                route = server.routes.get(self.path)
                parts = urlsplit(self.path)
                page = server.pages.get(parts.path)
                if route is not None:
                    answer = route(server.hits[self.path])
                elif page is not None:
                    answer = page(
                        Request(
                            self.command,
                            parts.path,
                            dict(parse_qsl(parts.query, keep_blank_values=True)),
                            getattr(self, "_form", {}),
                        )
                    )
                else:
                    self._send(404, {}, b"not found")
                    return
                if answer is None:
                    self.connection.close()  # reset: no response at all
                    return
                status, headers, body = answer
                if headers.get("X-Truncate"):
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body) * 2))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                    self.connection.close()
                    return
                if headers.get("X-Sleep"):
                    time.sleep(float(headers["X-Sleep"]))
                self._send(status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    if not k.startswith("X-"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._done()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # resets and timeouts are what these tests cause on purpose

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
