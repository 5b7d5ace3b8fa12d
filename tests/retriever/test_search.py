"""Retrieval behaviour on the seed index (needs the embedding model)."""

from pathlib import Path

import pytest

from retriever.search import Filters, Retriever
from retriever.spelling import _english_by_len, _english_near
from retriever.store import IndexLoadError
from retriever.tokenization import zipf

pytestmark = pytest.mark.model

DIAGNOSIS = "Imaging studies and tests that examine the blood and urine are used to diagnose GI neuroendocrine tumors."


@pytest.mark.parametrize("query, section", [
    ("what medicine stops the flushing and diarrhea", "Treatment for carcinoid syndrome may also be needed."),
    ("octreotid shot", "Hormone therapy"),
    ("how do they treat a carcinoyd in the apendix", "Treatment of Neuroendocrine Tumors in the Appendix"),
    ("colonscopy", DIAGNOSIS),
    ("do they need a piece of the tumor to check it?",
     "Imaging studies and tests that examine the blood and urine are used to diagnose GI neuroendocrine tumors."),
    ("where can I get more info?", "To Learn More About Gastrointestinal Neuroendocrine Tumors"),
    ("how do i find a clinical trial near me", "Clinical Trial Information"),  # "near me": no provider asked
])
def test_right_section_first(seed_retriever: Retriever, query, section):
    res = seed_retriever.search(query, k=5)
    assert not res.abstained
    assert res.hits[0].chunk.section == section


def test_typos_are_corrected_against_the_corpus(seed_retriever):
    plan = seed_retriever.plan("carcinoyd and octreotid")
    assert plan.corrections == {"carcinoyd": "carcinoid", "octreotid": "octreotide"}


def test_a_slip_onto_another_word_is_read_from_the_seeds_word_pairs(seed_retriever):
    """"trails" and "nods" are English: the speller leaves them, the summary's pairs do not."""
    assert seed_retriever.plan("were his lymph nods removed").corrections == {"nods": "nodes"}
    res = seed_retriever.search("clinical trails for carcinoid tumors")
    assert res.corrections == {"trails": "trials"} and not res.abstained
    assert "clinical trials" in res.hits[0].chunk.text.lower()


@pytest.mark.parametrize("query", ["what is the best mattress for back pain",
                                   "How do I renew my passport?",
                                   "mammogram schedule for women over 40"])
def test_off_topic_questions_abstain(seed_retriever, query):
    res = seed_retriever.search(query)
    assert res.abstained and res.hits == []


@pytest.mark.parametrize("query, missing", [
    ("How is small cell lung cancer treated?", ["lung"]),
    ("Is everolimus used for carcinoid tumors?", ["everolimus"]),
    ("What is the 5-year survival rate for carcinoid tumors of the small intestine?", ["a figure"]),
    ("who is the best carcinoid surgeon in Texas", ["a named hospital or doctor"]),
    ("lung carcinoid", ["lung"]),
    ("lung cancer staging", ["lung"]),  # cosine 0.87 with the staging passage: answered once
    ("niacin", ["niacin", "a subject other than cancer"]),  # a vitamin: the domain check's too
])
def test_near_misses_abstain_and_name_what_is_missing(seed_retriever, query, missing):
    res = seed_retriever.search(query)
    assert res.abstained and res.missing == missing


def test_a_cancer_whose_summary_the_index_lacks_is_refused_by_name(seed_retriever):
    res = seed_retriever.search("what is the treatment for gallbladder cancer?")
    assert res.abstained and res.missing == ["gallbladder"]
    # the seed's own subjects are not missing, though other summaries' titles name them too, nor
    # are the everyday words of other titles ("regimen", "colorectal")
    for query in ("can a rectal carcinoid cause bleeding?", "colorectal carcinoid tumor",
                  "what is the treatment regimen for carcinoid tumors?"):
        res = seed_retriever.search(query)
        assert not res.abstained and res.missing == [], query


def test_passages_holding_a_quoted_phrase_come_first(seed_retriever):
    """Staff quote an exact phrase; the passage that holds it is shown before closer matches."""
    from retriever.text import fold

    query = "treatment options"
    hits = seed_retriever.search(query, 10).hits
    earlier = " ".join(fold(h.chunk.text) for h in hits[:2])
    words = fold(hits[4].chunk.text).split()
    phrase = next(" ".join(words[i:i + 3]) for i in range(len(words) - 2)
                  if " ".join(words[i:i + 3]) not in earlier and words[i].isalpha() and words[i + 2].isalpha())
    quoted = seed_retriever.search(f'{query} "{phrase}"', 10).hits
    assert phrase in fold(quoted[0].chunk.text)
    assert [h.score for h in quoted] == sorted((h.score for h in quoted), reverse=True)


