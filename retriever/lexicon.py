"""A small, reviewed map from everyday words to the words PDQ summaries use.

Patients write "belly", "poop", "the shot"; the summaries say "abdominal", "stool",
"injection". Each entry was read against the seed summary's wording and kept only where
the everyday word means the same thing in this setting. Keys are matched as whole words
or phrases (lower case); values are appended to the keyword query, never replace it.
"""

from __future__ import annotations

import re

from retriever.tokenization import content_words, negated

LAY_TERMS: dict[str, str] = {
    # body and symptoms
    "belly": "abdominal abdomen",
    "tummy": "abdominal abdomen",
    "womb": "uterus uterine endometrial endometrium",
    "stomach ache": "abdominal pain",
    "stomachache": "abdominal pain",
    "gut": "abdominal intestine",
    "poop": "stool bowel movement",
    "poo": "stool bowel movement",
    "pooping": "stool bowel movement",
    "bowel movements": "stool",
    "pee": "urine",
    "peeing": "urine",
    "wee": "urine",
    "throw up": "vomiting",
    "throwing up": "vomiting",
    "threw up": "vomiting",
    "puke": "vomiting",
    "puking": "vomiting",
    "queasy": "nausea",
    "sick to my stomach": "nausea",
    "the runs": "diarrhea",
    "loose stools": "diarrhea",
    "constipated": "constipation",
    "exhausted": "tired",
    "worn out": "tired",
    "fatigue": "tired",
    "yellow skin": "jaundice",
    "yellow eyes": "jaundice",
    "yellowing": "jaundice",
    "flushed": "flushing redness warmth",
    "red face": "redness warmth face flushing",
    "hot flashes": "flushing warmth",
    "heart racing": "fast heartbeat",
    "racing heart": "fast heartbeat",
    "heart races": "fast heartbeat",
    "heart pounding": "fast heartbeat",
    "palpitations": "fast heartbeat",
    "bloating": "bloated",
    "short of breath": "trouble breathing",
    "butt": "rectum anus",
    "bottom": "rectum anus",
    "back passage": "rectum anus",
    "bum": "rectum anus",
    "losing weight": "weight loss",
    "lost weight": "weight loss",
    "runny poop": "diarrhea",
    "runny stool": "diarrhea",
    "runny stools": "diarrhea",
    "bathroom": "bowel movement stool urine",
    "drink": "alcohol",
    "drinks": "alcohol",
    "drinking": "alcohol",
    "booze": "alcohol",
    "spicy": "chili peppers capsaicin",
    "hot sauce": "chili peppers capsaicin",
    "blood supply": "blood flow",
    "starve": "cuts off blood flow",
    "damage": "problems",
    "shrink": "smaller",
    # medical words the summaries write another way
    "gastric": "stomach",
    "duodenal": "duodenum",
    "jejunal": "jejunum",
    "ileal": "ileum",
    "colonic": "colon",
    "hepatic": "liver",
    "cm": "centimeter",
    "mm": "millimeter",
    "rfa": "radiofrequency ablation",
    "colectomy": "surgery remove part of the colon",
    "hemicolectomy": "surgery remove part of the colon",
    "partial": "part",
    "external beam": "external radiation therapy",
    "surgeon": "surgery",
    "pill": "capsule",
    "pills": "capsule",
    "citation": "cite",
    "reuse": "use permission",
    # ways of asking about causes, tests and further reading
    "piece of the tumor": "tissue sample biopsy",
    "piece of tissue": "tissue sample biopsy",
    "sample of the tumor": "tissue sample biopsy",
    "why did i get": "risk factor",
    "how did i get": "risk factor",
    "more likely to get": "risk factor",
    "hereditary": "family history",
    "inherited": "family history",
    "genetic": "family history",
    "run in families": "family history",
    "runs in families": "family history",
    "run in the family": "family history",
    "runs in the family": "family history",
    "phone": "call",
    "telephone": "call",
    "read more": "learn more information",
    "grow fast": "grow slowly",
    "grows fast": "grow slowly",
    "growing fast": "grow slowly",
    "fast growing": "grow slowly",
    "fast-growing": "grow slowly",
    "grow quickly": "grow slowly",
    "grows quickly": "grow slowly",
    # care and treatment
    "shot": "injection",
    "shots": "injection",
    "jab": "injection",
    "jabs": "injection",
    "radiotherapy": "radiation therapy",
    "cut out": "surgery remove",
    "take it out": "surgery remove",
    "operation": "surgery",
    "operate": "surgery",
    "camera pill": "capsule endoscopy",
    "pill camera": "capsule endoscopy",
    "scope": "endoscopy",
    "came back": "recurrent recur",
    "come back": "recurrent recur",
    "coming back": "recurrent recur",
    "spread": "metastatic metastasis spread",
    "spreading": "metastatic metastasis spread",
    "odds": "prognosis chance of recovery",
    "how well": "prognosis chance of recovery",
    "do well": "prognosis chance of recovery",
    "survive": "prognosis chance of recovery",
    "cure": "prognosis chance of recovery",
    "cured": "prognosis chance of recovery",
    "curable": "prognosis chance of recovery",
    "terminal": "prognosis chance of recovery",
    "how serious": "prognosis chance of recovery",
    "kids": "childhood",
    "kid": "childhood",
    "recover": "prognosis chance of recovery",
    "new treatments": "clinical trial",
    "new treatment": "clinical trial",
    "outlook": "prognosis chance of recovery",
    "chances": "prognosis chance of recovery",
    "comfortable": "palliative therapy",
    "comfort care": "palliative therapy",
    "checkups": "follow-up tests",
    "check ups": "follow-up tests",
    "check-ups": "follow-up tests",
    "study": "clinical trial",
    "studies": "clinical trial",
    "research study": "clinical trial",
    "experimental": "clinical trial",
    "carcinoid": "neuroendocrine",
    "net": "neuroendocrine tumor",
    "nets": "neuroendocrine tumors",
}

