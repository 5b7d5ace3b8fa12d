"""The patients' page when it refuses: kind wording, the reason the question's own form or
words give, and the pointers it offers instead of a passage."""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest

from tests.service.conftest import OFF_TOPIC, passages

pytestmark = pytest.mark.model


def test_abstention_is_kind_and_shows_no_passage(client):
    resp = client.get("/", params={"q": OFF_TOPIC})
    assert resp.status_code == 200
    html = resp.text
    assert "1-800-4-CANCER" in html
    assert "seem to answer this question" in html
    assert not passages(html)
    assert "<mark>" not in html.split('class="answers"', 1)[1].split("</section>", 1)[0]
    assert "mention <q>flu</q>, <q>vaccine</q>." in html


def test_the_language_hint_counts_the_summaries_searched():
    """A trial read "The summaries we search" on the seed's one-summary index."""
    from retriever.models import SearchResult
    from service.presentation import question_hints

    refused = SearchResult(query="肺癌", hits=[], abstained=True, mode="hybrid")
    assert question_hints("肺癌", refused, 1)[0].startswith("The summary we search is written in English")
    assert question_hints("肺癌", refused, 169)[0].startswith("The summaries we search are written in English")
    answered = SearchResult(query="肺癌", hits=[], abstained=False, mode="hybrid")
    assert question_hints("肺癌", answered, 1) == [
        "The summary we search is written in English, so asking in English may find a better answer."]
    assert question_hints("a", answered, 1) == question_hints("what is octreotide", answered, 1) == []


@pytest.mark.parametrize("question, hint", [
    ("a", "Your question is very short. A few more words will help us find the right passage."),
    ("1", "Your question is very short. A few more words will help us find the right passage."),
    ("who are you?", "Your question is very short. A few more words will help us find the right passage."),
    ("whta is it", "Your question is very short. A few more words will help us find the right passage."),
    ("类癌综合征是什么", "The summary we search is written in English, so asking in English may find an answer."),
    ("肺癌", "The summary we search is written in English, so asking in English may find an answer."),
    ("ＦＬＵ ｖａｃｃｉｎｅ", None),  # full-width Latin letters are read as plain ones
    ("żółć", None),  # Latin letters with marks
    (OFF_TOPIC, None),
    ("¿cuáles son los síntomas del tumor neuroendocrino?",
     "The summary we search is written in English, so asking in English may find an answer."),
    ("wie wird ein karzinoid behandelt und welche nebenwirkungen gibt es",
     "The summary we search is written in English, so asking in English may find an answer."),
    ("how do i tarin my dog to sit", None),  # a slip is English still
    ("im scared", None),
])
def test_a_refusal_says_what_the_question_s_own_form_explains(client, question, hint):
    """A letter asks nothing, and a question in another script meets English passages only
    through the model's few words of it; both got the refusal for a question not covered."""
    html = client.get("/", params={"q": question}).text
    assert "seem to answer this question" in html
    assert re.findall(r'<p class="hint-refusal">([^<]*)</p>', html) == ([hint] if hint else [])
    if hint:  # the hint explains the refusal alone: no "don't mention cuales, sintomas", no "something else"
        assert 'class="not-covered"' not in html


@pytest.mark.parametrize("question, named, unnamed", [
    ("am i going to die", [], ["going", "die"]),  # no passage uses a word of it: none is quoted back
    ("strong painkillers make me sleepy", ["painkillers", "sleepy"], ["strong", "make"]),
    ("niacin", ["niacin"], []),
    ("how do I treat lung cancer", ["lung"], []),  # a health topic is named however common
])
def test_a_refusal_names_topics_and_uncommon_words_not_everyday_ones(client, question, named, unnamed):
    html = client.get("/", params={"q": question}).text
    assert "seem to answer this question" in html
    shown = re.findall(r"<q>([^<]*)</q>", html.split('class="not-covered"', 1)[1].split("</p>", 1)[0]) if named else []
    assert shown == named
    if not named:
        assert "don't mention" not in html
    for word in unnamed:
        assert f"<q>{word}</q>" not in html
    api = client.get("/api/search", params={"q": question}).json()
    # the API names what the page names, for clients that show it (and "niacin", a vitamin, is
    # also read as a subject other than cancer: the page says that in a sentence of its own)
    assert [w for w in api["not_covered"] if w != "a subject other than cancer"] == named