def test_an_acronym_the_summary_never_uses_is_searched_written_out(seed_retriever):
    """The GI summary never says "NET": alone, it matched the permission notice first."""
    res = seed_retriever.search("NET")
    assert not res.abstained and res.hits[0].chunk.section.startswith("A gastrointestinal neuroendocrine tumor is")
    res = seed_retriever.search("GIST")  # another summary's subject, once written out
    assert res.abstained and "stromal" in res.missing


def test_pdq_s_notes_on_the_summary_are_no_evidence_of_a_topic(seed_retriever):
    """Every summary's permission notice cites "breast cancer prevention" as an example; an
    index of the GI summary answered "breast cancer" with it, first."""
    res = seed_retriever.search("breast cancer")
    assert res.abstained and res.missing == ["breast"]
    res = seed_retriever.search("Cancer.gov E-mail Us contact")  # the notes still answer what they say
    assert not res.abstained and "About This PDQ Summary" in res.hits[0].chunk.heading_path


@pytest.mark.parametrize("query", ["a", "y", "an", "q?", "1", "2", "what", "what is it", "who are you", "why me"])
def test_a_letter_a_digit_or_a_few_stop_words_ask_nothing_and_are_refused(seed_retriever, query):
    """Such queries match the seed's passages above the threshold on cosine alone ("1" the
    rectum passage's "1 centimeter", "what" the "To Learn More" notes)."""
    res = seed_retriever.search(query)
    assert res.abstained and res.hits == []


def test_everyday_words_the_summary_lacks_do_not_refuse(seed_retriever):
    res = seed_retriever.search("the leaflet says my husband's tumor is in his gut. where do these grow?")
    assert not res.abstained and res.missing == []


@pytest.mark.parametrize("query, section", [
    ("is it hereditary?", "Health history can affect the risk of GI neuroendocrine tumors."),
    ("outlook", "Certain factors affect prognosis (chance of recovery) and treatment options."),
    ("can it be cured", "Certain factors affect prognosis (chance of recovery) and treatment options."),
    ("flushing", "Treatment for carcinoid syndrome may also be needed."),
    ("5HIAA", DIAGNOSIS),
])
def test_short_questions_are_answered_when_a_passage_has_every_word(seed_retriever, query, section):
    res = seed_retriever.search(query, k=3)  # their cosine alone is below the threshold
    assert not res.abstained and res.confidence >= seed_retriever.threshold
    assert section in [h.chunk.section for h in res.hits]


@pytest.mark.parametrize("typed", ["whats the outlook", "wat is the outlook", "hows the outlook"])
def test_question_words_typed_without_apostrophe_are_question_words(seed_retriever, typed):
    """"whats" is not a topic the passages lack: it is answered like "what is"."""
    asked = seed_retriever.search("what is the outlook", k=1)
    res = seed_retriever.search(typed, k=1)
    assert not res.abstained and res.hits[0].chunk.id == asked.hits[0].chunk.id


def test_short_forms_are_read_in_full(seed_retriever):
    res = seed_retriever.search("where can I find more info", k=2)  # refused when "info" was left as is
    assert not res.abstained
    assert "To Learn More About Gastrointestinal Neuroendocrine Tumors" in [h.chunk.section for h in res.hits]
    assert seed_retriever.plan("is chemo used").dense_text == "is chemotherapy used"


def test_full_width_letters_are_read_as_plain_ones(seed_retriever):
    """A CJK keyboard types "ＣＡＲＣＩＮＯＩＤ"; the documents and the model know "carcinoid"."""
    wide = seed_retriever.search("ＣＡＲＣＩＮＯＩＤ ｓｙｎｄｒｏｍｅ", k=1)
    plain = seed_retriever.search("CARCINOID syndrome", k=1)
    assert not wide.abstained and wide.hits[0].chunk.id == plain.hits[0].chunk.id
    assert wide.query == "ＣＡＲＣＩＮＯＩＤ ｓｙｎｄｒｏｍｅ"  # the result still echoes what was typed


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\ufeff"])
def test_an_invisible_character_pasted_inside_a_word_changes_nothing(seed_retriever, invisible):
    """Text copied from a web page or a PDF brings soft hyphens and zero-width spaces inside
    its words: "octr\u00adeotide side effects" was refused for lacking "eotide"."""
    plain = seed_retriever.search("octreotide side effects", k=5)
    pasted = seed_retriever.search(f"octr{invisible}eotide side effects", k=5)
    assert not pasted.abstained and pasted.missing == plain.missing == []
    assert [h.chunk.id for h in pasted.hits] == [h.chunk.id for h in plain.hits]
    assert pasted.confidence == pytest.approx(plain.confidence)


