"""Shared fixtures: one embedding model and one seed index per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_DOC = next(SEEDS.glob("*.md"))


@pytest.fixture(scope="session")
def settings():
    from retriever.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def embedder(settings):
    from retriever.embedding import get_embedder

    return get_embedder(settings.model, settings.backend, settings.onnx_target)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, settings, embedder) -> Path:
    """The bundled seeds, ingested once; tests must not modify it (copy it first)."""
    from ingest.indexing import build_index

    index_dir = tmp_path_factory.mktemp("seed") / "index"
    build_index(SEEDS, index_dir, settings, embedder=embedder, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def seed_retriever(seed_index, settings, embedder):
    from retriever.search import Retriever

    return Retriever.load(seed_index, settings, embedder=embedder)


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private copy of the seeds folder that a test may edit."""
    dst = tmp_path / "docs"
    shutil.copytree(SEEDS, dst)
    return dst
