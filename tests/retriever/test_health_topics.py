"""Which words of a question are health topics, and which the passages miss (no model needed)."""

from retriever.health_topics import health_words, missing_topics, named_cancers, names_cancer, topic_words
from retriever.tokenization import Vocabulary, passage_vocabulary, stem


def _never_a_typo(word):
    return False


def test_topic_words_are_health_topics_not_everyday_words():
    words = ["lung", "insulinoma", "sunitinib", "telotristat", "leaflet", "jug", "husband", "tumor"]
    assert topic_words(words, set(), _never_a_typo) == ["lung", "insulinoma", "sunitinib", "telotristat"]
    assert topic_words(["shot", "flu"], {"shot"}, _never_a_typo) == ["flu"]
    assert topic_words(["ablashun"], set(), lambda w: True) == []


def test_a_topic_the_passages_name_by_a_bridged_word_is_not_missing():
    """The translation table's bridges (`translation.Bridges.of`): "boob", which no lexicon entry
    lists, is asked of passages saying mammary."""
    passages = Vocabulary(["a", "lump", "in", "the", "mammary", "gland"])
    bridges = {"boob": frozenset({stem("mammary")}), "lung": frozenset({stem("chest")})}
    assert missing_topics(["boob", "lung"], passages) == ["boob", "lung"]
    assert missing_topics(["boob", "lung"], passages, bridges=bridges) == ["lung"]
    # found missing already (a cancer no passage is about) stays missing, bridged or not
    assert missing_topics(["boob"], passages, ["boob"], bridges) == ["boob"]


def test_a_cancer_s_name_is_never_bridged():
    """Its passages must name it, whatever the table bridges it to ("sarcoma" is asked of passages
    saying "soft" tissue, "myeloma" of passages saying "plasma"); a plural by its stem."""
    passages = Vocabulary(["eat", "soft", "foods", "and", "plasma", "mammary", "carcinogenic"])
    bridges = {"sarcoma": frozenset({stem("carcinogenic")}), "sarcomas": frozenset({stem("carcinogenic")}),
               "myeloma": frozenset({stem("plasma")}), "epithelial": frozenset({stem("carcinogenic")}),
               "boob": frozenset({stem("mammary")})}
    assert missing_topics(["sarcoma", "sarcomas", "myeloma", "epithelial", "boob"], passages, bridges=bridges) == [
        "sarcoma", "sarcomas", "myeloma", "epithelial"]


def test_an_acronym_is_never_bridged():
    """"psa" is asked of passages saying "antigen", as passages on CEA say it too; a plural by its stem."""
    passages = Vocabulary(["the", "cea", "antigen", "test"])
    assert missing_topics(["psa"], passages, bridges={"psa": frozenset({stem("antigen")})}) == ["psa"]
    assert missing_topics(["afps"], passages, bridges={"afps": frozenset({stem("antigen")})}) == ["afps"]


def test_a_bridge_counts_only_through_a_word_everyday_english_seldom_uses():
    """The stem "easi" is bridged to "bruise", but "easily" (Zipf 4.9) names no bruise; "hearing aids" no
    HIV. The rarity is the passage's word's, not its stem's: "easi" itself is no word at all."""
    bridges = {"bruise": frozenset({stem("easily")}), "belly": frozenset({stem("abdomen")})}
    assert missing_topics(["bruise", "belly"], Vocabulary(["tires", "easily"]), bridges=bridges) == ["bruise", "belly"]
    assert missing_topics(["bruise", "belly"], Vocabulary(["the", "abdomen"]), bridges=bridges) == ["bruise"]


def test_an_everyday_word_with_a_disease_ending_is_not_a_topic():
    words = ["diagnosis", "prognosis", "tuberculosis"]
    assert topic_words(words, set(), _never_a_typo) == ["prognosis", "tuberculosis"]


def test_missing_topics_accept_any_form_the_passages_use():
    passages = Vocabulary("the lungs and the pancreatic tumor".split())
    assert missing_topics(["lung", "pancreas", "breast"], passages) == ["breast"]


def test_a_topic_is_found_in_its_irregular_plural_or_singular():
    """A trial: "will radiation hurt her teeth" was refused as about a topic the passages lack,
    over a passage listing "Tooth decay and gum disease" (Snowball stems "teeth" as itself)."""
    listing = passage_vocabulary("- Tooth decay and gum disease.", "Complications of radiation therapy")
    assert missing_topics(["teeth", "gum"], listing) == []
    assert missing_topics(["tooth", "foot"], Vocabulary(["teeth"])) == ["foot"]
    assert missing_topics(["children", "feet", "lives"], Vocabulary(["child", "foot", "life"])) == []
    # a plural read as another noun's is no pair: "cola" is not "colon", "dice" not "die"
    assert missing_topics(["colon", "die"], Vocabulary(["cola", "dice"])) == ["colon", "die"]


def test_a_subject_of_the_pdq_summaries_is_a_topic_only_where_the_index_never_mentions_it():
    words = ["gallbladder", "rectal", "scan"]
    assert topic_words(words, set(), _never_a_typo, lambda w: w == "rectal") == ["gallbladder"]
    assert topic_words(words, set(), _never_a_typo, lambda w: True) == []
    assert topic_words(words, set(), _never_a_typo) == []  # no index to ask: no subject counts


