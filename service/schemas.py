"""Request and response models of the JSON API.

They exist for the contract: validation of what comes in, and an OpenAPI description
(with examples) of what goes out, so API users can rely on names and types. The search
itself works on the retriever's own dataclasses.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import annotated_types
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, TypeAdapter
from pydantic_core import PydanticCustomError

from retriever.models import MODES

# The retriever's modes, named once there; a Literal so the OpenAPI schema lists them.
Mode = Literal[MODES]  # type: ignore[valid-type]
K_MAX = 50
# Passages repeated word for word across summaries are shown once (`retriever.deeper`).
K_NOTE = ("How many passages to return, at most: a passage whose text a better-ranked one repeats word for word "
          "(shared across summaries) is left out for the next one, so fewer come back only when no more match.")
_DIGITS = re.compile(r"\s*[0-9]+\s*")
_NEGATIVE = re.compile(r"\s*-[0-9]+\s*")


def _digits_only(value: object) -> object:
    """A count typed in a URL or a form is digits: pydantic alone reads "5.0" as 5 and "5_0"
    as 50, where the JSON body refuses 5.0, so the three ways in would disagree."""
    if isinstance(value, str) and _NEGATIVE.fullmatch(value):  # a whole number, below the range
        raise PydanticCustomError("greater_than_equal", "Input should be greater than or equal to {ge}", {"ge": 1})
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError("int_parsing", "Input should be a whole number")
    return value


# How many passages: validated here only, for the GET query, the POST body and the staff form.
# The range stands before the validator: after it, pydantic wrote "ge"/"le" into the OpenAPI
# schema, which JSON Schema does not know, instead of "minimum"/"maximum".
K = Annotated[int, annotated_types.Interval(ge=1, le=K_MAX), BeforeValidator(_digits_only)]
K_ADAPTER = TypeAdapter(K)
# In a JSON body a count is a JSON number: true or "5" is refused, not read as 1 or 5.
BodyK = Annotated[K, Strict()]

EXAMPLE_QUESTION = "What are the signs of a neuroendocrine tumor in the rectum?"
EXAMPLE_RESULT = {
    "rank": 1,
    "score": 3.232207,
    "id": "gi-neuroendocrine-tumors-treatment#7",
    "doc_id": "gi-neuroendocrine-tumors-treatment",
    "source": "gi-neuroendocrine-tumors-treatment.md",
    "title": "Gastrointestinal Neuroendocrine Tumors Treatment - NCI",
    "url": "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/gi-neuroendocrine-treatment-pdq",
    "link": "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/gi-neuroendocrine-treatment-pdq"
            "#:~:text=Signs%20and%20symptoms%20of%20GI%20neuroendocrine%20tumors%20in",
    "heading_path": [
        "Gastrointestinal Neuroendocrine Tumors Treatment (PDQ®)–Patient Version",
        "General Information About Gastrointestinal Neuroendocrine Tumors",
        "Some GI neuroendocrine tumors have no signs or symptoms in the early stages.",
        "Rectum",
    ],
    "section": "Some GI neuroendocrine tumors have no signs or symptoms in the early stages.",
    "text": "Signs and symptoms of GI neuroendocrine tumors in the rectum may include:\n\n"
            "- Blood in the stool.\n- Pain in the rectum.\n- Constipation.",
    "cancer_types": ["gi neuroendocrine tumors"],
    "highlights": [{"start": 0, "end": 73}],
    "found_by": ["dense", "bm25", "sentence"],
    "citation": "Gastrointestinal Neuroendocrine Tumors Treatment - NCI — General Information About "
                "Gastrointestinal Neuroendocrine Tumors > Some GI neuroendocrine tumors have no signs "
                "or symptoms in the early stages. > Rectum — https://www.cancer.gov/...",
}


#: What ``/api/search`` takes, in the query string or the JSON body; anything else is refused.
SEARCH_PARAMETERS = ("q", "k", "mode", "doc", "cancer_type")


class SearchRequest(BaseModel):
    """Body of ``POST /api/search``: the same fields as the GET query string."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"q": EXAMPLE_QUESTION, "k": 5, "mode": "hybrid"},
        {"q": "surgery for stomach tumors", "k": 10, "mode": "bm25",
         "doc": ["gi-neuroendocrine-tumors-treatment"], "cancer_type": ["gi neuroendocrine tumors"]},
    ]})

    q: str = Field(description="The question or search text, as typed (a control character is read as a space).")
    k: BodyK = Field(5, description=K_NOTE)
    mode: Mode = Field("hybrid", description="hybrid (meaning + keywords), dense (meaning) or bm25 (keywords).")
    doc: list[str] = Field(default_factory=list,
                           description="Only these document ids; unknown ids are refused (see /api/documents).")
    cancer_type: list[str] = Field(default_factory=list,
                                   description=("Only summaries of one of these cancer types (any case; a "
                                                "summary's own: of the types its metadata lists, those its title "
                                                "or address names); unknown types are refused."))


class Span(BaseModel):
    """Character offsets ``[start, end)`` into ``text`` of a sentence that answers best."""

    start: int
    end: int


