"""Text-fragment links: each passage's link must match once in its page, at the passage.

The check has its own matcher for the URL Fragment Text Directives syntax
(``[prefix-,]textStart[,textEnd][,-suffix]``: case-insensitive, whole words, a term inside
one block) and runs it on the seed summary's text rendered from its markdown (every
heading and paragraph, repeats included, list markers gone), not on the chunks the links
were built from.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from ingest.loading import parse_document
from ingest.parsing import parse_sections
from retriever.citation import DocumentText, continuations, document_links, fragment, text_blocks
from retriever.models import Chunk
from tests.conftest import SEED_DOC

MARKER = re.compile(r"^\s*(?:-|\d+\.)\s+")


def page_blocks(markdown_file) -> list[str]:
    """The summary's visible text, one block per heading, paragraph, list item or cell."""
    doc = parse_document(markdown_file.read_bytes(), markdown_file.name)
    blocks: list[str] = []
    previous: list[str] = []
    for sec in parse_sections(doc.body):
        same = 0
        while same < min(len(previous), len(sec.heading_path)) and previous[same] == sec.heading_path[same]:
            same += 1
        blocks += sec.heading_path[same:]
        previous = sec.heading_path
        for block in sec.blocks:
            for line in block.splitlines():
                blocks += [" ".join(MARKER.sub("", cell).split()) for cell in line.split(" | ") if cell.strip()]
    return blocks


def _word(term: str) -> str:
    return r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)"


def directive_matches(directive: str, page: str) -> list[tuple[int, int]]:
    """Every range of ``page`` (blocks joined by newlines) the text directive matches."""
    parts = [unquote(p) for p in directive.split(",")]
    prefix = parts.pop(0)[:-1] if parts[0].endswith("-") else None
    suffix = parts.pop()[1:] if parts[-1].startswith("-") else None
    start, end = parts[0], parts[1] if len(parts) > 1 else None
    text = page.lower()
    found = []
    for m in re.finditer(_word(start), text):
        if prefix is not None and not re.search(_word(prefix) + r"\s*$", text[:m.start()]):
            continue
        stop = m.end()
        if end is not None:
            e = re.compile(_word(end)).search(text, m.end())
            if not e:
                continue
            stop = e.end()
        if suffix is not None and not re.match(r"\s*" + _word(suffix), text[stop:]):
            continue
        found.append((m.start(), stop))
    return found


def test_matcher_follows_the_spec_syntax():
    page = "Surgery\nSurgery (resection) to remove it.\nRectum\nSurgery (resection) to remove it, or more."
    assert len(directive_matches("Surgery", page)) == 3
    assert directive_matches("Rectum-,Surgery", page) == [(page.index("Surgery (resection) to remove it,"),
                                                           page.index("Surgery (resection) to remove it,") + 7)]
    assert directive_matches("surgery%20%28resection%29,more.", page)[0][1] == len(page)
    assert directive_matches("Surgery,-%28resection%29", page)[0][0] == page.index("Surgery (")
    assert directive_matches("Surg", page) == []  # whole words only


@pytest.mark.model
def test_every_seed_passage_link_matches_once_at_the_passage(seed_retriever):
    blocks = page_blocks(SEED_DOC)
    page = "\n".join(blocks)
    unique = 0
    for chunk in seed_retriever.chunks:
        link = seed_retriever.links[chunk.id]
        assert link.startswith(chunk.url + "#:~:text="), link
        passage = "\n".join(text_blocks(chunk.text))
        at = page.find(passage)
        assert at >= 0, chunk.id
        matches = directive_matches(link.split("#:~:text=", 1)[1], page)
        start, stop = matches[0]  # a browser goes to the first match
        assert at <= start < at + len(passage) and stop <= at + len(passage), (chunk.id, link)
        if "\n" in passage:  # a passage of several lines is marked to its last word
            assert stop == at + len(passage), (chunk.id, link)
        # A paragraph the summary repeats word for word ("For information about the
        # treatments listed below ...", 7 times) is indexed where it first stands and
        # matches at each copy; every other passage's link matches once.
        opening = passage.split("\n", 1)[0]
        if page.count(opening) == 1:
            assert len(matches) == 1, (chunk.id, link, matches)
            unique += 1
    assert unique >= 0.9 * len(seed_retriever.chunks)  # the exact-once check did run
    hit = seed_retriever.search("blood in the stool", k=1).hits[0]
    assert hit.link == seed_retriever.links[hit.chunk.id]


