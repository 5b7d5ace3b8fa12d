"""Which words of a question name a health topic, and which of those the passages miss.

A missing topic is a word of the question (or a cancer's name, "lung cancer":
`retriever.cancer_names`) that none of the top three passages uses (nor another form of it:
same stem, or the same first `tokenization.PREFIX` letters), that the lay lexicon does not
bridge, and that names a health topic: one of the `HEALTH_TOPICS`, the ending of a disease
or drug name ("-oma", "-itis", "-nib", ...), a subject of the PDQ summaries or a word learned
to name a health topic (`health_words`: "gout", "hernia") that the index never mentions, or no
English word at all and no misspelling of one ("telotristat"). A topic put
after "non" is read as the "non" kind where the index writes it (`negated_topics`:
"non-melanoma"). Everyday words the documents happen not to use ("leaflet", "jug") do not
count: refusing on them refused 44% of a held-out set. Abstention (`retriever.abstain`)
lowers its confidence for each one missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from retriever.acronyms import definitions
from retriever.acronyms import lowered as acronyms
from retriever.dictionary import in_dictionary
from retriever.lexicon import LAY_TERMS
from retriever.respelling import american
from retriever.text import shipped_lines
from retriever.tokenization import EVERYDAY_ZIPF, NON_WORD_ZIPF, Vocabulary, negated, negations, stem, words, zipf

# Grouped for the audit of which groups earn their place (`python -m eval.bench topics`,
# docs/abstention.md); a group of tumour statistics ("survival", "grade") did not and was dropped.
TOPIC_GROUPS = {
    "organs": frozenset("""
        lung lungs breast breasts prostate kidney kidneys bladder ovary ovaries ovarian uterus
        uterine womb cervix cervical testicle testicles testicular thyroid adrenal pituitary
        teeth tooth gums sinus sinuses spine knee knees hip hips heartburn
    """.split()),
    "cancers": frozenset("""
        leukemia leukaemia lymphoma myeloma melanoma sarcoma glioma mesothelioma hepatocellular
    """.split()),
    "conditions": frozenset("""
        diabetes diabetic asthma arthritis flu influenza covid coronavirus hiv aids hpv
        hepatitis stroke strokes cholesterol hypertension migraine migraines allergy allergies
        depression anxiety pregnancy pregnant dementia alzheimer alzheimers obesity
        osteoporosis eczema psoriasis acne insomnia smoker smokers smoking vaping gallstones
        pneumonia covid19
    """.split()),
    "tests": frozenset("""
        mammogram mammograms mammography psa pap dexa ekg ecg mri
    """.split()),
    "drugs and supplements": frozenset("""
        vaccine vaccines vaccination vaccinated ibuprofen aspirin acetaminophen
        paracetamol tylenol advil antibiotic antibiotics statin statins insulin steroid
        steroids opioid opioids supplement supplements vitamin vitamins b12 turmeric cbd
        marijuana cannabis herbal herbs probiotic probiotics keto vegan
    """.split()),
}
HEALTH_TOPICS = frozenset().union(*TOPIC_GROUPS.values())
# Endings of disease and drug names: "insulinoma", "gastritis", "sunitinib", "everolimus".
MEDICAL_ENDING = re.compile(
    r"(omas?|itis|osis|emia|nib|mab|limus|stat|mide|abine|platin|taxel|cillin|mycin|"
    r"statin|vir|pril|olol|sartan|azole|prazole|tide|tides)$"
)
# The subjects the PDQ summaries' titles name (python -m training words): one the index never
# mentions is a summary it lacks (docs/abstention.md, "Subjects of other summaries").
SUBJECTS = Path(__file__).with_name("pdq_subjects.txt")


# Words of everyday English that name a health topic, learned from the summaries' own words
# (python -m training health-words): one the index never mentions is a topic it lacks ("gout",
# "hernia", "thymus" on the GI summary; docs/abstention.md, "Health topics, learned").
HEALTH_WORDS = Path(__file__).with_name("health_words.txt")


# The words that name a cancer-type summary (python -m training words): a question naming one
# asks about that cancer (`retriever.scope`: "A cancer the question names").
CANCER_WORDS = Path(__file__).with_name("pdq_cancer_words.txt")


@lru_cache(maxsize=1)
def health_words() -> frozenset[str]:
    """The words of `HEALTH_WORDS`, read once."""
    return frozenset(shipped_lines(HEALTH_WORDS))


@lru_cache(maxsize=1)
def pdq_subjects() -> frozenset[str]:
    """The subjects of `SUBJECTS`, read once."""
    return frozenset(shipped_lines(SUBJECTS))


@lru_cache(maxsize=1)
def cancer_words() -> frozenset[str]:
    """The words of `CANCER_WORDS`, read once."""
    return frozenset(shipped_lines(CANCER_WORDS))


@lru_cache(maxsize=1)
def never_bridged() -> frozenset[str]:
    """The stems of `cancer_words` and of the acronyms the summaries define: no other name
    stands for them (`missing_topics`)."""
    return frozenset(map(stem, cancer_words() | acronyms()))


def named_by(passages: Vocabulary, stems: frozenset[str]) -> bool:
    """Whether a passage word that everyday English seldom uses (Zipf under `EVERYDAY_ZIPF`) has one
    of ``stems``: "hearing aids" and "easily" name no health topic, whatever their stems are bridged to."""
    return bool(stems) and any(stem(w) in stems and zipf(w) < EVERYDAY_ZIPF for w in passages.words)


def mentions(index_knows: Callable[[str], bool], word: str) -> bool:
    """Whether ``index_knows`` (``word -> bool``, a vocabulary's any-form test) holds ``word`` or its
    American spelling: "anaesthetic" is the seed's "anesthesia". Training reads a summary's words
    through it too (`training.health_words.asked_words`), as a veto would."""
    return any(map(index_knows, [word, *american(word)]))


def named_cancers(words: Iterable[str], bridged: Container[str], typed: list[str],
                  index_knows: Callable[[str], bool]) -> tuple[str, ...]:
    """The ``words`` that name a cancer-type summary, less those the lay lexicon bridges, and
    one put after "non" read as the "non" kind (`negated_topics`: the skin cancer passages
    say "nonmelanoma", never "melanoma"). Matched as listed: by stem, "transition", "germs"
    and "gestation" would name the "transitional", "germ" and "gestational" summaries; but a
    name's possessive typed without its apostrophe is the name (`_possessive`), but not after a
    title ("dr hodgkins")."""
    titled = {b for a, b in zip(typed, typed[1:]) if a in TITLES}  # "dr ewings" is no Ewing sarcoma

    def read(word: str) -> str:
        return word if word in titled else _possessive(word)

    named = [w for w in dict.fromkeys(map(read, words)) if w in cancer_words() and w not in bridged]
    return tuple(negated_topics(named, list(map(read, typed)), index_knows))


# The last word of a definition naming a cancer, beside the cancer words ("leukemia"): "gastrointestinal
# stromal tumor", "squamous cell carcinoma", "myelodysplastic syndromes" (a review's examples).
CANCER_HEADS = frozenset("tumor tumors tumour tumours neoplasm neoplasms neoplasia cancer cancers carcinoma carcinomas "
                         "disease syndrome syndromes".split())


def names_cancer(definition: str) -> bool:
    """Whether an acronym's ``definition`` names a cancer: two words or more, one of them a cancer
    word, the last a cancer word or one of `CANCER_HEADS`. Not "gastrointestinal" (GI) alone,
    "graft-versus-host disease" or "thyroid-stimulating hormone"."""
    named = words(definition)
    last = named[-1] if len(named) > 1 else ""
    return (last in cancer_words() or last in CANCER_HEADS) and any(w in cancer_words() for w in named)


def acronyms_cancers(text: str, knows: Callable[[str], bool]) -> list[str]:
    """The cancer words of the definitions naming a cancer (`names_cancer`) of the acronyms
    ``text`` types that summaries knowing ``knows`` never write, where those summaries write
    none of them: "how is CLL treated" filtered to the penile summary names leukemia (whole,
    the corpus writes "CLL"). Not where they write one ("thymic" of TET, thymic epithelial
    tumor, in the childhood thymoma summary, which never says "epithelial"); nor another
    definition's words ("PCA" is the table's patient-controlled analgesia, and prostate cancer)."""
    named = [[w for w in words(d) if w in cancer_words()] for d in definitions(text, knows) if names_cancer(d)]
    return [w for cancers in named if not any(map(knows, cancers)) for w in cancers]


# Words before a person's name: "dr hodgkins", "mr ewings" (a review's examples).
TITLES = frozenset("dr doctor mr mrs ms miss prof professor nurse".split())


def _possessive(word: str) -> str:
    """``word`` less its "s" where that leaves a cancer word and ``word`` is no word of the dictionary:
    "hodgkins" (typed 70 times in the files of training/questions/), "ewings", "kaposis"; not "germs" or
    "colons". Unread, "hodgkins treatment" was answered from the seed's treatment passages."""
    return word[:-1] if word.endswith("s") and word[:-1] in cancer_words() and not in_dictionary(word) else word