# Short forms are written out in the question itself, before spelling and search: the
# model, not only BM25, then sees the word the summaries use ("more info" alone is too
# vague for it to match "For more information").
SHORT_FORMS: dict[str, str] = {
    "info": "information",
    "chemo": "chemotherapy",
    "kemo": "chemotherapy",  # as it is heard: a summary that never says "chemo" has nothing to correct it to
    "mets": "metastases",
    "tx": "treatment",
    "dx": "diagnosis",
}
_short = re.compile(r"\b(" + "|".join(SHORT_FORMS) + r")\b", re.IGNORECASE)


def spell_out(text: str) -> str:
    """``text`` with its short forms ("chemo", "info") written out in full."""
    return _short.sub(lambda m: SHORT_FORMS[m.group(1).lower()], text)


def matcher(phrases) -> re.Pattern:
    """Whole words or phrases of ``phrases``, the longest tried first ("come back" before "back")."""
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b")


_matcher = matcher(LAY_TERMS)  # `eval.bench lexicon` swaps it for one without an entry
# Each entry as a question term: the values' content words, and a one-word entry's own word,
# which a passage may use as well ("carcinoid" is the GI summary's word as much as the lay one).
def _term(phrase: str, doc_words: str) -> tuple[str, ...]:
    own = content_words(phrase)  # "how well" is no "well", nor "check-ups" a "check"
    return tuple(dict.fromkeys((own if len(phrase.split()) == 1 == len(own) else []) + content_words(doc_words)))


_TERMS = {phrase: _term(phrase, doc_words) for phrase, doc_words in LAY_TERMS.items()}


def _phrases(text: str) -> list[str]:
    """The lexicon entries found in ``text``, once each, in order."""
    return list(dict.fromkeys(_matcher.findall(text.lower())))


def lay_words(text: str) -> set[str]:
    """The words of ``text`` that belong to a lexicon entry."""
    return {w for phrase in _phrases(text) for w in phrase.split()}


def expansions(text: str) -> list[str]:
    """Document words for the everyday words and phrases found in ``text`` (lower case)."""
    return list(widenings(text).values())


def widenings(text: str) -> dict[str, str]:
    """``{everyday phrase: document words}`` for each entry found in ``text``, in order."""
    return {phrase: LAY_TERMS[phrase] for phrase in _phrases(text)}


def question_terms(text: str) -> list[tuple[str, ...]]:
    """What ``text`` asks about, one entry per thing it names.

    An entry is a content word that no lexicon phrase covers, or the document words of a
    lexicon phrase, any one of which names the same thing ("outlook" is answered by a
    passage that says "prognosis"), with a one-word entry's own word among them.
    """
    phrases = _phrases(text)
    bridged = {w for phrase in phrases for w in phrase.split()}
    own = [(w,) for w in dict.fromkeys(negated(content_words(text))) if w not in bridged]
    return own + [_TERMS[phrase] for phrase in phrases if _TERMS[phrase]]
