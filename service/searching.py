"""From raw request fields to a `SearchResult`: clean, validate, run with a time limit.

Shared by the JSON API and the HTML pages so both accept and refuse the same values.
Every refusal is an `ApiError` naming the parameter at fault. Only the API refuses a
parameter it does not take (`reject_unknown`): the pages' forms send their own fields.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import unicodedata
from dataclasses import dataclass

from retriever.cancer_types import types_of
from retriever.models import SearchResult
from retriever.search import Filters, Retriever
from retriever.text import squash
from service.errors import ApiError, unknown_parameter
from service.schemas import SEARCH_PARAMETERS
from service.state import RetrieverHolder

query_log = logging.getLogger("service.query")
# Where a filter's values are listed, in its errors; the staff page names its own lists instead.
LISTED = "GET /api/documents lists them"


def clean_text(text: str) -> str:
    """Remove control characters and lone surrogates, and collapse whitespace.

    A control character (line break, tab, NUL, escape...) stands where a space may have been,
    so it becomes one: dropped, "surgery<NUL>chemo" was searched as "surgerychemo" (a word
    split by one, "sur<NUL>gery", is joined again by the planner's word breaks). Lone
    surrogates (possible in JSON) could not be encoded into the response or the model's
    tokenizer, so they go. Format characters (category Cf) stay: emoji sequences need the
    zero-width joiner.
    """
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" ")
        elif cat != "Cs":
            out.append(ch)
    return squash("".join(out))


def _readable(ch: str) -> bool:
    """A letter, digit, punctuation mark or symbol, but not the replacement character a URL's
    bytes that are no UTF-8 decode to ("%FF%FE"), nor a space or an invisible mark (U+200B)."""
    return ch != "\ufffd" and unicodedata.category(ch)[0] in "LNPS"


def validate_query(q: str, max_chars: int) -> str:
    """The cleaned question, or an `ApiError` for a blank or over-long one."""
    text = clean_text(q)
    if not any(map(_readable, text)):
        why = "it is empty" if not q.strip() else ("it holds no readable character: only controls, invisible "
                                                    "marks, half-characters or bytes that are not UTF-8 text")
        raise ApiError(422, "invalid_query", f"q: type a question ({why}).", "q")
    if "\ufffd" in text:  # "chemo%FF": searched as "chemo\ufffd" and echoed back so, as if typed
        raise ApiError(422, "invalid_encoding", "q: it holds U+FFFD, the mark left where bytes were not UTF-8 "
                                                "text (such as %FF in a link); send the question as UTF-8 text.", "q")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):  # "???!!!": nothing to search for
        raise ApiError(422, "invalid_query", "q: type a question (it holds no letter or digit).", "q")
    # Counted as the reader sees it: "é" typed as "e" and a combining accent is one character,
    # not two (NFC); a letter NFC takes apart ("\u0958", a code review) stays one, as typed.
    if (n := min(len(text), len(unicodedata.normalize("NFC", text)))) > max_chars:
        raise ApiError(422, "query_too_long",
                       f"q: the question is too long ({n} characters; at most {max_chars}).", "q")
    return text


SINGLE_VALUED = ("q", "k", "mode")  # "doc" and "cancer_type" may repeat


# What mail and ad tools add to a shared link besides utm_* and the click ids ending in
# "clid" (fbclid, gclid, dclid): Microsoft's and Mailchimp's, HubSpot's, Google Analytics'
# cross-site ones, Instagram's share id.
TRACKERS = frozenset({"msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "_ga", "_gl", "igshid"})


def tracking(name: str) -> bool:
    """A campaign tracker's parameter ("utm_source", "fbclid", "mc_cid"): a link shared by
    e-mail or a post carries one, and it asks nothing of a search."""
    return name.startswith("utm_") or name.endswith("clid") or name in TRACKERS


def reject_unknown(params, takes: tuple[str, ...] = SEARCH_PARAMETERS,
                   single: tuple[str, ...] = SINGLE_VALUED, ignore=lambda name: False) -> None:
    """Raise `unknown_parameter` for the first parameter not in ``takes`` (nor one to
    ``ignore``), and a 422 for one of ``single`` given twice (the last would win silently)."""
    for name in params.keys():
        if name not in takes and not ignore(name):
            raise unknown_parameter(name, takes)
    repeatable = [name for name in takes if name not in single]
    reject_repeated(params, single, f" (only {' and '.join(repeatable)} may repeat)" if repeatable else "")


def reject_repeated(params, names: tuple[str, ...], note: str = "") -> None:
    """A 422 for the first of ``names`` given twice with different values: the last would win
    silently. The same value twice (a link built by appending) asks one thing."""
    for name in names:
        if len(set(params.getlist(name))) > 1:
            raise ApiError(422, "repeated_parameter", f"{name}: give it once{note}.", name)


def reject_url_parameters(params) -> None:
    """A POST's parameters travel in its JSON body: one in its URL (``POST
    /api/search?doc=x``) would otherwise be ignored, and the results look filtered."""
    if params:
        name = next(iter(params.keys())) or "a parameter"  # "?=x" names none
        raise ApiError(422, "parameter_in_url", f"{name}: a POST takes its parameters in the JSON body, "
                                                f"not in the URL.", name)


def reject_repeated_keys(body: bytes) -> None:
    """A JSON body naming a field twice is refused as a repeated query parameter is (JSON
    parsers keep the last value silently). The body has already parsed as JSON."""
    def pairs(items: list[tuple[str, object]]) -> dict:
        names = [name for name, _ in items]
        if twice := next((n for n in names if names.count(n) > 1), None):
            raise ApiError(422, "repeated_parameter", f"{twice}: give it once.", twice)
        return dict(items)

    json.loads(body, object_pairs_hook=pairs)


def reject_blank_filters(doc: list[str], cancer_type: list[str], given: frozenset[str] = frozenset()) -> None:
    """The API refuses a blank filter value (``doc=``): searched as no filter, it returned
    every document's passages as if filtered. The pages' menus send one for "all". So is a
    POST body's filter given as an empty list (``"doc": []``, a staff trial's); ``given``:
    the fields the body named."""
    filters = (("doc", doc), ("cancer_type", cancer_type))
    for name, values in filters:
        if any(not clean_text(v) for v in values):
            raise ApiError(422, f"invalid_{name}", f"{name}: it is empty; leave {name} out to search "
                                                   f"every document.", name)
    for name, values in filters:  # a blank value is named first, as before empty lists were read
        if name in given and not values:
            raise ApiError(422, f"invalid_{name}", f"{name}: it is an empty list; leave {name} out to search "
                                                   f"every document, or name at least one ({LISTED}).", name)


def build_filters(retriever: Retriever, doc: list[str], cancer_type: list[str]) -> Filters:
    """Filters from request values, refusing ids and types the index does not have.

    An unknown value would silently match nothing and look like "no answer"; naming the
    mistake is kinder to whoever scripted the call. Blank values (the pages' "all" option)
    are ignored here; the API refuses them first (`reject_blank_filters`).
    """
    documents = retriever.manifest.documents
    docs = tuple(dict.fromkeys(d for d in (clean_text(x) for x in doc) if d))
    if unknown := [d for d in docs if d not in documents]:
        raise ApiError(422, "invalid_doc", f"doc: no indexed document has the id {unknown[0]!r} ({LISTED}).", "doc")
    known_types = {t.lower() for t in cancer_types(retriever)}
    types = tuple(dict.fromkeys(t for t in (clean_text(x) for x in cancer_type) if t))
    if unknown := [t for t in types if t.lower() not in known_types]:
        listed = any(unknown[0].lower() in {t.lower() for t in d.cancer_types} for d in documents.values())
        aside = ("; some documents list it among their related types, but the filter reads a document's own"
                 if listed else "")
        raise ApiError(422, "invalid_cancer_type", f"cancer_type: no indexed document is of the cancer type "
                                                   f"{unknown[0]!r} ({LISTED}{aside}).", "cancer_type")
    wanted = {t.lower() for t in types}
    if docs and types and not any(wanted & {t.lower() for t in types_of(documents[d])} for d in docs):
        # both filters valid, but together they allow no passage: say so, not "not covered"
        raise ApiError(422, "invalid_filters", "doc, cancer_type: none of these documents is of any of "
                       f"these cancer types, its own ({LISTED}).", "cancer_type")
    return Filters(doc_ids=docs, cancer_types=types)


def cancer_types(retriever: Retriever) -> list[str]:
    """Every indexed document's own cancer types (`retriever.cancer_types.types_of`), sorted."""
    return sorted({t for d in retriever.manifest.documents.values() for t in types_of(d)}, key=str.lower)


@dataclass(frozen=True)
class SearchRequestData:
    """A validated search, ready to run.

    ``k`` and ``mode`` arrive validated: by the API's pydantic types, or chosen by a page.
    """

    query: str
    k: int
    mode: str
    filters: Filters


def prepare(retriever: Retriever, q: str, k: int, mode: str, doc: list[str], cancer_type: list[str],
            max_chars: int) -> SearchRequestData:
    """Validate the question and filters; the first problem found is raised as an `ApiError`."""
    return SearchRequestData(query=validate_query(q, max_chars), k=k, mode=mode,
                             filters=build_filters(retriever, doc, cancer_type))


def current(holder: RetrieverHolder) -> Retriever:
    """The retriever to use for this whole request, or 503 before the index is loaded."""
    retriever = holder.retriever
    if retriever is None:
        raise ApiError(503, "not_ready", "The service is starting and has not loaded its index yet.",
                       headers={"Retry-After": "5"})
    return retriever


async def run_search(holder: RetrieverHolder, retriever: Retriever,
                     req: SearchRequestData) -> tuple[SearchResult, float]:
    """Run one search on the holder's threads, within ``request_timeout_s``.

    Returns:
        The result and the milliseconds it took.

    Raises:
        ApiError: 504 when the search overran its time (the thread finishes on its own;
            its result is discarded).
    """
    settings = holder.settings
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()
    future = loop.run_in_executor(holder.executor, lambda: retriever.search(
        req.query, k=req.k, mode=req.mode, filters=req.filters))
    try:
        result = await asyncio.wait_for(future, timeout=settings.request_timeout_s)
    except TimeoutError:
        raise ApiError(504, "timeout", "The search took too long. Please try again.") from None
    took_ms = (time.perf_counter() - t0) * 1000
    if settings.log_queries:
        query_log.info("query=%r mode=%s k=%d abstained=%s hits=%d took_ms=%.1f", req.query, req.mode,
                       req.k, result.abstained, len(result.hits), took_ms)
    return result, took_ms