def topic_words(words: Iterable[str], bridged: Container[str], looks_misspelled,
                index_knows: Callable[[str], bool] | None = None, initials: Container[str] = ()) -> list[str]:
    """Words of the question that name a health topic (see the module docstring).

    Args:
        words: Content words of the (corrected) question.
        bridged: Words the lay lexicon maps to document words.
        looks_misspelled: ``word -> bool``; a non-word close to a known word is a typo
            the speller could not settle, not a name.
        index_knows: ``word -> bool``, whether the index mentions it in any form: a subject
            of the PDQ summaries (`pdq_subjects`) or a learned health word (`health_words`)
            it never mentions, nor its American spelling ("anaesthetic" is the seed's
            "anesthesia"), is a topic. None: neither counts.
        initials: Words read as initials (`acronyms.as_initials`): `retriever.initialisms`
            says whether they are topics, not the learned health words.
    """
    out = []
    for w in dict.fromkeys(words):
        if w.isdigit() or (w in bridged and w not in HEALTH_TOPICS):  # "womb" stays one, found as "uterus"
            continue
        named = w in pdq_subjects() or (w in health_words() and w not in initials)
        subject = named and index_knows is not None and not mentions(index_knows, w)
        if w in HEALTH_TOPICS or subject or (len(w) > 5 and MEDICAL_ENDING.search(w) and zipf(w) < EVERYDAY_ZIPF):
            out.append(w)
        elif w.isalpha() and zipf(w) < NON_WORD_ZIPF and not looks_misspelled(w):
            out.append(w)
    return out


