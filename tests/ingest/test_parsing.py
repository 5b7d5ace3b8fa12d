import frontmatter
import pytest

from ingest.parsing import markdown_tokens, parse_sections, render_inline, too_deep
from tests.conftest import SEED_DOC

SEED_BODY = frontmatter.loads(SEED_DOC.read_text(encoding="utf-8")).content


def _sections():
    return parse_sections(SEED_BODY)


def test_seed_named_sections_with_full_heading_paths():
    by_section = {s.section: s for s in _sections()}
    for name in ["Treatment of Neuroendocrine Tumors in the Appendix", "Hormone therapy", "About PDQ",
                 "Carcinoid syndrome may occur if the tumor spreads to the liver or other parts of the body."]:
        assert name in by_section, name
    hormone = by_section["Hormone therapy"]
    assert hormone.heading_path[1:] == ["Treatment Option Overview", "The following types of treatment are used:",
                                        "Hormone therapy"]
    assert hormone.heading_path[0].startswith("Gastrointestinal Neuroendocrine Tumors Treatment (PDQ")


def test_bold_lines_open_sub_sections_but_keep_the_markdown_section():
    paths = {tuple(s.heading_path[-2:]): s for s in _sections()}
    liver = paths[("Treatment of Metastatic Gastrointestinal Neuroendocrine Tumors", "Liver metastases")]
    assert liver.section == "Treatment of Metastatic Gastrointestinal Neuroendocrine Tumors"
    rectum = [s for s in _sections() if s.heading_path[-1] == "Rectum"][0]
    assert rectum.section.startswith("Some GI neuroendocrine tumors have no signs")
    assert "Blood in the stool." in "\n".join(rectum.blocks)
    # the bold label itself is a heading, not passage text
    assert all("**" not in b for s in _sections() for b in s.blocks)


def test_links_images_enlarge_and_professional_version_line_are_cleaned():
    text = "\n".join(b for s in _sections() for b in s.blocks)
    assert "](" not in text and "![" not in text and "Enlarge" not in text
    assert "Go to Health Professional Version" not in text
    assert "popDefinition" not in text
    assert "The gastrointestinal (GI) tract is part of the body's digestive system" in text


def test_lists_stay_lists():
    risk = [s for s in _sections() if s.section.startswith("Health history")][0]
    lines = "\n".join(risk.blocks).splitlines()
    assert any(ln.startswith("- Having a family history of multiple endocrine neoplasia") for ln in lines)


def test_bold_list_item_inside_a_longer_list_starts_a_sub_section():
    body = "# T\n\n## S\n\nIntro:\n\n- one\n- two\n- **Label**\n\nAfter label.\n"
    secs = parse_sections(body)
    assert [s.heading_path for s in secs] == [["T", "S"], ["T", "S", "Label"]]
    assert secs[0].blocks == ["Intro:", "- one\n- two"]
    assert secs[1].blocks == ["After label."]
    assert secs[1].section == "S"


def test_nested_and_ordered_lists_and_tables():
    body = "# T\n\n1. first\n2. second\n   - inner\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    blocks = parse_sections(body)[0].blocks
    assert blocks[0] == "1. first\n2. second\n  - inner"
    assert blocks[1] == "a | b\n1 | 2"


def test_inline_rendering_keeps_link_text_drops_images():
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse('See [the tract](/x "t") ![img](/i.png) and `code`.')
    assert render_inline(tokens[1]) == "See the tract and code."


def test_text_before_first_heading_and_empty_sections():
    secs = parse_sections("Lead text.\n\n# A\n\n# B\n\nBody.\n")
    assert [(s.heading_path, s.blocks) for s in secs] == [([], ["Lead text."]), (["B"], ["Body."])]


def _nested_list(depth: int) -> str:
    return "# T\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(depth)) + "\nAfter the list.\n"


def _nested_quote(depth: int) -> str:
    return "# T\n\nIntro.\n\n" + "> " * depth + "Deep text.\n\nAfter the quote.\n"


@pytest.mark.parametrize("body, line", [
    (_nested_list(9), None), (_nested_list(10), 12), (_nested_list(14), 12),
    (_nested_quote(19), None), (_nested_quote(20), 5),
])
def test_too_deep_names_the_line_where_the_reader_stops(body, line):
    assert too_deep(markdown_tokens(body)) == line


@pytest.mark.parametrize("body, last", [(_nested_list(9), "item8"), (_nested_quote(19), "Deep text.")])
def test_nesting_short_of_the_limit_loses_nothing(body, last):
    text = "\n".join(b for s in parse_sections(body) for b in s.blocks)
    assert last in text and text.endswith("After the " + ("list." if "item" in last else "quote."))


def test_nesting_at_the_limit_drops_the_rest_which_is_why_it_is_refused():
    """markdown-it stops reading: the text after the deep item is in no section."""
    text = "\n".join(b for s in parse_sections(_nested_list(10)) for b in s.blocks)
    assert "item8" in text and "item9" not in text and "After the list." not in text


def test_raw_html_keeps_its_words_and_its_breaks():
    """An operator's trial: HTML blocks were in no passage, and "<br>" joined two sentences."""
    body = ("# T\n\n<p>The ward phone is 0100 555 0111.</p>\n\n"
            "<details><summary>Parking</summary>Blue badge holders park free &amp; near.</details>\n\n"
            "<!-- a note to editors -->\n\n<script>var x = 1;</script>\n\n"
            "Visiting ends at four.<br>Children under twelve <b>must</b> come with an adult.\n\n"
            "<p>Drink H<sub>2</sub>O; don<b>&rsquo;</b>t skip meals.</p>\n\n"
            "<dl><dt>Parking</dt><dd>Free<img src='x.png'>all day.</dd></dl>\n\n"
            "- Bring your card\n\n  <div>Ward 4 is on the left.</div>\n\n- Bring a snack\n")
    assert parse_sections(body)[0].blocks == [
        "The ward phone is 0100 555 0111.", "Parking Blue badge holders park free & near.",
        "Visiting ends at four. Children under twelve must come with an adult.",
        "Drink H2O; don\u2019t skip meals.",  # a tag inside a word leaves it whole, as markdown's inline HTML
        "Parking Free all day.",  # any tag but those of a line's run (<b>, <sub>) breaks it
        "- Bring your card Ward 4 is on the left.\n- Bring a snack"]
