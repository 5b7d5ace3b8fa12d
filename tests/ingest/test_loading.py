import datetime
import os
import re
from pathlib import Path

import pytest

from ingest.loading import DocumentError, load_documents, parse_document

GOOD = b"---\ntitle: A title\nurl: https://example.org/a\ncancerTypes:\n- x\n---\n# H\n\nBody.\n"


@pytest.mark.parametrize("raw, problem", [
    (b"---\ntitle: [unclosed\n---\n# H\n\nBody\n", "malformed front matter at line 2 (field 'title'): a list "
     "opened with '[' is not closed: end it with ']'"),
    # opened on one line, failed on a later one: the line and field to fix (a trial was sent to line 9)
    (b"---\ntitle: T\nurl: https://x.org\ncancerTypes: [gi tumors\nlastReviewed: 2024-01-01\ncitation: c\n---\nB\n",
     "at line 4 (field 'cancerTypes'): a list opened with '[' is not closed"),
    (b"---\ntitle: \"Quote\nurl: https://x.org\n---\n# H\n\nBody\n",
     "at line 2 (field 'title'): a quote opened there is not closed: end the value with the same quote mark"),
    (b"---\ntitle: T\nextra: {a: 1\nurl: https://x.org\n---\nBody\n",
     "at line 3 (field 'extra'): a mapping opened with '{' is not closed: end it with '}'"),
    # where and what, in the file's own lines, and what to do
    (b"\n---\ntitle: x\n\turl: y\n---\nBody\n", "malformed front matter at line 4, column 1: found a tab character"),
    (b"---\ntitle: x\n\turl: y\n---\nBody\n", "; indent with spaces, not tabs"),
    (b"---\n\n\ntitle: x\n\turl: y\n---\nBody\n", "at line 5, column 1"),  # blank lines after the opener
    (b"---\ntitle: x\ntags:\n\t- a\n---\nBody\n", "at line 4, column 1: found character"),
    (b"---\ntitle: x\ntags:\n\t- a\n---\nBody\n", "(while scanning for the next token); indent with spaces, not tabs"),
    (b"---\ntitle: Title with colon: yes\n---\nBody\n", "malformed front matter at line 2, column 24: mapping "
     "values are not allowed in this context; quote a value that holds ': ', or indent the field as the others"),
    (b"---\ntitle: T\nurl: u\n\nBody\n", "the front matter is not closed: add a line '---' after its last field"),
    (b"---\nurl: https://x\n---\n# H\n\nBody\n", "missing front-matter field 'title'"),
    (b"---\ntitle: '  '\n---\n# H\n\nBody\n", "front-matter field 'title' (line 2) is empty: write the summary's"),
    # an operator's trial: these named the fault and not the fix, as the others do
    (b"---\ntitle: T\ncancerTypes: {a: 1}\n---\n# H\n\nBody\n",
     "'cancerTypes' (line 3) must be a list of strings: one per line, each after '- ', or on one line"),
    (b'---\ntitle: ""\n---\n# H\n\nBody\n', "front-matter field 'title' (line 2) is empty"),
    (b"---\ntitle: 12345\n---\n# H\n\nBody\n",
     "front-matter field 'title' (line 2) must be text, not 12345 (quote it)"),
    (b"---\ntitle: T\n---\n\n   \n", "empty body"),
    (b"---\ntitle: T\nurl: not a url\n---\n# H\n\nBody\n",
     "field 'url' (line 3) must be a web address (https://...), not 'not a url'"),
    (b"---\ntitle: T\nurl: www.cancer.gov/x\n---\n# H\n\nBody\n", "field 'url' (line 3) must be a web address"),
    (b"---\ntitle: T\n---\n# Heading\n\n## Another\n", "no passage text (only headings"),
    (b"---\ntitle: T\n---\n# H\n\n\xff\xfe bad\n", "not UTF-8 text (bad byte at line 6, column 1)"),
    ("---\ntitle: T\n---\n# Café\n\nsé ".encode() + b"\xe9\n", "not UTF-8 text (bad byte at line 6, column 4)"),
    (b"# Just markdown\n\nNo front matter.\n", "no YAML front matter"),
    (b"", "the file is empty"),  # these two said "no YAML front matter" and "expected 'key: value' pairs"
    (b"---\n---\n# H\n\nBody\n", "the front matter is empty: it needs at least 'title: ...'"),
    # python-frontmatter drops front matter that is no mapping: "missing front-matter field 'title'"
    (b"---\n- a\n- b\n---\n# H\n\nBody\n", "malformed front matter: expected 'key: value' fields, found a list"),
    (b"---\njust words\n---\n# H\n\nBody\n", "expected 'key: value' fields, found a line of text"),
    (b"---\n42\n---\n# H\n\nBody\n", "expected 'key: value' fields, found a single value (42)"),
    (b"---\ntitle: T\ntags: {a: 1}\n---\n# H\n\nBody\n", "'tags' (line 3) must be a list"),
    (b"---\ntitle: T\nlastReviewed: last spring\n---\nBody\n",
     "front-matter field 'lastReviewed' (line 3) must be a date written YYYY-MM-DD (as 2025-12-30), not 'last spring'"),
    (b"---\ntitle: T\nlastReviewed: '2025-13-40'\n---\nBody\n",
     "'lastReviewed' (line 3) is no real date: '2025-13-40' (month must be in 1..12)"),
    (b"---\ntitle: T\nlastReviewed: 20251230\n---\nBody\n", "'lastReviewed' (line 3) must be a date"),  # a number
    (b"---\ntitle: T\nlastReviewed: '2025-W01-1'\n---\nBody\n", "'lastReviewed' (line 3) must be a date"),
    # unquoted, YAML read these as dates itself and failed naming neither the field nor the line
    (b"---\ntitle: T\nlastReviewed: 2025-13-45\n---\nBody\n",
     "front-matter field 'lastReviewed' (line 3) is no real date: '2025-13-45' (month must be in 1..12)"),
    (b"---\ntitle: T\nlastReviewed: 2025-02-30\n---\nBody\n", "'lastReviewed' (line 3) is no real date"),
    (b"---\ntitle: T\nlastReviewed: 2025-02-30 10:00:00\n---\nBody\n", "'lastReviewed' (line 3) must be a date"),
    # shown beside every citation as how recent the passage is: a typed year was accepted
    (b"---\ntitle: T\nlastReviewed: 2999-01-01\n---\nBody\n", "'lastReviewed' (line 3) is in the future: '2999-01-01'"),
    (b"---\ntitle: T\nlastReviewed: '2999-01-01'\n---\nBody\n", "'lastReviewed' (line 3) is in the future"),
    # a misspelt field was never read: the title "missing", the review date lost without a word
    (b"---\ntitel: T\n---\n# H\n\nBody\n",
     "missing front-matter field 'title': add a line 'title: ...' naming the summary between the '---' lines; "
     "front-matter field 'titel' (line 2) is not one ingest reads: did you mean 'title'?"),
    (b"---\ntitle: T\nlastreviewed: 2025-01-02\n---\n# H\n\nBody\n",
     "front-matter field 'lastreviewed' (line 3) is not one ingest reads: did you mean 'lastReviewed'?"),
    (b"---\ntitle: T\n\nLast Reviewed: 2025-01-02\n---\n# H\n\nBody\n", "field 'Last Reviewed' (line 4) is not one"),
    # YAML named the next line and told to quote a value there
    (b"---\ntitle The Day Unit\nurl: https://example.org/a\n---\n# H\n\nBody\n",
     "malformed front matter at line 2: no ':' after the field's name ('title The Day Unit'); "
     "write it as 'name: value'"),
    (b"---\ntitle: T\n\nlastReviewed 2025-01-02\n\nurl: https://example.org/a\n---\n# H\n\nBody\n",
     "at line 4: no ':' after the field's name ('lastReviewed 2025-01-02')"),
    (b"---\ntitle: T\nurl https://example.org/a\nlastReviewed: 2025-01-02\n---\n# H\n\nBody\n",
     "at line 3: no ':' after the field's name ('url https://example.org/a')"),
    # a quoted value over two lines is no field without its ':': the fault is where YAML says
    (b'---\ntitle: "A long\ntitle"\nurl: https://example.org/a: b\n---\nBody\n',
     "at line 4, column 27: mapping values are not allowed"),
    # YAML keeps a field's last value: an operator fixing the first "title:" saw no change
    (b"---\ntitle: Old\nurl: https://example.org/a\ntitle: New\n---\n# H\n\nBody\n",
     "malformed front matter at line 4: field 'title' is set twice (first at line 2); keep one of them"),
    # a list was stored as its Python form, "['patient']", in every passage
    (b"---\ntitle: T\naudienceLevel: [patient]\n---\n# H\n\nBody\n",
     "front-matter field 'audienceLevel' (line 3) must be text (as 'patient'), not a list"),
    (b"---\ntitle: T\naudienceLevel: 2025-01-02\n---\n# H\n\nBody\n", "must be text (as 'patient'), not a date"),
    # markdown-it stops reading at its nesting limit and dropped the rest of the file unsaid
    (b"---\ntitle: T\n---\n\n\n# H\n\nBody.\n\n" + b"".join(b"  " * i + b"- x%d\n" % i for i in range(12)),
     "lists or quotes nested too deep at line 19: the markdown reader stops there"),
    (b"---\ntitle: T\n---\n# H\n\n" + b"> " * 25 + b"Deep.\n", "nested too deep at line 6"),
    # a page break is no line of the file as an editor counts them
    (b"---\ntitle: T\n---\n# H\n\nA\x0cB\x0cC.\n\n" + b"".join(b"  " * i + b"- x%d\n" % i for i in range(12)),
     "nested too deep at line 17"),
])
def test_bad_files_are_named_with_their_problem(raw, problem):
    with pytest.raises(DocumentError) as err:
        parse_document(raw, "dir/bad.md")
    assert err.value.source == "dir/bad.md"
    assert problem in str(err.value)
    assert str(err.value).startswith("dir/bad.md: ")