@pytest.mark.parametrize("query, emoji", [("my mum has cancer what do we do", " 😢"),
                                          ("will he get through this", " 🙏"), ("what do we do now", "😭 ")])
def test_an_emoji_changes_neither_the_answer_nor_whether_there_is_one(seed_retriever, query, emoji):
    """A crying face answered a question refused without it, and a folded-hands one changed
    the first passage: the embedding read them."""
    plain, with_emoji = seed_retriever.search(query, k=5), seed_retriever.search(query + emoji, k=5)
    assert with_emoji.abstained == plain.abstained and with_emoji.confidence == pytest.approx(plain.confidence)
    assert [h.chunk.id for h in with_emoji.hits] == [h.chunk.id for h in plain.hits]
    assert with_emoji.query == query + emoji  # the result still echoes what was typed


def test_warm_up_gathers_the_word_lists_a_rare_name_needs(seed_retriever):
    """The first question with an unknown name ("zorbitrex") paid 140 ms for them."""
    _english_by_len.cache_clear()
    _english_near.cache_clear()
    seed_retriever.warm_up()
    built, pools = _english_by_len.cache_info().misses, _english_near.cache_info().misses
    seed_retriever.search("is zorbitrex or antineoplastonz safe for my mother")  # words of 9 and 15 letters
    assert built == 1 and _english_by_len.cache_info().misses == built
    assert pools > 10 and _english_near.cache_info().misses == pools  # every length's pool, at warm-up


def test_warm_up_reads_the_other_languages_word_lists(seed_retriever, monkeypatch):
    """The first question the answer check asked about its language paid 120 ms for them."""
    import wordfreq

    monkeypatch.setattr(wordfreq, "_wf_cache", {})  # its words' frequencies, looked up before
    wordfreq.get_frequency_dict.cache_clear()
    zipf.cache_clear()
    seed_retriever.warm_up()
    read = wordfreq.get_frequency_dict.cache_info().misses
    seed_retriever.search("que es un tumor carcinoide del estomago")
    assert read >= 5 and wordfreq.get_frequency_dict.cache_info().misses == read


def test_a_word_typed_alone_finds_first_the_passages_that_hold_it(seed_retriever):
    """A support worker's "nuts" and "brain" got first a passage without the word (dense
    and sentence rankings, close to its meaning); a semantic search still reads meaning alone."""
    for word in ("nuts", "brain"):
        hits = seed_retriever.search(word, k=5).hits
        holding = [word in (h.chunk.text + " ".join(h.chunk.heading_path)).lower() for h in hits]
        assert holding[0] and holding == sorted(holding, reverse=True), (word, holding)
    dense = seed_retriever.search("nuts", k=5, mode="dense")
    assert "nuts" not in (dense.hits or dense.withheld)[0].chunk.text.lower()


@pytest.mark.parametrize("typed", ["Stages of Gastrointestinal Neuroendocrine Tumors",
                                   "stages of gastrointestinal neuroendocrine tumors."])
def test_a_heading_typed_whole_finds_its_section_first(seed_retriever, typed):
    """A support worker typed a heading of the summary and got first "no signs or symptoms in
    the early stages"; a heading is what the staff copy from the page."""
    heading = "Stages of Gastrointestinal Neuroendocrine Tumors"
    assert heading in seed_retriever.search(typed, k=5).hits[0].chunk.heading_path
    others = seed_retriever.search("stages of tumors", k=5).hits  # no heading typed whole: no lift
    assert others and seed_retriever.headings.get(("stages", "of", "tumors")) is None


def test_hits_carry_citation_link_and_highlights(seed_retriever):
    res = seed_retriever.search("blood in the stool and pain in the rectum", k=5)
    hit = res.hits[0]
    assert hit.link.startswith(hit.chunk.url + "#:~:text=")
    assert hit.highlights
    for span in hit.highlights:
        assert 0 <= span.start < span.end <= len(hit.chunk.text)
    assert "stool" in " ".join(hit.chunk.text[s.start:s.end] for s in hit.highlights).lower()
    assert [h.rank for h in res.hits] == list(range(1, len(res.hits) + 1))


def test_no_text_twice_and_k_honoured(seed_retriever):
    for mode in ("hybrid", "dense"):
        res = seed_retriever.search("clinical trials", k=20, mode=mode)
        texts = [h.chunk.text for h in res.hits]
        assert len(texts) == len(set(texts)) == 20
    # keyword mode returns only passages that contain a query word
    keyword = seed_retriever.search("clinical trials", k=20, mode="bm25").hits
    assert 0 < len(keyword) <= 20
    assert all("trial" in (h.chunk.text + " ".join(h.chunk.heading_path)).lower() for h in keyword)


