"""`ingest.links`: the pages a document links to by name, which its passages' text keeps
without their addresses."""

import json

import pytest

from ingest.links import named_pages
from ingest.parsing import markdown_tokens

URL = "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/gi-neuroendocrine-treatment-pdq"


def test_a_site_path_is_read_against_the_document_s_address_and_pop_ups_and_images_are_not_pages():
    body = ("See the following:\n\n- [Childhood GI Tumors\n  Treatment](/types/gi/patient/child-pdq)\n"
            "A [tumor](/Common/PopUps/popDefinition.aspx?id=46634&version=patient) forms. "
            "[Enlarge](https://nci-media.cancer.gov/pdq/media/images/1.jpg) "
            "[Childhood GI Tumors Treatment](/types/other) [NCI](https://www.cancer.gov/) "
            "[trials](https://www.cancer.gov/research/participate/clinical-trials-search)")
    assert named_pages(markdown_tokens(body), URL) == {
        "Childhood GI Tumors Treatment": "https://www.cancer.gov/types/gi/patient/child-pdq",  # the first of a text
        "trials": "https://www.cancer.gov/research/participate/clinical-trials-search"}


def test_links_are_read_as_markdown_reads_them():
    """A review: a title after the address (every absolute link of the seed), brackets in the
    text, a reference, parentheses in the address and emphasis were missed or mangled, and an
    image and a scheme-relative address taken for pages."""
    body = ('[Titled](https://www.cancer.gov/a "A title") [Childhood [MEN] Syndromes](/types/men) '
            "![an image](/images/x.jpg) [Wiki](https://en.wikipedia.org/wiki/C_(d)) [Ref][1] "
            "[Elsewhere](//host/x) [**Bold** words](/types/b)\n\n[1]: /types/ref\n")
    assert named_pages(markdown_tokens(body), URL) == {
        "Titled": "https://www.cancer.gov/a", "Childhood [MEN] Syndromes": "https://www.cancer.gov/types/men",
        "Wiki": "https://en.wikipedia.org/wiki/C_(d)", "Ref": "https://www.cancer.gov/types/ref",
        "Bold words": "https://www.cancer.gov/types/b"}


def test_a_path_of_a_document_without_a_web_address_names_no_page():
    assert named_pages(markdown_tokens("[Other](/types/other) [Web](https://example.org/page)"), "") == {
        "Web": "https://example.org/page"}


@pytest.mark.model
def test_the_seed_index_keeps_the_childhood_summary_s_address(seed_index):
    [entry] = json.loads((seed_index / "manifest.json").read_text(encoding="utf-8"))["documents"].values()
    assert entry["links"]["Childhood Gastrointestinal Neuroendocrine Tumors Treatment"] == \
        "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/child-gi-neuroendocrine-treatment-pdq"


@pytest.mark.model
def test_a_manifest_read_with_fields_a_later_release_added_loads(seed_index, tmp_path):
    """A review: an index made by this release failed to load in the one before it, "lacks a
    field (unexpected keyword argument 'links')", for a field it has too many of."""
    import shutil

    from retriever.store import Manifest

    copy = tmp_path / "index"
    shutil.copytree(seed_index.resolve(), copy)
    raw = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    for entry in raw["documents"].values():
        entry["added_later"] = 1
    (copy / "manifest.json").write_text(json.dumps(raw), encoding="utf-8")
    [entry] = Manifest.read(copy).documents.values()
    assert entry.links and not hasattr(entry, "added_later")
