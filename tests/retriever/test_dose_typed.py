""""Does" typed as "dose", read back from the words around it."""

import pytest

from retriever.dose_typed import read_does
from retriever.figures import FIGURE_KINDS, figures_asked
from retriever.planning import Planner

DOSE = [FIGURE_KINDS.index("a dose")]


@pytest.mark.parametrize("typed, meant", [
    ("dose it hurt", "does it hurt"),  # first, before its subject
    ("Dose turkey tail help people live longer?", "Does turkey tail help people live longer?"),
    ("how dose an MRI work", "how does an MRI work"),  # after a question word
    ("Where in the kidny dose kidney cancer start?", "Where in the kidny does kidney cancer start?"),
    ("How many lobs dose each lung have?", "How many lobs does each lung have?"),
    ("my dad smoked, dose having the scan help", "my dad smoked, does having the scan help"),  # after a comma
    ("will the HIV affect how well he dose?", "will the HIV affect how well he does?"),  # after its subject
    ("what decides how well a man dose with it", "what decides how well a man does with it"),
    ("What dose stage 4 lymphoma in a child mean?", "What does stage 4 lymphoma in a child mean?"),
    ("what dose HPV have to do with it", "what does HPV have to do with it"),  # a bare verb closes it
    ("what dose reishi do to polyps", "what does reishi do to polyps"),
    ("the pain dose not go away", "the pain does not go away"),  # "not" and a bare verb
    ("can you tell me how dose chemo work", "can you tell me how does chemo work"),  # right after "how"
    ("She had a mastectomy. Dose radiation hurt?", "She had a mastectomy. Does radiation hurt?"),
    ("dose these symptoms sound like lymphoma", "does these symptoms sound like lymphoma"),
    ("dose a mole that is itchy mean melanoma", "does a mole that is itchy mean melanoma"),
    ("dose melanoma of the iris spread much", "does melanoma of the iris spread much"),  # a bare verb a few words on
    ("it spread to his liver dose he have it there now", "it spread to his liver does he have it there now"),
    ("how fast dose tumors grow", "how fast does tumors grow"),  # a plural subject after "how"
    ("Dose NCI have a kidney cancer page?", "Does NCI have a kidney cancer page?"),  # "have a": a bare verb
    ("why dose the itching sometimes feel worse", "why does the itching sometimes feel worse"),
    ("dose capsaicin or menthol cream help itching", "does capsaicin or menthol cream help itching"),
    ("dose having a normal chest x-ray every year stop it", "does having a normal chest x-ray every year stop it"),
    ("what dose the PET scan show", "what does the PET scan show"),  # "what": a subject "does" agrees with
    ("how much dose that raise my chances", "how much does that raise my chances"),
    ("if i have risk factors dose that mean i get it", "if i have risk factors does that mean i get it"),
    ("what does it do and why dose it matter", "what does it do and why does it matter"),  # a clause of its own
])
def test_dose_is_read_as_does_where_its_grammar_is_a_verbs(typed, meant):
    assert read_does(typed) == meant
    assert figures_asked(typed) == figures_asked(meant)


@pytest.mark.parametrize("asks", [
    "what dose of octreotide is usual", "what is the dose the doctor gives", "which dose they use for kids",
    "what dose i should take", "what dose he should take", "octreotide dose a day", "dose a day of octreotide?",
    "Dose range for octreotide?", "dose lanreotide", "lanreotide dose for adults", "how dose is calculated",
    "is the dose the same for kids", "how much dose of radiation will I get", "20 mg dose or 30 mg dose",
    "worried about the dose my son gets", "what dose should I do", "what dose do kids get",
    "lanreotide dose every 4 weeks", "what dose my son gets", "what dose she got last time",  # no "does" verb form
    "what dose vitamin d do i need", "what dose chemo do kids get",  # "do" before a subject is its own verb
    "what dose morphine have they prescribed", "which dose the kids get",
    "what dose the oncologist usually recommends", "what dose my daughter usually gets",
])
def test_a_dose_named_as_one_stays_a_dose_asked(asks):
    assert read_does(asks) == asks
    assert figures_asked(asks) == DOSE, asks


@pytest.mark.parametrize("said", [
    "why split the radiation dose into smaller treatments",  # a word after it makes it a noun
    "Does the radiation dose my son got affect his risk",  # its clause has its verb already
    "is high dose chemo hard on kids", "how dose-dense chemo works",
    "dose escalation trial", "dose too high side effects", "dose question for my mom",  # no bare verb follows
    "dose got reduced", "dose keeps going up", "why my chemo dose got lowered", "what chemo dose works best",
    "how often do they dose", "when dose missed what to do", "after the first dose it hurt a lot",
    "how to dose it for kids", "why they dose it by body weight", "what if we dose it lower",  # "dose", the verb
    "why dose timing matters", "when dose changes are needed", "how dose\u2010dense chemo works",
    "can they dose it by weight", "dose escalation to find the safest amount",
])
def test_a_dose_talked_about_stays_as_typed(said):
    assert read_does(said) == said


def test_does_typed_doses_before_a_pronoun_asks_no_dose():
    assert figures_asked("doses it hurt") == [] and figures_asked("how doses it work") == []
    assert figures_asked("how many doses are given") == DOSE


def test_a_question_with_a_dose_and_the_slip_is_left_as_typed_but_asks_for_the_dose_only():
    mixed = "dose the MRI use radiation like an xray dose?"  # one correction rewrites every copy
    assert read_does(mixed) == mixed
    assert figures_asked(mixed) == DOSE
    assert figures_asked("dose it hurt and what dose of it do they give") == DOSE


def test_the_planner_searches_and_shows_the_word_meant():
    planner = Planner.for_texts(["An MRI uses a magnet. The usual dose of octreotide is 20 mg."], 85.0)
    plan = planner.plan("how dose an MRI work")
    assert plan.dense_text == "how does an MRI work" and plan.corrections == {"dose": "does"}
    assert plan.figures == [] and "dose" not in plan.tokens
    asked = planner.plan("what dose of octreotide")
    assert asked.corrections == {} and asked.figures == DOSE
