"""``/docs``: Swagger UI from this server's own static files, under the site-wide CSP.

FastAPI's default docs page loads Swagger UI from a CDN and starts it with an inline
``<script>``; it breaks offline and needs a looser Content-Security-Policy. The assets
are committed under ``service/static/swagger/`` (swagger-ui-dist, pinned below) and
started by a static ``init.js``, so the page needs nothing but ``'self'``.
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{root}/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{root}/static/swagger/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-openapi-url="{openapi}"></main>
<script src="{root}/static/swagger/swagger-ui-bundle.js"></script>
<script src="{root}/static/swagger/init.js"></script>
</body>
</html>
"""

# A question must contain something visible: not only spaces or control characters.
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"


def install_openapi(app: FastAPI, max_query_chars: int) -> None:
    """Add the limits on ``q`` that depend on settings to the generated schema.

    Route signatures are fixed at import time, but ``max_query_chars`` is a setting;
    patching the schema keeps the contract exact for client generators and fuzzers.
    """
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        limits = {"minLength": 1, "maxLength": max_query_chars, "pattern": VISIBLE}
        for param in schema["paths"].get("/api/search", {}).get("get", {}).get("parameters", []):
            if param.get("name") == "q":
                param["schema"].update(limits)
        for name in ("SearchRequest", "SearchRequest-Input"):
            q = schema.get("components", {}).get("schemas", {}).get(name, {}).get("properties", {}).get("q")
            if q is not None:
                q.update(limits)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI, path: str = "/docs") -> None:
    """Serve Swagger UI at ``path`` (create the app with ``docs_url=None``)."""
    title = escape(f"{app.title} – API documentation")

    @app.get(path, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = escape(request.scope.get("root_path", "").rstrip("/"))
        openapi = root + escape(app.openapi_url or "/openapi.json")
        return HTMLResponse(_PAGE.format(title=title, root=root, openapi=openapi))
