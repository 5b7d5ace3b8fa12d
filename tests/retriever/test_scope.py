"""A filtered search reads the topics of its own summaries (`retriever.scope`)."""

import math
from collections import Counter
from dataclasses import replace

import numpy as np

from retriever.health_topics import cancer_words
from retriever.models import Chunk
from retriever.planning import Planner
from retriever.scope import CANCER_TYPE, GENERAL_SHARE, Scope, asked_about
from retriever.spelling import Speller
from retriever.tokenization import Vocabulary, stem, words

DOCS = {
    "colon": ("Colon Cancer Treatment", "Surgery to remove the colon is the most common treatment."),
    "pancreatic": ("Pancreatic Cancer Treatment", "A Whipple procedure removes the head of the pancreas."),
    "cohosh": ("Black Cohosh", "Black cohosh is a plant used for hot flashes at night."),
    "diet": ("Eating Well", "Some foods are hard to digest after a colostomy."),
    "ostomy": ("Colon Ostomy Care", "A colostomy bag is changed every few days."),
    "carcinoid": ("Anal Carcinoid Tumors", "A carcinoid tumor can grow in the lining; a blood analysis finds it."),
    "urethral": ("Urethral Cancer Treatment", "Bladder and/or prostate cancer may occur at the same time."),
    "support": ("Colon Cancer Support", "Support groups meet every week."),
    "urology": ("Urologic Care", "Bladder and/or prostate cancer may occur at the same time."),
    "merkel": ("Merkel Cell Carcinoma Treatment", "Merkel cell carcinoma is rarer than melanoma."),
    "herbs": ("Mistletoe Extracts", "Mistletoe extracts have been studied in the lab."),
    "hot": ("Hot Flashes and Night Sweats", "Hot flashes in men treated for prostate cancer may be eased."),
    "penile": ("Penile Cancer Treatment", "A doctor feels the penis and nearby lymph nodes for lumps."),
    "rectum": ("Rectum Care", "After rectal surgery the bowel heals in a few weeks."),
}
# A passage's own heading (the others': "Overview").
HEADINGS = {"urology": "Prostate cancer and the bladder", "penile": "Tests that examine the penis"}
# Summaries about a remedy or a symptom, not a cancer type (`scope.CANCER_TYPE`).
REMEDIES = {"cohosh", "diet", "herbs", "hot"}


def _chunks() -> list[Chunk]:
    return [Chunk(id=f"{d}#0", doc_id=d, source=f"{d}.md", title=title, url=f"https://example.org/{d}",
                  heading_path=[title, HEADINGS.get(d, "Overview")], section=HEADINGS.get(d, "Overview"), text=text,
                  tags=[] if d in REMEDIES else [CANCER_TYPE])
            for d, (title, text) in DOCS.items()]


def _planner(chunks: list[Chunk]) -> Planner:
    return Planner(Speller(Counter(w for c in chunks for w in (c.title + " " + c.text).lower().split())))


def _narrowed(question: str, *kept: str) -> list[str]:
    chunks = _chunks()
    planner = _planner(chunks)
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


def test_a_search_filtered_to_the_seed_refuses_another_cancer(seed_copy, settings, embedder, tmp_path):
    from ingest.indexing import build_index
    from retriever.models import Filters
    from retriever.search import Retriever

    (seed_copy / "anal.md").write_text(
        "---\ntitle: Anal Cancer Treatment\nurl: https://example.org/anal\n---\n# Anal Cancer Treatment\n\n"
        "## Treatment\n\nAnal cancer is most often treated with chemotherapy and radiation therapy given "
        "together, and sometimes with surgery.\n", encoding="utf-8")
    build_index(seed_copy, tmp_path / "index", settings, embedder=embedder, progress=False)
    r = Retriever.load(tmp_path / "index", settings, embedder=embedder)
    seed = next(d for d in r.manifest.documents if d != "anal")
    question = "how is anal cancer treated"
    assert r.search(question).hits[0].chunk.doc_id == "anal"
    filtered = r.search(question, filters=Filters(doc_ids=(seed,)))
    assert filtered.abstained and "anal" in filtered.missing
    assert not r.search(question, filters=Filters(doc_ids=("anal",))).abstained


