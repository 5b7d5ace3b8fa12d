"""The suite's own wiring: which tests count as loading the model, and the summaries tests write."""

from __future__ import annotations

import pytest

from ingest.loading import parse_document
from tests.conftest import MODEL_FIXTURES, pytest_collection_modifyitems, summary_page


class _Item:
    """As much of a collected test as the hook reads."""

    def __init__(self, *fixturenames: str):
        self.fixturenames = fixturenames
        self.markers: list[pytest.MarkDecorator] = []

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.markers.append(marker)


def test_a_test_using_a_model_fixture_is_marked_model_and_others_are_not():
    searching, plain = _Item("tmp_path", "seed_retriever"), _Item("tmp_path", "seed_copy")
    pytest_collection_modifyitems([searching, plain])
    assert [m.name for m in searching.markers] == ["model"]
    assert plain.markers == []


def test_no_collected_test_using_a_model_fixture_is_left_unmarked(request):
    """Over the whole suite when it runs whole; a test loading a model another way carries the marker itself."""
    unmarked = [item.nodeid for item in request.session.items
                if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("model") is None]
    assert unmarked == []


@pytest.mark.parametrize("title", ["Stages: What They Mean", "Étapes – ce qu'elles veulent dire 🙂"])
def test_a_written_summary_reads_back_with_its_title_and_url_whole(title):
    page = summary_page(title, "https://example.org/stages?part=2", "Some text.\n")
    doc = parse_document(page.encode(), "stages.md")
    assert (doc.title, doc.url) == (title, "https://example.org/stages?part=2")
