"""The application factory: routes, error handlers and middleware around one retriever.

``create_app`` builds everything from a `Settings` object, so tests and each uvicorn
worker (``service.app:create_app`` with ``factory=True``) get identical apps. The index
is loaded once per worker in the lifespan handler, unless a loaded retriever is passed in.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from retriever.embedding import ModelError, available_cpus, limit_threads
from retriever.search import Retriever
from retriever.settings import Settings
from retriever.store import IndexLoadError
from service import admin, api, pages
from service.access_log import AccessLogMiddleware
from service.apidocs import install_docs, install_openapi
from service.errors import UnhandledErrorMiddleware, install_error_handlers
from service.security import BodyLimitMiddleware, RateLimitMiddleware, SecurityHeadersMiddleware
from service.state import RetrieverHolder

logger = logging.getLogger("service")

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static/"  # where `create_app` mounts it

DESCRIPTION = """\
Verbatim, cited passages from NCI's PDQ® cancer information summaries for plain-language
questions. Nothing is generated: every `text` is quoted from a document, with its title,
section path and a link. When no passage answers well the response says so
(`abstained: true`) instead of returning something loosely related.

Every error has the shape `{"error": {"code", "message", "field"}}`.
"""


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: the access log sees the final status, every response gets the
    security headers (and CORS headers when enabled), errors included."""
    stack = [Middleware(StartupMessage), Middleware(AccessLogMiddleware), Middleware(HeadAsGet),
             Middleware(SecurityHeadersMiddleware)]
    if settings.cors_origins:
        stack.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                allow_methods=["GET", "POST"], allow_headers=["Content-Type"],
                                max_age=600))
    stack += [
        Middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout_s=settings.request_timeout_s),
        Middleware(UnhandledErrorMiddleware),
    ]
    return stack


class StartupMessage:
    """A worker whose index or model will not load says why in one line.

    Starlette reports a failed start-up with the whole traceback, which uvicorn logs: with
    several workers, a SIGHUP finding a damaged index published printed forty lines to say
    what one line of ours says (the old workers keep serving either way).
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def said_plainly(message: Message) -> None:
            problem = getattr(scope["app"].state, "start_problem", None)
            if message["type"] == "lifespan.startup.failed" and problem:
                message = {**message, "message": f"cannot start this worker: {problem}"}
            await send(message)

        await self.app(scope, receive, said_plainly)


class HeadAsGet:
    """``HEAD`` on every address that takes ``GET``: the GET's status and headers, no body.

    Uptime checks and load balancers often probe with HEAD; FastAPI's routes take only the
    methods they list, so ``HEAD /healthz`` and ``HEAD /readyz`` answered 405. Inside the
    access log, which still logs the HEAD. Static files answer HEAD themselves, without
    reading the file (the API page's script is 1.7 MB).
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or scope["path"].startswith(STATIC_PREFIX):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest of the body follows; only its end is sent, empty
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def share_cores(workers: int) -> None:
    """Give each worker its share of the cores for embedding.

    Every worker's torch or onnxruntime otherwise starts one thread per core, and N workers
    then fight over the same cores; one thread each measured more requests/s with 2 workers
    on 2 cores.
    """
    if workers > 1:
        limit_threads(max(1, available_cpus() // workers))


def create_app(settings: Settings | None = None, retriever: Retriever | None = None) -> FastAPI:
    """Build the web application.

    Args:
        settings: Service and retrieval settings; read from ``PDQ_*`` variables when
            omitted (how uvicorn workers get them).
        retriever: An index already loaded; otherwise ``settings.index_dir`` is loaded
            at start-up, and /readyz answers 503 until then.
    """
    settings = settings or Settings()
    holder = RetrieverHolder(settings, retriever)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        share_cores(settings.workers)
        if holder.retriever is None:
            try:
                await holder.load()
            except (IndexLoadError, ModelError) as exc:  # they stop the worker's start-up
                app.state.start_problem = str(exc)  # said in one line by `StartupMessage`
                raise
        r = holder.retriever  # loaded here, or by `python -m service` before (one worker): said alike
        logger.info("serving index %s (%s chunks)", r.index_dir, r.manifest.chunks_count)
        if settings.log_queries:  # an operator's trial: nothing said so, though patients' words are then kept
            logger.warning("PDQ_LOG_QUERIES is on: questions are written to the log as typed")
        sighup = admin.install_sighup(holder)
        try:
            yield
        finally:
            if sighup:
                admin.remove_sighup()
            holder.close()

    app = FastAPI(title="PDQ passages", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, middleware=_middleware(settings))
    app.state.holder = holder
    app.state.settings = settings
    install_error_handlers(app)
    install_docs(app)
    install_openapi(app, settings.max_query_chars)
    app.include_router(api.router)
    app.include_router(pages.router)
    if settings.admin_reload:  # off: not in /openapi.json or /docs either, and 404 like any unknown address
        app.include_router(admin.router)
    app.mount(STATIC_PREFIX.rstrip("/"), StaticFiles(directory=STATIC_DIR), name="static")
    return app
