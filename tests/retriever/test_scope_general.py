"""Summaries about cancers in general, and cancers named by everyday words, over a filtered
search's own summaries (`retriever.scope`)."""

import math
from dataclasses import replace

import numpy as np
import pytest

from retriever.health_topics import cancer_words
from retriever.models import Chunk
from retriever.scope import CANCER_TYPE, GENERAL_SHARE, Scope
from retriever.tokenization import Vocabulary, stem, words
from tests.conftest import summary_page
from tests.retriever.scope_corpus import scope_chunks, scope_planner


def _with_late_effects(named: int = 0) -> tuple[list[Chunk], int, int]:
    """`scope_chunks` and a summary about cancers in general, as PDQ's late-effects one is: its
    title names no cancer, its text names ``named`` of the cancer words (0: `GENERAL_SHARE` of
    them, colon cancer among them, vulvar cancer not), and its "Hearing" section none. Returns
    the chunks and the rows of its two passages."""
    names = sorted(cancer_words() - {"colon", "vulvar"})
    many = ", ".join(names[:(named or math.ceil(GENERAL_SHARE * len(cancer_words()))) - 1] + ["colon"])
    title = "Late Effects of Treatment for Childhood Cancer"
    late = [Chunk(id=f"late#{i}", doc_id="late", source="late.md", title=title, url="https://example.org/late",
                  heading_path=[title, heading], section=heading, text=text, tags=[CANCER_TYPE])
            for i, (heading, text) in enumerate([("Who is at risk", f"Survivors of {many} cancer may have problems."),
                                                 ("Hearing", "Some drugs can cause hearing loss years later.")])]
    chunks = scope_chunks() + late
    return chunks, len(chunks) - 2, len(chunks) - 1


def test_a_summary_naming_many_cancers_is_about_cancers_in_general():
    chunks, risk, hearing = _with_late_effects()
    scope, row = Scope(chunks), [c.doc_id for c in chunks].index
    assert scope.general(risk) and scope.general(hearing)
    assert not scope.general(row("colon")) and not scope.general(row("hot"))
    remedy = [replace(c, tags=[]) if c.doc_id == "late" else c for c in chunks]  # a remedy's is no cancer type
    assert not Scope(remedy).general(hearing)
    fewer, _, hearing = _with_late_effects(math.ceil(GENERAL_SHARE * len(cancer_words())) - 1)
    assert not Scope(fewer).general(hearing)  # one cancer word short of the share


def test_a_general_summary_s_first_passage_answers_for_the_cancer_when_its_headings_are_asked_about():
    """Survivors' questions written for the late-effects summary were refused 0.374 of the time
    over the corpus: "my son had neuroblastoma, could his hearing be affected later?" names a
    cancer its "Hearing" section never names nor is about."""
    chunks, _, hearing = _with_late_effects()
    scope, plan, row = Scope(chunks), scope_planner(chunks).plan, [c.doc_id for c in chunks].index
    asked = plan("my son had colon cancer, could his hearing be affected later")
    vocabulary = [Vocabulary(words(chunks[hearing].text))]
    assert scope.covered(asked, [hearing]) == ("colon",)
    assert scope.unnamed(asked, [hearing], vocabulary, None, ("colon",)) == []
    assert scope.unnamed(asked, [hearing], vocabulary) == ["colon"]  # as without the rule
    assert scope.covered(plan("how is colon cancer treated"), [hearing]) == ()  # asks nothing its headings name
    assert scope.covered(asked, [row("pancreatic"), hearing]) == ()  # only as the first passage
    assert scope.covered(plan("could hearing be affected later"), [hearing]) == ()  # no cancer to cover


def test_a_general_summary_answers_only_for_cancers_it_names_and_only_by_its_own_headings():
    """A review's examples: "I had anal cancer, could the chemo hurt my hearing years later" was
    answered by the late-effects summary, which never names anal cancer; "my son had
    neuroblastoma, can mistletoe help his hearing loss" by its Hearing section, though nothing
    shown is about mistletoe."""
    chunks, _, hearing = _with_late_effects()
    scope, plan = Scope(chunks), scope_planner(chunks).plan
    assert plan("I had vulvar cancer").cancers == ("vulvar",)
    assert scope.covered(plan("I had vulvar cancer, could the chemo hurt my hearing years later"), [hearing]) == ()
    assert scope.covered(plan("my son had colon cancer, what are the late effects"), [hearing]) == ()  # its title's
    herbal = plan("my son had colon cancer, can mistletoe help his hearing later")
    assert scope.covered(herbal, [hearing]) == ("colon",)
    assert scope.unnamed(herbal, [hearing], [Vocabulary(words(chunks[hearing].text))], None, ("colon",)) == [
        "mistletoe"]


@pytest.mark.model
def test_a_survivor_s_question_is_answered_by_the_late_effects_section_it_asks_about(seed_with):
    many = ", ".join(sorted(cancer_words())[:math.ceil(GENERAL_SHARE * len(cancer_words()))])
    late = summary_page("Late Effects of Treatment for Childhood Cancer", "https://example.org/late",
                        f"## Who is at risk\n\nSurvivors of {many} and neuroblastoma may have health problems "
                        "years after treatment.\n\n## Hearing\n\nSome anticancer drugs, such as cisplatin, can "
                        "damage the inner ear and cause hearing loss that shows up years after treatment ends.\n")
    # so that "hearing", in one summary's headings of five, is not common
    others = {name: summary_page(name.title(), f"https://example.org/{name}",
                                 f"## {heading}\n\n{heading} is a subject of its own.\n", tags=())
              for name, heading in [("cohosh", "Hot flashes"), ("diet", "Eating well"), ("ostomy", "Bag care")]}
    r = seed_with(late=late, **others)
    answered = r.search("my son had neuroblastoma, could cisplatin hurt his hearing years later")
    assert not answered.abstained and answered.hits[0].chunk.section == "Hearing"
    assert "neuroblastoma" not in answered.hits[0].chunk.text.lower()
    refused = r.search("how is neuroblastoma treated")
    assert refused.abstained and "neuroblastoma" in refused.missing