def test_a_review_date_up_to_tomorrow_is_taken():
    """A day's margin: where the file was written, it may already be tomorrow."""
    for day in (datetime.date.today(), datetime.date.today() + datetime.timedelta(days=1)):
        doc = parse_document(f"---\ntitle: T\nlastReviewed: {day}\n---\n# H\n\nBody.\n".encode(), "d/a.md")
        assert doc.last_reviewed == day.isoformat()


def test_every_bad_field_of_a_file_is_named_at_once():
    """An operator's trial fixed "title", then "url", then "lastReviewed", one ingest each."""
    raw = b"---\ntitle: 123\nurl: not a url\nlastReviewed: last spring\ntags: {a: 1}\n---\n# H\n\nBody.\n"
    with pytest.raises(DocumentError) as err:
        parse_document(raw, "dir/bad.md")
    problems = err.value.problem.split("; ")
    assert [p.split("'")[1] for p in problems] == ["title", "url", "lastReviewed", "tags"], problems
    # each on the line that sets it (a new user could not tell which line held the bad url)
    assert [re.search(r"\(line (\d+)\)", p)[1] for p in problems] == ["2", "3", "4", "5"], problems
    # blank lines before the front matter, and a quoted field name, are counted alike
    with pytest.raises(DocumentError, match=r"field 'url' \(line 5\) must be a web address"):
        parse_document(b"\n\n---\ntitle: T\n\"url\": nope\n---\n# H\n\nBody.\n", "dir/bad.md")


