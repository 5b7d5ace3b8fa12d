""""Does" typed as "dose": "how dose an MRI work", "what dose stage 3 mean".

Both are words, so the speller leaves the slip as typed, and then everything reads a dose:
the keyword ranking looks for passages about doses, and abstention counts the question as
asking for one that no passage gives. Typing "dose" for "does" in 335 validation questions
that say "does" raised their refusals from 3.6% to 58.2% over the corpus index
(docs/abstention.md, "Dose typed for does"). The planner reads the slip back before any
ranking reads the question, and `retriever.figures` does not count it as a dose asked.

The reading is the word's grammar, not a list of questions. "does" comes before a subject
and a bare verb ("dose it hurt", "how long dose chemo last", "Dose turkey tail help"), or
after its subject ("how well he dose", "it dose not hurt"). The verbs are the ones the PDQ
summaries and the training questions use bare (`retriever/pdq_verbs.txt`, written by
`python -m training words`). A word before it makes it a noun ("the dose", "usual dose",
"20 mg dose"), and so does one after it ("dose of", "dose range", "dose is", "dose got
lowered", "dose every 4 weeks"). What stays unclear is read as a dose, as typed: a slip
left as typed costs less than a dose rewritten as "does" before a reader's eyes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines

PDQ_VERBS = Path(__file__).with_name("pdq_verbs.txt")
_I = re.IGNORECASE
_DOSE = re.compile(r"\bdose\b", _I)
_TOKEN = re.compile(r"[a-z0-9']+|[.,;:!?()\u2013\u2014]")

_SUBJECTS = frozenset("a an the this that these those it he she they i you we u my his her their your our ur each "
                      "every any anyone anybody someone everyone".split())
# After "what", "which" or "how much", only a subject that "does" agrees with: "what dose the
# scan show", but "which dose they use for kids" and "what dose i should take" ask for a dose.
_AGREEING = frozenset("a an the this that it he she my his her your our their".split())
_ASKING = frozenset("what which much many whats".split())
_PRONOUNS = frozenset("he she it they you we i".split())
# "does" never follows these: "they dose it by weight", "how to dose it" name the verb "dose".
_NOT_WITH_DOES = frozenset("i you we they to".split())
_BARE_SUBJECTS = _PRONOUNS | frozenset("this that anyone anybody someone everyone".split())  # the verb comes next
# "the dose", "usual dose", "second dose", "20 mg dose".
_NOUN_BEFORE = frozenset(
    "the a an my your his her their our its this that each per one same usual normal standard typical daily weekly "
    "monthly starting recommended right correct max maximum minimum total first second third next last full half "
    "whole high higher low lower big small single extra missed mg".split())
_AUXILIARIES = frozenset("is are was were am be do does did can could will would should shall may might must has have "
                         "had".split())
# "dose of", "dose into", "dose range", "dose is".
_NOUN_AFTER = _AUXILIARIES | frozenset(
    "of for to per in into on at by from with without over under during after before than between through and or "
    "mg milligrams units range level levels amount schedule reduction reductions adjustment adjustments limit "
    "limits intensity".split())
# Not a subject: "dose a day", "dose every 4 weeks", "dose the same".
_TIMES = frozenset("day days week weeks month months year years time times night morning other same".split())
_PAST = frozenset("got took gave had made came went said kept began grew became felt left ran saw told thought knew "
                  "brought bought found held meant sent spent lost paid".split())
_MODAL_OR_BE = frozenset("should would will can could must is are was were".split())
_NEVER_AFTER_DOES = _PAST | _MODAL_OR_BE
# A clause's own verb before "dose" ("has" and "have" left out: "i have risk factors dose that mean").
_CLAUSE_VERBS = _AUXILIARIES - {"has", "have", "had"}
_S_ADVERBS = frozenset("sometimes perhaps besides towards afterwards".split())
_CLAUSE_BREAK = frozenset(". , ; : ! ? ( ) \u2013 \u2014 and or but so if when because since though although while "
                          "also".split())
_WH = frozenset("how where why when who what which".split())
_HOW_WORDS = frozenset("long often soon far fast quickly".split())
# Before "mean(s)", "do" (ending the clause or before "to", "for": not "do i ...") or "have to
# do with", a few words on, with no "of", "for", "and", "to" or other verb between: "what dose
# stage 4 lymphoma in a child mean", "what dose reishi do to polyps", "what dose HPV have to
# do with it" ("what dose of octreotide means it works", "what dose vitamin d do i need",
# "when dose missed what to do", "what dose does the doctor mean" ask).
_DOES_MEAN = re.compile(
    rf"dose(\s+(?!(of|for|and|to|{'|'.join(sorted(_AUXILIARIES - {'be'}))})\b)[\w'-]+){{1,6}}\s+"
    r"(means?|do(?=\s+(to|for|with|about)\b|\s*[.,;:!?]|\s*$)|have to do with)\b", _I)


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """The words used as bare verbs (`PDQ_VERBS`)."""
    return frozenset(shipped_lines(PDQ_VERBS))


def _inflected(word: str) -> bool:
    """A verb form that "does" never takes: "got", "lowered", "gets", "should", "is"."""
    if word in _NEVER_AFTER_DOES:
        return True
    if len(word) < 4 or word.endswith(("eed", "'s", "ss", "us", "is", "ys")) or word in _S_ADVERBS:  # "need", "dad's"
        return False
    return word.endswith(("ed", "s"))


def _subject_then_verb(after: list[str], asking: bool = False) -> bool:
    """Whether the words after "dose" read as a subject then a bare verb: a subject word
    ("it", "the lump") with no other verb form after it, or plain words and a bare verb
    ("chemo hurt", "melanoma of the iris spread"). After "what dose" a plural head is no
    subject of "does" either ("what dose the kids get")."""
    if not after or after[0] in _NOUN_AFTER or not after[0][0].isalnum() or after[0] in _NEVER_AFTER_DOES:
        return False
    if after[0] in _SUBJECTS:  # "dose it hurt", "dose these symptoms sound"; "what dose my son gets" asks
        # after "what dose", a word more: "what dose the oncologist usually recommends" asks
        window = after[1:2 + asking] if after[0] in _BARE_SUBJECTS else after[1:3 + asking]
        if window and (window[0] in _TIMES or window[0].isdigit() and after[0] in ("every", "each")):  # "dose a day"
            return False
        looked = window if asking or after[0] in _BARE_SUBJECTS else window[1:]
        return not any(_inflected(w) for w in looked) and not any(w in _NEVER_AFTER_DOES for w in window)
    for j, w in enumerate(after[1:9], 1):  # "dose having a normal chest x-ray every year stop ..."
        if w == "do":  # "what dose reishi do to polyps"; "what dose chemo do kids get" asks
            return after[j + 1:j + 2] in ([], ["to"], ["for"], ["with"]) or after[j + 1] in _CLAUSE_BREAK
        if w in verbs():  # "have" before a pronoun is "have they", no bare verb ("have a" is)
            return not (w in _AUXILIARIES and after[j + 1:j + 2] and after[j + 1] in _PRONOUNS)
        if w in _NEVER_AFTER_DOES or not w[0].isalnum() or w in _WH or w == "to":
            return False
    return False


def _verb_follows(after: list[str]) -> bool:
    """After "how", "why", "where" or "when", a subject follows "does" unless the next word
    is a dose's ("how dose is calculated", "why dose reduced", "when dose missed")."""
    if not after or after[0] in _NOUN_AFTER or not after[0][0].isalnum():
        return False
    if after[0] in _SUBJECTS:
        return _subject_then_verb(after)
    if _inflected(after[0]) and not after[0].endswith("s"):  # "why dose reduced"; "how dose tumors grow" reads
        return False
    return not after[1:2] or not _inflected(after[1])  # "why dose timing matters", "when dose changes are needed"


