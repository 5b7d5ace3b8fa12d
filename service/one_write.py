"""Each response leaves the process in one socket write, so a killed replica never sends half of one.

uvicorn writes a response's status line and headers, then its body, as two socket writes.
Between them the event loop's thread can wait for the GIL while a search thread holds it
(up to the interpreter's 5 ms switch interval). A replica killed (SIGKILL) in that gap has
sent headers that promise a body it never sends; HAProxy has already passed the headers on,
so it cannot send the request to another replica, and the client gets a broken response.
It happened once in 40 kills under 4 clients, and failed tests/service/test_replicas.py in CI.

Holding the writes of one event-loop turn and sending them together closes the gap: a kill
comes either before the response (HAProxy retries the request elsewhere) or after it (the
kernel still delivers what the socket holds). Headers and a body are sent in the same turn,
since nothing between ``http.response.start`` and the body awaits.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.errors import error_body


class OneWriteTransport:
    """A transport whose writes within one event-loop turn reach the socket as one write."""

    def __init__(self, transport: asyncio.Transport):
        self._transport = transport
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            asyncio.get_running_loop().call_soon(self.flush)
        self._pending.append(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._transport.write(data)

    def close(self) -> None:
        """Send what is held first: asyncio's close still delivers what its buffer holds."""
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


# A request the HTTP parser refuses never reaches the app (a URL of 100,000 characters
# overflows httptools' 80 KB of request line and headers): told in the API's error shape,
# not uvicorn's plain "Invalid HTTP request received.".
UNREADABLE = json.dumps(error_body(
    "invalid_request", "the request could not be read as HTTP: it is malformed, or its URL and headers are "
                       "longer than the server reads (a question holds at most a few hundred words)."),
    separators=(",", ":")).encode("ascii")  # as compact as the app's own errors


class OneWriteHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol over a `OneWriteTransport` (``uvicorn.run(http=...)``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(OneWriteTransport(transport))  # type: ignore[arg-type]

    def send_400_response(self, msg: str) -> None:
        content = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n",
                        b"content-length: " + str(len(UNREADABLE)).encode("ascii") + b"\r\n",
                        b"connection: close\r\n\r\n", UNREADABLE])
        self.transport.write(b"".join(content))
        self.transport.close()
