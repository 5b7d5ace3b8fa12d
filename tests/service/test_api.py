"""The JSON API through FastAPI's TestClient: the contract of each route."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from retriever.calibration import model_threshold
from retriever.citation import citation_line
from retriever.embedding import resolve_model
from tests.service.conftest import ANSWERED, DOC_ID, MANY, OFF_TOPIC, FakeRetriever, assert_error

pytestmark = pytest.mark.model

RESULT_FIELDS = {"rank": int, "score": float, "doc_id": str, "source": str, "title": str, "url": str,
                 "link": str, "heading_path": list, "section": str, "text": str, "highlights": list}


# -- contract -------------------------------------------------------------------------


def test_search_get_contract(client):
    resp = client.get("/api/search", params={"q": ANSWERED})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) >= {"query", "abstained", "results", "took_ms"}
    assert body["query"] == ANSWERED
    assert body["abstained"] is False
    assert body["not_covered"] == []
    assert isinstance(body["took_ms"], float | int)
    assert len(body["results"]) == 5
    for rank, result in enumerate(body["results"], 1):
        for name, kind in RESULT_FIELDS.items():
            assert isinstance(result[name], kind), (name, result[name])
        assert result["rank"] == rank
        assert result["doc_id"] == DOC_ID
        assert result["link"].startswith("https://www.cancer.gov/")
        assert all(isinstance(h, str) for h in result["heading_path"])
        for span in result["highlights"]:
            assert set(span) == {"start", "end"}
            assert 0 <= span["start"] < span["end"] <= len(result["text"])
        assert result["citation"] == citation_line(result["title"], result["heading_path"][1:], result["link"])
        assert result["last_reviewed"] == "2025-12-30"  # the seed's front matter, as given
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_the_rectum_section_answers_the_rectum_question(client):
    results = client.get("/api/search", params={"q": ANSWERED, "k": 3}).json()["results"]
    assert any(r["heading_path"][-1] == "Rectum" for r in results)


@pytest.mark.parametrize("k", [1, 3, 12])
def test_k_is_honoured(client, k):
    body = client.get("/api/search", params={"q": ANSWERED, "k": k}).json()
    assert len(body["results"]) == k


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_answers(client, mode):
    resp = client.get("/api/search", params={"q": "surgery to remove a tumor in the stomach", "mode": mode, "k": 3})
    assert resp.status_code == 200
    body = resp.json()
    assert not body["abstained"] and len(body["results"]) == 3


def test_doc_and_cancer_type_filters(client):
    resp = client.get("/api/search", params=[("q", ANSWERED), ("doc", DOC_ID), ("doc", DOC_ID),
                                             ("cancer_type", "GI neuroendocrine tumors")])
    assert resp.status_code == 200
    assert {r["doc_id"] for r in resp.json()["results"]} == {DOC_ID}


def test_unknown_filters_are_named(client):
    err = assert_error(client.get("/api/search", params={"q": ANSWERED, "doc": "no-such-doc"}), 422, "invalid_doc",
                       "doc")
    assert "'no-such-doc'" in err["message"] and "GET /api/documents lists them" in err["message"]
    both = ["GI Neuroendocrine Tumors", "martian flu"]
    err = assert_error(client.post("/api/search", json={"q": ANSWERED, "cancer_type": both}), 422,
                       "invalid_cancer_type", "cancer_type")
    assert "the cancer type 'martian flu' (GET" in err["message"]


def test_filters_that_together_allow_no_passage_are_named(make_client, retriever):
    many = FakeRetriever(retriever, lambda *a: pytest.fail("searched despite filters that allow nothing"))
    many.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    c = make_client(many)
    resp = c.get("/api/search", params={"q": "surgery", "doc": "acupuncture", "cancer_type": "breast"})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "invalid_filters" and resp.json()["error"]["field"] == "cancer_type"


def test_each_result_says_which_rankings_found_it(client):
    results = client.get("/api/search", params={"q": ANSWERED, "k": 10}).json()["results"]
    assert all(r["found_by"] and set(r["found_by"]) <= {"dense", "bm25", "sentence"} for r in results)
    assert results[0]["found_by"] == ["dense", "bm25", "sentence"]  # the best passage: every ranking
    only_keywords = client.get("/api/search", params={"q": ANSWERED, "mode": "bm25"}).json()["results"]
    assert only_keywords and all(r["found_by"] == ["bm25"] for r in only_keywords)  # the one ranking it fuses
    meaning = client.get("/api/search", params={"q": ANSWERED, "mode": "dense"}).json()["results"]
    assert meaning and all(set(r["found_by"]) <= {"dense", "sentence"} for r in meaning)


def test_a_refused_figure_question_returns_related_passages_apart(client):
    body = client.get("/api/search", params={"q": "what is the survival rate"}).json()
    assert body["abstained"] is True and body["results"] == [] and "a figure" in body["not_covered"]
    assert [r["section"] for r in body["related"]] == [
        "Certain factors affect prognosis (chance of recovery) and treatment options."]
    assert client.get("/api/search", params={"q": "flu vaccine for adults"}).json()["related"] == []


def test_a_refusal_returns_the_passages_it_withheld_apart(client):
    """Staff scripts can check a refused search themselves: ``withheld`` holds the k passages
    the search would have given; ``results`` stays empty, and an answer withholds nothing."""
    body = client.get("/api/search", params={"q": OFF_TOPIC, "k": 3}).json()
    assert body["abstained"] is True and body["results"] == []
    assert len(body["withheld"]) == 3 and all(r["text"] and r["citation"] for r in body["withheld"])
    answered = client.get("/api/search", params={"q": ANSWERED, "k": 3}).json()
    assert answered["abstained"] is False and answered["withheld"] == []


def test_the_document_words_a_keyword_search_added_are_named(client):
    """A keyword search for "carcinoid" also finds passages saying "neuroendocrine" only: staff
    are told why, in every mode that searches keywords, and not in dense mode."""
    for mode in ("bm25", "hybrid"):
        body = client.get("/api/search", params={"q": "carcinoid belly pain", "mode": mode}).json()
        assert body["also_searched"] == {"carcinoid": "neuroendocrine", "belly": "abdominal abdomen"}, mode
    assert client.get("/api/search", params={"q": "carcinoid", "mode": "dense"}).json()["also_searched"] == {}
    assert client.get("/api/search", params={"q": "octreotide"}).json()["also_searched"] == {}


def test_off_topic_question_abstains(client):
    body = client.get("/api/search", params={"q": OFF_TOPIC}).json()
    assert body["abstained"] is True
    assert body["results"] == []
    assert body["not_covered"] == ["flu", "vaccine", "a subject other than cancer"]


def test_the_confidence_tells_a_near_miss_from_an_answer_against_the_ready_threshold(client):
    """The staff page showed it beside the threshold; the API gave clients nothing to tell a
    near miss from a far one."""
    bar = client.get("/readyz").json()["abstain_threshold"]
    answered = client.get("/api/search", params={"q": ANSWERED}).json()
    refused = client.get("/api/search", params={"q": "how many hours of sleep does a teenager need"}).json()
    assert answered["confidence"] >= bar > refused["confidence"] >= 0
    assert refused["abstained"] and not answered["abstained"]


def test_a_shown_confidence_never_reaches_the_threshold_it_fell_short_of():
    """Rounded to the nearest, a refused 0.3399 showed as 0.34 beside a threshold of 0.34."""
    from retriever.models import SearchResult
    from service.presentation import shown_confidence

    def at(confidence: float, digits: int = 3) -> float:
        return shown_confidence(SearchResult(query="q", hits=[], abstained=True, mode="hybrid",
                                             confidence=confidence), digits)

    assert at(0.33996) == 0.339 and at(0.3399, 2) == 0.33
    assert at(0.34) == 0.34 and at(0.29, 2) == 0.29 and at(0.4) == 0.4  # exact figures are kept
    assert at(-0.2) == 0.0  # the hand rule's cosine less penalties falls below 0


def test_post_equals_get(client):
    params = {"q": ANSWERED, "k": 4, "mode": "bm25"}
    got = client.get("/api/search", params={**params, "doc": DOC_ID}).json()
    posted = client.post("/api/search", json={**params, "doc": [DOC_ID]}).json()
    got.pop("took_ms"), posted.pop("took_ms")
    assert got == posted


def test_control_characters_are_stripped(client):
    body = client.get("/api/search", params={"q": "signs\x00 of\x07 carcinoid\ttumor\n in the rectum\x1b"}).json()
    assert body["query"] == "signs of carcinoid tumor in the rectum"
    assert not body["abstained"]
    # one between two words keeps them apart: dropped, it made "surgerychemo"
    assert client.get("/api/search", params={"q": "surgery\x00chemo\x1bside effects"}).json()["query"] == \
        "surgery chemo side effects"


def test_healthz_and_readyz(client, retriever):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["model"] == retriever.manifest.model
    # the file that embeds questions: int8 figures differ by file and CPU (docs/backends.md)
    assert (body["backend"], body["encoder"]) == (retriever.embedder.backend, retriever.embedder.file)
    assert body["encoder"].startswith("onnx/model_qint8_") or body["backend"] != "onnx-int8"
    assert body["documents"] == 1 and body["chunks"] == len(retriever.chunks)
    assert body["index_created"] == retriever.manifest.created
    # the shipped ranker, the same one the index's manifest recorded when it was built
    assert body["ranker"] == retriever.reranker.sha256[:12] == retriever.manifest.ranker_sha256[:12]
    # the shipped domain check, its weights' hash as its record gives it
    record = json.loads((Path(resolve_model(retriever.manifest.model)) / "domain" / "domain.json").read_text())
    assert body["domain_check"] == retriever.domain.sha256[:12] == record["sha256"][:12]
    record = json.loads((Path(resolve_model(retriever.manifest.model)) / "answerable" / "answerable.json").read_text())
    assert body["answer_check"] == retriever.answer_check.sha256[:12] == record["sha256"][:12]
    record = json.loads((Path(resolve_model(retriever.manifest.model)) / "animals" / "animals.json").read_text())
    assert body["animal_check"] == retriever.animals.sha256[:12] == record["sha256"][:12]
    # the shipped crisis check: one hash over both readers' weights and cuts, as its record gives them
    record = json.loads((Path(resolve_model(retriever.manifest.model)) / "crisis" / "crisis.json").read_text())
    both = json.dumps([record["sha256"], record["cut"], record["words"]["sha256"], record["words"]["cut"]])
    assert body["crisis_check"] == retriever.crisis.sha256[:12] == hashlib.sha256(both.encode()).hexdigest()[:12]
    # the threshold in force: the shipped model's own (threshold.json), not the stock model's
    assert body["abstain_threshold"] == retriever.threshold == model_threshold(resolve_model(retriever.manifest.model))


def test_documents_list(client):
    body = client.get("/api/documents").json()
    listed = ["gi neuroendocrine tumors", "breast", "skin", "pancreatic", "liver"]  # the seed's front matter
    assert body["documents"] == [{"doc_id": DOC_ID, "cancer_types": ["gi neuroendocrine tumors"],
                                  "listed_cancer_types": listed,
                                  "title": "Gastrointestinal Neuroendocrine Tumors Treatment - NCI"}]
    assert body["cancer_types"] == ["gi neuroendocrine tumors"]  # related types no summary is about: none


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents", "/healthz", "/readyz"):
        assert path in spec["paths"]
    assert {"get", "post"} <= set(spec["paths"]["/api/search"])
    schemas = spec["components"]["schemas"]
    assert schemas["SearchRequest"].get("examples")
    assert schemas["SearchResponse"].get("examples")
    assert "ErrorResponse" in schemas
    assert "/" not in spec["paths"] and "/staff" not in spec["paths"]


def test_openapi_gives_the_range_of_k_in_json_schema_words(client):
    """``ge``/``le`` are pydantic's words, not JSON Schema's: /docs and generated clients
    did not show that k runs from 1 to 50 (from a new user's trial)."""
    spec = client.get("/openapi.json").json()
    get_k = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "k")["schema"]
    body_k = spec["components"]["schemas"]["SearchRequest"]["properties"]["k"]
    for schema in (get_k, body_k):
        assert (schema["minimum"], schema["maximum"]) == (1, 50) and "ge" not in schema and "le" not in schema
    get_note = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "k")["description"]
    for note in (get_note, body_k["description"]):  # fewer than k come back only when no more match
        assert "fewer come back only when no more match" in note