def test_a_learned_health_word_is_a_topic_only_where_the_index_never_mentions_it(monkeypatch):
    """A fresh probe: "my dad has a carcinoid in his appendix, what surgery will he need for his
    hernia" was answered on the seed; no hand list named "hernia"."""
    from retriever import health_topics

    monkeypatch.setattr(health_topics, "health_words",
                        lambda: frozenset({"hernia", "gout", "thymus", "anaesthetic", "oesophagus"}))
    words = ["hernia", "gout", "thymus", "husband", "surgery", "leaflet"]
    assert topic_words(words, set(), _never_a_typo, lambda w: w == "thymus") == ["hernia", "gout"]
    assert topic_words(words, set(), _never_a_typo, lambda w: True) == []
    assert topic_words(words, set(), _never_a_typo) == []  # no index to ask: none counts
    assert topic_words(words, {"hernia"}, _never_a_typo, lambda w: False) == ["gout", "thymus"]  # bridged
    # a British spelling is the word the index writes the American way (a fresh probe: "anaesthetic")
    assert topic_words(["anaesthetic", "oesophagus"], set(), _never_a_typo, {"anesthetic"}.__contains__) == [
        "oesophagus"]
    # initials are `retriever.initialisms`' to read: "DLBCL" over passages that spell it out
    assert topic_words(words, set(), _never_a_typo, lambda w: False, initials={"gout"}) == ["hernia", "thymus"]


def test_the_shipped_health_words_name_conditions_and_organs_not_lay_or_shared_words():
    """The list `python -m training health-words` wrote: conditions no hand list names, and none
    of the words rarer than everyday English that patients use of any cancer."""
    assert {"hernia", "emphysema", "glaucoma", "psoriasis", "thymus", "bronchus"} <= health_words()
    assert not health_words() & {"leaflet", "jug", "medicines", "chemotherapy", "oncologist", "biopsy",
                                 "tummy", "tablets", "grandad", "hubby", "knackered", "biscuits", "telly"}
    # patients ask these of summaries that never say them at least as often as of those that do
    assert not health_words() & {"relapse", "relapses", "painkillers", "radiotherapy", "dermatologist"}
    assert {"menopause", "remission", "bladder"} <= health_words()  # mostly asked of summaries that say them


def test_a_cancer_named_after_non_is_the_non_kind_where_the_index_writes_it():
    """A reviewer found "non-melanoma skin cancer treatment" refused for "melanoma", which the
    skin cancer passages never write apart from "nonmelanoma"."""
    typed = ["non", "melanoma", "skin", "cancer", "treatment"]
    assert named_cancers(["melanoma", "skin", "cancer"], (), typed, lambda w: w == "nonmelanoma") == ("nonmelanoma",)
    assert named_cancers(["melanoma", "skin", "cancer"], (), typed, lambda w: False) == ("melanoma",)
    assert named_cancers(["womb", "melanoma"], ("melanoma",), ["womb", "melanoma"], lambda w: True) == ()  # bridged


def _knows_none(word: str) -> bool:
    return False


def test_a_name_s_possessive_typed_without_its_apostrophe_names_its_cancer():
    """"hodgkins treatment" was answered from the seed's treatment passages: only "hodgkin"
    named a cancer. A plural that is a word of its own names none ("germs", "colons")."""
    assert named_cancers(["hodgkins", "treatment"], (), ["hodgkins", "treatment"], _knows_none) == ("hodgkin",)
    assert named_cancers(["ewings", "sarcoma"], (), ["ewings", "sarcoma"], _knows_none) == ("ewing", "sarcoma")
    assert named_cancers(["germs", "colons"], (), ["germs", "colons"], _knows_none) == ()
    typed = ["dr", "hodgkins", "says"]  # a person's name
    assert named_cancers(["hodgkins", "says"], (), typed, _knows_none) == ()
    typed = ["non", "hodgkins", "lymphoma"]  # read after "non" as typed without the "s"
    assert named_cancers(["hodgkins", "lymphoma"], (), typed, lambda w: w == "nonhodgkin") == ("nonhodgkin", "lymphoma")


def test_an_acronym_s_definition_names_a_cancer_by_a_cancer_word_and_a_cancer_s_last_word():
    for definition in ("chronic lymphocytic leukemia", "gastrointestinal stromal tumor", "squamous cell carcinoma",
                       "myelodysplastic syndromes", "langerhans cell histiocytosis", "neuroendocrine tumor"):
        assert names_cancer(definition), definition
    for definition in ("gastrointestinal", "graft-versus-host disease", "thyroid-stimulating hormone",
                       "anaplastic lymphoma kinase", "patient-controlled analgesia", "digital rectal exam"):
        assert not names_cancer(definition), definition


def test_a_name_s_possessive_without_its_apostrophe_is_refused_on_the_seed(seed_retriever):
    for question in ("hodgkins treatment", "is hodgkins curable"):
        result = seed_retriever.search(question)
        assert result.abstained and "hodgkin" in result.missing, question


def test_the_seed_answers_a_word_patients_use_of_what_it_says_otherwise(seed_retriever):
    """The seed says "recur", never "relapse": a probe's question was refused for it until words
    patients ask of summaries that never say them were left off the learned list."""
    res = seed_retriever.search("If my carcinoid tumour relapses after surgery what are the options?")
    assert not res.abstained and "relapses" not in res.missing
    assert "hernia" in seed_retriever.search("what surgery will my dad need for his hernia").missing
