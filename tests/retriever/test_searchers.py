"""Stage 2's searchers and scorers on small hand-made tables: no model needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retriever import fusion
from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.searchers import PhraseSearcher, Query, SentenceScorer
from retriever.store import SentenceTable


def _table(lengths: list[int], dim: int = 8, seed: int = 0) -> SentenceTable:
    rng = np.random.default_rng(seed)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    spans = np.stack([np.arange(offsets[-1]) * 10, np.arange(offsets[-1]) * 10 + 9], axis=1).astype(np.int32)
    return SentenceTable(offsets, spans, rng.normal(size=(offsets[-1], dim)).astype(np.float16))


def test_a_small_table_is_searched_as_float32_and_a_large_one_stays_float16():
    table = _table([3, 1, 0, 4, 2])
    assert table.for_search().vectors.dtype == np.float32
    np.testing.assert_array_equal(table.for_search().vectors, table.vectors.astype(np.float32))
    assert table.for_search(max_bytes=table.vectors.size * 4 - 1) is table


@pytest.mark.parametrize("as_float32", [True, False])
def test_sentence_scores_equal_one_product_per_chunk(as_float32):
    """Chunk 2 has no sentences; candidates come in any order, as the rankings give them."""
    table = _table([3, 1, 0, 4, 2])
    vector = np.random.default_rng(1).normal(size=8).astype(np.float32)
    scorer = SentenceScorer(table.for_search() if as_float32 else table)
    scores = scorer.score(Query(None, vector), [3, 0, 2, 4])
    for idx in (3, 0, 4):
        a, b = table.offsets[idx], table.offsets[idx + 1]
        expected = table.vectors[a:b].astype(np.float32) @ vector
        spans, sims = scores.of(idx)
        np.testing.assert_allclose(sims, expected, rtol=1e-5, atol=1e-6)
        assert spans.tolist() == table.spans[a:b].tolist()
        assert scores.best(idx) == pytest.approx(float(expected.max()), abs=1e-6)
    assert scores.best(2) == -np.inf and len(scores.of(2)[1]) == 0
    assert scores.ranking([3, 0, 2, 4]).ids == sorted((3, 0, 4), key=lambda i: -scores.best(i))


def test_postings_are_the_rows_bm25_scores():
    texts = ["Nausea and vomiting after chemotherapy.", "The prognosis depends on the stage.",
             "Chemotherapy and surgery.", "Surgery removes the tumor."]
    keyword = KeywordIndex.build([Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc",
                                        url="https://example.org/d", heading_path=["Doc"], section="Doc",
                                        text=t) for i, t in enumerate(texts)])
    for token in (t for t in keyword.vocab if t):  # bm25s's own "" token matches nothing
        assert sorted(keyword.postings(token).tolist()) == np.flatnonzero(keyword.scores([token])).tolist()
    assert keyword.postings("not-a-token").size == 0 and keyword.postings("").size == 0


def test_a_disease_named_with_non_is_kept_apart_from_the_one_without():
    """MedQuAD's "Adult Hodgkin Lymphoma" questions came first from the non-Hodgkin summary,
    whose every passage repeats "hodgkin"."""
    from retriever.tokenization import tokenize
    texts = ["Non-Hodgkin lymphoma: chemotherapy for non-Hodgkin lymphoma.",
             "Hodgkin lymphoma is treated with chemotherapy, radiation therapy or both, and sometimes surgery."]
    keyword = KeywordIndex.build([Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc",
                                        url="https://example.org/d", heading_path=["Doc"], section="Doc",
                                        text=t) for i, t in enumerate(texts)])
    for query, best in (("hodgkin lymphoma chemotherapy", 1), ("non hodgkins lymphoma chemotherapy", 0),
                        ("nonhodgkin lymphoma", 0)):
        assert int(np.argmax(keyword.scores(tokenize(query)))) == best, query


def test_the_phrase_searcher_finds_every_passage_holding_the_phrases_word_for_word():
    from retriever.planning import QueryPlan

    texts = ["Hair loss after chemotherapy.", "Loss of hair is common.", "Hair-loss treatment and hair loss.",
             "Treatment of the tumor.", "Hair LOSS, then treatment."]
    chunks = [Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                    heading_path=["Doc"], section="Doc", text=t) for i, t in enumerate(texts)]
    searcher = PhraseSearcher(KeywordIndex.build(chunks), texts)

    def search(phrases, allowed=None, k=10):
        plan = QueryPlan(text="", dense_text="", tokens=["hair", "loss", "treatment"], corrections={}, topics=[],
                         figures=[], terms=[], phrases=phrases)
        return searcher.search(Query(plan, np.zeros(1, np.float32), allowed), k).ids

    assert sorted(search(("hair loss",))) == [0, 2, 4]  # not "loss of hair"
    assert sorted(search(("hair loss", "treatment"))) == [2, 4]
    assert search(("hair loss",), allowed=np.array([False, True, False, True, True])) == [4]
    assert len(search(("hair loss",), k=1)) == 1
    assert search(("hair of the dog",)) == [] and search(("the",)) == []  # a word no passage has; stop words only


def test_the_phrase_searcher_counts_each_text_once():
    """PDQ copies paragraphs into every summary: 400 holders of "clinical trials" were 28 texts,
    and a search for 50 then showed passages without the phrase after them (a review)."""
    from retriever.planning import QueryPlan

    texts = ["Hair loss is common.", "Hair  loss is common.", "Hair loss may last.", "hair loss is common."]
    chunks = [Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                    heading_path=["Doc"], section="Doc", text=t) for i, t in enumerate(texts)]
    searcher = PhraseSearcher(KeywordIndex.build(chunks), texts)
    plan = QueryPlan(text="", dense_text="", tokens=["hair", "loss"], corrections={}, topics=[],
                     figures=[], terms=[], phrases=("hair loss",))
    found = searcher.search(Query(plan, np.zeros(1, np.float32)), 2).ids
    assert len(found) == 2 and 2 in found  # one of the three copies, and the other text


def test_the_passages_holding_a_questions_rarest_word_join_the_candidates():
    """"oxaliplatin side effects": BM25 put 71 passages saying "side effects" above the two
    that list the drug and say nothing of side effects."""
    from retriever.planning import QueryPlan
    from retriever.searchers import KeywordSearcher

    texts = ["Drugs used: capecitabine, oxaliplatin."] + [f"Side effects of treatment {i}." for i in range(6)] + [
        "Oxaliplatin side effects include numbness."]
    chunks = [Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                    heading_path=["Doc"], section="Doc", text=t) for i, t in enumerate(texts)]
    searcher = KeywordSearcher(KeywordIndex.build(chunks))

    def rare(tokens, most=10, allowed=None):
        plan = QueryPlan(text="", dense_text="", tokens=tokens, corrections={}, topics=[], figures=[], terms=[])
        return sorted(searcher.rare(Query(plan, None, allowed), most))

    assert rare(["oxaliplatin", "side", "effect"]) == [0, 7]  # every holder of the rarest word
    assert rare(["side", "effect"], most=3) == []  # 7 passages hold the rarer: too common to add them all
    assert rare(["oxaliplatin", "side"], most=1) == []  # more holders than asked: a common word, none
    assert rare(["oxaliplatin"], allowed=np.array([i != 0 for i in range(len(texts))])) == [7]  # the filter's
    # the rarest among the passages a filter leaves, and the cap counted there
    only_last = np.array([i == 7 for i in range(len(texts))])
    assert rare(["side", "effect", "numbness"], most=1, allowed=only_last) == [7]
    assert rare(["oxaliplatin", "side"], most=1, allowed=np.array([i in (0, 1) for i in range(len(texts))])) == [0]
    assert rare(["unknown"]) == []


def test_a_keyword_index_tokenized_by_another_version_is_refused(tmp_path):
    import json

    from retriever.keyword import TOKENIZER_FILE
    from retriever.store import IndexLoadError
    from retriever.tokenization import TOKENIZER_VERSION

    chunk = Chunk(id="d#0", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                  heading_path=["Doc"], section="Doc", text="Sézary syndrome is treated.")
    path = tmp_path / "bm25"
    KeywordIndex.build([chunk]).save(path)
    assert KeywordIndex.load(path, 1).scores(["sezari"])[0] > 0  # the accent-free stem
    (path / TOKENIZER_FILE).write_text(json.dumps({"version": TOKENIZER_VERSION - 1}), encoding="utf-8")
    with pytest.raises(IndexLoadError, match=f"tokenized by version {TOKENIZER_VERSION - 1}.*python -m ingest"):
        KeywordIndex.load(path, 1)
    (path / TOKENIZER_FILE).unlink()  # written before the version was: version 1
    with pytest.raises(IndexLoadError, match="tokenized by version 1"):
        KeywordIndex.load(path, 1)


def test_adjust_and_document_ranks_keep_the_candidates_order():
    fused = {5: 0.5, 1: 0.25, 3: 0.125}
    masks = [(np.array([0, 1, 0, 0, 0, 1], dtype=bool), 0.5), (np.array([0, 0, 0, 1, 0, 1], dtype=bool), 0.1)]
    assert fusion.adjust(fused, masks) == {5: 0.5 * 0.5 * 0.1, 1: 0.125, 3: 0.125 * 0.1}
    assert list(fusion.adjust(fused, masks)) == [5, 1, 3]
    ranked = fusion.add_document_ranks(fused, np.array([2, 1]), np.array([0, 0, 0, 1, 1, 1]), 1.0, 60)
    assert ranked == {5: 0.5 + 1 / 61, 1: 0.25 + 1 / 62, 3: 0.125 + 1 / 61}


def test_tied_sentences_keep_the_order_the_candidates_came_in():
    table = _table([1] * 40)
    first, second = table.vectors[0].copy(), table.vectors[1].copy()
    table.vectors[:] = first  # one sentence shared by 40 passages...
    table.vectors[::3] = second  # ...and another by every third
    candidates = np.random.default_rng(2).permutation(40).tolist()
    scores = SentenceScorer(table.for_search()).score(Query(None, np.ones(8, dtype=np.float32)), candidates)
    assert scores.ranking(candidates).ids == sorted(candidates, key=lambda i: -scores.best(i))


def test_an_index_copied_without_its_version_folder_is_named_as_such(tmp_path):
    """`cp -r index elsewhere/` copies the published link, not the folder it names: the
    message said only "folder does not exist" of a path the operator could see."""
    from retriever.loading import read_index
    from retriever.store import IndexLoadError

    (tmp_path / "index").symlink_to(".index-v1")
    with pytest.raises(IndexLoadError, match=r"index .*index: a link to \.index-v1, which does not exist .*cp -rL"):
        read_index(tmp_path / "index", "any-model", 16)
    with pytest.raises(IndexLoadError, match="folder does not exist"):
        read_index(tmp_path / "absent", "any-model", 16)
    (tmp_path / "README.md").write_text("not an index")
    with pytest.raises(IndexLoadError, match=r"README\.md: is a file, not an index folder"):
        read_index(tmp_path / "README.md", "any-model", 16)


@pytest.mark.model  # ingests with the shipped model
def test_a_folder_of_documents_named_as_the_index_is_told_to_be_indexed_elsewhere(tmp_path, monkeypatch):
    """PDQ_INDEX_DIR naming the documents' folder was told to rebuild it with
    `python -m ingest SOURCE --index <that folder>`, which ingest refuses (it never replaces a
    folder of anything but an index)."""
    import json
    import subprocess
    import sys

    from retriever.loading import read_index
    from retriever.store import IndexLoadError

    docs, notes, other, empty = tmp_path / "docs", tmp_path / "notes", tmp_path / "other", tmp_path / "empty"
    for folder in (docs, notes, other, empty):
        folder.mkdir()
    (docs / "a.md").write_text("---\ntitle: A\n---\n# A\n\nText.\n")
    (docs / ".DS_Store").write_bytes(b"\0")  # hidden files aside
    (notes / "a.txt").write_text("---\ntitle: A\n---\n# A\n\nText.\n")
    (notes / "b.txt").write_text("---\ntitle: B\n---\n# B\n\nText.\n")
    (other / "manifest.json").write_text(json.dumps({"name": "a web app"}))  # no index's manifest
    (other / "README.md").write_text("# Other\n")
    monkeypatch.chdir(tmp_path)
    for folder, count in ((docs, "1 file"), (notes, "2 files"), (Path("docs"), "1 file")):
        with pytest.raises(IndexLoadError) as err:
            read_index(folder, "any-model", 16)
        own = tmp_path / f"{folder.name}-index" if folder.is_absolute() else f"{folder.name}-index"
        fix = f"python -m ingest {folder} --index {own}"
        assert f"holds documents ({count} to index), not an index" in str(err.value) and fix in str(err.value)
    ingest = subprocess.run([sys.executable, "-m", "ingest", "notes", "--index", "notes-index", "--quiet"],
                            capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr  # the command it gives works
    for folder in (other, Path(".")):  # "." had no name to build the new folder's on
        with pytest.raises(IndexLoadError, match=r"holds no index \(no manifest\.json that ingest wrote\); build "
                                                 r"one in a new folder: python -m ingest SOURCE_FOLDER --index NEW"):
            read_index(folder, "any-model", 16)
    with pytest.raises(IndexLoadError, match=rf"manifest\.json is missing .*--index {empty}"):
        read_index(empty, "any-model", 16)  # an empty folder: ingest builds there


def test_names_with_digits_are_found_whole_and_by_a_gene_name_s_letters():
    """Staff search "BRCA" and "MEN-1": "brca1" held no "brca", and "MEN-1" split into "men"
    and "1" ranked a passage about older men above the MEN1 one."""
    from retriever.tokenization import Vocabulary, name_words, passage_vocabulary, query_tokens, tokenize

    assert name_words("MEN-1, 5-HIAA and PD-L1; BRCA1 or BRCA2") == ["men1", "5hiaa", "pdl1", "brca", "brca"]
    assert name_words("MEN1 in men, a 24 hour test, stage 1-2, first-line") == []  # "men" is English
    texts = ["Prostate cancer is most common in older men; men over 50 and men with a family history.",
             "MEN1 syndrome causes tumors of the parathyroid and pituitary glands.",
             "Women who carry BRCA1 or BRCA2 changes have a higher risk."]
    chunks = [Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                    heading_path=["Doc"], section="Doc", text=t) for i, t in enumerate(texts)]
    index = KeywordIndex.build(chunks)
    known = index.vocab
    assert query_tokens("MEN-1 syndrome", known) == ["men1", "syndrom"] and "men" in tokenize("MEN-1")
    assert int(np.argmax(index.scores(query_tokens("MEN-1", known)))) == 1
    assert index.scores(query_tokens("men 1", known))[0] > 0  # typed apart: its parts, as passages have them too
    # a name the passages never write whole ("HPV type 16") is searched by its parts
    assert {"hpv", "16"} <= set(query_tokens("HPV-16", known)) and "hpv" not in known
    assert index.scores(query_tokens("BRCA", known))[2] > 0 and index.scores(query_tokens("BRCA", known))[:2].max() == 0
    assert passage_vocabulary(texts[2], "Doc").knows("brca") and not Vocabulary(["brca1"]).knows("brca")


def test_a_cut_off_manifest_beside_the_index_files_is_named_and_ingest_may_rebuild_there(seed_index, tmp_path):
    """An operator's trial: a truncated manifest.json was reported as "holds no index (no
    manifest.json that ingest wrote)", which sends one looking for a missing file."""
    import shutil

    from ingest.publish import target_problem
    from retriever.folders import damaged_index
    from retriever.loading import read_index
    from retriever.store import MANIFEST, IndexLoadError

    copy = tmp_path / "copy"
    shutil.copytree(seed_index.resolve(), copy)
    (copy / MANIFEST).write_text('{"schema_version": 1, "mod', encoding="utf-8")
    assert damaged_index(copy)
    with pytest.raises(IndexLoadError, match=rf"holds an index whose {MANIFEST} is damaged.*rebuild it: "
                                             rf"python -m ingest SOURCE_FOLDER --index {copy}"):
        read_index(copy, "any-model", 16)
    assert target_problem(copy) is None  # ingest rebuilds there, as the message says
    (copy / MANIFEST).unlink()
    assert not damaged_index(copy)


def test_the_keyword_index_of_the_same_chunks_is_the_same_bytes_in_any_process(tmp_path):
    """bm25s numbered the tokens of a set, whose order changes with Python's hash seed: two
    ingests of one folder wrote different files, so an unchanged index looked new."""
    import hashlib
    import os
    import subprocess
    import sys

    script = ("import sys; from pathlib import Path; from retriever.keyword import KeywordIndex; "
              "from retriever.models import Chunk; "
              "cs = [Chunk(id=f'd#{i}', doc_id='d', source='d.md', title='T', url='', heading_path=['T', h], "
              "section=h, text=t) for i, (h, t) in enumerate([('Surgery', 'Surgery removes the tumor.'), "
              "('Chemo', 'Chemotherapy uses drugs; octreotide eases flushing and diarrhea.')])]; "
              "KeywordIndex.build(cs).save(Path(sys.argv[1]))")
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, timeout=120,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())})
    assert digests[0] == digests[1]
