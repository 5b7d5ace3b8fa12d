"""HTML pages: the patients' question box (``/``) and the staff search (``/staff``).

Both render the answer on the server from a plain form GET, so they work without
JavaScript (the staff page's "Copy citation" button is the only script, in a static
file). Validation and search are the API's (`service.searching`); a refusal is shown
as a message on the page, with the same status the API would give.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.templating import Jinja2Templates

from retriever.abstain import ANIMAL, EVERYDAY
from retriever.models import SearchResult
from retriever.quotes import quoted_as_typed
from retriever.tokenization import STOPWORDS
from service.contents import contents
from service.errors import ApiError
from service.form_errors import echo, form_status, patient_message, two_questions
from service.gaps import not_covered, phrases_not_found, words_to_name
from service.notices import (
    as_typed,
    childhood_twin,
    maybe_shorthand,
    named_elsewhere,
    other_summary,
    phone_link,
    slips,
    unmarked,
)
from service.presentation import (
    corrected,
    passage_views,
    question_hints,
    read_as,
    short_title,
    shown_confidence,
)
from service.schemas import K_ADAPTER, K_MAX
from service.searching import (
    LISTED,
    cancer_types,
    clean_text,
    current,
    prepare,
    reject_repeated,
    reject_unknown,
    run_search,
    tracking,
)
from service.state import RetrieverHolder
from service.summaries import MAX_CHOICES, Summary, catalog, choices

TEMPLATES_DIR = Path(__file__).parent / "templates"
PATIENT_PASSAGES = 3
# Passages a many-summary search looks at to find the summaries a question might mean.
CHOICE_DEPTH = 10
# The offered summaries' own searches one page runs at a time (`_answering`).
CHOICE_SEARCHES = 2
STAFF_DEFAULT_K = 10
# The staff page names modes for people; the API's names are accepted too, and the menu then
# shows the mode searched under the page's own name.
STAFF_MODES = {"hybrid": "hybrid", "keyword": "bm25", "semantic": "dense", "bm25": "bm25", "dense": "dense"}
STAFF_MODE_LABELS = [("hybrid", "Hybrid"), ("keyword", "Keyword"), ("semantic", "Semantic")]
STAFF_NAME = {STAFF_MODES[name]: name for name, _ in STAFF_MODE_LABELS}  # "bm25" -> "keyword"
STAFF_VIEWS = ("full", "compact")
# What the staff form sends; each once. A misspelt filter in a bookmarked or edited link
# ("doc_id=...") is refused as the API refuses it, not searched unfiltered; a tracker's
# parameter in a shared link ("utm_source") is left alone, as the patients' page leaves it.
STAFF_PARAMETERS = ("q", "k", "mode", "doc", "cancer_type", "view")

# Explicit autoescape for every template, whatever its extension.
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined))

router = APIRouter(include_in_schema=False)


def _holder(request: Request) -> RetrieverHolder:
    return request.app.state.holder


def _render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    holder = _holder(request)
    contact, retriever = holder.settings.contact_line, holder.retriever
    base = {"contact": contact, "contact_tel": phone_link(contact), "contact_name": holder.settings.contact_name,
            "from_nci": retriever is not None and catalog(retriever).from_nci,
            "max_chars": holder.settings.max_query_chars,
            "root": request.scope.get("root_path", "").rstrip("/")}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def error_page(request: Request, status: int, heading: str, message: str) -> HTMLResponse:
    """What a browser gets for an address that is not there, or a method an address does
    not take (a form posted to a page): a page, not the API's JSON."""
    return _render(request, "error.html", status=status, heading=heading, message=message)


async def _answer(request: Request, q: str, k: int, mode: str, doc: list[str],
                  cancer_type: list[str]) -> tuple[str, SearchResult, float]:
    """The question as searched, its result and the threshold it was judged against (that
    of the retriever it ran on, even if a reload swaps another in meanwhile)."""
    holder = _holder(request)
    retriever = current(holder)
    req = prepare(retriever, q, k, mode, doc, cancer_type, holder.settings.max_query_chars)
    result, _ = await run_search(holder, retriever, req)
    return req.query, result, retriever.threshold


