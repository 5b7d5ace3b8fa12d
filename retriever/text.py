"""Text conventions that ingest, retrieval and evaluation must share.

A passage's list items are lines that start with ``- `` or ``1. `` (the parser writes them
that way); sentences are found two ways, for two jobs (`split_sentences` packs prose into
passages, `sentence_spans` gives the offsets that are embedded and highlighted); text is
compared folded (`fold`). Keeping them in one module is what lets the chunker, the
highlighter, the citation link and the question-set checker agree on what a list item,
a sentence and "the same text" are.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

import regex
from rapidfuzz.distance import OSA

# A list item's marker at the start of a line: group 1 its indentation (two spaces a level
# of nesting), group 2 the marker ("-" or "3.").
LIST_MARKER = re.compile(r"^(\s*)(-|\d+\.)\s+")
# A line that is nothing but a marker: an empty list item.
BARE_MARKER = re.compile(r"\s*(-|\d+\.)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)", re.M)
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_PUBLISHER = re.compile(r"\s*-\s*NCI'?\s*$")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Emoji by Unicode's own emoji properties: a character shown as an emoji by default, or a
# symbol asked to be one (U+FE0F), with what builds on it (skin tones, keycaps, tag
# characters, joined emoji); flags; a stray selector or keycap. A symbol shown as text by
# default stays: the "®" of "Herceptin®", "©", "™", "♀"; so does a joiner between letters.
_EMOJI = regex.compile(r"(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f)"
                       r"(?:[\p{Emoji_Modifier}\ufe0e\ufe0f\u20e3\U000E0020-\U000E007F]"
                       r"|\u200d(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f?))*"
                       r"|\p{Regional_Indicator}+|[\ufe0f\u20e3]")
# Invisible format characters (Unicode's Cf): soft hyphens, zero-width spaces and joiners,
# word joiners, byte-order marks, direction marks.
_INVISIBLE = regex.compile(r"\p{Cf}+")


def strip_list_marker(line: str) -> str:
    """``line`` without a leading list marker (and the indentation before it)."""
    return LIST_MARKER.sub("", line, count=1)


def squash(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed: text as a browser lays it out."""
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Whitespace- and case-folded text: two passages are "the same" when these agree."""
    return squash(text).lower()


def iso_date(text: str) -> str:
    """``text`` (stripped) when it is a calendar date written YYYY-MM-DD, else "": the one way
    ingest takes a review date and the service serves one."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        return ""
    try:
        datetime.date.fromisoformat(text)
    except ValueError:  # "2025-13-40"
        return ""
    return text


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def shipped_lines(path) -> list[str]:
    """The entries of a list shipped with the package (`python -m training words` writes them):
    one a line, ``#`` lines and blank lines skipped."""
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line and not line.startswith("#")]


def drop_emoji(text: str) -> str:
    """``text`` with its emoji as spaces. They name nothing a summary says, yet they moved a
    question's embedding enough to answer or refuse it ("my mum has cancer what do we do"
    refused at 0.32, answered at 0.36 with a crying face) or to change its first passage."""
    return text if text.isascii() else _EMOJI.sub(" ", text)


def drop_invisible(text: str) -> str:
    """``text`` without invisible format characters. Text pasted from a web page or a PDF
    carries them inside words: "octr\\u00adeotide" (a soft hyphen) was read as "octr" and
    "eotide" and refused for lacking "eotide", though the encoder's tokenizer drops them
    and embedded it as octreotide. Dropped here too, the words are the ones the encoder reads."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


def strip_accents(text: str) -> str:
    """``text`` with accents dropped ("Sézary" -> "Sezary", "Waldenström" -> "Waldenstrom"):
    readers type names without them, and a word cut at its accented letter matched nothing."""
    if text.isascii():
        return text
    # Combining marks are never ASCII: only the non-ASCII runs are walked letter by letter
    # (a sixth of the time on the corpus's passages that hold one "®" or dash).
    return _NON_ASCII.sub(_unmarked, unicodedata.normalize("NFKD", text))


def _unmarked(run: re.Match) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def straighten_quotes(text: str) -> str:
    """Curly quotes as straight ones (documents use both; readers type straight ones)."""
    return text.translate(_QUOTES)


def split_sentences(text: str) -> list[str]:
    """Sentences of a prose block, for packing a long block into passages.

    A sentence ends at ``.``, ``!`` or ``?`` followed by space and a capital, digit or
    opening quote, so "e.g. the" and "2.5 cm" do not split.
    """
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` offsets of each sentence or list item in ``text``.

    These are embedded one by one at ingest and scored at query time (the best-sentence
    ranking and the highlights). A list item is one span (its marker excluded) even when
    it has several sentences, so a highlight never starts in the middle of an item.
    """
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        marker = LIST_MARKER.match(text[start:end])
        if marker and (start == 0 or text[start - 1] == "\n"):
            start += marker.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 2:
            spans.append((start, end))
    return spans


