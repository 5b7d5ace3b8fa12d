"""One access log line per request, without the query string.

Uvicorn's access log is switched off because it logs the full URL, and ``/?q=...``
carries a patient's question. This line has the method, the path, the status and the
latency: enough to operate the service, nothing about what was asked.
"""

from __future__ import annotations

import logging
import time

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("service.access")
UNKNOWN_PATH = "(unknown path)"
# Logged for a request whose client hung up before any answer was sent, as seen while its body
# was read (`security.BodyLimitMiddleware`; nginx's convention): it was logged as 500, which an
# operator's error-rate alert reads as the service failing.
CLIENT_CLOSED = 499


def printable(path: str, limit: int = 200) -> str:
    """The path with control characters escaped (no forged log lines) and cut short."""
    safe = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in path)
    return safe if len(safe) <= limit else safe[:limit] + "..."


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status, started, left = 500, False, False

        async def record(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            await send(message)

        async def watch() -> Message:
            nonlocal left
            message = await receive()
            left = left or message["type"] == "http.disconnect"
            return message

        try:
            await self.app(scope, watch, record)
        finally:
            if left and not started:  # the client hung up before any answer: no server error
                status = CLIENT_CLOSED
            path = scope.get("path", "")
            shown = printable(path) if _served(scope.get("app"), path, status) else UNKNOWN_PATH
            logger.info("%s %s %d %.1fms", scope.get("method", "-"), shown, status, (time.perf_counter() - t0) * 1000)


def _served(app, path: str, status: int) -> bool:
    """Whether ``path`` is one the service has: only those are logged. A client may put the
    question in the path ("/api/search/my husband's lump"), as it would in the query, and
    the rate limit or the body limit answer before any route is matched."""
    probe = {"type": "http", "path": path, "method": "GET", "root_path": "", "headers": [], "query_string": b""}
    for route in getattr(app, "routes", ()):
        if route.matches(probe)[0] != Match.NONE:  # a route's own path (any method)
            return not isinstance(route, Mount) or status != 404  # a mount: a file it holds
    return False
