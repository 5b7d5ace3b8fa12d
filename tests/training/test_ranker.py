"""Fitting the learned ranker: what it trains on, and what it refuses to overwrite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retriever.ranker import FEATURES, FOLDER, MODEL_FILE, RECORD_FILE, TRANSLATION_FILE, LearnedRanker
from training.__main__ import main
from training.cli import QUESTIONS


def test_an_existing_ranker_is_not_replaced_without_force(tmp_path, capsys):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / MODEL_FILE).write_bytes(b"shipped")
    assert main(["ranker", "--index", str(tmp_path / "none"), "--model", str(tmp_path)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert (tmp_path / FOLDER / MODEL_FILE).read_bytes() == b"shipped"


def test_the_saved_onnx_ranker_scores_as_lightgbm_does(tmp_path):
    # fitting needs the train extra ('.[train]', which scripts/setup.sh installs)
    lightgbm = pytest.importorskip("lightgbm")
    pytest.importorskip("onnxmltools")
    from retriever.embedding import resolve_model
    from retriever.store import sha256_file, write_json
    from training.ranker import save_onnx

    rng = np.random.default_rng(7)
    X = rng.normal(size=(600, len(FEATURES))).astype(np.float32)
    y = (X[:, 1] + 0.5 * X[:, 5] > 0.8).astype(np.int32)  # relevance the trees can learn
    booster = lightgbm.LGBMRanker(n_estimators=20, num_leaves=7, min_child_samples=5, verbose=-1).fit(
        X, y, group=[20] * 30).booster_
    sha256 = save_onnx(booster, tmp_path / FOLDER, X[:100])
    table = tmp_path / FOLDER / TRANSLATION_FILE
    shutil.copyfile(Path(resolve_model("pdq-minilm-l6")) / FOLDER / TRANSLATION_FILE, table)
    write_json(tmp_path / FOLDER / RECORD_FILE, {"features": list(FEATURES), "sha256": sha256,
                                                 "translation_sha256": sha256_file(table)})
    ranker = LearnedRanker.load(tmp_path, retriever=None)
    fresh = rng.normal(size=(50, len(FEATURES))).astype(np.float32)
    assert ranker.predict(fresh) == pytest.approx(booster.predict(fresh), abs=1e-5)
    assert not list((tmp_path / FOLDER).glob("*.partial"))
    assert save_onnx(booster, tmp_path / "again", X[:100]) == sha256  # same trees, same bytes


def test_the_onnx_ranker_s_bytes_do_not_follow_python_s_hash_seed(tmp_path):
    """The converter listed the file's opsets in an order set by the process's hash seed, so
    `python -m training ranker` gave the same trees in other bytes in 2 runs of 20."""
    lightgbm = pytest.importorskip("lightgbm")
    pytest.importorskip("onnxmltools")
    rng = np.random.default_rng(7)
    X = rng.normal(size=(600, len(FEATURES))).astype(np.float32)
    y = (X[:, 1] > 0.8).astype(np.int32)
    lightgbm.LGBMRanker(n_estimators=5, num_leaves=7, min_child_samples=5, verbose=-1).fit(
        X, y, group=[20] * 30).booster_.save_model(str(tmp_path / "trees.txt"))
    np.save(tmp_path / "rows.npy", X[:100])
    script = ("import sys, numpy as np, lightgbm; from pathlib import Path; from training.ranker import save_onnx; "
              "print(save_onnx(lightgbm.Booster(model_file=sys.argv[1]), Path(sys.argv[2]), np.load(sys.argv[3])))")
    shas = set()
    for seed in ("20", "21"):  # seeds whose processes list the opsets in the two orders
        run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "trees.txt"), str(tmp_path / seed),
                              str(tmp_path / "rows.npy")], env={**os.environ, "PYTHONHASHSEED": seed},
                             cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, check=True)
        shas.add(run.stdout.strip())
    assert len(shas) == 1


@pytest.mark.model
def test_heading_searches_come_from_training_summaries_and_name_them(seed_retriever):
    from training.ranker import heading_searches

    doc = seed_retriever.chunks[0].doc_id
    assert heading_searches(seed_retriever, set()) == []
    searches = heading_searches(seed_retriever, {doc})
    assert searches
    by_id = {c.id: c for c in seed_retriever.chunks}
    for text, relevant, filters, summary in searches:
        assert filters is None and relevant and summary == doc
        assert {by_id[i].heading_path[1] for i in relevant} == {text}


@pytest.mark.model
def test_an_index_without_training_questions_is_refused_by_name(seed_retriever, tmp_path):
    from retriever.ranker import RankerError
    from training.ranker import fit_ranker

    with pytest.raises(RankerError, match="no training question.*corpus index"):
        fit_ranker([], seed_retriever, tmp_path)
    assert not (tmp_path / FOLDER).exists()


def test_a_bad_audience_line_is_named_by_file_and_line(tmp_path, capsys):
    bad = tmp_path / "audience.jsonl"
    bad.write_text('{"doc_id": "x", "section": "x/0", "heading_path": ["X"], "question": "q",'
                   ' "style": "question", "evidence": "e"}\n', encoding="utf-8")
    one = tmp_path / "questions.jsonl"  # one good lay question, so only the audience file is at fault
    one.write_text(QUESTIONS.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["ranker", "--index", str(tmp_path / "none"), "--model", str(tmp_path),
                 "--questions", str(one), "--audience", str(bad)]) == 2
    assert f"{bad}:1:" in capsys.readouterr().err
    assert not (tmp_path / FOLDER).exists()


def test_a_model_name_that_names_no_model_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["ranker", "--index", str(tmp_path / "none"), "--model", "pdq-minilm-16", "--force"]) == 2
    assert "PDQ_MODEL='pdq-minilm-16': no model of that name" in capsys.readouterr().err


@pytest.mark.model
def test_each_training_search_reads_the_table_of_its_summary_s_fold(seed_retriever):
    """A table fitted on a question scores its passage too well: the ranker's training
    searches must read the table fitted without their summary (`training.translation`)."""
    from retriever.ranker import signal_features
    from retriever.translation import TranslationTable
    from training.ranker import ranking_groups
    from training.translation import FOLDS, fold_of

    doc = seed_retriever.chunks[0].doc_id
    question = "what are the signs of a carcinoid tumor in the belly?"
    shipped = seed_retriever.reranker.table
    # one table per fold, each scoring otherwise: the shipped one for this summary's fold only
    tables = {k: TranslationTable(shipped.sources, shipped.targets, shipped.matrix * (k + 2) / 10,
                                  shipped.counts).for_index(
        seed_retriever.bm25.keyword) for k in range(FOLDS)}
    tables[fold_of(doc)] = seed_retriever.reranker.translation
    relevant = {c.id for c in seed_retriever.chunks}
    X, y, groups = ranking_groups([(question, relevant, None, doc)], seed_retriever, {doc}, tables)
    sig = seed_retriever.signals(question)
    ids, expected = signal_features(seed_retriever, sig, seed_retriever.fuse(sig, "hybrid"),
                                    seed_retriever.reranker.translation)
    assert groups == [len(ids)] and y.all()
    column = FEATURES.index("translation")
    assert X[:, column].tolist() == expected[:, column].tolist()


@pytest.mark.model
def test_the_ranker_s_training_searches_get_tables_fitted_without_their_fold(seed_retriever, tmp_path, monkeypatch):
    """The table fitted on every question shipped, the searches reading it would learn to trust
    it too much: with only this summary's questions, its own fold's table has learned nothing."""
    import training.ranker
    from training.questions import TrainingQuestion
    from training.translation import fold_of

    handed = {}

    def caught(searches, retriever, docs, tables):
        handed.update(tables)
        raise KeyboardInterrupt  # stop before the trees: the tables are what is checked

    monkeypatch.setattr(training.ranker, "ranking_groups", caught)
    c = seed_retriever.chunks[3]
    asked = [TrainingQuestion(c.doc_id, "s", tuple(c.heading_path), q, "question", c.text[:30])
             for q in ("does my belly pain come from it", "what is the shot in the bum for")]
    with pytest.raises(KeyboardInterrupt):
        training.ranker.fit_ranker(asked, seed_retriever, tmp_path)
    own = fold_of(c.doc_id)
    assert handed[own].translated.nnz == 0  # fitted without the only summary there is
    assert set(handed) == {0, 1, 2} and not (tmp_path / FOLDER).exists()