@pytest.mark.parametrize("query", ["blood in the stool", "what is the survival rate", "lung cancer", "surgery"])
def test_k_changes_how_many_passages_not_which_or_whether(seed_retriever, query):
    """The patient page asks for 3, the API 5 by default, the staff page up to 50: the same
    question gets the same verdict, related passage and first passages from each."""
    full = seed_retriever.search(query, k=50)
    for k in (1, 2, 3, 5, 20):
        res = seed_retriever.search(query, k=k)
        assert res.abstained == full.abstained and res.confidence == full.confidence
        assert [h.chunk.id for h in res.hits] == [h.chunk.id for h in full.hits][:k]
        assert [h.chunk.id for h in res.related] == [h.chunk.id for h in full.related]


def test_filters(seed_retriever):
    doc = seed_retriever.chunks[0].doc_id
    assert seed_retriever.search("surgery", filters=Filters(doc_ids=(doc,))).hits
    res = seed_retriever.search("surgery", filters=Filters(doc_ids=("no-such-doc",)))
    assert res.hits == [] and res.abstained
    assert seed_retriever.search("surgery", filters=Filters(cancer_types=("GI Neuroendocrine Tumors",))).hits
    assert not seed_retriever.search("surgery", filters=Filters(cancer_types=("lung",))).hits
    # "liver" is listed in the seed's front matter, beside its own type, as a related one
    assert not seed_retriever.search("surgery", filters=Filters(cancer_types=("liver",))).hits


@pytest.mark.parametrize("kwargs, message", [({"query": "  "}, "empty"), ({"query": "x", "k": 0}, "k"),
                                             ({"query": "x", "mode": "magic"}, "mode")])
def test_bad_arguments(seed_retriever, kwargs, message):
    with pytest.raises(ValueError, match=message):
        seed_retriever.search(**kwargs)


def test_index_for_another_model_is_refused(seed_index, settings, embedder):
    other = settings.model_copy(update={"model": "some/other-model"})
    with pytest.raises(IndexLoadError, match="built with model") as caught:
        Retriever.load(seed_index, other, embedder=embedder)
    built_with = Retriever.load(seed_index, settings, embedder=embedder).manifest.model
    fix = f"to read it as it is, set PDQ_MODEL={built_with}; to use 'some/other-model', rebuild it"
    assert fix in str(caught.value)


def test_a_file_named_as_the_index_is_refused_as_a_file(tmp_path, settings, embedder):
    """Rebuilding "there" would be refused by ingest too: the message asks for the folder."""
    (readme := tmp_path / "README.md").write_text("# not an index\n", encoding="utf-8")
    with pytest.raises(IndexLoadError, match="is a file, not an index folder; name the folder an index was built"):
        Retriever.load(readme, settings, embedder=embedder)


def test_the_shipped_model_s_folder_is_the_shipped_model(seed_index, settings, embedder, monkeypatch):
    """An index built under the name ``pdq-minilm-l6`` serves under its folder's path, relative
    or absolute, and the other way round."""
    from retriever.embedding import resolve_model
    from retriever.loading import same_model
    from tests.conftest import ROOT

    folder = Path(resolve_model(settings.model))
    monkeypatch.chdir(ROOT)
    for name in (str(folder), str(folder.relative_to(ROOT))):
        assert same_model(settings.model, name) and same_model(name, settings.model)
        Retriever.load(seed_index, settings.model_copy(update={"model": name}), embedder=embedder)
    assert not same_model(settings.model, str(ROOT / "models"))


@pytest.mark.model
def test_a_summary_subject_named_in_its_url_is_not_a_missing_topic(tmp_path, settings, embedder):
    """The kidney summary is titled "Renal Cell Cancer": "kidney" in a question to it is its
    own subject, found in the summary's url, not a topic its passages miss."""
    import shutil

    from ingest.indexing import build_index
    from tests.conftest import ROOT

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "training" / "corpus" / "types-kidney-patient-kidney-treatment-pdq.md", src)
    build_index(src, tmp_path / "index", settings, embedder=embedder, progress=False)
    retriever = Retriever.load(tmp_path / "index", settings, embedder=embedder)
    res = retriever.search("Radiation - only for easing pain, or can it actually treat the kidney tumor?")
    assert "kidney" not in res.missing and not res.abstained
    # a topic the summary does not name still counts
    assert "lung" in retriever.search("can radiation treat a lung tumor").missing
