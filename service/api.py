"""JSON routes: search, documents, health and readiness.

Thin on purpose: parameters are validated by FastAPI and `service.searching`, the
search is the retriever's, and the result is reshaped by `service.presentation`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from retriever.cancer_types import types_of
from retriever.provenance import describe
from service.errors import ApiError
from service.gaps import not_covered, phrases_not_found
from service.presentation import api_result, shown_confidence
from service.schemas import (
    ERROR_RESPONSES,
    EXAMPLE_QUESTION,
    K_NOTE,
    DocumentInfo,
    DocumentsResponse,
    ErrorResponse,
    HealthResponse,
    K,
    Mode,
    ReadyResponse,
    SearchRequest,
    SearchResponse,
)
from service.searching import (
    cancer_types,
    current,
    prepare,
    reject_blank_filters,
    reject_repeated_keys,
    reject_unknown,
    reject_url_parameters,
    run_search,
)
from service.state import RetrieverHolder

router = APIRouter()

DOC_HELP = ("Only these document ids; repeat for several. An id not in /api/documents, or a blank one, "
            "is refused (422).")
MODE_HELP = "hybrid, dense (meaning; the staff page's Semantic) or bm25 (keywords; its Keyword)."
TYPE_HELP = ("Only summaries of one of these cancer types (a summary's own: of the types its metadata lists, "
             "those its title or address names); repeat for several. A type not in /api/documents' cancer_types, "
             "or a blank one, is refused (422).")


def _holder(request: Request) -> RetrieverHolder:
    return request.app.state.holder


async def _search(request: Request, q: str, k: int, mode: str, doc: list[str],
                  cancer_type: list[str], given: frozenset[str] = frozenset()) -> SearchResponse:
    """``given``: the fields a POST body named, whose empty lists are refused after ``q``'s faults."""
    holder = _holder(request)
    retriever = current(holder)  # one retriever for the whole request, even across a reload
    req = prepare(retriever, q, k, mode, doc, cancer_type, holder.settings.max_query_chars)  # q first
    reject_blank_filters(doc, cancer_type, given)
    result, took_ms = await run_search(holder, retriever, req)
    return SearchResponse(query=req.query, abstained=result.abstained, confidence=shown_confidence(result),
                          results=[api_result(h) for h in result.hits], corrections=result.corrections,
                          related=[api_result(h) for h in result.related],
                          withheld=[api_result(h) for h in result.withheld],
                          also_searched=result.also_searched,
                          not_covered=not_covered(result), phrases_not_found=phrases_not_found(req.query, result),
                          crisis=result.crisis, took_ms=round(took_ms, 1))


@router.get("/api/search", response_model=SearchResponse, responses=ERROR_RESPONSES, tags=["search"],
            summary="Passages that answer a question")
async def search_get(
    request: Request,
    q: Annotated[str, Query(description="The question, as typed.", examples=[EXAMPLE_QUESTION])],
    k: Annotated[K, Query(description=K_NOTE)] = 5,
    mode: Annotated[Mode, Query(description=MODE_HELP)] = "hybrid",
    doc: Annotated[list[str], Query(description=DOC_HELP)] = [],  # noqa: B006 (FastAPI copies it)
    cancer_type: Annotated[list[str], Query(description=TYPE_HELP)] = [],  # noqa: B006
) -> SearchResponse:
    """The document's own passages that best answer ``q``, each with its citation.

    Nothing is generated: every ``text`` is verbatim from an NCI PDQ summary. When no
    passage answers well, ``abstained`` is true and ``results`` is empty. A parameter the
    search does not take is refused (422), so a misspelt filter is never ignored.
    """
    reject_unknown(request.query_params)
    return await _search(request, q, k, mode, doc, cancer_type)


@router.post("/api/search", response_model=SearchResponse, responses=ERROR_RESPONSES, tags=["search"],
             summary="Passages that answer a question (JSON body)")
async def search_post(request: Request, body: SearchRequest) -> SearchResponse:
    """Same as ``GET /api/search``, for clients that prefer a JSON body. A parameter in the
    URL is refused (422), so a filter put there is never ignored."""
    reject_url_parameters(request.query_params)
    reject_repeated_keys(await request.body())
    return await _search(request, body.q, body.k, body.mode, body.doc, body.cancer_type,
                         frozenset(body.model_fields_set))


@router.get("/api/documents", response_model=DocumentsResponse, tags=["search"],
            responses={k: ERROR_RESPONSES[k] for k in (422, 429, 503)}, summary="Indexed documents, for filters")
async def documents(request: Request) -> DocumentsResponse:
    """Every indexed document (id, title, cancer types), sorted by title. It takes no
    parameter: one is refused (422) rather than read as a filter it is not."""
    if request.query_params:
        name = next(iter(request.query_params.keys())) or "a parameter"  # "?=x" names none
        raise ApiError(422, "unknown_parameter", f"{name}: /api/documents takes no parameters; it lists "
                                                 f"every document.", name)
    retriever = current(_holder(request))
    items = [DocumentInfo(doc_id=doc_id, title=d.title or doc_id, cancer_types=list(types_of(d)),
                          listed_cancer_types=list(d.cancer_types))
             for doc_id, d in retriever.manifest.documents.items()]
    items.sort(key=lambda d: (d.title.lower(), d.doc_id))
    return DocumentsResponse(documents=items, cancer_types=cancer_types(retriever))


@router.get("/healthz", response_model=HealthResponse, tags=["operations"], summary="Liveness")
async def healthz() -> HealthResponse:
    """200 while the process answers at all (the index may still be loading)."""
    return HealthResponse()


@router.get("/readyz", response_model=ReadyResponse, tags=["operations"], summary="Readiness",
            responses={503: {"model": ErrorResponse, "description": "Index not loaded yet."}})
async def readyz(request: Request) -> ReadyResponse:
    """200 with the index being served once it is loaded; 503 before."""
    holder = _holder(request)
    if holder.retriever is None:
        raise ApiError(503, "not_ready", "The index is not loaded yet.", headers={"Retry-After": "5"})
    return ReadyResponse(**describe(holder.retriever), reload_refused=holder.refused)