@pytest.mark.parametrize("question", ["how much does octreotide cost?", "how much octreotide should he take"])
def test_abstention_on_a_figure_says_the_number_is_not_given(client, question):
    html = client.get("/", params={"q": question}).text
    assert "don't give the number you asked for" in html and '<ol class="passages">' not in html
    # the passage on its subject is offered apart, under a label that says it is not the answer
    related = html.split('<section class="related"', 1)[1]
    assert "This doesn't answer your exact question, but may help" in related
    assert len(passages(related)) == 1 and "Hormone therapy" in related
    # said of the passages, not of a "They" nobody named; headings nest under the label's h3
    assert "The passages closest to your question don't give the number you asked for." in html
    assert "not showing any passages" not in html
    assert re.search(r'<h4 class="crumbs" id="related-1">', related) and '<h3 class="crumbs"' not in related
    # "the passage below" is the next thing read: the summary's contents come after it
    assert html.index('<section class="related"') < html.index('<details class="contents"')


def test_abstention_on_a_provider_says_none_is_named(client):
    html = client.get("/", params={"q": "best carcinoid doctor near me"}).text
    assert "don't name or rank hospitals or doctors" in html and not passages(html)
    assert "named hospital" not in html  # the marker is not shown as a missing word


def test_an_everyday_question_is_told_the_summaries_are_about_cancer(client):
    html = client.get("/", params={"q": "i have a cold and a sore throat what should i take"}).text
    assert "seem to answer this question" in html and not passages(html)
    assert "The NCI summary we search is about cancer, and your question may be about something else." in html
    api = client.get("/api/search", params={"q": "i have a cold and a sore throat what should i take"}).json()
    assert api["abstained"] and api["not_covered"] == ["a subject other than cancer"]


def test_a_refusal_giving_one_reason_does_not_add_the_everyday_one(client):
    """A caregiver's trial: "cost of injections insurance" got "They don't give the number you
    asked for" and "your question seems to be about something else" stacked; one reason is enough."""
    html = client.get("/", params={"q": "cost of injections insurance"}).text
    assert "don't give the number you asked for" in html
    assert "may be about something else" not in html


def test_a_refusal_offering_a_passage_does_not_say_it_shows_none(client):
    """It said "so we are not showing a passage that might not fit it" above the passage
    offered under "This doesn't answer your exact question, but may help"."""
    html = client.get("/", params={"q": "what is the survival rate for carcinoid tumors"}).text
    assert "This doesn't answer your exact question, but may help" in html
    assert "not showing a passage" not in html and "The passage below is about its subject and may help" in html
    plain = client.get("/", params={"q": "how many hours of sleep does a teenager need"}).text
    assert "so we are not showing a passage that might not fit it" in plain


def test_words_a_refusal_names_are_written_as_typed(client):
    html = client.get("/", params={"q": "Lutetium PRRT"}).text
    assert "seem to answer this question" in html
    assert "<q>Lutetium</q>, <q>PRRT</q>" in html and "<q>prrt</q>" not in html
    html = client.get("/", params={"q": "what is the Ki-67 for my dad"}).text  # a trial's page named "ki"
    assert "seem to answer this question" in html and "<q>Ki-67</q>" in html and "<q>ki</q>" not in html


def test_a_refusal_naming_text_shorthand_says_typing_it_out_may_help(client):
    """"cn u tke it out" was refused naming "cn" and "tke", with nothing to do about it."""
    html = client.get("/", params={"q": "cn u tke it out"}).text
    assert "seem to answer this question" in html
    assert ("<q>cn</q>, <q>tke</q>. If <q>cn</q>, <q>tke</q> are short for other words, typing them in full "
            "may help.") in html
    assert "short for other words" not in client.get("/", params={"q": "Lutetium PRRT"}).text  # capitals: names


def test_a_question_about_a_child_is_pointed_to_the_childhood_summary(client, retriever):
    """A parent asked about a teenager's appendix tumour and was not told the summary is the
    adults' one, though its first section names the childhood summary."""
    html = client.get("/", params={"q": "my 15 year old had a carcinoid in the appendix, what now"}).text
    assert "written about adults" in html
    assert "<cite>Childhood Gastrointestinal Neuroendocrine Tumors Treatment</cite>" in html
    link = re.search(r'<p class="note twin">.*?<a href="([^"]+)"', html).group(1)
    assert link == "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/child-gi-neuroendocrine-treatment-pdq"
    assert "written about adults" not in client.get("/", params={"q": "carcinoid in the appendix, what now"}).text
    flu = client.get("/", params={"q": "my son have flu and fever"}).text  # a patient's trial: no cancer asked of
    assert "may be about something else" in flu and "written about adults" not in flu