def test_a_search_refuses_a_cancer_its_passages_name_only_in_passing(seed_copy, settings, embedder, tmp_path):
    from ingest.indexing import build_index
    from retriever.search import Retriever

    (seed_copy / "urethral.md").write_text(
        "---\ntitle: Urethral Cancer Treatment\nurl: https://example.org/urethral\ntags:\n- cancer-type\n---\n"
        "# Urethral Cancer Treatment\n\n## Signs of urethral cancer\n\nSigns of urethral cancer include bleeding "
        "or trouble with the flow of urine. Bladder and/or prostate cancer may occur at the same time as "
        "urethral cancer.\n", encoding="utf-8")
    build_index(seed_copy, tmp_path / "index", settings, embedder=embedder, progress=False)
    r = Retriever.load(tmp_path / "index", settings, embedder=embedder)
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
    chunks = [*_chunks(), *(Chunk(id=f"{d}#0", doc_id=d, source=f"{d}.md", title=title, url=f"https://example.org/{d}",
                                  heading_path=[title, "Overview"], section="Overview", text=text, tags=[CANCER_TYPE])
                            for d, (title, text) in extra.items())]
    planner = _planner(chunks)

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
    chunks = _chunks()
    plan = _planner(chunks).plan(question)
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
    assert "overview" in Scope(_chunks()).common() and _unnamed("prostate cancer overview", "hot") == ["prostate"]


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
    chunks = _chunks()
    scope, row = Scope(chunks), [c.doc_id for c in chunks].index
    about = [(w, d) for w, d in [("testicular", "penile"), ("colon", "ostomy"),
                                 ("rectal", "rectum")] if scope.about(w, row(d), Vocabulary(()))]
    assert about == [("colon", "ostomy"), ("rectal", "rectum")]  # "Rectum Care" says "rectal"


def test_over_one_summary_its_passages_need_only_name_the_cancer():
    """Which summary is about a cancer is no question over one: "the report mentions my colon"
    asked of the ovarian summary alone is answered by its staging passage."""
    chunks = [c for c in _chunks() if c.doc_id == "urethral"]
    plan = _planner(chunks).plan("prostate cancer symptoms")
    vocabularies = [Vocabulary(words(chunks[0].text))]
    assert Scope(chunks).unnamed(plan, [0], vocabularies) == []
    assert Scope(_chunks()).unnamed(plan, [_chunks().index(chunks[0])], vocabularies) == ["prostate"]
    # ... and so over a search filtered to one summary of many
    scope, row = Scope(_chunks()), [c.doc_id for c in _chunks()].index("urethral")
    one = np.array([c.doc_id == "urethral" for c in _chunks()])
    assert scope.unnamed(plan, [row], vocabularies, one) == []
    assert scope.unnamed(plan, [row], vocabularies, one | np.array([c.doc_id == "colon" for c in _chunks()])) == [
        "prostate"]


def test_one_passage_about_one_cancer_the_question_names_is_enough():
    """A question comparing its cancer with another names both ("merkel cell vs melanoma"):
    a passage about either answers it."""
    assert _unnamed("is merkel cell worse than melanoma", "merkel") == []
    assert _unnamed("is prostate cancer worse than melanoma", "urethral") == ["prostate", "melanoma"]


def test_what_a_question_asks_about_is_its_cancers_and_the_summaries_subjects():
    plan = _planner(_chunks()).plan
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
                  ("Surgery", "Surgery removes the right side of the colon with the appendix.")])] + _chunks()
    scope, planner = Scope(chunks), _planner(chunks)
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


