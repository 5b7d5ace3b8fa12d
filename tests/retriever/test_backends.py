"""Encoder backends: torch, ONNX fp32 and ONNX int8 agree, and a missing, damaged or stale
ONNX file stops start-up naming the file and the command that rebuilds it."""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest

from retriever import embedding, onnx_backend
from retriever.embedding import ModelError, get_embedder, load_embedder
from retriever.onnx_backend import EXPORT_INFO, ONNX_DIR

pytestmark = pytest.mark.model

MODEL = "pdq-minilm-l6"
TEXTS = ["Carcinoid syndrome may cause flushing of the face and diarrhea.",
         "what is the shot they give for the flushing",
         "Surgery to remove the appendix (appendectomy) may be done."]


@pytest.fixture(scope="module")
def torch_embedder():
    return get_embedder(MODEL, "torch")


@pytest.mark.parametrize("backend, min_cosine", [("onnx", 0.9999), ("onnx-int8", 0.98)])
def test_onnx_backends_embed_like_torch(torch_embedder, backend, min_cosine):
    other = get_embedder(MODEL, backend)
    ref, vecs = torch_embedder.encode(TEXTS), other.encode(TEXTS)
    assert vecs.dtype == np.float32 and vecs.shape == ref.shape
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert (ref * vecs).sum(axis=1).min() >= min_cosine
    assert float(other.encode_query(TEXTS[1]) @ vecs[1]) >= 0.9999
    assert [other.count_tokens(t) for t in TEXTS] == [torch_embedder.count_tokens(t) for t in TEXTS]
    assert other.max_seq_length == torch_embedder.max_seq_length
    assert other.weights_sha256 == torch_embedder.weights_sha256 and other.file_sha256 != other.weights_sha256


def test_an_int8_vector_does_not_depend_on_the_texts_beside_it():
    """int8 scales a run's activations together: run in batches, a passage's vector moved
    with its batch-mates (cosine 0.993 to itself alone) and was not its text's query vector."""
    int8 = get_embedder(MODEL, "onnx-int8")
    together = int8.encode(TEXTS)
    assert int8.runs == "one text a run" and get_embedder(MODEL, "onnx").runs == "batches"
    for text, vector in zip(TEXTS, together):
        assert np.allclose(int8.encode([text])[0], vector, atol=1e-6)
        assert np.allclose(int8.encode_query(text), vector, atol=1e-6)


@pytest.fixture
def model_copy(tmp_path, monkeypatch):
    """A private copy of the shipped model with its ONNX export, served under its name."""
    folder = tmp_path / "model"
    shutil.copytree(embedding.SHIPPED_NAMES[MODEL], folder)
    monkeypatch.setitem(embedding.SHIPPED_NAMES, MODEL, folder)
    return folder


def _load(backend="onnx-int8"):
    return load_embedder(MODEL, backend)


def test_a_missing_onnx_file_is_named_with_the_export_command(model_copy):
    file = model_copy / _load().file
    file.unlink()
    with pytest.raises(ModelError) as err:
        _load()
    assert str(file) in str(err.value) and "python -m retriever.export --model pdq-minilm-l6" in str(err.value)


def test_a_damaged_onnx_file_is_named_with_the_export_command(model_copy):
    file = model_copy / _load().file
    file.write_bytes(file.read_bytes()[:1000])
    with pytest.raises(ModelError, match="damaged") as err:
        _load()
    assert str(file) in str(err.value) and "python -m retriever.export" in str(err.value)


def test_an_export_of_other_weights_is_refused(model_copy):
    info_path = model_copy / ONNX_DIR / EXPORT_INFO
    info = json.loads(info_path.read_text())
    info["weights_sha256"] = "0" * 64
    info_path.write_text(json.dumps(info))
    with pytest.raises(ModelError, match="exported from other weights") as err:
        _load("onnx")
    assert "the weights file is damaged: restore it" in str(err.value)  # the other cause, and its fix


def test_a_missing_tokenizer_is_named_and_restored_not_exported(model_copy):
    """The export does not make it: the message said to rerun the export."""
    (model_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError) as err:
        _load()
    assert f"cannot read {model_copy / 'tokenizer.json'}" in str(err.value) and "restore it" in str(err.value)
    assert "retriever.export" not in str(err.value)


def test_a_cpu_without_an_int8_target_falls_back_to_torch_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(onnx_backend, "cpu_targets", lambda: [])
    with caplog.at_level(logging.WARNING):
        fallback = load_embedder(MODEL, "onnx-int8", "avx512_vnni")
    assert fallback.backend == "torch"
    assert "no int8 target" in caplog.text and "torch backend" in caplog.text


def test_an_explicit_int8_target_is_honoured_when_the_cpu_runs_it(monkeypatch, caplog):
    monkeypatch.setattr(onnx_backend, "cpu_targets", lambda: ["avx512_vnni", "avx2"])
    assert onnx_backend.onnx_file("onnx-int8", "avx2") == "onnx/model_qint8_avx2.onnx"
    assert onnx_backend.onnx_file("onnx-int8", "auto") == "onnx/model_qint8_avx512_vnni.onnx"
    monkeypatch.setattr(onnx_backend, "cpu_targets", lambda: ["avx2"])
    with caplog.at_level(logging.WARNING):
        assert onnx_backend.onnx_file("onnx-int8", "avx512_vnni") == "onnx/model_qint8_avx2.onnx"
    assert "'avx512_vnni' is not supported by this CPU; using 'avx2'" in caplog.text


def test_an_unknown_backend_is_named():
    with pytest.raises(ModelError, match="backend 'tpu' is unknown"):
        load_embedder(MODEL, "tpu")


def test_the_export_set_up_runs_names_a_bad_setting_in_one_line(monkeypatch, capsys):
    """``scripts/setup.sh`` runs the export before the service starts: a bad ``PDQ_*``
    variable printed pydantic's traceback there instead of the service's one-line error."""
    from retriever import export

    monkeypatch.setenv("PDQ_PORT", "99999")
    assert export.main(["--if-missing"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid setting: PDQ_PORT='99999'") and "Traceback" not in err


def test_a_search_encoder_leaves_a_core_to_plan_on_and_gives_the_same_vectors(monkeypatch):
    """A searching process's encoder takes its share of the cores less one
    (`embedding.search_threads`); one thread fewer changes no vector, bit for bit, and a
    question tokenized alone (`Tokenizer.encode`) gets its vector in a batch of one."""
    monkeypatch.setattr(embedding, "_threads", 2)
    assert (embedding.cpu_share(), embedding.search_threads()) == (2, 1)
    monkeypatch.setattr(embedding, "_threads", 0)  # no worker share: the CPUs this process may run on
    monkeypatch.setattr(embedding, "available_cpus", lambda: 6)
    assert (embedding.cpu_share(), embedding.search_threads()) == (6, 5)
    monkeypatch.setattr(embedding, "available_cpus", lambda: 1)
    assert embedding.search_threads() == 1
    one = get_embedder(MODEL, "onnx-int8", "auto", 1)
    assert one.threads == 1 and one._session.get_session_options().intra_op_num_threads == 1
    every = get_embedder(MODEL, "onnx-int8", "auto", 0)
    assert every is not one and every is get_embedder(MODEL, "onnx-int8")  # the default's copy, shared
    for text in TEXTS + [" ".join(TEXTS * 20)]:  # the last one cut to the model's length
        assert np.array_equal(one.encode_query(text), every.encode_query(text))
        assert np.array_equal(one.encode_query(text), every._encode_batch([text])[0])  # tokenized one way