# What separates the pieces of a word typed apart: spaces, hyphens and dashes ("neuro – endo").
APART = r"[\s\u2010-\u2015-]+"


def replace_word(text: str, wrong: str, right: str, keep_case: bool = False) -> str:
    """``text`` with the whole word ``wrong`` (any case) replaced by ``right``: how a
    corrected spelling is put into the question, for searching and for showing. Shown, it
    keeps the case it was typed in (``keep_case``): "HODGKINS LYMPHOMA" reads "HODGKIN
    LYMPHOMA", not "hodgkin LYMPHOMA"."""
    def cased(match: re.Match) -> str:
        typed = match.group()
        if not keep_case or typed[:1].islower():  # "neuro Endo crine" is read from its first letter
            return right
        return right.upper() if typed.isupper() and len(typed) > 1 else right[:1].upper() + right[1:]
    apart = APART.join(map(re.escape, wrong.split()))  # "neuro endo crine" as "neuro-endo crine" too
    return re.sub(rf"\b{apart}\b", cased, text, flags=re.IGNORECASE)


def short_title(title: str) -> str:
    """A summary's title without the publisher suffix ("Melanoma Treatment - NCI")."""
    return _PUBLISHER.sub("", title).strip()


def embedding_text(heading_path: list[str], text: str, title: str = "") -> str:
    """What a chunk is embedded (and token-counted) as: its breadcrumb, then its text.

    The breadcrumb is the summary's short title, then the headings below the top one (the
    top heading only repeats the title). The headings carry the words a question shares
    with the section ("appendix", "side effects") even when the passage does not repeat
    them. The title is what tells "Stages of melanoma" from "Stages of skin cancer" on a
    many-summary index: with it, the fine-tuned model ranks the right summary first for
    the validation summaries' questions more often (docs/model.md, "What the choices did").
    """
    path = heading_path[1:] if len(heading_path) > 1 else ([] if title else heading_path)
    crumbs = ([short_title(title)] if title else []) + list(path)
    crumb = " > ".join(c for c in crumbs if c)
    return f"{crumb}\n{text}" if crumb else text


def keyword_text(title: str, heading_path: list[str], text: str) -> str:
    """What BM25 indexes for a chunk: the title (the document's identity, which the
    breadcrumb leaves out), then the breadcrumb and the text."""
    return title + "\n" + embedding_text(heading_path, text)


def field_meant(name: str, fields: tuple[str, ...], given: Iterable[str] = ()) -> str | None:
    """The field of ``fields`` that ``name`` is a slip for ("titel", "lastreviewed",
    "last-reviewed", "lastReview", "tag", "Sections", "evidnce"), or None: the same letters in
    another case or with other separators, or one letter off (two from eight letters), its
    length within one (two from eight). Never a field already ``given`` beside it: with
    "lastReviewed" set, "lastReviewer" or "lastReviewedBy" is a field of the writer's own,
    and so is "uid" beside "id"."""
    folded = re.sub(r"[^a-z0-9]", "", name.lower())
    present = {re.sub(r"[^a-z0-9]", "", g.lower()) for g in given if isinstance(g, str) and g != name}
    for field in fields:
        known = field.lower()
        if known in present:
            continue
        off = 1 if len(folded) < 8 else 2
        if folded == known or (len(folded) >= 3 and abs(len(folded) - len(known)) <= off
                               and OSA.distance(folded, known) <= off):
            return field
    return None