def test_docs_page_uses_local_assets_under_the_site_csp(client):
    resp = client.get("/docs")
    assert resp.status_code == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "http" not in csp and "'unsafe-inline'" not in csp
    srcs = re.findall(r'(?:src|href)="([^"]+)"', resp.text)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    for src in srcs:
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "<script>" not in resp.text  # no inline script


def test_one_result_shape_and_one_mode_list(client):
    from retriever.models import MODES

    spec = client.get("/openapi.json").json()
    mode = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "mode")
    assert tuple(mode["schema"]["enum"]) == MODES
    result = client.get("/api/search", params={"q": "carcinoyd rectum", "k": 1}).json()
    assert set(result["results"][0]) == set(spec["components"]["schemas"]["Result"]["properties"])
    assert result["corrections"] == {"carcinoyd": "carcinoid"}


@pytest.mark.parametrize("query, named", [("streptozocin", "streptozocin"), ("NSE", "NSE"), ("Whipple", "Whipple")])
def test_a_drug_or_test_name_the_passages_lack_is_named_not_called_everyday(client, retriever, query, named):
    """A support-staff trial: drug and test names were refused as "a subject other than
    cancer"; the domain check, fitted on everyday questions, reads a name it never met as
    one. They are refused as before (the search's own verdict and confidence are untouched)
    and the name the passages lack is what is said, as typed ("NSE", as the page says it)."""
    from retriever.abstain import EVERYDAY

    body = client.get("/api/search", params={"q": query}).json()
    assert body["abstained"] and body["not_covered"] == [named] and not body["related"]
    res = retriever.search(query)
    assert res.evidence.everyday and EVERYDAY in res.missing  # what abstention scored
    staff = client.get("/staff", params={"q": query}).text
    assert "domain check" not in staff and f"<q>{query}</q>" in staff