@router.get("/", response_class=HTMLResponse)  # HEAD too, as every GET address (`service.app.HeadAsGet`)
async def ask(request: Request, q: str | None = None, doc: str | None = None,
              every: str | None = None) -> HTMLResponse:
    """The question box; with ``?q=`` the best passages, a kind "not covered", or (on a
    many-summary index, for a question that names no subject) the summaries to choose from.
    ``every``: the choices' "None of these?" link, the passages of the summaries not offered."""
    retriever = _holder(request).retriever
    cat = catalog(retriever) if retriever else None
    doc = clean_text(doc or "")
    context = dict(q="", result=None, passages=[], error=None, catalog=cat, doc=doc, choices=[], corrected="", hints=[],
                   read_as=[], related=[], not_covered=[], unquoted=[], shorthand=[], contents=(), twin=None,
                   other=None, elsewhere=[], everyday=False, crisis=False)
    if q is None:
        return _render(request, "index.html", **context)
    try:
        # Two questions in one link (``?q=a&q=b``) would answer the last silently; other parameters are left alone.
        reject_repeated(request.query_params, ("q", "doc", "every"))
        wide = not doc and cat is not None and cat.count > 1
        query, result, _ = await _answer(request, q, CHOICE_DEPTH if wide else PATIENT_PASSAGES, "hybrid",
                                         [doc], [])
        if every == "1" and wide:
            query, result, wide = *await _elsewhere(request, q, query, result, cat), False
    except ApiError as exc:
        picker = cat is not None and cat.count > 1
        limit = _holder(request).settings.max_query_chars
        context.update(q="" if two_questions(exc) else echo(q, limit),
                       error=patient_message(exc, picker, blank=not q.strip(), limit=limit))
        return _render(request, "index.html", status=form_status(exc), **context)
    offered = _candidates(query, result, cat) if wide and not result.crisis else []  # no menu beside crisis help
    result = unmarked(result) if result.crisis else result  # nothing of "kill cancer cells" highlighted beside it
    if offered:
        offered, only = await _answering(request, q, offered)
        offered, result = offered[:MAX_CHOICES], only or result
    # A refusal over one summary (the only one, or the one picked) shows its headings to browse.
    one = doc if doc in cat.titles else next(iter(cat.titles)) if cat.count == 1 else ""
    hints = question_hints(query, result, cat.count)
    lacked = [] if hints else words_to_name(result)
    named, indexed = as_typed(query, lacked), retriever.planner.index_words.knows
    context.update(q=query, result=result, choices=offered, corrected=corrected(query, slips(result.corrections)),
                   contents=contents(retriever, one) if result.abstained and one else (),
                   read_as=read_as(query, result.corrections),
                   # a hint (another language, too short) explains the refusal; the rest would repeat it
                   not_covered=named, shorthand=maybe_shorthand(named, indexed), hints=hints,
                   unquoted=[] if offered else _unquoted(query, result),
                   everyday=EVERYDAY in not_covered(result),
                   twin=childhood_twin(retriever, query, result, doc if doc in cat.titles else ""),
                   other=other_summary(retriever, query, result, cat.titles),
                   elsewhere=named_elsewhere(retriever, query, lacked, result, one),
                   passages=[] if offered else passage_views(result.hits[:PATIENT_PASSAGES]),
                   related=passage_views(result.related), crisis=result.crisis)
    return _render(request, "index.html", **context)


def _unquoted(query: str, result: SearchResult) -> list[str]:
    """The phrases ``query`` quotes that no passage the page shows holds, as the reader typed them."""
    typed = quoted_as_typed(query)  # read once, not again for each phrase
    return [typed[p] for p in phrases_not_found(query, result, PATIENT_PASSAGES)]


def _candidates(query: str, result: SearchResult, cat) -> list[Summary]:
    """The summaries a wide search may offer, read as searched ("prostrate cancer" names its
    subject once corrected); twice the list's length, as some refuse the question alone
    ("oxaliplatin side effects": three of the first five, and the colon summary sixth)."""
    return choices(corrected(query, result.corrections) or query, result.hits, cat, 2 * MAX_CHOICES)


async def _elsewhere(request: Request, q: str, query: str, result: SearchResult,
                     cat) -> tuple[str, SearchResult]:
    """The choices' "None of these?": the best passages of the summaries the list was not drawn
    from; those of all summaries were mostly the offered ones again ("should we get a second
    opinion": five childhood summaries offered, then three of their passages)."""
    pool = {s.doc_id for s in _candidates(query, result, cat)}
    others = [d for d in cat.titles if d not in pool]
    if not pool or not others:  # the question names a subject (no list), or every summary was in it
        return query, result
    query, result, _ = await _answer(request, q, PATIENT_PASSAGES, "hybrid", others, [])
    return query, result


async def _answering(request: Request, q: str, offered: list[Summary]) -> tuple[list[Summary], SearchResult | None]:
    """The offered summaries whose own search answers ``q``, and, when only one does, its
    result to show instead of asking.

    Offering a summary that then says "not covered" sends a worried reader down a dead
    end: "what foods should I avoid" on the seed and three corpus summaries offered two
    whose own search refused. `CHOICE_SEARCHES` run at a time, so one page never holds the
    whole search pool (4 threads on 2 CPUs) and its searches do not queue past their time
    limit. A choice that cannot be checked (its search over that time) stays offered beside
    others; alone, it is no choice, and the best passages of all are shown.
    """
    gate = asyncio.Semaphore(CHOICE_SEARCHES)

    async def own(s: Summary) -> tuple[Summary, SearchResult | None]:
        async with gate:
            try:
                return s, (await _answer(request, q, PATIENT_PASSAGES, "hybrid", [s.doc_id], []))[1]
            except ApiError:
                return s, None

    answered = [(s, r) for s, r in await asyncio.gather(*map(own, offered)) if r is None or not r.abstained]
    if len(answered) == 1:
        return [], answered[0][1]  # None when it could not be checked: the wide search stands
    return [s for s, _ in answered], None


