"""The front-matter fields a summary's pages and citations use, checked together: every bad
one is named in one error, with the line it stands on (an operator's trial fixed a file's
fields one ingest at a time, and a new user's could not tell which line held the bad url)."""

from __future__ import annotations

import datetime
import re

from ingest.sources import DocumentError
from retriever.text import field_meant, iso_date

_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_NAMED = re.compile(r"field '([^']+)'")
BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)  # python-frontmatter's own delimiter
READ = ("title", "url", "cancerTypes", "lastReviewed", "tags", "audienceLevel")  # the others are kept out of the way
# The fields PDQ summaries carry that ingest leaves alone (the corpus's front matter).
PDQ_OTHERS = ("citation", "language", "license", "reviewFrequency", "source", "sourceType", "status", "version")


def read_fields(meta: dict, source: str, text: str = "") -> tuple[str, str, list[str], str, list[str], str]:
    """Title, url, cancer types, review date, tags and audience of the front matter ``meta``
    read from the file's ``text``.

    Raises:
        DocumentError: every bad field, each with its line in ``text``.
    """
    problems: list[str] = []

    def read(check, *args):
        try:
            return check(*args)
        except DocumentError as err:
            problems.append(_with_line(err.problem, text))
            return None
    found = (read(_title, meta.get("title"), source), read(_url, meta.get("url"), source),
             read(_str_list, meta.get("cancerTypes"), source, "cancerTypes"),
             read(_review_date, meta.get("lastReviewed"), source), read(_str_list, meta.get("tags"), source, "tags"),
             read(_plain_text, meta.get("audienceLevel"), source, "audienceLevel"))
    problems += [_with_line(slip, text) for slip in _misspelt(meta)]
    if problems:
        raise DocumentError(source, "; ".join(problems))
    return found


def _misspelt(meta: dict) -> list[str]:
    """A field named almost as one this reads and not set beside it ("titel", "lastreviewed":
    `field_meant`): unread, its value was lost without a word. PDQ's own other fields
    ("citation", "reviewFrequency") are unlike them, and "lastReviewedBy" beside
    "lastReviewed" is an operator's own."""
    return [f"front-matter field '{name}' is not one ingest reads: did you mean '{meant}'?"
            for name in meta if isinstance(name, str) and name not in READ and (meant := field_meant(name, READ, meta))]


def _with_line(problem: str, text: str) -> str:
    """``problem`` with "(line N)" after the field it names, where the front matter sets it."""
    named = _NAMED.search(problem)
    bounds = list(BOUNDARY.finditer(text))[:2]  # the front matter's '---' lines, blank lines before them too
    if named is None or len(bounds) < 2:
        return problem
    at = re.compile(rf"^[\"']?{re.escape(named[1])}[\"']?\s*:", re.MULTILINE).search(text, bounds[0].end(),
                                                                                      bounds[1].start())
    if at is None:
        return problem
    return problem.replace(named[0], f"{named[0]} (line {text.count(chr(10), 0, at.start()) + 1})", 1)


def _str_list(value, source: str, name: str) -> list[str]:
    """A list, or one line of them parted by commas ("tags: support, nutrition" was one tag
    of both words): no cancer type or tag name holds a comma."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise DocumentError(source, f"front-matter field '{name}' must be a list of strings: one per line, each "
                                f"after '- ', or on one line parted by commas ({name}: first, second)")


def _plain_text(value, source: str, name: str) -> str:
    """A one-word field such as ``audienceLevel`` ("patient"): a list of them was stored as
    its Python form ("['patient']") and read so by every passage of the summary."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise DocumentError(source, f"front-matter field '{name}' must be text (as 'patient'), "
                                    f"not {_yaml_kind_of(value)}")
    return str(value).strip()


def _yaml_kind_of(value) -> str:
    kinds = {list: "a list", dict: "a set of fields", bool: "true or false"}
    return kinds.get(type(value), "a date" if isinstance(value, datetime.date) else repr(value)[:40])


def _review_date(value, source: str) -> str:
    """``lastReviewed`` as YYYY-MM-DD ("" when absent): pages show it beside each citation, so
    a value that is not a date ("last spring", "2025-13-40", 20251230) is refused, not shown,
    and so is a date after tomorrow (2999-01-01, 2062 for 2026): a patient would read it as
    how recent the passage is."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2025-12-30 as a date
        return _not_ahead(value.isoformat(), source)
    text = str(value).strip()
    if isinstance(value, str) and iso_date(text):
        return _not_ahead(text, source)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # written so, but no day of the calendar
        raise DocumentError(source, f"front-matter field 'lastReviewed' is no real date: {text!r} "
                                    f"({_calendar_problem(text)})")
    raise DocumentError(source, f"front-matter field 'lastReviewed' must be a date written "
                                f"YYYY-MM-DD (as 2025-12-30), not {text[:40]!r}")


def _not_ahead(text: str, source: str) -> str:
    """``text`` unless it is after tomorrow: a day's margin, for a file written where the date
    is already tomorrow's."""
    latest = datetime.date.today() + datetime.timedelta(days=1)
    if datetime.date.fromisoformat(text) > latest:
        raise DocumentError(source, f"front-matter field 'lastReviewed' is in the future: {text!r} "
                                    f"(today is {latest - datetime.timedelta(days=1)}): a typo for another year?")
    return text


def _calendar_problem(text: str) -> str:
    try:
        datetime.date.fromisoformat(text)
    except ValueError as exc:
        return str(exc)  # "month must be in 1..12", "day is out of range for month"
    return "not a date"


def _title(title, source: str) -> str:
    if title is not None and not isinstance(title, str):
        raise DocumentError(source, f"front-matter field 'title' must be text, not {title!r} (quote it)")
    if title is None:
        raise DocumentError(source, "missing front-matter field 'title': add a line 'title: ...' naming the "
                                    "summary between the '---' lines")
    if not title.strip():
        raise DocumentError(source, "front-matter field 'title' is empty: write the summary's title after it")
    return title


def _url(url, source: str) -> str:
    url = url or ""
    if not isinstance(url, str):
        raise DocumentError(source, "front-matter field 'url' must be text")
    if url.strip() and not _WEB_ADDRESS.match(url.strip()):  # every citation's link is built on it
        raise DocumentError(source, f"front-matter field 'url' must be a web address (https://...), "
                                    f"not {url.strip()[:80]!r}")
    return url.strip()