class Result(BaseModel):
    """One passage, verbatim, with everything needed to cite it."""

    rank: int
    score: float = Field(description="Ranking score; comparable only within one response.")
    id: str = Field(description="Passage id, stable while the document is unchanged.")
    doc_id: str
    source: str
    title: str = Field(description="Document title.")
    url: str = Field(description="The document's page on cancer.gov.")
    link: str = Field(description="url with a text fragment that scrolls to the passage.")
    heading_path: list[str] = Field(description="Headings from the top of the document down to the passage.")
    section: str = Field(description="The passage's deepest heading.")
    text: str = Field(description="The passage, word for word from the document.")
    cancer_types: list[str] = Field(description="The document's own cancer types, those a cancer_type filter "
                                    "finds it by: of the types its front matter lists, the ones its title or "
                                    "address names.")
    highlights: list[Span]
    citation: str = Field(description='"Title — Section > Path — link", ready to paste.')
    last_reviewed: str = Field("", description=(
        "When the summary was last reviewed (YYYY-MM-DD, its front matter's lastReviewed); "
        "empty when the file does not say."))
    continues_in: list[str] = Field(default_factory=list, description=(
        "When the passage ends on a lead-in to the sub-sections after it (\"Check with your "
        "doctor if you have:\"): their headings, where it continues. Empty otherwise."))
    continues_at: list[str] = Field(default_factory=list, description=(
        "A link for each of continues_in, in the same order, opening the source page at that "
        "sub-section's first passage (as link does for this one); \"\" for a document without "
        "a source URL."))
    found_by: list[str] = Field(default_factory=list, description=(
        "The rankings of the search's mode that proposed the passage: dense (meaning), bm25 "
        "(keywords), sentence (its best sentence's meaning), phrase (it holds the question's quoted "
        "phrases: looked for in the whole index); a bm25 search names bm25 only. The "
        "score fuses their ranks, or is the learned ranker's when the model ships one (hybrid searches)."))


class SearchResponse(BaseModel):
    """Passages for a question, or ``abstained: true`` with no results."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"query": EXAMPLE_QUESTION, "abstained": False, "confidence": 0.62, "results": [EXAMPLE_RESULT],
         "took_ms": 18.4},
        {"query": "When should adults get the flu vaccine?", "abstained": True, "confidence": 0.0, "results": [],
         "not_covered": ["flu", "vaccine"], "took_ms": 11.0},
    ]})

    query: str = Field(description="The question as searched (a control character read as a space, spaces collapsed).")
    abstained: bool = Field(description="True when no passage answers well enough; results is then empty.")
    confidence: float = Field(ge=0, description=(
        "How well the best passages answer the question (the retriever's abstention score, "
        "README 'Abstention'; from 0, rounded down, and not capped at 1). Searches scoring below the service's "
        "abstain_threshold (/readyz) are refused, so a client can tell a near miss from a far "
        "one; a question too short to ask anything is refused whatever its score."))
    results: list[Result]
    corrections: dict[str, str] = Field(default_factory=dict, description=(
        "Misspelled words of the question (lower case; a word typed in pieces as its pieces, "
        "space-separated: \"neuro endo crine\"; a real word typed for another, read from the "
        "index's word pairs: \"trails\" in \"clinical trails\"; \"dose\" typed for \"does\": \"how dose it work\") "
        "and the words they were searched as."))
    related: list[Result] = Field(default_factory=list, description=(
        "When abstaining only because the passages lack the figure asked for (a rate, dose, "
        "price, ...): the passage about the question's subject, which does not answer it. "
        "Empty otherwise."))
    also_searched: dict[str, str] = Field(default_factory=dict, description=(
        "Everyday words of the question and the document words the keyword ranking also "
        "searched for them, space-separated, each a word of its own (a stop word among them is not "
        "searched; the lay lexicon: "
        "{\"carcinoid\": \"neuroendocrine\", \"belly\": \"abdominal abdomen\"}), so a passage "
        "without the typed word is explained. Empty in dense mode."))
    withheld: list[Result] = Field(default_factory=list, description=(
        "When abstaining: the k passages the search would have given, best first (the related "
        "passage among them), for staff to check against the question themselves. They did not "
        "match well enough to be an answer; never show them as one. Empty otherwise."))
    not_covered: list[str] = Field(default_factory=list, description=(
        "When abstaining: the health topics the question names that the best passages never "
        "mention and its other words they never use that are rare in everyday English (never "
        "everyday words such as \"going\"), \"a figure\" when it asks for a number (a rate, "
        "dose, price, range or time) they do not give, \"a named hospital or doctor\" when it "
        "asks which to choose, \"a subject other than cancer\" when the model's domain check reads "
        "it as an everyday question the passages do not answer, and \"an animal's health\" when its "
        "animal check reads it as about an animal. When answering, the health topics the question "
        "names that none of the first three passages (or of all given, when more) mentions, which the in-passing "
        "check read as named in passing (\"diabetes\" in \"my husband has diabetes and a tumor in "
        "his appendix, what surgery\"). Empty otherwise."))
    phrases_not_found: list[str] = Field(default_factory=list, description=(
        "When answering: the phrases the question puts in double quotes (as its words, lower "
        "case) that no passage given holds word for word; those passages match the phrase's "
        "words, not the phrase. Empty otherwise."))
    crisis: bool = Field(False, description=(
        "The model's crisis check reads the question as thoughts of suicide or self-harm (\"i "
        "want to end my life\"; README, 'Crisis help'). A page for patients should show crisis "
        "help first (the 988 Suicide & Crisis Lifeline in the US, 911 in danger), as this "
        "service's own page does; the results are the search's as for any question."))
    took_ms: float


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: invalid_query, invalid_k, not_found, ...")
    message: str = Field(description="Human-readable explanation.")
    field: str | None = Field(None, description="The request parameter at fault, if any.")


class ErrorResponse(BaseModel):
    """Every error, whatever the status."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": {"code": "invalid_k", "message": "k: Input should be less than or equal to 50",
                   "field": "k"}},
    ]})

    error: ErrorDetail