def _chunk(n: int, text: str, path: list[str]) -> Chunk:
    return Chunk(id=f"d#{n}", doc_id="d", source="d.md", title="T", url="https://x.org/p#top",
                 heading_path=path, section=path[-1], text=text)


def test_repeated_opening_words_get_a_prefix_or_longer_start():
    chunks = [_chunk(0, "- Surgery (resection) to remove the tumor.\n- Chemotherapy.", ["T", "Stomach"]),
              _chunk(1, "- Surgery (resection) to remove the tumor.\n- Hormone therapy.", ["T", "Colon"]),
              _chunk(2, "- Surgery (resection) to remove the tumor and nearby lymph nodes.", ["T", "Rectum"])]
    links = document_links(chunks)
    page = "\n".join(["T", "Stomach", "Surgery (resection) to remove the tumor.", "Chemotherapy.", "Colon",
                      "Surgery (resection) to remove the tumor.", "Hormone therapy.", "Rectum",
                      "Surgery (resection) to remove the tumor and nearby lymph nodes."])
    for chunk, heading in zip(chunks, ["Stomach", "Colon", "Rectum"]):
        directive = links[chunk.id].split("#:~:text=", 1)[1]
        assert links[chunk.id].startswith("https://x.org/p#:~:text=")
        matches = directive_matches(directive, page)
        assert len(matches) == 1, directive
        assert matches[0][0] == page.index(heading) + len(heading) + 1
    assert links["d#1"].split("=", 1)[1].startswith("Colon-,")


def test_a_last_item_closing_like_an_earlier_one_still_ends_the_mark():
    """The seed's rectum treatment passage ends on "Surgery (resection) to remove the anus,
    the rectum, and part of the colon through an incision made in the abdomen.", whose last
    16 words close an earlier item too: an end of at most 12 words stopped the mark at that
    earlier item, so the link had no end and a browser marked the opening line only."""
    closing = "the anus, the rectum, and part of the colon through an incision made in the abdomen."
    text = (f"Treatment may include:\n\n- surgery to remove {closing}\n\nOr, for larger tumors:\n\n"
            f"- Surgery (resection) to remove {closing}")
    chunk = _chunk(0, text, ["T", "Rectum"])
    page = "\n".join(["T", "Rectum", *text_blocks(text)])
    matches = directive_matches(document_links([chunk])[chunk.id].split("#:~:text=", 1)[1], page)
    assert matches == [(page.index("Treatment may include:"), len(page))]


def test_a_first_line_opening_like_another_for_many_words_still_starts_the_mark_at_it():
    """The late-effects summary opens several list items with "Blood chemistry studies use a
    blood sample to check the amounts of certain substances released ...". A start of at most
    12 words was not unique, so the link took the line before as a prefix; but the index
    drops a paragraph the summary repeats, and on the page that repeat ("Talk to the doctor
    ...") stands before the item, so the link matched nowhere."""
    same = "Blood chemistry studies use a blood sample to check the amounts of certain substances released"
    repeat = "Talk to the doctor about whether tests are needed."
    chunks = [_chunk(0, f"{repeat}\n\n- {same} by the liver.", ["T", "Liver"]),
              _chunk(1, f"- {same} by the thyroid.", ["T", "Thyroid"])]  # the repeat, dropped
    page = "\n".join(["T", "Liver", repeat, f"{same} by the liver.", "Thyroid", repeat, f"{same} by the thyroid."])
    thyroid = page.index(f"{same} by the thyroid.")
    directive = document_links(chunks)[chunks[1].id].split("#:~:text=", 1)[1]
    assert directive_matches(directive, page) == [(thyroid, len(page))], unquote(directive)


