""""Does" typed as "dose": "how dose an MRI work", "what dose stage 3 mean".

Both are words, so the speller leaves the slip as typed, and then everything reads a dose:
the keyword ranking looks for passages about doses, and abstention counts the question as
asking for one that no passage gives. Typing "dose" for "does" in 335 validation questions
that say "does" raised their refusals from 3.6% to 58.2% over the corpus index
(docs/abstention.md, "Dose typed for does"). The planner reads the slip back before any
ranking reads the question, and `retriever.figures` does not count it as a dose asked.

The reading is the word's grammar, not a list of questions: "does" stands before its
subject ("dose it hurt", "how many lobes dose each lung have", "Dose turkey tail help"),
or ends a clause after one ("how well he dose"); a dose is named by a word before it
("the dose", "usual dose", "20 mg dose") or after it ("dose of", "dose range", "dose
is"). What stays unclear is read as a dose, as typed.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
_DOSE = re.compile(r"\bdose\b", _I)

_SUBJECTS = (r"a|an|the|this|that|these|those|it|he|she|they|i|you|we|my|his|her|their|your|our|each|every|any|"
             r"anyone|anybody|someone|everyone")
_AUXILIARIES = r"is|are|was|were|am|do|does|did|can|could|will|would|should|shall|may|might|must|has|have|had"
# Not a subject after it: "dose a day", "dose the same", "dose he should take", "dose they are giving".
_NO_SUBJECT = (r"(?!\s+(day|week|month|year|time|night|morning|same)s?\b)"
               r"(?!(\s+\w+){0,2}?\s+(should|would|will|can|could|must|is|are|was|were)\b)")
_SUBJECT_WORD = re.compile(rf"\s+({_SUBJECTS})\b", _I)
_SUBJECT_AFTER = re.compile(rf"{_SUBJECT_WORD.pattern}{_NO_SUBJECT}", _I)
# After "what", "which" or "how much" only a subject "does" agrees with: "what dose the scan
# show", but "which dose they use for kids" and "what dose i should take" ask for a dose.
_AGREEING_AFTER = re.compile(rf"\s+(a|an|the|this|that|it|he|she|my|his|her|your|our|their)\b{_NO_SUBJECT}", _I)
_ASKING_BEFORE = re.compile(r"\b(what|which|much|many)\s+$", _I)
_NOUN_BEFORE = re.compile(
    r"(\b(the|a|an|my|your|his|her|their|our|its|this|that|each|per|one|same|usual|normal|standard|typical|daily|"
    r"weekly|monthly|starting|recommended|right|correct|max|maximum|minimum|total|first|next|last|full|high|higher|"
    r"low|lower|big|small|single|extra|missed)|\d|mg)\s*-?\s*$", _I)
# A word after it that makes it a noun: "dose of", "dose into", "dose range", "dose is", "dose-dense".
_NOUN_AFTER = re.compile(rf"(\s+({_AUXILIARIES}|of|for|to|per|in|into|on|at|by|from|with|without|over|under|during|"
                         r"after|before|than|between|through|and|or|mg|milligrams?|units?|range|levels?|amount|"
                         r"schedule|reductions?|adjustments?|limits?|intensity|\d)\b|-)", _I)
# Where a question's verb comes first: its opening, or after a comma.
_CLAUSE_START = re.compile(r"(^|[,;:(])\W*$")
_WH_OPENING = re.compile(r"\W*(how|where|why|when|who|what|which)\b", _I)
# A clause's verb ("has" and "have" left out: "i have risk factors dose that mean ...").
_VERB_BEFORE = re.compile(r"\b(is|are|was|were|am|do|does|did|can|could|will|would|should|shall|may|might|must)\b", _I)
_CLAUSE = re.compile(r"[,;:.!?()]|\b(?:and|or|but|so|if|when|because|since|though|although|while)\b", _I)
# "how well he dose", "how she dose after chemo": "does" after its subject ends a clause.
_SUBJECT_BEFORE = re.compile(r"\b(he|she|it|they|you|we|i|how\s+well\s+(\w+\s+){0,2}\w+)\s+$", _I)
_CLAUSE_END = re.compile(r"\s*([.,;:!?)]|$|(after|with|on|in|at|when|if|since)\b)", _I)
# Before "mean(s)", "do" or "have to do with", a few words on, with no "of", "for", "and" or
# other verb between: "what dose stage 4 lymphoma in a child mean", "what dose reishi do to
# polyps", "what dose HPV have to do with it" ("what dose of octreotide means it works",
# "what dose does the doctor mean", "what dose should I do" ask).
_DOES_MEAN = re.compile(rf"dose(\s+(?!(of|for|and|{_AUXILIARIES})\b)[\w'-]+){{1,6}}\s+(means?|do|have to do with)\b",
                        _I)


def reads_does(text: str, start: int, end: int) -> bool:
    """Whether the "dose" at ``text[start:end]`` is "does" mistyped."""
    before, after = text[:start], text[end:]
    means = bool(_DOES_MEAN.match(text, start))  # "what dose stage 4 lymphoma in a child mean"
    if _ASKING_BEFORE.search(before):
        return means or bool(_AGREEING_AFTER.match(after))
    if _NOUN_BEFORE.search(before):  # "the dose"
        return False
    if means or (_SUBJECT_BEFORE.search(before) and _CLAUSE_END.match(after)):
        return True
    if _VERB_BEFORE.search(_CLAUSE.split(before)[-1]):  # its clause has its verb: "does the radiation dose my son got"
        return False
    if _SUBJECT_WORD.match(after):
        return bool(_SUBJECT_AFTER.match(after))
    if _NOUN_AFTER.match(after) or not re.match(r"\s+\w+\s+\w", after):  # a subject and a verb must follow
        return False
    return bool(_CLAUSE_START.search(before) or _WH_OPENING.match(before))


def read_does(text: str) -> str:
    """``text`` with "dose" written "does" where it is meant so, when every "dose" in it is
    (a correction is shown by word, and replaces every copy); otherwise as typed."""
    doses = list(_DOSE.finditer(text))
    if not doses or not all(reads_does(text, *m.span()) for m in doses):
        return text
    return _DOSE.sub(lambda m: "Does" if m.group()[0] == "D" else "does", text)