@router.get("/staff", response_class=HTMLResponse)
async def staff(request: Request, q: str | None = None, k: str | None = None, mode: str | None = None,
                doc: str | None = None, cancer_type: str | None = None, view: str | None = None) -> HTMLResponse:
    """Passage search for support staff: more results, scores, filters and citations."""
    holder = _holder(request)
    retriever = holder.retriever
    mode = mode.lower() if mode else mode  # "Keyword", as the menu shows it, typed into a link
    documents = sorted(((i, short_title(d.title) if d.title else i) for i, d in retriever.manifest.documents.items()),
                       key=lambda x: x[1].lower()) if retriever else []
    form = {"q": echo(q or "", holder.settings.max_query_chars), "k": STAFF_DEFAULT_K,
            "mode": STAFF_NAME[STAFF_MODES[mode]] if mode in STAFF_MODES else "hybrid", "doc": clean_text(doc or ""),
            "cancer_type": clean_text(cancer_type or ""), "view": "compact" if view == "compact" else "full"}
    context = dict(form=form, documents=documents, cancer_types=cancer_types(retriever) if retriever else [],
                   modes=STAFF_MODE_LABELS, k_max=K_MAX, result=None, passages=[], related=[], withheld=[], error=None,
                   error_field=None, corrected="", read_as=[], hints=[], phrases_not_found=[], also_searched={})
    if q is None:
        return _render(request, "staff.html", **context)
    try:
        # The API's rule over the form's own fields, each taking one value (its menus pick one).
        reject_unknown(request.query_params, takes=STAFF_PARAMETERS, single=STAFF_PARAMETERS, ignore=tracking)
        form["k"] = _parse_k(k)
        if view not in (None, "", *STAFF_VIEWS):
            raise ApiError(422, "invalid_view", "view: choose full or compact.", "view")
        if mode not in (None, "") and mode not in STAFF_MODES:
            raise ApiError(422, "invalid_mode", "mode: choose hybrid, keyword or semantic.", "mode")
        query, result, bar = await _answer(request, q, form["k"], STAFF_MODES.get(mode or "hybrid", "hybrid"),
                                           [form["doc"]], [form["cancer_type"]])
    except ApiError as exc:
        if exc.field == "k":
            form["k"] = clean_text(k or "")[:12]  # the box flagged as wrong shows what was typed
        if two_questions(exc):
            form["q"] = ""
        message = exc.message.replace(LISTED, "the form's Document and cancer type lists name them")
        return _render(request, "staff.html", status=form_status(exc), **{**context, "error": message,
                                                                          "error_field": exc.field})
    form["q"] = query
    searched = corrected(query, result.corrections)
    lacking = not_covered(result)
    # Shown beside the bar it is judged against, as staff compare them (`shown_confidence`).
    return _render(request, "staff.html", **{**context, "result": result,
                                             "corrected": corrected(query, slips(result.corrections)),
                                             "read_as": read_as(query, result.corrections),
                                             "lacking": [w for w in lacking if w not in (EVERYDAY, ANIMAL)],
                                             "everyday": EVERYDAY in lacking, "animal": ANIMAL in lacking, "bar": bar,
                                             "phrases_not_found": phrases_not_found(query, result),
                                             "also_searched": {lay: [w for w in added.split() if w not in STOPWORDS]
                                                               for lay, added in result.also_searched.items()},
                                             "hints": question_hints(query, result, len(documents)),
                                             "shown_confidence": shown_confidence(result, 2),
                                             "passages": passage_views(result.hits, query=searched or query),
                                             "related": passage_views(result.related, query=searched or query),
                                             "withheld": passage_views(_not_related(result), query=searched or query)})


def _not_related(result) -> list:
    """The passages a refusal held back, less the one already offered as related."""
    offered = {h.chunk.id for h in result.related}
    return [h for h in result.withheld if h.chunk.id not in offered]


def _parse_k(k: str | None) -> int:
    """The form's k through the API's own type (`schemas.K`), so both accept the same values."""
    if k is None or not k.strip():
        return STAFF_DEFAULT_K
    try:
        return K_ADAPTER.validate_python(k.strip(), strict=False)
    except ValidationError:
        raise ApiError(422, "invalid_k", f"k: enter a whole number from 1 to {K_MAX}.", "k") from None