def test_good_document_fields():
    doc = parse_document(GOOD, "sub/a.md")
    assert (doc.doc_id, doc.title, doc.url, doc.cancer_types) == ("sub--a", "A title", "https://example.org/a", ["x"])
    assert len(doc.content_hash) == 64


@pytest.mark.parametrize("written, kept", [
    ("'2025-12-30'", "2025-12-30"), ("2025-12-30", "2025-12-30"),  # quoted, or a YAML date
    ("2025-12-30 08:00:00", "2025-12-30"), ("2025-12-30T08:00:00Z", "2025-12-30"), ("2025-1-5 10:00:00", "2025-01-05"),
    ("' 2025-01-05 '", "2025-01-05"), ("''", ""),
])
def test_review_dates_are_kept_as_iso_dates(written, kept):
    raw = f"---\ntitle: T\nlastReviewed: {written}\n---\nBody.\n".encode()
    assert parse_document(raw, "a.md").last_reviewed == kept
    assert parse_document(GOOD, "a.md").last_reviewed == ""


def test_control_characters_leave_the_text_and_a_page_break_ends_a_line():
    raw = b'---\ntitle: "Bell\\x07 title"\n---\n# H\n\nBo\x00dy\x0cNext\tline\x1b.\r\n'
    doc = parse_document(raw, "a.md")
    assert doc.title == "Bell title"
    assert doc.body.endswith("Body\nNext\tline.")
    c1 = parse_document("---\ntitle: T\n---\nA\x85B\u2028C\u2029D\x9dE\n".encode(), "a.md")
    assert c1.body.strip() == "A\nB\nC\nDE"  # NEL and the Unicode separators end lines; C1 controls go
    titled = parse_document(b'---\ntitle: "Breast Cancer\\u2028Treatment"\n---\nText.\n', "a.md")
    assert titled.title == "Breast Cancer Treatment"  # a title is one line


