"""The crisis check's words reader: its terms, its arithmetic against scikit-learn's, its files."""

import json
from dataclasses import replace

import numpy as np
import pytest

from retriever.crisis import CrisisCheck, CrisisError, reads_crisis
from retriever.crisis_words import WORDS_FILE, CrisisWords, terms
from retriever.store import sha256_file
from training.crisis import fit_words

TEXTS = ["i want to end my life", "kms", "quiero morir", "no point going on", "burden to everyone",
         "is chemo painful", "what is a scan", "end of life care at home", "pain in my back", "my life is good"]
CRISIS = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], dtype=float)


def _vector_check(words: CrisisWords | None = None) -> CrisisCheck:
    """A vector reader that flags only vectors along the first axis."""
    w = np.zeros((4, 2), np.float32)
    w[0, 0] = 1.0
    return CrisisCheck(w, np.zeros(2, np.float32), np.array([2.0, 0.0], np.float32), -1.0, 0.0, words=words)


def _words(cut=0.0) -> CrisisWords:
    return replace(fit_words(TEXTS, CRISIS, np.ones(len(TEXTS)), min_df=1), cut=cut)  # ten lines: every term


def test_terms_are_lower_cased_words_and_adjacent_pairs_as_scikit_learn_reads_them():
    assert terms("I Want to DIE") == ["want", "to", "die", "want to", "to die"]  # one letter: no term
    assert terms("ki\u00adll my\u200bself") == ["kill", "myself", "kill myself"]  # invisible characters dropped
    assert terms("quiero morir!") == ["quiero", "morir", "quiero morir"]


def test_its_logit_is_scikit_learn_s_decision_function():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
    lr = LogisticRegression(C=4.0, max_iter=3000).fit(vectorizer.fit_transform(TEXTS), CRISIS)
    words = _words()
    for text in [*TEXTS, "want to end it, end it all", "my back back back hurts"]:
        expected = lr.decision_function(vectorizer.transform([text]))[0]
        assert words.logit(text) == pytest.approx(expected, abs=1e-6)


def test_a_text_with_no_term_it_knows_says_nothing():
    words = _words(cut=-50.0)
    assert words.logit("zzzz qqqq") == -np.inf and not words.flags("zzzz qqqq")
    assert words.flags("kms")


def test_either_reader_flags_a_question(tmp_path):
    check = _vector_check(_words())
    ordinary, flagged = np.array([0, 1.0, 0, 0], np.float32), np.array([1.0, 0, 0, 0], np.float32)

    def reads(c: CrisisCheck, vector: np.ndarray, text: str) -> bool:  # as a search does
        return reads_crisis(c, vector, c.reads_words(text))
    assert reads(check, ordinary, "quiero morir") and not reads(check, ordinary, "is chemo painful")
    assert reads(check, flagged, "is chemo painful")  # the vector alone
    assert not reads(_vector_check(), ordinary, "quiero morir")  # a check fitted before the words reader
    assert not reads_crisis(None, flagged, words=True)  # off, or none shipped


def test_the_words_load_back_with_the_cut_their_record_holds(tmp_path):
    _vector_check(_words(cut=0.25)).save(tmp_path / "crisis")
    record = json.loads((tmp_path / "crisis" / "crisis.json").read_text(encoding="utf-8"))
    assert record["words"]["cut"] == 0.25 and len(record["words"]["sha256"]) == 64
    loaded = CrisisCheck.load(tmp_path, dimensions=4)
    assert loaded.words.cut == 0.25 and loaded.words.vocabulary == _words().vocabulary
    assert loaded.words.logit("quiero morir") == pytest.approx(_words().logit("quiero morir"), abs=1e-5)


def _rewrite(folder, words=None, **arrays):
    """Replace the words file's arrays (its record's hash made to match), or the record's entry."""
    record = json.loads((folder / "crisis.json").read_text(encoding="utf-8"))
    if arrays:
        with np.load(folder / WORDS_FILE) as z:
            np.savez(folder / WORDS_FILE, **{**dict(z), **arrays})
        record["words"]["sha256"] = sha256_file(folder / WORDS_FILE)
    if words is not None:
        record["words"] = words
    (folder / "crisis.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.mark.parametrize("harm, message", [
    ("edit", "crisis_words.npz: its sha256 is not the one crisis.json holds"),
    ("delete", "crisis_words.npz: missing beside its record crisis.json"),
    ("record", "crisis.json: holds no sha256 and cut for crisis_words.npz"),
    ("cut", "crisis.json: holds no sha256 and cut for crisis_words.npz"),
    ("shapes", "crisis_words.npz: .* terms with"),
    ("nan", "crisis_words.npz: weights that are not finite numbers"),
    ("garbage", "crisis_words.npz: not the crisis check's word weights"),
])
def test_damaged_words_files_are_refused_naming_the_file_and_the_fix(tmp_path, harm, message):
    _vector_check(_words()).save(tmp_path / "crisis")
    folder = tmp_path / "crisis"
    if harm == "edit":
        (folder / WORDS_FILE).write_bytes((folder / WORDS_FILE).read_bytes()[:-10])
    elif harm == "delete":
        (folder / WORDS_FILE).unlink()
    elif harm in ("record", "cut"):
        sha = json.loads((folder / "crisis.json").read_text(encoding="utf-8"))["words"]["sha256"]
        _rewrite(folder, words={"cut": 0.1} if harm == "record" else {"sha256": sha, "cut": True})
    elif harm == "shapes":
        _rewrite(folder, idf=np.ones(3, np.float32))
    elif harm == "nan":
        _rewrite(folder, coef=np.full(len(_words().vocabulary), np.nan, np.float32))
    else:
        (folder / WORDS_FILE).write_bytes(b"not a zip")
        _rewrite(folder, words={"sha256": sha256_file(folder / WORDS_FILE), "cut": 0.1})
    with pytest.raises(CrisisError, match=rf"{message}.*training crisis --force.*PDQ_CRISIS_CHECK=false"):
        CrisisCheck.load(tmp_path, dimensions=4)


def test_its_hash_tells_apart_checks_whose_network_is_the_same_file(tmp_path):
    _vector_check(_words(cut=0.25)).save(tmp_path / "a" / "crisis")
    _vector_check(_words(cut=0.5)).save(tmp_path / "b" / "crisis")
    a, b = (CrisisCheck.load(tmp_path / name, dimensions=4) for name in "ab")
    assert a.sha256 != b.sha256 and len(a.sha256) == 64
    assert a.sha256 == CrisisCheck.load(tmp_path / "a", dimensions=4).sha256  # the same files: the same hash
