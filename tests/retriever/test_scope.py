"""A filtered search reads the topics of its own summaries (`retriever.scope`)."""

from dataclasses import replace

import numpy as np
import pytest

from retriever.models import Chunk
from retriever.scope import CANCER_TYPE, Scope, asked_about
from retriever.tokenization import Vocabulary, words
from tests.conftest import summary_page
from tests.retriever.scope_corpus import DOCS, scope_chunks, scope_planner


def _narrowed(question: str, *kept: str) -> list[str]:
    chunks = scope_chunks()
    planner = scope_planner(chunks)
    allowed = np.array([c.doc_id in kept for c in chunks]) if kept else None
    return Scope(chunks).narrow(planner.plan(question), allowed, planner.speller.looks_misspelled).topics


def test_another_summarys_subject_is_a_topic_of_a_search_filtered_away_from_it():
    assert "pancreatic" in _narrowed("how is pancreatic cancer treated", "colon")
    # everyday words a cancer word's stem would catch name no summary
    assert _narrowed("how do I transition back to work and avoid germs", "colon") == []
    assert "pancreatic" not in _narrowed("how is pancreatic cancer treated", "pancreatic")
    assert "pancreatic" not in _narrowed("how is pancreatic cancer treated", "colon", "pancreatic")


def test_unfiltered_and_everyday_words_are_left_as_planned():
    assert _narrowed("how is pancreatic cancer treated") == []  # the index mentions it: no topic
    assert _narrowed("how is pancreatic cancer treated", *DOCS) == []  # a filter that keeps every summary
    assert _narrowed("how is pancreatic cancer treated", "none") == []  # one that keeps none: nothing to judge
    # "black" and "night" are words of another summary's title or text, but name no cancer:
    # "black stools at night" asks nothing of the cohosh summary
    assert _narrowed("black stools at night after surgery", "colon") == []


@pytest.mark.model
def test_a_search_filtered_to_the_seed_refuses_another_cancer(seed_with):
    from retriever.models import Filters

    r = seed_with(anal=summary_page(
        "Anal Cancer Treatment", "https://example.org/anal", "## Treatment\n\nAnal cancer is most often treated "
        "with chemotherapy and radiation therapy given together, and sometimes with surgery.\n", tags=()))
    seed = next(d for d in r.manifest.documents if d != "anal")
    question = "how is anal cancer treated"
    assert r.search(question).hits[0].chunk.doc_id == "anal"
    filtered = r.search(question, filters=Filters(doc_ids=(seed,)))
    assert filtered.abstained and "anal" in filtered.missing
    assert not r.search(question, filters=Filters(doc_ids=("anal",))).abstained


@pytest.mark.model
def test_a_search_refuses_a_cancer_its_passages_name_only_in_passing(seed_with):
    r = seed_with(urethral=summary_page(
        "Urethral Cancer Treatment", "https://example.org/urethral", "## Signs of urethral cancer\n\nSigns of "
        "urethral cancer include bleeding or trouble with the flow of urine. Bladder and/or prostate cancer may "
        "occur at the same time as urethral cancer.\n"))
    result = r.search("what are the signs of prostate cancer")
    assert result.abstained and "prostate" in result.missing
    assert any(h.chunk.doc_id == "urethral" and "prostate" in h.chunk.text for h in result.withheld)
    assert not r.search("what are the signs of urethral cancer").abstained


def test_a_cancer_the_filtered_summaries_never_name_is_a_topic_of_the_filtered_search():
    """Filtered to one summary, "skin cancer signs" was answered from it: the filter's own
    summaries decide which cancers are named, as the whole index does unfiltered."""
    assert "skin cancer" in _narrowed("skin cancer signs", "colon")
    assert "skin cancer" in _narrowed("skin cancer signs", "colon", "pancreatic")
    assert not [t for t in _narrowed("how is colon cancer treated", "colon") if t.endswith(" cancer")]
    assert "skin cancer" not in _narrowed("is the colon tumor a kind of skin cancer", "colon")  # a tumour named