def test_load_collects_errors_and_keeps_good_files(tmp_path: Path):
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "bad.md").write_bytes(b"---\nurl: x\n---\nbody\n")
    (tmp_path / "notes.json").write_text("{}")
    docs, errors = load_documents(tmp_path)
    assert [d.source for d in docs] == ["good.md"]
    assert [e.source for e in errors] == ["bad.md"]
    with pytest.raises(DocumentError):
        load_documents(tmp_path, strict=True)


def test_a_link_to_a_missing_file_is_named_not_passed_over(tmp_path: Path):
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "gone.md").symlink_to(tmp_path / "elsewhere" / "x.md")
    docs, errors = load_documents(tmp_path)
    assert [d.source for d in docs] == ["good.md"]
    assert [str(e) for e in errors] == [f"gone.md: a link to {tmp_path / 'elsewhere' / 'x.md'}, which does not exist"]
    with pytest.raises(DocumentError, match="gone.md: a link to"):
        load_documents(tmp_path, strict=True)
    (tmp_path / "gone.md").unlink()
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    (tmp_path / "folder.md").mkdir()  # a folder named like a summary is no file: passed over, as before
    assert [str(e) for e in load_documents(tmp_path)[1]] == ["loop.md: a link that leads back to itself"]


def test_a_linked_folder_is_read_and_a_folder_reached_twice_once(tmp_path: Path):
    """An operator's trial linked NCI's summaries and their own into one folder: the linked
    folders were passed over without a word, and a file beside them was indexed alone."""
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "a.md").write_bytes(GOOD)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "nci").symlink_to(tmp_path / "theirs", target_is_directory=True)
    (tmp_path / "src" / "nci" / "up").symlink_to(tmp_path / "src", target_is_directory=True)  # a link back up
    docs, errors = load_documents(tmp_path / "src")
    assert [d.source for d in docs] == ["nci/a.md"] and errors == []
    (tmp_path / "src" / "v2").mkdir()  # a review: which of two paths to one folder was read was chance
    (tmp_path / "src" / "v2" / "b.md").write_bytes(GOOD.replace(b"/a", b"/b").replace(b"Body.", b"Other text."))
    for name in ("l0", "z9", "a1"):
        (tmp_path / "src" / name).symlink_to(tmp_path / "src" / "v2", target_is_directory=True)
    assert [d.source for d in load_documents(tmp_path / "src")[0]] == ["nci/a.md", "v2/b.md"]


def refuse_to_list(monkeypatch, folder: Path) -> None:
    """``folder`` reads as one without permission (the tests may run as root, whom chmod 000
    does not stop)."""
    for name in ("scandir", "listdir"):
        real = getattr(os, name)

        def fake(path=".", real=real):
            if Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        monkeypatch.setattr(os, name, fake)


