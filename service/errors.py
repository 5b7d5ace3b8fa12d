"""One error shape for every failure: ``{"error": {"code", "message", "field"}}``.

Clients (the web pages, staff scripts, monitoring) branch on ``code`` and show
``message``; ``field`` names the request parameter at fault so a form can point at it.
FastAPI's own handlers answer in three different shapes, so all of them are replaced
here, and an ASGI middleware turns any unexpected exception into the same shape.

Messages never echo the request's input: a question is health information, and input
with lone surrogates or control characters could not always be encoded back anyway.
"""

from __future__ import annotations

import html
import json
import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.schemas import SEARCH_PARAMETERS

logger = logging.getLogger("service.error")

# Codes for statuses raised by routing or by FastAPI itself.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "not_ready",
    504: "timeout",
}

STATUS_MESSAGES = {
    404: "There is nothing at this address.",
    413: "The request body is too large.",
}

# FastAPI's parameter names are the API's names, except the JSON body itself.
BODY = "body"


class ApiError(Exception):
    """An expected failure that the client can act on (bad input, not ready, timeout).

    Raised from routes and helpers; the handler below renders it in the error shape.
    """

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers


def unknown_parameter(name: str, takes: tuple[str, ...] = SEARCH_PARAMETERS) -> ApiError:
    """A query parameter or JSON field the search does not take: a misspelt filter
    ("cancer_types", "filters") would otherwise be ignored and the results look filtered."""
    return ApiError(422, "unknown_parameter", f"{name}: the search takes no such parameter "
                    f"(it takes {', '.join(takes)}).", name)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The error object every route and middleware returns."""
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(status: int, code: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status, headers=headers)


async def send_error(send: Send, status: int, code: str, message: str, field: str | None = None,
                     headers: dict[str, str] | None = None, page: bool = False) -> None:
    """Send an error response from raw ASGI middleware (which has no Response objects): the
    API's JSON shape, or with ``page`` a plain HTML page for a browser on the web pages."""
    if page:
        body = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{html.escape(message)}</title>'
                f"<p>{html.escape(message)}</p></html>").encode()
        kind = b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps(error_body(code, message, field)).encode("utf-8"), b"application/json"
    raw = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _validation_error(exc: RequestValidationError) -> tuple[int, str, str, str | None]:
    """Map FastAPI's list of pydantic errors to one (status, code, message, field).

    Only the first error is reported: it is what the client must fix first, and one
    message reads better in a form than a list. A field the search does not take comes
    first: {"Q": "surgery"} was told "q: is required", not that "Q" is no field.
    """
    errors = exc.errors()
    if not errors:
        return 422, "invalid_request", "The request is not valid.", None
    err = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
    loc = [str(p) for p in err.get("loc", ())]
    if err.get("type") == "json_invalid":
        return 400, "invalid_json", "The request body is not valid JSON.", BODY
    # loc is ("query", "k"), ("body", "k", 0) or just ("body",) for a wrong body type.
    field = loc[1] if len(loc) > 1 and loc[0] in ("query", "body", "path", "header") else None
    if field is None:
        field = BODY if loc and loc[0] == BODY else (loc[-1] if loc else None)
    msg = err.get("msg", "is not valid")
    if err.get("type") == "missing":
        msg = "is required"
    if err.get("type") == "extra_forbidden":  # a field SearchRequest does not have
        unknown = unknown_parameter(str(field))
        return unknown.status, unknown.code, unknown.message, unknown.field
    if err.get("type") in ("int_type", "int_from_float"):  # a JSON body's 2.5, "5" or true
        msg = "Input should be a whole number without a decimal point, sent as a JSON number such as 5"
    if err.get("type") == "list_type":
        msg = 'send a list, such as ["a value"]'
    if field == "mode" and str(err.get("input", "")).strip().lower() in ("keyword", "semantic"):
        # the staff page's names for them, copied from its address into an API call
        msg += "; the staff page's keyword is bm25 here, and its semantic is dense"
    if loc == [BODY]:  # a form post, a list, a bare string: pydantic's words name no fix
        msg = 'send a JSON object such as {"q": "your question"}, with Content-Type: application/json'
    code = "invalid_query" if field == "q" else f"invalid_{field}" if field else "invalid_request"
    return 422, code, f"{field}: {msg}" if field else msg, field