def test_the_contact_number_is_a_link_a_phone_can_call(client):
    html = client.get("/").text
    # each part kept whole (a caregiver's phone split "1-800-4-" from "CANCER"); the space may break
    assert ('<a class="phone" href="tel:18004226237"><span class="nowrap">1-800-4-CANCER</span> '
            '<span class="nowrap">(1-800-422-6237)</span></a>') in html


def test_an_operator_s_own_contact_line_is_named_as_theirs(make_client):
    """A charity's trial set PDQ_CONTACT_LINE to its own number, which the pages still called
    NCI's Cancer Information Service."""
    c = make_client(contact_line="0808 800 0000", contact_name="our nurse helpline")
    home, refused = c.get("/").text, c.get("/", params={"q": OFF_TOPIC}).text
    assert "Questions? Call our nurse helpline at" in home and "Cancer Information Service" not in home
    assert "a cancer information specialist at our nurse helpline: call" in refused


def test_a_british_spelling_is_not_pointed_out_and_another_english_word_is_read_as(client):
    """"diarrhoea" was met with "Showing results for ... diarrhea", as for a slip, then with "We
    read 'diarrhoea' as 'diarrhea'", which a trial's reader still took as correcting them."""
    html = client.get("/", params={"q": "flushing and diarrhoea"}).text
    assert "diarrhea" not in html.split('class="answers"')[0] and "Showing results for" not in html
    assert "We read" not in html
    trails = client.get("/", params={"q": "are there clinical trails for this"}).text
    assert "We read <q>trails</q> as <q>trials</q>." in trails  # a word of its own, not this one's spelling
    assert "Showing results for" in client.get("/", params={"q": "carcinod tumer"}).text


@pytest.mark.parametrize("query", ["i dont want to live anymore with this cancer", "i want to end my life",
                                   "my dad says he wants to kill himself", "ya no aguanto, me quiero quitar la vida"])
def test_thoughts_of_suicide_get_crisis_help_before_anything_else(client, query):
    """A trial got a surgery passage for the first and "try asking in other words" for the
    second; a reviewer of a phrase list found the third missed. The search's own answer or
    refusal still follows: the check can be wrong, and must then hide nothing."""
    html = client.get("/", params={"q": query}).text
    crisis = html.split('class="crisis"', 1)[1].split("</section>", 1)[0]
    assert 'role="alert"' in crisis and 'href="tel:988"' in crisis and 'href="tel:911"' in crisis
    assert "1-800-4-CANCER" in crisis and 'id="crisis-heading"' in crisis
    assert html.index('class="crisis"') < html.index('class="answers"')
    # the Lifeline in Spanish, marked as Spanish for screen readers: the check reads Spanish too
    spanish = crisis.split('<p lang="es">', 1)[1].split("</p>", 1)[0]
    assert "suicidio" in spanish and 'al <a href="tel:988">988</a> y oprima el 2' in spanish and "AYUDA" in spanish
    assert "try asking in other words" not in html and "What NCI's information says" not in html
    assert "<mark>" not in html.split('class="answers"', 1)[1]  # no sentence of theirs marked as an answer


@pytest.mark.parametrize("query", ["is my father going to die from this carcinoid", "will the chemo kill the cancer",
                                   "the pain is killing me", "how long does he have to live", "am i going to die",
                                   "who wrote this information", "who wrote this summary", "when was this written"])
def test_a_fear_of_dying_or_an_idiom_gets_no_crisis_help(client, query):
    html = client.get("/", params={"q": query}).text
    assert 'class="crisis"' not in html and 'class="answers"' in html


def test_the_api_flags_a_crisis_and_still_gives_the_search_s_results(client):
    body = client.get("/api/search", params={"q": "i dont want to live anymore with this cancer"}).json()
    assert body["crisis"] is True and (body["results"] or body["withheld"])
    assert client.get("/api/search", params={"q": "what is carcinoid syndrome"}).json()["crisis"] is False