def test_an_everyday_cancer_name_is_a_topic_of_a_search_filtered_to_summaries_not_about_it():
    """"bowel cancer" is the colon summary's (its title, which heads its passages, says "Colon")
    and no other's; the rectum care summary says "bowel" but neither "bowel cancer" nor a word
    of the name's titles."""
    assert "bowel cancer" in _narrowed("bowel cancer treatment", "pancreatic")
    assert "bowel cancer" in _narrowed("bowel cancer treatment", "rectum")
    assert not [t for t in _narrowed("bowel cancer treatment", "colon") if t.endswith(" cancer")]
    assert not [t for t in _narrowed("bowel cancer treatment", "colon", "pancreatic") if t.endswith(" cancer")]
    # a remedy's summary is asked about with any cancer (a review: "i have throat cancer, can cannabis help")
    remedy = _narrowed("i have bowel cancer, what foods are hard to digest", "diet")
    assert not [t for t in remedy if t.endswith(" cancer")]


def test_a_cancer_an_acronym_names_is_a_topic_of_a_search_filtered_to_summaries_that_never_write_it():
    """Filtered to the penile summary, "how is cll treated" was answered from it: the whole
    index writes "CLL", so the question was searched as typed and named no cancer. Only the
    cancer words of a definition naming a cancer count (`names_cancer`), where the filtered
    summaries write none of them: prostate passages answer "PCA", which the table defines as
    patient-controlled analgesia, and "GI" names no cancer alone."""
    extra = {"cll": ("Leukemia Treatment", "CLL is a leukemia of the blood. GIST is a tumor of the gut."),
             "pain": ("Cancer Pain", "A PCA pump lets patients give themselves pain medicine. GI upset may follow."),
             "prostate": ("Prostate Cancer Treatment", "Prostate cancer may be treated with surgery."),
             "gut": ("Gut Care", "Gastrointestinal problems may follow surgery.")}
    chunks = [*scope_chunks(), *(Chunk(id=f"{d}#0", doc_id=d, source=f"{d}.md", title=title, url=f"https://example.org/{d}",
                                  heading_path=[title, "Overview"], section="Overview", text=text, tags=[CANCER_TYPE])
                            for d, (title, text) in extra.items())]
    planner = scope_planner(chunks)

    def narrowed(question: str, *kept: str) -> list[str]:
        allowed = np.array([c.doc_id in kept for c in chunks])
        return Scope(chunks).narrow(planner.plan(question), allowed, planner.speller.looks_misspelled).topics

    assert planner.plan("how is cll treated").dense_text == "how is cll treated"  # the index writes it
    assert "leukemia" in narrowed("how is cll treated", "penile")
    assert "leukemia" in narrowed("how is CLL treated", "penile", "colon")
    assert "leukemia" not in narrowed("how is cll treated", "cll")
    assert "leukemia" not in narrowed("how is cll treated", "cll", "penile")
    assert narrowed("PCA treatment options", "prostate") == []
    assert "stromal" in narrowed("how is GIST treated", "penile")  # "gastrointestinal stromal tumor"
    assert "stromal" not in narrowed("how is GIST treated", "gut")  # a summary writing one of its cancer words
    assert "leukemia" not in narrowed("should I stop ALL my medicines before surgery", "penile")  # the word "all"
    assert "gastrointestinal" not in narrowed("GI upset after surgery", "prostate")  # names no cancer


def _unnamed(question: str, *docs: str, topics: list[str] | None = None) -> list[str]:
    """What `Scope.unnamed` says of ``question`` when the first passages are those of ``docs``
    (their text only: the words a passage holds beside the summary that holds it)."""
    chunks = scope_chunks()
    plan = scope_planner(chunks).plan(question)
    plan = plan if topics is None else replace(plan, topics=topics)
    rows = [i for i, c in enumerate(chunks) if c.doc_id in docs]
    return Scope(chunks).unnamed(plan, rows, [Vocabulary(words(chunks[i].text)) for i in rows])