def test_a_folder_that_cannot_be_read_is_named_not_passed_over(tmp_path: Path, monkeypatch):
    """It was skipped without a word, and a summary the index served in it dropped out."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.md").write_bytes(GOOD.replace(b"/a", b"/b").replace(b"Body", b"Other body"))
    assert [d.source for d in load_documents(tmp_path)[0]] == ["good.md", "sub/other.md"]
    refuse_to_list(monkeypatch, tmp_path / "sub")
    docs, errors = load_documents(tmp_path)
    assert [d.source for d in docs] == ["good.md"]
    assert [str(e) for e in errors] == ["sub/: a folder that cannot be read (Permission denied): none of its "
                                        "files was read"]


def test_empty_folder_loads_nothing(tmp_path: Path):
    assert load_documents(tmp_path) == ([], [])


def test_a_second_file_of_one_summary_is_refused_naming_the_first(tmp_path: Path):
    """Indexed twice, each of its passages counted as text many documents share, ranked down."""
    (tmp_path / "a.md").write_bytes(GOOD)
    (tmp_path / "b-copy.md").write_bytes(GOOD.replace(b"Body.", b"Body.\n\n"))  # same text, spacing aside
    (tmp_path / "c-moved.md").write_bytes(GOOD.replace(b"Body.", b"Other body."))  # same url
    (tmp_path / "d.md").write_bytes(GOOD.replace(b"example.org/a", b"example.org/d").replace(b"Body.", b"D."))
    docs, errors = load_documents(tmp_path)
    assert [d.source for d in docs] == ["a.md", "d.md"]
    assert [str(e) for e in errors] == [
        "b-copy.md: the same summary as a.md (same url); keep one of the two files",
        "c-moved.md: the same summary as a.md (same url); keep one of the two files"]
    no_url = GOOD.replace(b"url: https://example.org/a\n", b"")
    for name in ("c-moved.md", "d.md"):
        (tmp_path / name).unlink()
    for name in ("a.md", "b-copy.md"):
        (tmp_path / name).write_bytes(no_url)
    docs, errors = load_documents(tmp_path)
    assert [d.source for d in docs] == ["a.md"] and "(same text)" in str(errors[0])


def test_of_two_files_of_one_summary_the_served_one_is_kept_whichever_sorts_first(tmp_path: Path):
    """A stray copy that sorts first took the summary's id: saved links and filters to the
    served id then failed. The served file is kept; without an index, the first, as before."""
    (tmp_path / "0-copy.md").write_bytes(GOOD)
    (tmp_path / "served.md").write_bytes(GOOD)
    (tmp_path / "z.md").write_bytes(GOOD.replace(b"example.org/a", b"example.org/z").replace(b"Body.", b"Z."))
    docs, errors = load_documents(tmp_path, served=frozenset({"served", "z"}))
    assert [d.doc_id for d in docs] == ["served", "z"]
    assert [str(e) for e in errors] == ["0-copy.md: the same summary as served.md (same url); served.md is kept: "
                                        "the index serves its id; keep one of the two files"]
    assert [d.doc_id for d in load_documents(tmp_path)[0]] == ["0-copy", "z"]
    with pytest.raises(DocumentError, match="0-copy.md: the same summary as served.md"):
        load_documents(tmp_path, strict=True, served=frozenset({"served"}))
    # a served file that is a copy of two files at once (one by url, one by text) replaces
    # neither and is refused, so that no two copies of one summary are indexed
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_bytes(GOOD.replace(b"Body.", b"One."))
    (other / "b.md").write_bytes(GOOD.replace(b"example.org/a", b"example.org/b").replace(b"Body.", b"Two."))
    (other / "served.md").write_bytes(GOOD.replace(b"Body.", b"Two."))
    docs, errors = load_documents(other, served=frozenset({"served"}))
    assert [d.doc_id for d in docs] == ["a", "b"]
    assert [str(e) for e in errors] == ["served.md: the same summary as a.md (same url); keep one of the two files"]


def test_a_second_file_with_the_same_id_is_refused_naming_the_first(tmp_path: Path):
    """"a/note.md" and "a--note.md" are both id a--note, "twin.md" and "twin.txt" both twin:
    indexed, one id held both files' passages and the manifest listed one of them."""
    (tmp_path / "a").mkdir()
    for i, name in enumerate(("a/note.md", "a--note.md", "twin.md", "twin.txt")):
        (tmp_path / name).write_bytes(GOOD.replace(b"example.org/a", f"example.org/{i}".encode())
                                      .replace(b"Body.", f"Body {i}.".encode()))
    docs, errors = load_documents(tmp_path)
    assert [(d.doc_id, d.source) for d in docs] == [("a--note", "a/note.md"), ("twin", "twin.md")]
    assert [str(e) for e in errors] == [
        "a--note.md: the same document id 'a--note' as a/note.md (an id is the path without its suffix, "
        "folders joined by '--'); rename one",
        "twin.txt: the same document id 'twin' as twin.md (an id is the path without its suffix, "
        "folders joined by '--'); rename one"]


def test_a_line_of_tags_or_types_parted_by_commas_is_a_list():
    raw = b"---\ntitle: T\ntags: support, nutrition\ncancerTypes: breast,  lymphoma ,\n---\n# H\n\nBody.\n"
    doc = parse_document(raw, "d/a.md")
    assert (doc.tags, doc.cancer_types) == (["support", "nutrition"], ["breast", "lymphoma"])


def test_fields_unlike_those_read_are_kept_out_of_the_way():
    """PDQ's own other fields (and an operator's) are no slips."""
    raw = (b"---\ntitle: T\ncitation: c\nreviewFrequency: yearly\nsourceType: pdq\nlanguage: en\nversion: 2\n"
           b"status: current\nlicense: public domain\nsource: NCI\nowner: clinic\nlastReviewedBy: J. Doe\n"
           b"lastReviewed: 2025-01-02\n"
           b"---\n# H\n\nBody.\n")
    assert parse_document(raw, "d/a.md").title == "T"


def test_a_merge_key_may_set_a_field_again():
    """YAML's own override ("<<" then the field) is no field written twice."""
    raw = (b"---\nbase: &b {title: Old}\nsummary:\n  <<: *b\n  title: New\ntitle: T\naudienceLevel: patient\n"
           b"---\n# H\n\nB.\n")
    doc = parse_document(raw, "d/a.md")
    assert (doc.title, doc.audience) == ("T", "patient")
