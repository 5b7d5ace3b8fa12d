"""The speller: typed words read as the summaries' words, and real words left alone."""

from collections import Counter

from retriever.planning import Planner
from retriever.respelling import VowelsPutBack, sound_alikes
from retriever.spelling import Speller


def test_speller_corrects_only_unknown_words():
    sp = Speller(Counter({"carcinoid": 5, "octreotide": 3, "colonoscopy": 2, "tumor": 9}))
    assert sp.correct("carcinoyd") == "carcinoid"
    assert sp.correct("octreotid") == "octreotide"
    assert sp.correct("colonscopy") == "colonoscopy"
    assert sp.correct("tumor") is None and sp.correct("zebra") is None and sp.correct("the") is None


def test_speller_leaves_real_words_and_recognises_loose_typos():
    sp = Speller(Counter({"does": 9, "part": 4, "ablation": 2, "lymph": 3, "embolization": 1}))
    assert sp.correct("doses") is None and sp.correct("apart") is None
    assert sp.looks_misspelled("embolizashun") and sp.looks_misspelled("lymf")
    assert not sp.looks_misspelled("telotristat")


def test_speller_hears_spellings_by_ear_and_short_slips():
    sp = Speller(Counter({"ablation": 2, "chemotherapy": 5, "tumor": 9, "embolization": 1}))
    assert sp.correct("ablashun") == "ablation"
    assert sp.correct("embolizashun") == "embolization"
    assert sp.correct("tumer") == "tumor"
    assert sp.correct("tumbler") is None


def test_a_spelling_by_ear_that_lands_on_a_corpus_word_beats_a_one_letter_slip():
    """"stomak" is one letter from "stoma" (a PDQ word) but sounds "stomach"; a trial's
    "tumor in my stomak" was refused on the seed and answered about stomas on the corpus."""
    sp = Speller(Counter({"stoma": 3, "stomach": 40}))
    assert sp.correct("stomak") == sp.correct("stomack") == "stomach"
    assert Speller(Counter({"stoma": 3})).correct("stomak") == "stoma"  # no sound-alike: the slip stands
    # A sound-alike the corpus has once is likelier its own typo than the word meant.
    sp = Speller(Counter({"hyphothyroidism": 1, "hypothyroidism": 6}))
    assert sp.correct("hyfothyroidism") == "hypothyroidism"


def test_speller_keeps_a_rare_real_word_two_edits_from_a_corpus_word_but_fixes_its_slips():
    sp = Speller(Counter({"cheeses": 2, "operable": 3, "rhabdoid": 4, "prostate": 9, "separate": 5}))
    assert sp.correct("wheezes") is None  # not "cheeses"
    assert sp.correct("inoperable") is None  # not its opposite
    assert sp.correct("rhabdo") is None  # lay for rhabdomyosarcoma, not a rhabdoid tumour
    assert sp.correct("prostrate") == "prostate" and sp.correct("seperate") == "separate"


def test_speller_fixes_one_slip_in_a_non_word_when_one_corpus_word_is_that_near():
    sp = Speller(Counter({"cancer": 9, "cleanser": 1, "biopsy": 3, "free": 50, "freeze": 2,
                          "stent": 4, "student": 1, "tumor": 5}))
    assert sp.correct("canser") == "cancer"  # one edit, though "cleanser" scores higher
    assert sp.correct("biospy") == "biopsy"  # two letters swapped
    # two corpus words one edit away: the fuzzy score decides, not the commoner word
    assert sp.correct("freze") == "freeze" and sp.correct("stuent") == "student"
    # a drug or a tumour the summary lacks keeps its name, though "desmond" is one edit away
    assert sp.correct("telotristat") is None and sp.correct("desmoid") is None
    assert sp.correct("wilms") is None and sp.correct("crohn") is None