def _with_late_effects(named: int = 0) -> tuple[list[Chunk], int, int]:
    """`_chunks` and a summary about cancers in general, as PDQ's late-effects one is: its
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
    chunks = _chunks() + late
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
    scope, plan, row = Scope(chunks), _planner(chunks).plan, [c.doc_id for c in chunks].index
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
    scope, plan = Scope(chunks), _planner(chunks).plan
    assert plan("I had vulvar cancer").cancers == ("vulvar",)
    assert scope.covered(plan("I had vulvar cancer, could the chemo hurt my hearing years later"), [hearing]) == ()
    assert scope.covered(plan("my son had colon cancer, what are the late effects"), [hearing]) == ()  # its title's
    herbal = plan("my son had colon cancer, can mistletoe help his hearing later")
    assert scope.covered(herbal, [hearing]) == ("colon",)
    assert scope.unnamed(herbal, [hearing], [Vocabulary(words(chunks[hearing].text))], None, ("colon",)) == [
        "mistletoe"]


def test_a_survivor_s_question_is_answered_by_the_late_effects_section_it_asks_about(seed_copy, settings, embedder,
                                                                                      tmp_path):
    from ingest.indexing import build_index
    from retriever.search import Retriever

    many = ", ".join(sorted(cancer_words())[:math.ceil(GENERAL_SHARE * len(cancer_words()))])
    (seed_copy / "late.md").write_text(
        "---\ntitle: Late Effects of Treatment for Childhood Cancer\nurl: https://example.org/late\ntags:\n"
        "- cancer-type\n---\n# Late Effects of Treatment for Childhood Cancer\n\n## Who is at risk\n\nSurvivors of "
        f"{many} and neuroblastoma may have health problems years after treatment.\n\n## Hearing\n\nSome "
        "anticancer drugs, such as cisplatin, can damage the inner ear and cause hearing loss that shows up "
        "years after treatment ends.\n",
        encoding="utf-8")
    for name, heading in [("cohosh", "Hot flashes"), ("diet", "Eating well"), ("ostomy", "Bag care")]:  # so that
        (seed_copy / f"{name}.md").write_text(  # "hearing", in one summary's headings of five, is not common
            f"---\ntitle: {name.title()}\nurl: https://example.org/{name}\n---\n# {name.title()}\n\n## {heading}\n\n"
            f"{heading} is a subject of its own.\n", encoding="utf-8")
    build_index(seed_copy, tmp_path / "index", settings, embedder=embedder, progress=False)
    r = Retriever.load(tmp_path / "index", settings, embedder=embedder)
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
    scope, plan = Scope(chunks, _postings(chunks)), _planner(chunks).plan
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
                                                   ("Treatment", "Radiation therapy is used.")])] + _chunks()
    scope, plan = Scope(chunks, _postings(chunks)), _planner(chunks).plan
    signs = plan("what are the early signs of breast cancer")
    assert scope.everyday(signs, None) == ["breast"]
    assert scope.unnamed(signs, [0], [Vocabulary(words(chunks[0].text))]) == ["breast"]


def test_a_general_summary_answers_for_an_everyday_cancer_name_it_names():
    """A review's example: "my daughter had chest radiation for Hodgkin lymphoma, is she at risk
    of breast cancer later" is answered by the late-effects summary's second cancers section."""
    chunks, risk, hearing = _with_late_effects()
    chunks[risk] = replace(chunks[risk], text=chunks[risk].text + " Chest radiation raises the risk of breast cancer.")
    scope, plan = Scope(chunks, _postings(chunks)), _planner(chunks).plan
    asked = plan("she had colon cancer, could breast cancer or hearing loss come later")
    assert scope.covered(asked, [hearing]) == ("colon", "breast")
    assert scope.unnamed(asked, [hearing], [Vocabulary(words(chunks[hearing].text))], None, ("colon", "breast")) == []
    radiation = plan("could breast cancer come years after chest radiation")
    assert scope.unnamed(radiation, [risk], [Vocabulary(words(chunks[risk].text))]) == []  # it says "breast cancer"
    assert scope.about("breast", risk, Vocabulary(()), [], starts=False)
    assert not scope.about("breast", hearing, Vocabulary(()), [], starts=False)
