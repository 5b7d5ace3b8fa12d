"""The acronyms the PDQ summaries define, for `retriever/pdq_acronyms.txt` (`retriever.acronyms`).

Mined from the corpus's own definitions, "neuroendocrine tumors (NETs)", with the
Schwartz-Hearst algorithm of the `abbreviations` package, by ``python -m training words``;
the training questions say which are typed in capitals only for the acronym ("FIT test")
and which in small letters too ("stage 0 cll").
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from retriever.dictionary import in_dictionary
from retriever.health_topics import names_cancer
from retriever.tokenization import STOPWORDS
from training.words import blocks, listing

ACRONYMS_HEADER = ("# The acronyms the PDQ summaries define (\"neuroendocrine tumors (NETs)\"), each with its\n"
                   "# commonest definition, tab-separated: a question's acronym is written out. A third field,\n"
                   "# 'word', marks an acronym whose letters are also a word (\"FIT\", \"ALL\"); 'lower', one read\n"
                   "# typed in small letters too (\"cll\"), as the training questions type it. Made from the\n"
                   "# corpus by python -m training words; tests/training/test_acronyms.py checks it is current.\n")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9][A-Z0-9-]*s?$")  # two capitals or more: "MEN1", "NETs"
# "stage IV" is no acronym. A Roman numeral as written, not any run of its letters: "CLL" (chronic
# lymphocytic leukemia) and "ICC" (interstitial cells of Cajal) are acronyms.
_ROMAN = re.compile(r"^(?=[IVXLC])(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# A word in lower case as prose uses it, not part of an address ("gist-treatment-pdq", "nih.gov").
_LOWER_WORD = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?![\w/@-]|\.\w)")


def pdq_acronyms(bodies: list[str], questions: list[str] = ()) -> dict[str, tuple[str, bool]]:
    """``{acronym: (definition, also a word)}`` the bodies define, each with its commonest
    definition (lower case), a plural's singular added ("NET" from "NETs"). Roman numerals and
    partial definitions ("of alternative medicine") are left out.

    An acronym whose letters are also a word, a stop word ("ALL") or one the summaries write
    in lower case ("FIT" and "fit", "MEN" and "men"), is marked: the index cannot tell the
    acronym from the word, so a question's acronym is written out even where the index has
    the word. One the summaries write in lower case is kept only when the training
    ``questions`` type it in capitals: there they do so for the acronym alone ("FIT test",
    "MEN syndrome"; "ALL" 108 times in all the training files, never for emphasis), while
    "REDUCE", a trial's name, is never typed so and a patient may shout it."""
    from abbreviations import schwartz_hearst  # the train extra

    logging.getLogger(schwartz_hearst.__name__).setLevel(logging.WARNING)  # it logs every pair found

    found: dict[str, Counter] = {}
    lower: Counter = Counter()  # words written in lower case: "fish", "men", "fit"
    for body in bodies:
        text = "\n".join(blocks(body))
        lower.update(_LOWER_WORD.findall(text))
        for short, long in schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text).items():
            found.setdefault(short, Counter())[long.lower()] += 1
    typed = {w for q in questions for w in re.findall(r"\b[A-Z][A-Z0-9]+\b", q)}
    out = {}
    for short, defs in found.items():
        long = defs.most_common(1)[0][0]
        stop, written = short.lower() in STOPWORDS, lower[short.lower().removesuffix("s")] > 0
        if _ACRONYM.match(short) and not _ROMAN.match(short) and long.split()[0] not in STOPWORDS \
                and (stop or not written or short in typed):
            out[short] = (long, stop or written)
    for short, (long, word) in list(out.items()):  # "NETs" -> "NET", "neuroendocrine tumor"
        if short.endswith("s") and long.endswith("s") and short[:-1] not in out:
            out[short[:-1]] = (long[:-1], word)
    return dict(sorted(out.items()))


# Fewest times the training questions type an acronym in small letters for a question's to
# be read as it: "lch" 72, "cll" 43, "cml" 13; "nich", "alk", "ett", "tur" once each, and a
# review found those typed as slips of "inch", "talk", "eat" and "our".
MIN_LOWER = 3
_SMALL_WORD = re.compile(r"\b[a-z][a-z0-9-]*\b")


def typed_lower(table: dict[str, tuple[str, bool]], questions: list[str]) -> set[str]:
    """The acronyms of ``table`` (`pdq_acronyms`) naming a cancer (`health_topics.names_cancer`:
    "cll", "lch", "nhl") that the training ``questions`` type in small letters `MIN_LOWER`
    times or more, and that are no word: not one of the acronyms whose letters are a word, nor
    in the dictionary ("gist", "nets"). `retriever.acronyms` reads them so typed. Everyday
    English's use does not rule one out: "nhl" (Zipf 4.0, for the hockey league) is typed 17
    times for non-Hodgkin lymphoma, and "how is nhl treated" was answered from the seed. Others
    stay as typed: a review found "gvhd", "tbi" and "csf" written out into everyday words the
    seed holds, and answered, and "hrt" and "fsh" typed for "hurt" and "fish"."""
    counts = Counter(w for q in questions for w in _SMALL_WORD.findall(q))
    return {a for a, (definition, word) in table.items() if not word and counts[a.lower()] >= MIN_LOWER
            and a.isalpha() and not in_dictionary(a.lower()) and names_cancer(definition)}


def render_acronyms(bodies: list[str], questions: list[str] = ()) -> str:
    """The acronyms file: its header, then ``ACRONYM<TAB>definition[<TAB>word|lower]`` a line."""
    table = pdq_acronyms(bodies, questions)
    lower = typed_lower(table, questions)
    return listing(ACRONYMS_HEADER, [f"{a}\t{d}" + ("\tword" if word else "\tlower" if a in lower else "")
                                     for a, (d, word) in table.items()])