async def _api_error_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.field, exc.headers)


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    status, code, message, field = _validation_error(exc)
    return error_response(status, code, message, field)


def _wants_a_page(request: Request) -> bool:
    """A browser asking for a page (not the JSON API, not a client that takes anything)."""
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api")


async def _http_handler(request: Request, exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    if status in (404, 405) and _wants_a_page(request):
        from service.pages import error_page  # the pages import this module
        if status == 404:
            return error_page(request, 404, "Page not found", STATUS_MESSAGES[404])
        page = error_page(request, 405, "Not allowed here", _method_message(request))
        page.headers["Allow"] = ", ".join(_allowed_methods(request))
        return page
    code = STATUS_CODES.get(status, "error" if status >= 500 else "bad_request")
    field = None
    if status == 400:  # FastAPI's "There was an error parsing the body" (e.g. bad UTF-8)
        code, field = "invalid_json", BODY
    message = STATUS_MESSAGES.get(status) or (exc.detail if isinstance(exc.detail, str)
                                              else "The request could not be handled.")
    if status == 400 and message == "There was an error parsing the body":
        message = _unreadable_body(await request.body())
    headers = dict(exc.headers or {})
    if status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
        message = _method_message(request)
    return error_response(status, code, message, field, headers or None)


def _method_message(request: Request) -> str:
    """Which method was refused and which ones the address takes: a form posted to a page,
    or a DELETE sent to the search, learns what to send instead."""
    return f"{request.method} is not allowed here: this address takes {', '.join(_allowed_methods(request))}."


def _unreadable_body(body: bytes) -> str:
    """Why a body FastAPI could not parse (its JSON syntax errors it reports itself) is
    unreadable: its encoding, its depth, or a number Python will not read."""
    try:
        json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return "The request body could not be read: send JSON encoded as UTF-8."
    except RecursionError:
        return "The request body nests too deeply to read: send one JSON object of plain fields."
    except ValueError:  # Python refuses integers of more than 4,300 digits
        return "The request body could not be read: a number in it has too many digits."
    return "The request body could not be read as JSON."


def _leaf_routes(routes):
    for route in routes:
        # Included routers are wrapped (FastAPI >= 0.16x); look inside them.
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner is not None:
            yield from _leaf_routes(inner)
        else:
            yield route


def _allowed_methods(request: Request) -> list[str]:
    """Methods of every route at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        if not getattr(route, "methods", None):
            continue
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(route.methods)
    if "GET" in methods:
        methods.add("HEAD")  # answered for every GET address (`service.app.HeadAsGet`)
    return sorted(methods) or ["GET"]


def log_unhandled(exc: BaseException, path: str) -> None:
    """Log an unexpected exception without its message.

    The traceback says where it failed; the message could quote the user's question
    (pydantic and numpy errors quote their input), which is not logged by default.
    """
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("unhandled %s on %s\n%s", type(exc).__name__, path, frames)


async def _unhandled_handler(request: Request, exc: Exception) -> JSONResponse:
    # Backstop only: UnhandledErrorMiddleware normally answers first.
    log_unhandled(exc, request.url.path)
    return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")


def install_error_handlers(app: FastAPI) -> None:
    """Replace FastAPI's handlers so every error has the same shape."""
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(Exception, _unhandled_handler)


class UnhandledErrorMiddleware:
    """Answer 500 in the error shape for any exception a route lets escape.

    Starlette's own catch-all sits outside every user middleware and re-raises after
    answering, so its 500 would miss the security headers and the access log line, and
    the server would log the traceback with its message. Catching here, inside those
    middlewares, keeps the 500 like every other response.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log_unhandled(exc, scope.get("path", ""))
            if not started:
                await send_error(send, 500, "internal_error",
                                 "Something went wrong on our side. Please try again.")