class DocumentInfo(BaseModel):
    """``cancer_types``: the ones a ``cancer_type`` filter finds it by, those of its front
    matter that its title or address names; ``listed_cancer_types``: all its front matter lists."""

    doc_id: str
    title: str
    cancer_types: list[str]
    listed_cancer_types: list[str]


class DocumentsResponse(BaseModel):
    """The indexed documents, and every cancer type they cover (for filters)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "documents": [{"doc_id": "gi-neuroendocrine-tumors-treatment",
                       "title": "Gastrointestinal Neuroendocrine Tumors Treatment - NCI",
                       "cancer_types": ["gi neuroendocrine tumors"],
                       "listed_cancer_types": ["gi neuroendocrine tumors", "breast", "liver"]}],
        "cancer_types": ["gi neuroendocrine tumors"],
    }]})

    documents: list[DocumentInfo]
    cancer_types: list[str]


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"


class ReadyResponse(BaseModel):
    """The index being served."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ready", "model": "pdq-minilm-l6", "backend": "onnx-int8", "encoder": "onnx/model_qint8_avx2.onnx",
        "ranker": "da250ba83023", "domain_check": "7e3956761f38", "answer_check": "046fabb3915f",
        "crisis_check": "3c1f0a9e4b2d", "passing_check": "5d2e8b1c7a90", "abstain_threshold": 0.34,
        "animal_check": "8b4e2a1f6c3d", "documents": 1, "chunks": 59,
        "index_created": "2026-01-05T12:00:00+00:00",
    }]})

    status: Literal["ready"] = "ready"
    model: str
    backend: str = Field(description="The encoder backend (PDQ_BACKEND): torch, onnx or onnx-int8.")
    encoder: str = Field(description="The model's file that embeds questions, relative to its folder: "
                         "int8 figures differ slightly by file and CPU (docs/backends.md).")
    ranker: str | None = Field(None, description="First 12 hex digits of the learned ranker's "
                               "sha256; null when results keep the fused order.")
    domain_check: str | None = Field(None, description="First 12 hex digits of the domain check's "
                                     "weights' sha256; null when it is off or the model ships none.")
    answer_check: str | None = Field(None, description="First 12 hex digits of the answerable check's "
                                     "weights' sha256; null when it is off or the model ships none.")
    crisis_check: str | None = Field(None, description="First 12 hex digits of the crisis check's "
                                     "sha256, over both its readers' weights and cuts; null when it is "
                                     "off or the model ships none.")
    passing_check: str | None = Field(None, description="First 12 hex digits of the in-passing check's "
                                      "weights' sha256; null when it is off or the model ships none.")
    animal_check: str | None = Field(None, description="First 12 hex digits of the animal check's weights' "
                                     "sha256; null when it is off or the model ships none.")
    abstain_threshold: float = Field(description="Confidence below which a search abstains: "
                                     "PDQ_ABSTAIN_THRESHOLD, else the model's own (README, 'Abstention').")
    documents: int
    chunks: int
    index_created: str | None
    reload_refused: str | None = Field(None, description="Why this worker's last reload was refused, until "
                                       "one loads: the index above still serves, but a restart would read "
                                       "the refused one and stop; null when none was.")


class ReloadResponse(ReadyResponse):
    status: Literal["reloaded"] = "reloaded"  # type: ignore[assignment]


ERROR_RESPONSES = {
    400: {"model": ErrorResponse, "description": "Malformed JSON body."},
    408: {"model": ErrorResponse, "description": "The body did not arrive within request_timeout_s."},
    413: {"model": ErrorResponse, "description": "Body larger than max_body_bytes."},
    422: {"model": ErrorResponse, "description": "A parameter is missing, unknown, of the wrong type or out of range."},
    429: {"model": ErrorResponse, "description": "Too many requests from this address (Retry-After says when)."},
    503: {"model": ErrorResponse, "description": "The index is not loaded yet."},
    504: {"model": ErrorResponse, "description": "The search took longer than request_timeout_s."},
}
