"""The checks a model ships beside its weights, read in one place (`retriever.shipped`): a
damaged or mismatched one stops loading, named with its fix, unless its setting is off."""

import json
import shutil

import pytest

from retriever.embedding import ModelError

# folder, record, the command that rebuilds it, the setting that serves without it, the retriever's attribute
CHECKS = [
    ("domain", "domain.json", "training domain", "domain_check", "domain"),
    ("answerable", "answerable.json", "training answerable", "answer_check", "answer_check"),
    ("crisis", "crisis.json", "training crisis", "crisis_check", "crisis"),
    ("passing", "passing.json", "training passing", "passing_check", "passing"),
    ("animals", "animals.json", "training animals", "animal_check", "animals"),
]


@pytest.mark.parametrize("folder, record_name, command, setting, attribute", CHECKS)
def test_a_damaged_check_stops_loading_unless_it_is_off_and_one_of_another_model_is_refused(
        tmp_path, monkeypatch, seed_index, embedder, folder, record_name, command, setting, attribute):
    from retriever import embedding
    from retriever.search import Retriever
    from retriever.settings import Settings

    model = tmp_path / "model"
    shutil.copytree(embedding.SHIPPED_NAMES["pdq-minilm-l6"], model)
    monkeypatch.setitem(embedding.SHIPPED_NAMES, "pdq-minilm-l6", model)
    record = model / folder / record_name
    shipped = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**shipped, "model_sha256": "0" * 64}), encoding="utf-8")
    with pytest.raises(ModelError, match=f"fitted on the vectors of model weights 000000000000.*{command}"):
        Retriever.load(seed_index, Settings(), embedder=embedder)
    record.write_text("{cut", encoding="utf-8")
    switch = "PDQ_" + setting.upper() + "=false"
    with pytest.raises(ModelError, match=rf"{record_name}: not an? [\w-]+ check record.*{switch}"):
        Retriever.load(seed_index, Settings(), embedder=embedder)
    off = Retriever.load(seed_index, Settings(**{setting: False}), embedder=embedder)  # served without it
    assert getattr(off, attribute) is None and off.search("what is a carcinoid tumor").hits
