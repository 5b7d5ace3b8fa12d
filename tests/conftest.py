"""Shared fixtures: one embedding model and one seed index per test session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_DOC = next(SEEDS.glob("*.md"))
# The fixtures that load the embedding model: a test using one is marked `model` whether or
# not it says so, so that ``-m "not model"`` selects the tests that run without it. A test that
# loads a model otherwise (its own fixture, an ingest it runs) says so with the marker.
MODEL_FIXTURES = frozenset({"embedder", "seed_index", "seed_retriever", "seed_with"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


def headings_and_text(doc: Path) -> tuple[set[str], str]:
    """A summary's markdown headings (not bold pseudo-headings) and its folded plain text,
    as a question set's ``sections`` and ``evidence`` must match them."""
    from eval.questionset import norm
    from ingest.loading import parse_document
    from ingest.parsing import parse_sections

    sections = parse_sections(parse_document(doc.read_bytes(), doc.name).body)
    headings = {h for s in sections for h in s.heading_path} - {s.heading_path[-1] for s in sections
                                                                 if s.heading_path and s.section != s.heading_path[-1]}
    return headings, norm(" ".join(b for s in sections for b in s.blocks))


def question_files(source: Path, names: list[str], into: Path) -> None:
    """Each named ``<doc_id>.jsonl`` copied from ``source`` into ``into``, or written empty where
    ``source`` has none: a fit's command is given a folder of them to refuse."""
    for name in names:
        file = source / f"{name}.jsonl"
        if file.exists():
            shutil.copy(file, into / file.name)
        else:
            (into / file.name).write_text("", encoding="utf-8")


def summary_page(title: str, url: str, body: str, tags: tuple[str, ...] = ("cancer-type",)) -> str:
    """A summary's markdown as the corpus's pages come: front matter (title, url, ``tags``; none for a
    page filed under no tag) and ``body`` under the title's heading."""
    tagged = "tags:\n" + "".join(f"- {t}\n" for t in tags) if tags else ""
    # quoted as JSON, which YAML reads as its own double-quoted string: a title may hold ": "
    # (not escaped to ASCII: YAML refuses the two halves of an escaped emoji)
    def quote(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)
    return f"---\ntitle: {quote(title)}\nurl: {quote(url)}\n{tagged}---\n# {title}\n\n{body}"


def section_texts(doc: Path) -> dict[str, str]:
    """Each deepest section of a summary (as a question set's ``sections`` names it) and its
    folded plain text, every passage of it together."""
    from eval.questionset import norm
    from ingest.loading import parse_document
    from ingest.parsing import parse_sections

    texts: dict[str, list[str]] = {}
    for s in parse_sections(parse_document(doc.read_bytes(), doc.name).body):
        texts.setdefault(s.section, []).append(norm(" ".join(s.blocks)))
    return {section: " | ".join(parts) for section, parts in texts.items()}


@pytest.fixture(scope="session")
def settings():
    from retriever.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def embedder(settings):
    from retriever.embedding import get_embedder, search_threads

    # the encoder a searching process gets, so that the suite's searches plan beside it
    return get_embedder(settings.model, settings.backend, settings.onnx_target, search_threads())


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


@pytest.fixture
def seed_with(seed_copy, tmp_path, settings, embedder):
    """``seed_with(name=markdown, ...)``: a retriever over the seeds and these summaries (``name.md``,
    `summary_page`), ingested into a private index, for what a summary beside the seed changes."""
    def build(**summaries: str):
        from ingest.indexing import build_index
        from retriever.search import Retriever

        for name, text in summaries.items():
            (seed_copy / f"{name}.md").write_text(text, encoding="utf-8")
        build_index(seed_copy, tmp_path / "index", settings, embedder=embedder, progress=False)
        return Retriever.load(tmp_path / "index", settings, embedder=embedder)

    return build