def test_a_name_the_domain_check_reads_as_about_cancer_is_named_all_the_same(client, retriever):
    """"Xermelo" was read as everyday until the check's second round of everyday questions;
    read as about cancer, the name the passages lack is still what is said."""
    from retriever.abstain import EVERYDAY

    body = client.get("/api/search", params={"q": "Xermelo"}).json()
    assert body["abstained"] and body["not_covered"] == ["Xermelo"] and not body["related"]
    assert EVERYDAY not in retriever.search("Xermelo").missing


def test_the_price_of_a_drug_the_summary_names_is_refused_for_the_figure(client):
    """Lanreotide is one of the seed's drugs and its price no passage gives: the figure is
    what is missing, not the subject (the domain check reads a price's words as everyday, and
    the drug's name, which the passages hold, overrules it), so the passage on the drug is
    offered beside the refusal."""
    from retriever.abstain import EVERYDAY

    for q in ("how much does lanreotide cost?", "price of lanreotide injections"):
        body = client.get("/api/search", params={"q": q}).json()
        assert body["abstained"] and not body["results"] and body["not_covered"] == ["a figure"], q
        assert [r["section"] for r in body["related"]] == ["Hormone therapy"], q
        assert EVERYDAY not in body["not_covered"]


def test_an_everyday_question_keeps_its_reason_beside_the_words_it_misses(client):
    body = client.get("/api/search", params={"q": "how do i get rid of a headache"}).json()
    assert body["abstained"] and body["not_covered"] == ["headache", "a subject other than cancer"]
