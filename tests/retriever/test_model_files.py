"""The shipped model: its files, its hash in the manifest, its abstention calibration."""

from __future__ import annotations

import json
import shutil

import pytest

from retriever import embedding, store
from retriever.abstain import FEATURES, Evidence
from retriever.calibration import FILE, Calibration, CalibrationError
from retriever.embedding import ModelError, weights_hash
from retriever.search import Retriever


def _evidence(cos: float, missing: int = 0) -> Evidence:
    return Evidence(cos, missing, False, False, False, False, 1.0)


def test_calibration_round_trips_and_is_monotonic_in_the_cosine(tmp_path):
    cal = Calibration(FEATURES, (8.0, -2.0, -2.0, -2.0, -2.0, 1.0, 1.0), -4.0, 0.3)
    (tmp_path / FILE).write_text(cal.to_json(), encoding="utf-8")
    again = Calibration.load(tmp_path)
    assert again == cal
    assert again.confidence(_evidence(0.7)) > again.confidence(_evidence(0.4))
    assert again.confidence(_evidence(0.7, missing=1)) < again.confidence(_evidence(0.7))


def test_a_model_without_calibration_has_none(tmp_path):
    assert Calibration.load(tmp_path) is None


@pytest.mark.parametrize("content, problem", [("{", "not an abstention calibration"),
                                              (json.dumps({"features": ["x"], "weights": [1],
                                                           "bias": 0, "threshold": 0.5}),
                                               "fitted on features")])
def test_a_damaged_calibration_names_the_file_and_the_fix(tmp_path, content, problem):
    (tmp_path / FILE).write_text(content, encoding="utf-8")
    with pytest.raises(CalibrationError, match=problem) as err:
        Calibration.load(tmp_path)
    assert str(tmp_path / FILE) in str(err.value) and "python -m training calibrate" in str(err.value)


def test_missing_shipped_weights_stop_start_up_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setitem(embedding.SHIPPED_NAMES, "pdq-minilm-l6", tmp_path / "gone")
    with pytest.raises(ModelError) as err:
        embedding.load_embedder("pdq-minilm-l6", "torch")
    assert str(tmp_path / "gone" / "model.safetensors") in str(err.value)
    assert embedding.REBUILD_MODEL in str(err.value)


def test_corrupt_shipped_weights_stop_start_up(tmp_path, monkeypatch):
    folder = tmp_path / "m"
    shutil.copytree(embedding.SHIPPED_NAMES["pdq-minilm-l6"], folder)
    (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    monkeypatch.setitem(embedding.SHIPPED_NAMES, "pdq-minilm-l6", folder)
    with pytest.raises(ModelError, match="cannot load embedding model 'pdq-minilm-l6'"):
        embedding.load_embedder("pdq-minilm-l6", "torch")


def test_weights_hash_of_a_hub_name_is_empty():
    assert weights_hash("some/hub-model", "some/hub-model") == ""


@pytest.mark.model
def test_manifest_records_the_weights_and_other_weights_are_refused(seed_index, settings, embedder,
                                                                    tmp_path):
    manifest = json.loads((seed_index / store.MANIFEST).read_text())
    assert manifest["model"] == settings.model
    assert manifest["model_sha256"] == embedder.weights_sha256 != ""
    copy = tmp_path / "index"
    shutil.copytree(seed_index.resolve(), copy)
    manifest["model_sha256"] = "0" * 64
    (copy / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(store.IndexLoadError, match="other weights") as err:
        Retriever.load(copy, settings, embedder=embedder)
    assert "python -m ingest" in str(err.value)


@pytest.mark.model
def test_an_index_of_another_backend_is_refused_with_both_fixes(seed_index, settings, embedder, tmp_path):
    """The message read "set PDQ_BACKEND=torch, or; rebuild it with: ..."."""
    manifest = json.loads((seed_index / store.MANIFEST).read_text())
    copy = tmp_path / "index"
    shutil.copytree(seed_index.resolve(), copy)
    other = "torch" if embedder.backend != "torch" else "onnx-int8"
    manifest["backend"] = other
    (copy / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(store.IndexLoadError) as err:
        Retriever.load(copy, settings, embedder=embedder)
    message = str(err.value)
    assert f"embedded by the {other} backend" in message and ", or;" not in message
    assert f"to serve it as it is, set PDQ_BACKEND={other}; rebuild it with: python -m ingest" in message


@pytest.mark.parametrize("in_index", [True, False])
def test_an_unreadable_file_is_named_not_a_traceback(seed_index, settings, monkeypatch, tmp_path, in_index):
    """A bad-input review: an unreadable chunks.jsonl or model file gave a PermissionError traceback."""
    import retriever.search as search

    path = seed_index / "chunks.jsonl" if in_index else tmp_path / "model" / "threshold.json"

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(search, "read_index", unreadable)
    with pytest.raises(store.IndexLoadError if in_index else ModelError) as err:
        Retriever.load(seed_index, settings)
    assert f"{path} cannot be read (Permission denied)" in str(err.value)
