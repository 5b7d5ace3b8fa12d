from retriever.providers import provider_missing


def test_provider_questions_need_a_place_to_be_treated():
    assert provider_missing("which hospital has the best specialists?", ["Surgery is the usual treatment."])
    assert provider_missing("NET doctor near me", [])
    assert not provider_missing("which hospital is best?", ["Find an NCI-designated cancer center."])
    assert not provider_missing("what is the best treatment for a small tumor?", [])
    assert not provider_missing("what kind of doctor treats this?", [])
    # the choice asked with the provider first
    assert provider_missing("which hospital is the best for carcinoid tumor surgery", [])
    assert provider_missing("Which surgeon at Johns Hopkins does the most Whipple operations?", [])
    assert not provider_missing("which doctors will be on my child's care team?", [])
    assert not provider_missing("which doctor is in charge, and who is best to ask about pain?", [])
    # any kind of specialist, right after the adjective: "-ologist" and physicians
    assert provider_missing("best dermatologist in ohio", []) and provider_missing("top rated urologist", [])
    assert not provider_missing("what does a radiation oncologist do?", [])
    for clinical in ("what is the best test a urologist uses for prostate cancer",
                     "good questions to ask my radiologist about the scan", "recommended tests a gynecologist does",
                     "which test do radiologists think is best"):
        assert not provider_missing(clinical, []), clinical
    # "near me" asks for a provider named before it; where a trial is, the trial search answers
    for provider in ("hospitals in my area that treat carcinoid", "is there a cancer center near me",
                     "endocrinologist near me", "neurosurgeon near me", "find a physician near me",
                     "is there a specialist for neuroendocrine tumors near me", "doctor, near me"):
        assert provider_missing(provider, []), provider
    for trial in ("find meso trial near me", "how do I search for neuroblastoma trials near me?",
                  "there's no therapist near me, can I do cbt for sleep over video",
                  "my doctor says to find a trial near me", "the surgeon said it spread. Is there a trial near me?"):
        assert not provider_missing(trial, []), trial



def test_a_place_one_is_in_is_no_choice_of_one_and_a_specialist_may_come_before_best():
    """A patient's trial over the corpus."""
    assert not provider_missing("best birthday present for a kid in hospital", [])
    assert not provider_missing("what is the best food to eat at the hospital", [])
    assert not provider_missing("what gift for a kid in  hospital is best", [])  # a review: any spacing, any order
    assert provider_missing("which urologist in leeds is best", [])
    assert provider_missing("best hospital in london", []) and provider_missing("best doctor at the hospital", [])
    assert provider_missing("I'm in hospital, which doctor is best", [])
    for clinical in ("what radiologists think is the best scan", "what the urologist said was the best option for me",
                     "which my urologist is best"):  # a review: no choice of a specialist asked
        assert not provider_missing(clinical, []), clinical