def test_a_non_word_nothing_else_reads_is_the_closest_corpus_word_when_heard_alike():
    """"sistoscopy" is no one slip from "cystoscopy" and scores 80 against it, under the bar;
    it sounds the same, so it is that word rather than a name the summary lacks."""
    sp = Speller(Counter({"cystoscopy": 5, "jaundice": 3, "leukemia": 40, "melanoma": 90}))
    assert sp.correct("sistoscopy") == "cystoscopy" and sp.correct("jondice") == "jaundice"
    assert sp.correct("leukima") == "leukemia" and sp.correct("mylenoma") == "melanoma"
    # the closest by letters must be the word heard: "mylenoma" is nearer "myeloma"
    assert Speller(Counter({"melanoma": 90, "myeloma": 30})).correct("mylenoma") is None
    # an everyday word one slip away comes first: "idney" is kidney, though it sounds like "iodine"
    assert Speller(Counter({"iodine": 5})).correct("idney") == "kidney"
    # a drug the summary lacks is not an everyday word it sounds like ("xtandi", "stand": Zipf 5.1)
    assert Speller(Counter({"stand": 5})).correct("xtandi") is None
    # letters metaphone cannot sound are heard as nothing, not as each other
    assert Speller(Counter({"абвгдежзий": 5})).correct("абвгдежзкл") is None


def test_speller_fixes_a_slip_of_an_everyday_word_the_corpus_lacks():
    sp = Speller(Counter({"tumor": 9, "surgery": 4}))
    assert sp.correct("mgiht") == "might" and sp.correct("atcually") == "actually"
    assert sp.correct("numbar") == "number"
    assert sp.correct("sutent") is None  # "stent" is too rare in English to be meant
    assert sp.correct("desmoid") is None  # a PDQ word, though "desmond" is one edit away
    assert sp.correct("realy") is None  # English uses it (Zipf 2.8): only a corpus word replaces it
    assert sp.correct("zorbitrex") is None  # nothing one edit away


def test_speller_hears_an_everyday_word_the_corpus_lacks():
    """"injecshun" is "injection" by ear where the index only says "injected": before, it
    stayed as typed, read as a drug name the summary lacks, and refused the question."""
    sp = Speller(Counter({"injected": 7, "tumor": 9, "desmoid": 2}))
    assert sp.correct("injecshun") == "injection" and sp.correct("operashun") == "operation"
    assert sp.correct("infecshuns") == "infections"  # the plural is heard the same way


def test_speller_hears_endings_and_four_letter_words_only_as_corpus_words():
    sp = Speller(Counter({"rectal": 5, "erectile": 2, "anal": 8, "lymphoma": 9, "chemo": 3, "gray": 2}))
    assert sp.correct("rectle") == "rectal"  # not "erectile", two edits either way
    assert sp.correct("lymphomer") == "lymphoma"
    assert sp.correct("anle") == "anal" and sp.correct("kemo") == "chemo"
    assert sp.correct("xray") is None  # one letter from "gray", but heard as nothing the corpus has
    # four-letter words English uses are words, not slips: "doze" is no "dose", "kava" no "cava"
    sp = Speller(Counter({"dose": 5, "cava": 3}))
    assert sp.correct("doze") is None and sp.correct("kava") is None
    assert "enough" in sound_alikes("enuff") and "cough" in sound_alikes("kuff")  # "-uff" before "f" -> "ph"
    assert Speller(Counter({"tamoxifen": 4})).correct("tamoxiphen") == "tamoxifen"  # "ph" heard as "f"
    # ... on its own: among the other patterns it undid their "f" -> "ph"
    assert Speller(Counter({"physician": 4})).correct("fizician") == "physician"
    assert Speller(Counter({"lymphoma": 4})).correct("lymfomer") == "lymphoma"
    assert sp.looks_misspelled("injecshun")
    assert sp.correct("telotristat") is None and not sp.looks_misspelled("telotristat")


