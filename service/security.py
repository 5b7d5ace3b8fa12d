"""Protective middleware: security headers, a body size limit and a per-address rate limit.

Written as plain ASGI middleware (not ``BaseHTTPMiddleware``) so they cost little,
don't buffer responses, and can answer early in the shared error shape.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import send_error

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # The question is in the page URL; no-referrer keeps it from reaching cancer.gov.
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

# Paths that load-balancer probes and page assets hit often; never rate limited.
UNLIMITED_PREFIXES = ("/healthz", "/readyz", "/static/")


class SecurityHeadersMiddleware:
    """Add the security headers to every response that does not set its own.

    Everything but static files also gets ``Cache-Control: no-store``: answers repeat
    the user's health question and must not sit in shared or browser caches.
    """

    def __init__(self, app: ASGIApp):
        self.app = app
        self._headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self._headers if k not in present]
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add_headers)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before any route reads them, and
    bodies that do not arrive within ``timeout_s`` with 408.

    A declared Content-Length is checked first; a chunked body is read here up to the
    limit and replayed to the app (bodies are small, a few KB at most). A client that
    declared 100 bytes and sent 17 held the request open until it hung up, and the access
    log called that a server error (an operator's trial).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 10.0):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def _too_large(self, send: Send) -> None:
        await send_error(send, 413, "body_too_large",
                         f"The request body is larger than {self.max_bytes} bytes.", "body")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await send_error(send, 400, "bad_request", "Content-Length is not a number.", "body")
                return
            if size > self.max_bytes:
                await self._too_large(send)
                return
        chunks: list[bytes] = []
        total = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s  # the whole body's, not each part's
        while True:
            try:
                message = await asyncio.wait_for(receive(), timeout=deadline - loop.time())
            except TimeoutError:
                await send_error(send, 408, "request_timeout", f"The request body did not arrive within "
                                 f"{self.timeout_s:g} s; send the whole body with the request.", "body")
                return
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class RateLimiter:
    """A token bucket per client address: ``per_minute`` requests, refilled evenly.

    In memory and per worker, which is enough to blunt one client hammering a worker;
    a limit across workers or machines belongs to the reverse proxy.
    """

    MAX_CLIENTS = 10_000

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token; 0.0 if allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                allowed = True
            else:
                self._buckets[client] = (tokens, now)
                allowed = False
            if len(self._buckets) > self.MAX_CLIENTS:
                self._prune(now)
        return 0.0 if allowed else (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        # Clients whose bucket has refilled are indistinguishable from new ones.
        full = [c for c, (t, last) in self._buckets.items()
                if t + (now - last) * self.rate >= self.capacity]
        for c in full:
            del self._buckets[c]


def _wants_page(scope: Scope) -> bool:
    """A browser asking for one of the web pages (not the API): it gets an error page, not JSON."""
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    return not scope.get("path", "").startswith(("/api", "/admin")) and b"text/html" in accept


class RateLimitMiddleware:
    """429 with Retry-After once a client address exceeds its per-minute allowance."""

    def __init__(self, app: ASGIApp, per_minute: int):
        self.app = app
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.limiter is None or scope["type"] != "http"
                or scope.get("path", "").startswith(UNLIMITED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.limiter.take(client)
        if wait > 0:
            await send_error(send, 429, "rate_limited", "Too many requests. Please wait a moment and try again.",
                             headers={"Retry-After": str(max(1, math.ceil(wait)))}, page=_wants_page(scope))
            return
        await self.app(scope, receive, send)
