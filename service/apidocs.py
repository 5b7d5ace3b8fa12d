"""``/docs``: Swagger UI, under its own, narrower-than-it-could-be Content-Security-Policy.

The site-wide policy forbids inline and third-party script, which would blank FastAPI's
default docs page (an inline ``<script>`` plus Swagger UI from a CDN). Rather than weaken
the policy for every page, ``/docs`` gets one that allows exactly its CDN and, by hash,
its one inline script. The security middleware keeps a CSP a route has set.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _docs_csp(html: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'self'; script-src 'self' {CDN} {hashes}; "
            f"style-src 'self' {CDN} 'unsafe-inline'; img-src 'self' data: https://fastapi.tiangolo.com; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


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
    page = get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                               title=f"{app.title} – API documentation")
    html = page.body.decode("utf-8")
    csp = _docs_csp(html)

    @app.get(path, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})