def test_speller_reads_two_swapped_letters_in_short_words_and_names_with_digits():
    """Four-letter words were only heard ("kemo") and words with digits only split ("5hiaa"),
    so "MIGB scan" and "BRAC1" were searched as names the summaries lack."""
    sp = Speller(Counter({"mibg": 5, "brca1": 4, "scan": 9, "very": 9, "every": 9}))
    assert sp.correct("migb") == "mibg" and sp.correct("scna") == "scan" and sp.correct("brac1") == "brca1"
    assert sp.correct("evry") is None  # one edit from "very" and from "every": not a swap of either
    assert Speller(Counter({"test": 9})).correct("tesh") is None  # one edit, but a letter changed, not swapped
    assert sp.correct("brca3") is None  # another digit is another gene


def test_a_word_without_a_vowel_is_read_only_as_its_letters_swapped_or_its_vowels_put_back():
    """"hnscc" (head and neck squamous cell carcinoma) was read as "hnpcc", Lynch syndrome,
    and "what is hnscc" answered with inherited-risk passages: initials one letter apart
    name another disease or gene. A word typed without its vowels is still read."""
    assert Speller(Counter({"hnpcc": 3})).correct("hnscc") is None
    sp = Speller(Counter({"pdgfra": 2, "nsclc": 4, "symptoms": 9, "stomach": 5}))
    assert sp.correct("pdgfrb") is None
    assert sp.correct("nslcc") == "nsclc"  # two letters swapped: a slip of the same initials
    assert sp.correct("smptms") == "symptoms" and sp.correct("stmch") == "stomach"


def test_a_word_typed_without_its_vowels_is_the_commonest_word_with_its_consonants():
    """"thrgh" is one letter from "thigh", which the vowel rule refuses, so it stayed as typed."""
    sp = Speller(Counter({"through": 9, "thigh": 3, "salpingo": 40, "hnpcc": 3, "studies": 9, "pruritus": 9,
                          "quintrax": 2}))
    assert sp.correct("thrgh") == "through" and sp.correct("qntrx") == "quintrax"
    assert sp.correct("slpng") == "sleeping"  # everyday English, not the index's rarer term "salpingo"
    # an index word of everyday English first: a patient asks about bleeding, not building
    assert Speller(Counter({"bleeding": 50, "balding": 2})).correct("bldng") == "bleeding"
    # the first letter is kept when vowels are dropped
    assert VowelsPutBack(Counter({"anything": 9, "nothing": 2}), 5).read("nthng", None) == "nothing"
    assert sp.correct("hnscc") is None and sp.correct("hnpcc") is None  # initials, as before
    assert sp.correct("stds") is None and sp.correct("prrts") is None  # four letters, a plural's too: initials
    assert Speller(Counter({"quintrax": 1})).correct("qntrx") is None  # a word used once may be a typo


def test_initials_in_capitals_are_not_read_with_their_vowels_put_back():
    """"are PRRTs safe for carcinoid tumors" was answered from the pruritus summary."""
    planner = Planner(Speller(Counter({"pruritus": 9, "carcinoid": 4, "through": 9, "symptoms": 9})))
    assert planner.plan("are PRRTs safe for carcinoid tumors").corrections == {}  # a plural of initials
    assert planner.plan("what are the SMPTMS of carcinoid").corrections == {}  # capitals: a name as written
    assert planner.plan("what are the smptms of carcinoid").corrections == {"smptms": "symptoms"}
    assert planner.plan("will i get thrgh this").corrections == {"thrgh": "through"}


def test_speller_reads_british_spellings_as_the_summaries_american_ones():
    """"tumour" and "diarrhoea" are English words (Zipf 3 and more) that the speller left
    alone, so the keyword index never matched them; a respelling only counts when the
    index has it."""
    sp = Speller(Counter({"tumor": 9, "diarrhea": 4, "esophagus": 3, "center": 2, "des": 5}))
    assert sp.correct("tumour") == "tumor" and sp.correct("diarrhoea") == "diarrhea"
    assert sp.correct("oesophagus") == "esophagus" and sp.correct("centre") == "center"
    assert sp.correct("colour") is None  # "color" is not in this index
    assert Speller(Counter({"behavioral": 3})).correct("behavioural") == "behavioral"
    assert sp.correct("does") is None and sp.correct("goes") is None  # no British "des"