def _summaries(texts: dict[str, tuple[str, list[str], bool]]) -> list[Chunk]:
    """Chunks of summaries ``{doc: (title, passages, cancer-type)}``, a passage each heading."""
    return [Chunk(id=f"{d}#{i}", doc_id=d, source=f"{d}.md", title=title, url=f"https://example.org/{d}",
                  heading_path=[title, f"Part {i}"], section=f"Part {i}", text=text,
                  tags=[CANCER_TYPE] if typed else [])
            for d, (title, passages, typed) in texts.items() for i, text in enumerate(passages)]


def _postings(chunks: list[Chunk]):
    """`KeywordIndex.postings` over ``chunks``: the rows whose headings or text hold a stem."""
    held = [{stem(w) for w in words(" ".join([*c.heading_path, c.text]))} for c in chunks]
    return lambda token: np.array([i for i, h in enumerate(held) if token in h], dtype=np.int64)


def test_a_cancer_named_by_an_everyday_word_is_asked_where_no_summary_is_about_it():
    """A new user's trial over the corpus, which has no breast cancer summary: "breast cancer
    symptoms" got the childhood testicular summary's symptoms, whose passage names breast
    cancer. A summary is about a cancer when half its passages or more hold its name."""
    chunks = _summaries({
        "testicular": ("Testicular Cancer Treatment", ["A lump in the testicle is a symptom.",
                                                       "Breast growth is not breast cancer.",
                                                       "Surgery removes the testicle."], True),
        "lung": ("Lung Cancer Treatment", ["Smoking harms the lungs.", "Surgery removes part of a lung."], True),
        "hot": ("Hot Flashes", ["Hot flashes after breast cancer treatment may be eased."], False),
    })
    scope, plan = Scope(chunks, _postings(chunks)), scope_planner(chunks).plan
    assert "breast" in scope.everyday(plan("breast cancer symptoms"), None)  # a third of one summary; a remedy's all
    assert "lung" not in scope.everyday(plan("lung cancer symptoms"), None)  # every passage of its own
    without_lung = np.array([c.doc_id != "lung" for c in chunks])
    assert "lung" in scope.everyday(plan("lung cancer symptoms"), without_lung)  # a search filtered away from it
    assert Scope(chunks).everyday(plan("breast cancer symptoms"), None) == []  # no postings: not read
    rows = [i for i, c in enumerate(chunks) if c.doc_id == "testicular"][:2]
    vocabularies = [Vocabulary(words(chunks[i].text)) for i in rows]
    assert scope.unnamed(plan("breast cancer symptoms"), rows, vocabularies) == ["breast"]
    hot = [i for i, c in enumerate(chunks) if c.doc_id == "hot"]
    assert scope.unnamed(plan("hot flashes after breast cancer"), hot, [Vocabulary(words(chunks[hot[0]].text))]) == []


def test_an_everyday_cancer_name_is_named_by_its_own_forms_only():
    """A review's example: "what are the early signs of breast cancer" was answered by a
    nasopharyngeal passage under "trouble breathing", its summary naming breast cancer in its
    shared notes: "breath" has the first four letters of "breast"."""
    title = "Nasopharyngeal Cancer Treatment"
    chunks = [Chunk(id=f"naso#{i}", doc_id="naso", source="naso.md", title=title, url="https://example.org/naso",
                    heading_path=[title, heading], section=heading, text=text, tags=[CANCER_TYPE])
              for i, (heading, text) in enumerate([("Signs include trouble breathing", "A lump in the neck."),
                                                   ("About this summary", "See also breast cancer prevention."),
                                                   ("Treatment", "Radiation therapy is used.")])] + scope_chunks()
    scope, plan = Scope(chunks, _postings(chunks)), scope_planner(chunks).plan
    signs = plan("what are the early signs of breast cancer")
    assert scope.everyday(signs, None) == ["breast"]
    assert scope.unnamed(signs, [0], [Vocabulary(words(chunks[0].text))]) == ["breast"]


def test_a_general_summary_answers_for_an_everyday_cancer_name_it_names():
    """A review's example: "my daughter had chest radiation for Hodgkin lymphoma, is she at risk
    of breast cancer later" is answered by the late-effects summary's second cancers section."""
    chunks, risk, hearing = _with_late_effects()
    chunks[risk] = replace(chunks[risk], text=chunks[risk].text + " Chest radiation raises the risk of breast cancer.")
    scope, plan = Scope(chunks, _postings(chunks)), scope_planner(chunks).plan
    asked = plan("she had colon cancer, could breast cancer or hearing loss come later")
    assert scope.covered(asked, [hearing]) == ("colon", "breast")
    assert scope.unnamed(asked, [hearing], [Vocabulary(words(chunks[hearing].text))], None, ("colon", "breast")) == []
    radiation = plan("could breast cancer come years after chest radiation")
    assert scope.unnamed(radiation, [risk], [Vocabulary(words(chunks[risk].text))]) == []  # it says "breast cancer"
    assert scope.about("breast", risk, Vocabulary(()), [], starts=False)
    assert not scope.about("breast", hearing, Vocabulary(()), [], starts=False)
