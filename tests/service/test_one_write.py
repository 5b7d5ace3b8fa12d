"""A response leaves in one socket write (service/one_write.py).

First the transport alone, over a recording stand-in; then real uvicorn serving the real
app, whose socket writes are recorded: the status line, headers and body of a search must
be one write, or a replica killed between them sends a response HAProxy cannot retry.
"""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest
import uvicorn

import service.__main__ as service_main
from service.app import create_app
from service.one_write import OneWriteHttpProtocol, OneWriteTransport
from tests.service.conftest import ANSWERED, serving


class Recorder:
    """Stands in for an asyncio transport (or wraps a real one) and keeps every write."""

    def __init__(self, transport=None):
        self.transport = transport
        self.writes: list[bytes] = []
        self.events: list[str] = []

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self.events.append("write")
        if self.transport is not None:
            self.transport.write(data)

    def close(self) -> None:
        self.events.append("close")
        if self.transport is not None:
            self.transport.close()

    def get_extra_info(self, name, default=None):
        return self.transport.get_extra_info(name, default) if self.transport else ("127.0.0.1", 1)

    def __getattr__(self, name):
        return getattr(self.transport, name)


def test_writes_of_one_turn_go_out_together_and_later_ones_separately():
    async def scenario(recorder):
        transport = OneWriteTransport(recorder)
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"{}")
        assert recorder.writes == []  # held until the turn ends
        await asyncio.sleep(0)
        transport.write(b"next")
        await asyncio.sleep(0)

    recorder = Recorder()
    asyncio.run(scenario(recorder))
    assert recorder.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}", b"next"]


def test_close_sends_what_is_held_before_closing():
    async def scenario(recorder):
        transport = OneWriteTransport(recorder)
        transport.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        transport.close()
        await asyncio.sleep(0)  # the scheduled flush finds nothing left to send

    recorder = Recorder()
    asyncio.run(scenario(recorder))
    assert recorder.events == ["write", "close"] and recorder.writes == [b"HTTP/1.1 400 Bad Request\r\n\r\n"]


def test_everything_else_is_the_wrapped_transport_s():
    recorder = Recorder()
    assert OneWriteTransport(recorder).get_extra_info("peername") == ("127.0.0.1", 1)


class RecordingProtocol(OneWriteHttpProtocol):
    """The service's protocol, over a transport that records what reaches the socket."""

    sockets: list[Recorder] = []

    def connection_made(self, transport):
        recorder = Recorder(transport)
        RecordingProtocol.sockets.append(recorder)
        super().connection_made(recorder)


@pytest.mark.model
def test_a_real_server_sends_headers_and_body_of_a_search_in_one_write(base_settings, retriever):
    with serving(create_app(base_settings, retriever), http=RecordingProtocol) as base:
        with httpx.Client(base_url=base, timeout=30) as client:
            bodies = [client.get("/api/search", params={"q": ANSWERED, "k": 3}).content,
                      client.get("/api/search", params={"q": ""}).content,  # an error response
                      client.get("/?q=octreotide").content]  # the patients' page
    writes = [w for recorder in RecordingProtocol.sockets for w in recorder.writes]
    assert len(writes) == len(bodies) == 3
    for write, body in zip(writes, bodies, strict=True):
        assert write.startswith(b"HTTP/1.1 ") and write.endswith(b"\r\n\r\n" + body)


@pytest.mark.model
def test_a_request_the_http_parser_refuses_is_told_so_in_the_api_s_error_shape(base_settings, retriever):
    """A 100,000-character question overflows the parser before the app sees it."""
    with serving(create_app(base_settings, retriever), http=OneWriteHttpProtocol) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:  # httpx refuses such a URL
            sock.sendall(b"GET /api/search?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            raw = b"".join(iter(lambda: sock.recv(65536), b""))
        with httpx.Client(base_url=base, timeout=30) as client:
            ok = client.get("/api/search", params={"q": ANSWERED, "k": 1})
    head, body = raw.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 400 ") and b"content-type: application/json" in head
    error = json.loads(body)["error"]
    assert error["code"] == "invalid_request" and "longer than the server reads" in error["message"]
    assert ok.status_code == 200  # the server goes on serving


def test_the_service_command_serves_with_the_one_write_protocol(monkeypatch, tmp_path, retriever):
    from retriever.search import Retriever

    for name in ("INDEX_DIR", "HOST", "PORT", "WORKERS"):  # _main sets them: restored afterwards
        monkeypatch.setenv(f"PDQ_{name}", "")  # recorded (a delenv of an unset variable records nothing)
        monkeypatch.delenv(f"PDQ_{name}")
    served = {}
    monkeypatch.setattr(Retriever, "load", classmethod(lambda cls, *a, **k: retriever))
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    assert service_main._main(["--index", str(tmp_path), "--port", "8123"]) == 0
    assert served["http"] is OneWriteHttpProtocol and served["port"] == 8123