def test_a_passage_whose_opening_line_stands_word_for_word_elsewhere_is_still_found_and_marked():
    """Stage passages open alike ("In stage III, one of the following is true:") under
    headings alike ("Stage III" for adults and for children), so neither an opening term
    nor a prefix is unique. Such a link was the opening words alone: a browser went to
    their first match, another section's passage, or marked the opening line only."""
    same = "In stage III, one of the following is true:"
    chunks = [_chunk(0, f"- {same}\n- the cancer is in the lung.", ["T", "Adults", "Stage III"]),
              _chunk(1, f"- {same}\n- the cancer is in the liver.\n- it is in a bone.", ["T", "Children", "Stage III"])]
    page = "\n".join(["T", "Adults", "Stage III", *text_blocks(chunks[0].text),
                      "Children", "Stage III", *text_blocks(chunks[1].text)])
    links = document_links(chunks)
    for chunk in chunks:
        passage = "\n".join(text_blocks(chunk.text))
        directive = links[chunk.id].split("#:~:text=", 1)[1]
        start, stop = directive_matches(directive, page)[0]  # where a browser goes
        assert page.index(passage) <= start and stop == page.index(passage) + len(passage), unquote(directive)
    assert unquote(links["d#0"]).split("=", 1)[1].startswith("In stage III, one")  # the first copy: its opening
    assert "liver" in unquote(links["d#1"]).split(",")[0]  # the second: from its own next line


def test_a_template_blank_the_live_page_fills_in_stays_out_of_the_link():
    """Every summary's citation passage reads "Updated <MM/DD/YYYY>. ... Accessed <MM/DD/YYYY>.
    [PMID: ...]", where the live page shows dates: a link ending on the blank matched nowhere
    there, and a browser drops the whole directive (a support-staff trial)."""
    text = ("PDQ Board. PDQ Tumors Treatment. Bethesda, MD: National Cancer Institute. Updated <MM/DD/YYYY>. "
            "Available at: https://www.cancer.gov/x. Accessed <MM/DD/YYYY>. [PMID: 26389212]")
    chunk = _chunk(0, f"Intro line.\n\n{text}", ["T", "Citation"])
    directive = document_links([chunk])[chunk.id].split("#:~:text=", 1)[1]
    assert "MM" not in unquote(directive) and "<" not in unquote(directive)
    page = "\n".join(["T", "Citation", "Intro line.", text.replace("<MM/DD/YYYY>", "06/12/2025")])
    assert len(directive_matches(directive, page)) == 1
    opening = DocumentText(["<MM/DD/YYYY>: updated by the board."])
    assert unquote(fragment(opening, 0, 0)) == "updated by the board."  # a block opening on the blank


def test_special_characters_are_percent_encoded():
    doc = DocumentText(["Well-known, risk & benefit: a b c"])
    directive = fragment(doc, 0, 0)
    assert "-" not in directive.replace("%2D", "") and "&" not in directive
    start, end = directive.split(",")  # the comma inside the start term is encoded
    assert unquote(start) == "Well-known, risk & benefit:" and unquote(end) == "a b c"


def test_a_lead_in_to_sub_sections_says_where_it_continues():
    chunks = [_chunk(0, "Intro. Check with your doctor if you have:", ["D", "Signs"]),
              _chunk(1, "Duodenum signs include:\n\n- pain", ["D", "Signs", "Duodenum"]),
              _chunk(2, "- cramps", ["D", "Signs", "Duodenum"]),
              _chunk(3, "Rectum signs include:\n\n- blood", ["D", "Signs", "Rectum"]),
              _chunk(4, "Treatment depends on:", ["D", "Treatment"]),
              _chunk(5, "Surgery.", ["D", "Other"])]
    # a sibling section is not a continuation; each sub-section links to its first passage
    assert continuations(chunks) == {"d#0": (("Duodenum", "d#1"), ("Rectum", "d#3"))}