def test_a_cancer_the_question_names_must_be_named_by_the_first_passages():
    assert _unnamed("colon cancer surgery", "pancreatic") == ["colon"]
    assert _unnamed("colon cancer surgery", "colon") == []
    # "colostomy" has its first four letters, in a summary that says "colon" (its title)
    assert _unnamed("colon cancer surgery", "ostomy") == []
    assert _unnamed("colon cancer surgery", "pancreatic", "ostomy") == []  # one passage is enough
    # the same word in a summary that never says "colon" is no answer about colon cancer
    assert _unnamed("colon cancer surgery", "diet") == ["colon"]
    # a topic is read against the passages' words already; the title still makes it their subject
    assert _unnamed("colon cancer surgery", "support", topics=["colon"]) == []
    assert _unnamed("colon cancer surgery", "support") == ["colon"]  # named by the title, not the passage
    assert _unnamed("what to eat after surgery", "pancreatic") == []  # names no cancer
    # a word of four letters has no shorter form: "analysis" does not name "anal", though the
    # passage's summary does (its title)
    assert _unnamed("anal cancer surgery", "carcinoid") == ["anal"]
    # a kind of tumour the passages name is what is asked about; "tumor" alone is no kind
    assert _unnamed("is a carcinoid a kind of colon cancer", "carcinoid") == []
    assert _unnamed("colon tumor growth", "carcinoid") == ["colon"]


def test_a_cancer_the_passages_name_in_passing_is_not_their_subject():
    """"prostate cancer symptoms" asked without the prostate summaries was answered from the
    urethral summary's passage that names prostate cancer beside urethral cancer."""
    assert _unnamed("prostate cancer symptoms", "urethral") == ["prostate"]
    assert _unnamed("prostate cancer symptoms", "urology") == []  # under its own heading on it
    assert _unnamed("prostate cancer symptoms", "urethral", "urology") == []  # one passage about it is enough
    assert _unnamed("colon cancer surgery", "ostomy") == []  # its title's word
    assert _unnamed("colon cancer surgery", "pancreatic", "ostomy") == []


def test_a_remedy_s_or_symptom_s_passage_is_about_a_cancer_it_names_when_asked_about_its_subject():
    """A review's example: "does acupuncture help hot flashes in prostate cancer" was refused;
    a summary about a remedy or a symptom says which cancers it helps only in its passages.
    A second review's: "prostate cancer symptoms" without the prostate summaries was answered
    from the urethral passage again, because the hot flashes passage below it names prostate
    cancer; the question asks nothing about hot flashes."""
    assert _unnamed("hot flashes after prostate cancer treatment", "hot") == []
    assert _unnamed("hot flashes after prostate cancer treatment", "urethral") == ["prostate"]
    assert _unnamed("hot flashes after anal cancer treatment", "hot") == ["anal"]  # it must name it still
    assert _unnamed("prostate cancer symptoms", "urethral", "hot") == ["prostate"]
    # words in the titles or headings of a third of the summaries ask about none of them
    assert "overview" in Scope(scope_chunks()).common() and _unnamed("prostate cancer overview", "hot") == ["prostate"]


def test_a_word_is_common_by_the_summaries_that_use_it_not_by_its_forms():
    """"Tumor" and "Tumors" in one summary's headings are one summary of three, not two."""
    chunks = [Chunk(id=f"{d}#{i}", doc_id=d, source=f"{d}.md", title=d.title(), url=f"https://example.org/{d}",
                    heading_path=[d.title(), heading], section=heading, text="Some text.")
              for d, headings in {"one": ["Tumor", "Tumors"], "two": ["Care"], "three": ["Care"]}.items()
              for i, heading in enumerate(headings)]
    assert Scope(chunks).common() == frozenset({"care"})


def test_a_heading_sharing_a_cancer_s_first_letters_is_about_it_only_where_its_summary_names_it():
    """A review's example: the penile summary's "Tests that examine the penis" was about
    "testicular" by its first four letters."""
    chunks = scope_chunks()
    scope, row = Scope(chunks), [c.doc_id for c in chunks].index
    about = [(w, d) for w, d in [("testicular", "penile"), ("colon", "ostomy"),
                                 ("rectal", "rectum")] if scope.about(w, row(d), Vocabulary(()))]
    assert about == [("colon", "ostomy"), ("rectal", "rectum")]  # "Rectum Care" says "rectal"