def _clause(before: list[str]) -> list[str]:
    """The words of the clause ``before`` ends with."""
    for j in range(len(before) - 1, -1, -1):
        if before[j] in _CLAUSE_BREAK:
            return before[j + 1:]
    return before


def reads_does(text: str, start: int, end: int) -> bool:
    """Whether the "dose" at ``text[start:end]`` is "does" mistyped."""
    if text[end:end + 1] in ("-", "\u2010", "\u2011"):  # "dose-dense"
        return False
    before, after = _TOKEN.findall(text[:start].lower()), _TOKEN.findall(text[end:].lower())
    prev = before[-1] if before else ""
    if _DOES_MEAN.match(text, start):
        return True
    if prev in _ASKING:
        return bool(after) and (after[0] in _AGREEING or after[0] not in _SUBJECTS) and _subject_then_verb(after, True)
    if prev in _NOUN_BEFORE or prev[:1].isdigit() or prev in _NOT_WITH_DOES:  # "the dose", "they dose it"
        return False
    if after[:1] == ["not"] and after[1:2] and after[1] in verbs():  # "the pain dose not go away"
        return True
    if _after_subject(before, after):  # "how well he dose", "if it dose come back"
        return True
    if prev in ("how", "why", "where", "when") or (prev in _HOW_WORDS and before[-2:-1] == ["how"]):
        return _verb_follows(after)  # "can you tell me how dose chemo work", "how long dose it last"
    clause = _clause(before)
    if any(w in _CLAUSE_VERBS for w in clause):
        return False  # its clause has its verb: "does the radiation dose my son got ..."
    opens = not clause or clause[0] in _WH or after[:1] and after[0] in _SUBJECTS
    return bool(opens) and _subject_then_verb(after)


def _after_subject(before: list[str], after: list[str]) -> bool:
    """"does" after its subject: a pronoun, or "how well" and a few words, then the clause's
    end ("how well he dose", "how well a man dose with it"); or a pronoun then a bare verb
    ("if it dose come back")."""
    # the subject of "dose", not of a verb before it ("how often do they dose" asks how they give it)
    pronoun = bool(before) and before[-1] in _PRONOUNS and not (len(before) > 1 and before[-2] in _AUXILIARIES)
    how_well = "well" in before[-4:-1] and "how" in before[-5:-2]
    ends = not after or after[0] in _CLAUSE_BREAK or after[0] in ("after", "with", "on", "in", "at")
    return (pronoun or how_well) and ends or pronoun and after[0] in verbs()


def read_does(text: str) -> str:
    """``text`` with "dose" written "does" where it is meant so, when every "dose" in it is
    (a correction is shown by word, and replaces every copy); otherwise as typed."""
    doses = list(_DOSE.finditer(text))
    if not doses or not all(reads_does(text, *m.span()) for m in doses):
        return text
    return _DOSE.sub(lambda m: "Does" if m.group()[0] == "D" else "does", text)