def negated_topics(topics: list[str], typed: list[str], index_knows: Callable[[str], bool]) -> list[str]:
    """``topics`` with each one the question (its words ``typed``) puts after "non" read as the
    "non" kind, where the index writes that kind: "non-melanoma skin cancer" asks for passages
    that name nonmelanoma, not melanoma, which the skin cancer summary's basal cell passages
    lack. One the index never writes ("non-HPV") stays as typed, and so does one the question
    also names bare ("melanoma and non-melanoma")."""
    negatives = negations(typed)
    if not negatives:
        return topics
    bare = set(negated(typed))
    return [negatives[t] if t in negatives and t not in bare and index_knows(negatives[t]) else t for t in topics]


def missing_topics(topics: Iterable[str], passages: Vocabulary, missing: Iterable[str] = (),
                   bridges: Mapping[str, frozenset[str]] | None = None) -> list[str]:
    """The topics none of the passages mentions in any form, as the lay lexicon's words ("womb": uterus) or by
    a stem it is ``bridges``'d to (`translation.Bridges.of`: "belly" by abdomen), and those found ``missing``
    already; no passage names a cancer's name (`cancer_names`), left out where its first word is missing too
    ("lung"). A bridge counts only through a word everyday English seldom uses (`named_by`). A word naming a
    cancer-type summary is never bridged: its passages must name it, as a cancer the question names must be
    named ("sarcoma" is asked of passages saying "soft" tissue; docs/abstention.md, "A cancer the question
    names"). Nor is an acronym the summaries define: its letters stand for several words, and one of them is
    not it ("psa" is asked of passages saying "antigen", as "CEA" ones do)."""
    bridges = {w: b for w, b in (bridges or {}).items() if stem(w) not in never_bridged()}
    out = [w for w in topics if " " in w or not (any(map(passages.knows, [w, *LAY_TERMS.get(w, "").split()]))
                                                  or named_by(passages, bridges.get(w, frozenset())))]
    out = list(dict.fromkeys([*out, *missing]))
    return [w for w in out if " " not in w or w.split(" ")[0] not in out]