def test_a_tumour_the_summary_points_elsewhere_for_is_refused_with_the_pointer(client):
    """The seed's first passage ends pointing to the pancreatic summary ("See the following ...:
    - Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment"); that line is no sign the
    passage answers "pancreatic neuroendocrine tumor treatment", which it did at confidence 0.95."""
    api = client.get("/api/search", params={"q": "pancreatic neuroendocrine tumor treatment"}).json()
    assert api["abstained"] and api["not_covered"] == ["pancreatic"]
    html = client.get("/", params={"q": "pancreatic neuroendocrine tumor treatment"}).text
    note = re.search(r'<p class="note other-summary">(.*?)</p>', html).group(1)
    assert note == ('For <q>pancreatic</q>, NCI has a separate summary, <a href="https://www.cancer.gov/types/'
                    'pancreatic/patient/pnet-treatment-pdq"><cite>Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) '
                    'Treatment</cite></a>.')  # the page the seed links to, as ingest kept its address
    # the same word in another form is as missing: the line names nothing, in any form
    api = client.get("/api/search", params={"q": "surgery for cancer of the pancreas"}).json()
    assert api["abstained"] and api["not_covered"] == ["pancreas"]
    # a topic no line of the summary points elsewhere for gets no such note, though that passage is held back
    adrenal = client.get("/api/search", params={"q": "adrenal neuroendocrine tumor"}).json()
    assert adrenal["abstained"] and adrenal["not_covered"] == ["adrenal"]
    assert any("Pancreatic Neuroendocrine Tumors" in r["text"] for r in adrenal["withheld"])
    assert 'class="note other-summary"' not in client.get("/", params={"q": "adrenal neuroendocrine tumor"}).text


def test_a_question_about_a_pet_is_refused_saying_the_summaries_are_about_people(client):
    """A new user's trial: "my dog has a tumor in his stomach what treatment" got the stomach
    treatment passage as the answer."""
    html = client.get("/", params={"q": "my dog has a tumor in his stomach what treatment"}).text
    assert "seem to answer this question" in html and "a vet is the one to ask" in html
    assert "may be about something else" not in html
    body = client.get("/api/search", params={"q": "my dog has a tumor in his stomach what treatment"}).json()
    assert body["abstained"] and body["not_covered"] == ["an animal's health"] and body["results"] == []
    staff = client.get("/staff", params={"q": "dog stomach tumor treatment"}).text
    assert "animal check reads it as a question about an animal's health" in staff and "lack: <q>an" not in staff



def test_a_refusal_says_where_the_summary_names_a_word_its_closest_passages_lack(client, retriever):
    """A patient's trial: "what is octreotide scan" was told the passages "don't mention
    octreotide", which the summary's hormone therapy section names."""
    html = client.get("/", params={"q": "what is octreotide scan"}).text
    assert "seem to answer this question" in html and "don't mention <q>octreotide</q>" in html
    note = re.search(r'<p class="note elsewhere">The summary names <q>octreotide</q> under <a href="([^"]+)">'
                     r"Hormone therapy</a>, which may not answer your question.</p>", html)
    assert note and note.group(1).startswith("https://www.cancer.gov/")
    assert "note elsewhere" not in client.get("/", params={"q": "what is lung cancer"}).text  # named nowhere
    dose = client.get("/", params={"q": "how many mg of octreotide for a scan"}).text  # a review: "They" then meant it
    assert "don't give the number you asked for" in dose
    assert dose.index("don't give the number you asked for") < dose.index('class="note elsewhere"')


def test_an_index_made_before_links_were_kept_points_to_the_line_naming_the_summary(make_client, retriever):
    """Its manifest holds no addresses (`ingest.links`): the notes open the seed where it
    names the other summary, as they did before."""
    docs = {d: dataclasses.replace(e, links={}) for d, e in retriever.manifest.documents.items()}
    old = copy.copy(retriever)
    old.index = dataclasses.replace(retriever.index, manifest=dataclasses.replace(retriever.manifest, documents=docs))
    client = make_client(old)
    child = client.get("/", params={"q": "my 15 year old had a carcinoid in the appendix, what now"}).text
    link = re.search(r'<p class="note twin">.*?<a href="([^"]+)"', child).group(1)
    assert link.startswith(retriever.manifest.documents[next(iter(docs))].url + "#:~:text=See%20the%20following")
    other = client.get("/", params={"q": "pancreatic neuroendocrine tumor treatment"}).text
    assert "find the link to it in <cite>Gastrointestinal Neuroendocrine Tumors Treatment</cite>" in other
