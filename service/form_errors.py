"""What a page says of a search it refused: the message, the status, and the question the box shows again.

The patients' page says the API's errors (`service.errors.ApiError`) in the form's words
(`patient_message`: "Please type a question in the box", not "q: must not be blank"); both pages
take their status and the question shown again from here.
"""

from __future__ import annotations

from service.errors import ApiError
from service.searching import clean_text


def echo(q: str, limit: int) -> str:
    """The question as its box shows it again: cleaned, cut to the limit, and without the
    marks of bytes that were no text ("chemo%FF"), which the reader never typed."""
    return clean_text(q).replace("\ufffd", "")[:limit]


def two_questions(exc: ApiError) -> bool:
    """Whether the link held two questions (``?q=a&q=b``): the box and the page's title then
    show neither, as neither was searched (they showed the last, under "one at a time")."""
    return exc.code == "repeated_parameter" and exc.field == "q"


def form_status(exc: ApiError) -> int:
    """A page's status for a search it refused: a box sent with nothing to search for is the
    form asking for words (200), on both pages alike; anything else keeps the API's status."""
    return 200 if exc.code == "invalid_query" else exc.status


def patient_message(exc: ApiError, picker: bool = True, blank: bool = False, limit: int = 0) -> str:
    """What the patients' page says of ``exc``: ``picker`` when it offers a list of summaries,
    ``blank`` for a box sent empty, ``limit`` the most characters a question takes."""
    if exc.code == "invalid_query":  # blank, or nothing to search for ("???")
        return ("Please type a question in the box." if blank
                else "Please type a question in words: this one has no letters or numbers to search for.")
    if exc.code == "repeated_parameter":
        if exc.field == "q":
            return "Please ask one question at a time."
        return "Please choose one summary." if picker else "Please ask without choosing a summary."
    if exc.code == "query_too_long":
        return f"That question is too long: please shorten it to {limit:,} characters or fewer and try again."
    if exc.code == "invalid_encoding":  # bytes that are no text ("chemo%FF"), or text pasted with their mark
        return ("Part of that question could not be read: the box shows the rest. "
                "Please check it and search again.")
    if exc.code == "invalid_doc":  # the page offers a list only on an index of several summaries
        return "That summary is not one we search. " + ("Please choose one from the list, or search them all."
                                                         if picker else "Please ask without choosing one.")
    if exc.code == "timeout":
        return "The search took too long. Please try again in a moment."
    if exc.code == "not_ready":
        return "The service is starting up. Please try again in a moment."
    return exc.message
