"""The list of drugs' other names (`retriever/pdq_drug_names.txt`): each brand or other name
of a drug the PDQ summaries name, with the name they use ("sutent" -> sunitinib).

Made from the dictionary of the drug-named-entity-recognition package (MIT; names from
DrugBank, MeSH, MedlinePlus and Wikipedia), not written by hand. A name is listed when:
- it is one word of `MIN_NAME` letters or more that the summaries never write and English
  rarely uses (below the speller's `ENGLISH_ZIPF`: "armour" is a word of its own);
- it is no slip of an everyday word (`spelling.everyday_slips`): a patient's "tiral",
  "pregnan" and "pulvis" are trial, pregnant and pelvis, not three drugs;
- it names exactly one drug, which the summaries name in one word, and which is a medicine
  MedlinePlus describes for patients: the dictionary's other substances and classes (MeSH's
  "iron", "mesothelin", "tocopherols") it maps from loose names ("electrolytic",
  "potentiating", "vitae").
The first word of a name of two ("somatuline depot") counts when every such name names the
same drug. A review of 300 names listed before the last two rules and the 5-letter floor
judged 272 right, 15 wrong and 13 unknown; the rules took out 5 of the 15, and 51 of the
63 everyday words, names and word pieces it found in the whole list ("kras", "bris",
"vitae", "trama"). Words a dictionary holds stay: half of its 25 are brands ("tylenol",
"motrin", "prozac"), half other things ("clumping", "colgate").
"""

from __future__ import annotations

from collections import Counter, defaultdict

from retriever.spelling import ENGLISH_ZIPF, everyday_slips
from retriever.tokenization import Vocabulary, zipf

HEADER = ("# Other names (brands, foreign spellings) of the drugs the PDQ summaries name, each with the\n"
          "# name they use, tab-separated: a question's brand the index never writes is searched as the\n"
          "# summaries' name (\"sutent\" -> sunitinib). Made by python -m training words from the\n"
          "# drug-named-entity-recognition package's dictionary; tests/training/test_words.py checks it.\n")
# Four letters are mostly initials, several drugs' or none: "kras" (a gene), "pred", "thio".
MIN_NAME = 5


def _dictionary() -> tuple[dict[str, list[str]], set[str]]:
    """``{name: [drug names]}``, every name the package knows, lower-cased, with the names of
    the drugs it stands for as the package writes them; and the drugs with a MedlinePlus page."""
    from drug_named_entity_recognition import drugs_finder

    data = drugs_finder.drug_canonical_to_data
    named = {c: str(data.get(c, {}).get("name") or c).lower() for cs in drugs_finder.drug_variant_to_canonical.values()
             for c in cs}
    medicines = {named[c] for c in named if data.get(c, {}).get("medline_plus_id")}
    return {name: [named[c] for c in cs] for name, cs in drugs_finder.drug_variant_to_canonical.items()}, medicines


def drug_names(counts: Counter, dictionary: dict[str, list[str]] | None = None,
               medicines: set[str] | None = None) -> dict[str, str]:
    """``{other name: the summaries' name}`` for the medicines the corpus (its word ``counts``) names."""
    if dictionary is None:
        dictionary, medicines = _dictionary()
    known = Vocabulary(counts)
    firsts: dict[str, set[str]] = defaultdict(set)
    for name, drugs in dictionary.items():
        first, _, rest = name.partition(" ")
        if rest and first not in dictionary:
            firsts[first].update(drugs)
    one_word = {name: drugs for name, drugs in dictionary.items() if " " not in name}
    candidates = one_word | {first: sorted(drugs) for first, drugs in firsts.items()}
    out = {}
    for name, drugs in candidates.items():
        if len(drugs) != 1 or not (name.isascii() and name.isalpha()) or len(name) < MIN_NAME or name == drugs[0]:
            continue
        drug = drugs[0]
        if not drug.isalpha() or drug not in medicines or not known.knows(drug):
            continue
        if name not in counts and zipf(name) < ENGLISH_ZIPF and not everyday_slips(name):
            out[name] = drug
    return dict(sorted(out.items()))


def render_drug_names(counts: Counter) -> str:
    return HEADER + "".join(f"{name}\t{drug}\n" for name, drug in drug_names(counts).items())
