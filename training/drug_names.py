"""The list of drugs' other names (`retriever/pdq_drug_names.txt`): each brand or other name
of a medicine the PDQ summaries name, with the name they use ("sutent" -> sunitinib).

Made from the dictionary of the drug-named-entity-recognition package (MIT; names from
DrugBank, MeSH, MedlinePlus and Wikipedia), not written by hand. A name is listed when:
- it is one of the medicine's own one-word synonyms in the dictionary (its looser index of
  names maps word pieces and adjectives too: "transmucosal" to fentanyl; and the first words
  of its two-word synonyms are as often "haemato" of a fluorouracil or "conjugated" of an
  estrogen as a brand), or the first word of a two-word synonym whose second names a
  formulation (`FORMULATIONS`: "somatuline" of "somatuline depot");
- it is one word of `MIN_NAME` letters or more that the summaries never write and English
  rarely uses (below the speller's `ENGLISH_ZIPF`: "armour" is a word of its own);
- it is no slip of an everyday word (`spelling.everyday_slips`): a patient's "tiral",
  "pregnan" and "pulvis" are trial, pregnant and pelvis, not three drugs;
- it names exactly one drug, a medicine MedlinePlus describes for patients (the
  dictionary's other substances, MeSH's "iron" or "mesothelin", it maps from loose names),
  which the summaries' passages write as the dictionary names it, or as its first word
  where that is a medicine of its own ("imatinib mesylate" is imatinib, "zoledronic acid"
  stays whole, "sodium oxybate" is neither).
docs/abstention.md, "Drugs' other names", has the review of the list.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Container

from retriever.keyword import surface_counts
from retriever.spelling import ENGLISH_ZIPF, everyday_slips
from retriever.tokenization import zipf
from training.words import blocks

HEADER = ("# Other names (brands, foreign spellings) of the medicines the PDQ summaries name, each with\n"
          "# the name they use, tab-separated: a question's brand the index never writes is searched as\n"
          "# the summaries' name (\"sutent\" -> sunitinib). Made by python -m training words from the\n"
          "# drug-named-entity-recognition package's dictionary; tests/training/test_words.py checks it.\n")
# Four letters are mostly initials, several drugs' or none: "kras" (a gene), "pred", "thio".
MIN_NAME = 5


# The second word of a brand that names how the medicine is made up, not another substance: its
# first word is the brand patients say ("Somatuline Depot", "Sandostatin LAR", "Adalat CC").
FORMULATIONS = frozenset({"depot", "lar", "xr", "er", "sr", "xl", "cr", "la", "cc", "cd", "dr", "ec", "odt", "xt"})


def synonym_names(synonym: str) -> list[str]:
    """The names a synonym gives: itself when one word, its first word when the second names a
    formulation (`FORMULATIONS`); a trial's "somatuline" (lanreotide) was read as no drug."""
    parts = synonym.strip().lower().split()
    if len(parts) == 1:
        return parts
    return parts[:1] if len(parts) == 2 and parts[1] in FORMULATIONS else []


def _dictionary() -> tuple[dict[str, set[str]], set[str]]:
    """``{name: {drugs}}``, each one-word synonym of each medicine with a MedlinePlus page (or a
    brand's first word before its formulation, `synonym_names`), lower-cased, with the
    medicines it names as the package writes them; and those names."""
    from drug_named_entity_recognition import drugs_finder

    names: dict[str, set[str]] = defaultdict(set)
    for data in drugs_finder.drug_canonical_to_data.values():
        if data.get("medline_plus_id") and data.get("name"):
            for synonym in data.get("synonyms", []):
                for name in synonym_names(synonym):
                    names[name].add(str(data["name"]).lower())
    return names, {drug for drugs in names.values() for drug in drugs}


def passage_counts(docs: list[tuple[str, str]]) -> Counter:
    """How often each word occurs in the summaries' titles and passages as the index reads
    them: not in links' addresses, where "aldesleukin" is all that names "proleukin"."""
    return surface_counts([" ".join([title, *blocks(text)]) for title, text in docs])


def summaries_name(drug: str, counts: Counter, medicines: Container[str]) -> str | None:
    """The name the summaries (their word ``counts``) give ``drug``: its first word where
    that is a medicine of its own ("imatinib mesylate", "fentanyl patch"), else the name as
    the dictionary writes it; None when they never write it (exactly: "hydroxyurea" names no
    hydroxyzine, as a stem or prefix match took it to), or it is two drugs. A first word
    that is no medicine is no name ("sodium oxybate" is no sodium, "zoster vaccine live" no
    zoster)."""
    words = re.sub(r"\(.*?\)", " ", drug).split()
    if not words or "and" in words:  # a combination ("acetaminophen and codeine") is no one drug
        return None
    if words[0] in medicines and counts.get(words[0], 0):
        return words[0]
    return " ".join(words) if all(counts.get(w, 0) for w in words) else None


def other_names(counts: Counter, dictionary: dict[str, set[str]] | None = None,
                medicines: Container[str] = ()) -> dict[str, str]:
    """``{other name: the summaries' name}`` for the medicines the corpus (its passages' word
    ``counts``, `passage_counts`) names; ``medicines`` as `_dictionary` gives them."""
    if dictionary is None:
        dictionary, medicines = _dictionary()
    out = {}
    for name, drugs in dictionary.items():
        named = {summaries_name(d, counts, medicines) for d in drugs}
        if len(named) != 1 or None in named or not (name.isascii() and name.isalpha()) or len(name) < MIN_NAME:
            continue
        drug = named.pop()
        if name != drug and name not in counts and zipf(name) < ENGLISH_ZIPF and not everyday_slips(name):
            out[name] = drug
    return dict(sorted(out.items()))


def render_drug_names(docs: list[tuple[str, str]]) -> str:
    """The list's text for the corpus's summaries ((title, text) each, `training.words.summaries`)."""
    return HEADER + "".join(f"{name}\t{drug}\n" for name, drug in other_names(passage_counts(docs)).items())
