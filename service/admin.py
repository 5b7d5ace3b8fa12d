"""Hot reload of the index: ``POST /admin/reload`` (opt-in) and SIGHUP.

After ingest publishes a new index (an atomic symlink swap), a reload makes the running
workers serve it without a restart. A new index that does not load is refused and the
old one keeps serving; the route exists only when ``admin_reload`` is set, since anyone who
can reach it can make the worker spend seconds and memory loading an index. Expose it
only on an internal network; a web page of another site is refused (`_refuse_other_sites`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from retriever.embedding import ModelError
from retriever.provenance import describe
from retriever.store import IndexLoadError
from service.errors import ApiError
from service.schemas import ERROR_RESPONSES, ErrorResponse, ReloadResponse
from service.state import RetrieverHolder

logger = logging.getLogger("service")

router = APIRouter()


@router.post("/admin/reload", response_model=ReloadResponse, tags=["operations"],
             summary="Load the published index again",
             responses={403: {"model": ErrorResponse, "description": "Sent by a web page of another site."},
                        409: {"model": ErrorResponse, "description": "The new index was refused."},
                        422: {"model": ErrorResponse, "description": "A parameter or body: the reload takes none."},
                        # Every POST passes the body limit and the rate limit first.
                        413: ERROR_RESPONSES[413], 429: ERROR_RESPONSES[429]})
async def reload_index(request: Request) -> ReloadResponse:
    """Load ``index_dir`` again and swap it in; requests in flight finish on the old one.

    Only this worker reloads; with several workers, send SIGHUP to the server process
    instead (it restarts the workers one by one, each loading the new index).
    """
    holder: RetrieverHolder = request.app.state.holder
    _refuse_other_sites(request)
    if request.query_params:
        name = next(iter(request.query_params.keys())) or "a parameter"  # "?=x" names none
        raise ApiError(422, "unknown_parameter", f"{name}: the reload takes no parameters; it loads the "
                                                 f"published index it was started with.", name)
    if await request.body():
        raise ApiError(422, "invalid_body", "the reload takes no body; it loads the published index it "
                                            "was started with.")
    try:
        new = await holder.reload()
    except (IndexLoadError, ModelError) as exc:
        raise ApiError(409, "reload_failed", f"{exc} (still serving the previous index)") from None
    return ReloadResponse(**describe(new))


def _refuse_other_sites(request: Request) -> None:
    """A web page of another site can POST a form to this address from an operator's browser
    (no preflight: a form POST is a "simple" request), making the worker load an index again
    and again. Browsers say where a request comes from: ``Sec-Fetch-Site``, else ``Origin``,
    whose host name is compared with the request's (scheme and port aside: a TLS proxy in
    front makes https://host reach http://host:8000). curl and scripts send neither. A page
    that rebinds its own name to this address passes: the route is for operators' networks.
    """
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None:
        refused = site not in ("same-origin", "none")
    else:
        refused = origin is not None and _host_name(origin) != _host_name("//" + request.headers.get("host", ""))
    if refused:
        said = f"Sec-Fetch-Site {site}" if site is not None else f"Origin {origin}"
        raise ApiError(403, "cross_site", f"the reload is refused from a web page of another site ({said}); "
                                          f"send it from the operators' network, e.g. curl -X POST "
                                          f"{request.base_url}admin/reload.")


def _host_name(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed Origin or Host names no host
        return None


def install_sighup(holder: RetrieverHolder) -> bool:
    """Reload on SIGHUP, when this process owns the signal (main thread, Unix).

    Returns:
        Whether the handler was installed (not in tests running the app in a thread).
    """
    try:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload_quietly(holder)))
    except (ValueError, RuntimeError, NotImplementedError, AttributeError):
        return False
    return True


def remove_sighup() -> None:
    try:
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
    except (ValueError, RuntimeError, NotImplementedError, AttributeError):
        pass


async def _reload_quietly(holder: RetrieverHolder) -> None:
    # A refused index is logged by holder.reload; the signal has nobody to answer to.
    try:
        await holder.reload()
    except (IndexLoadError, ModelError):
        pass