def test_speller_splits_a_number_from_the_letters_the_corpus_writes_apart():
    sp = Speller(Counter({"5": 2, "hiaa": 2, "urine": 3, "b": 1, "12": 1}))
    assert sp.correct("5hiaa") == "5 hiaa"
    assert sp.correct("b12") is None  # one letter is no word to match
    assert sp.correct("7xyzw") is None


def test_a_name_typed_in_capitals_is_not_read_with_two_letters_swapped():
    """A review found "In-111 DTPA octreotide scan" shown as "DTAP" and "FNAs" as "fans":
    capitals say the name was copied as written. Lower case, or a question all in
    capitals, still reads the swap."""
    planner = Planner(Speller(Counter({"dtap": 3, "fans": 2, "mibg": 5, "scan": 9, "octreotide": 4})))
    assert planner.plan("In-111 DTPA octreotide scan").corrections == {}
    assert planner.plan("two FNAs done").corrections == {}
    assert planner.plan("MIGB scan").corrections == {}
    assert planner.plan("migb scan").corrections == {"migb": "mibg"}
    assert planner.plan("MIGB SCNA").corrections == {"migb": "mibg", "scna": "scan"}


def test_a_name_in_mixed_case_is_left_as_typed():
    """A staff trial saw "NETest" read as newest; "PanNET", "CureSearch", "eHealth" and
    "PleurX" were read as panned, research, health and pleura. A capital after a small
    letter, or three capitals run into small ones, is a name copied as written; a slip of
    the shift key ("CAncer", "Carcinoyd") and a plural of capitals are read as before."""
    planner = Planner(Speller(Counter({"newest": 3, "panned": 2, "research": 4, "pleura": 5, "cancer": 9,
                                       "carcinoid": 4, "health": 6, "test": 5})))
    for name in ("NETest", "PanNET", "CureSearch", "eHealth", "PleurX"):
        assert planner.plan(f"what is the {name} test").corrections == {}, name
    assert planner.plan("what is the netest test").corrections == {"netest": "newest"}
    assert planner.plan("CArcinoyd in the bowel").corrections == {"carcinoyd": "carcinoid"}
    assert planner.plan("Carcinoyd in the bowel").corrections == {"carcinoyd": "carcinoid"}


def test_a_word_the_dictionary_holds_is_read_as_another_only_beside_that_word_s_partner():
    """A trial saw "carer" read as care; training questions' "zapping" (a tumour) was read as
    mapping and "areca" (nut) as area. A real word stays as typed, unless the index writes the
    word it is one slip from beside the same neighbour ("prostrate cancer"; read after the
    neighbour's own slip, "brest cancr") or names its summaries by that word and English
    rarely uses it ("biopsy of the prostrate"; "care" names summaries too). A slip the
    dictionary lists but English barely uses ("caner", "surgy") is read as before."""
    texts = ["Prostate cancer is treated with surgery. Prostate cancer may come back.",
             "Breast cancer is common. Breast cancer screening finds it."] * 3 + [
        "Family care and mapping of the area help.", "Carcinoid tumors are rare. Cancer surgery."]
    planner = Planner.for_texts(texts, 85.0, titles=["Prostate Cancer Treatment", "Nutrition in Cancer Care"])
    assert planner.plan("is prostrate cancer hereditary").corrections == {"prostrate": "prostate"}
    assert planner.plan("biopsy of the prostrate").corrections == {"prostrate": "prostate"}
    assert planner.plan("brest cancr symptoms").corrections == {"cancr": "cancer", "brest": "breast"}
    assert planner.plan("tips for a carer").corrections == {}
    assert planner.plan("zapping the tumour").corrections.get("zapping") is None
    assert planner.plan("areca nut").corrections == {}
    assert planner.plan("caner surgy").corrections == {"caner": "cancer", "surgy": "surgery"}
    assert planner.plan("carcinoyd").corrections == {"carcinoyd": "carcinoid"}