def test_over_one_summary_its_passages_need_only_name_the_cancer():
    """Which summary is about a cancer is no question over one: "the report mentions my colon"
    asked of the ovarian summary alone is answered by its staging passage."""
    chunks = [c for c in scope_chunks() if c.doc_id == "urethral"]
    plan = scope_planner(chunks).plan("prostate cancer symptoms")
    vocabularies = [Vocabulary(words(chunks[0].text))]
    assert Scope(chunks).unnamed(plan, [0], vocabularies) == []
    assert Scope(scope_chunks()).unnamed(plan, [scope_chunks().index(chunks[0])], vocabularies) == ["prostate"]
    # ... and so over a search filtered to one summary of many
    scope, row = Scope(scope_chunks()), [c.doc_id for c in scope_chunks()].index("urethral")
    one = np.array([c.doc_id == "urethral" for c in scope_chunks()])
    assert scope.unnamed(plan, [row], vocabularies, one) == []
    assert scope.unnamed(plan, [row], vocabularies, one | np.array([c.doc_id == "colon" for c in scope_chunks()])) == [
        "prostate"]


def test_one_passage_about_one_cancer_the_question_names_is_enough():
    """A question comparing its cancer with another names both ("merkel cell vs melanoma"):
    a passage about either answers it."""
    assert _unnamed("is merkel cell worse than melanoma", "merkel") == []
    assert _unnamed("is prostate cancer worse than melanoma", "urethral") == ["prostate", "melanoma"]


def test_what_a_question_asks_about_is_its_cancers_and_the_summaries_subjects():
    plan = scope_planner(scope_chunks()).plan
    assert asked_about(plan("does mistletoe help with anal cancer")) == ["anal", "mistletoe"]
    assert asked_about(plan("what to eat after surgery")) == []
    assert asked_about(plan("does mistletoe help with lung cancer")) == ["mistletoe"]  # an everyday word's cancer
    assert _unnamed("does mistletoe help with lung cancer", "herbs") == []  # its title
    assert _unnamed("does mistletoe help with lung cancer", "cohosh") == ["mistletoe"]


def test_a_kind_of_tumour_the_passages_summary_names_leaves_the_cancer_words_as_sites():
    """The project set's "they found a carcinoid when they took out my appendix; will they take
    part of my colon" was refused on the seed with the rule on over one summary: its surgery
    passage says "neuroendocrine tumor", never "carcinoid", and is not about the colon; the
    summary is about carcinoid tumors."""
    title = "Appendix Tumors"
    chunks = [Chunk(id=f"appendix#{i}", doc_id="appendix", source="appendix.md", title=title,
                    url="https://example.org/appendix", heading_path=[title, heading], section=heading, text=text,
                    tags=[CANCER_TYPE])
              for i, (heading, text) in enumerate([
                  ("Overview", "Carcinoid tumors of the appendix are often found by chance."),
                  ("Surgery", "Surgery removes the right side of the colon with the appendix.")])] + scope_chunks()
    scope, planner = Scope(chunks), scope_planner(chunks)
    surgery = [1]
    for question, expected in [("a carcinoid in my appendix: will they take out colon", []),
                               ("a tumor in my appendix: will they take out colon", ["colon"])]:
        plan = planner.plan(question)
        assert scope.unnamed(plan, surgery, [Vocabulary(words(chunks[1].text))]) == expected, question


def test_a_cancer_named_as_the_passages_do_not_name_it_is_still_answered_on_the_seed(seed_retriever):
    """The seed's symptom passages say "rectum"; the summary says "rectal" once, elsewhere."""
    question = "can a rectal carcinoid cause bleeding"
    result = seed_retriever.search(question)
    rows = {c.id: i for i, c in enumerate(seed_retriever.chunks)}
    assert not any(seed_retriever.words.own(rows[h.chunk.id]).knows("rectal") for h in result.hits[:3])
    assert seed_retriever.plan(question).cancers == ("rectal",) and not result.abstained


def test_another_cancer_s_acronym_typed_in_small_letters_is_refused_on_the_seed(seed_retriever):
    """"how is cll treated" was answered with the seed's metastatic-tumour treatments."""
    for question in ("how is cll treated", "my dad has cml, what happens now"):
        result = seed_retriever.search(question)
        assert result.abstained and "leukemia" in result.missing, question
    result = seed_retriever.search("how is nhl treated")
    assert result.abstained and "lymphoma" in result.missing
