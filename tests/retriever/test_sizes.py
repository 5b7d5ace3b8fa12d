import numpy as np
import pytest

from retriever.highlight import pick_highlights
from retriever.models import Span
from retriever.sizes import by_size, size_asked
from retriever.text import sentence_spans

RECTUM = ("Endoscopic surgery for tumors that are smaller than 1 centimeter. "
          "Surgery for tumors that are larger than 2 centimeters. "
          "It is not clear what the best treatment is for tumors that are 1 to 2 centimeters.")
SPANS = sentence_spans(RECTUM)


@pytest.mark.parametrize("question, size", [
    ("rectal carcinoid 5 mm", 0.5), ("1.5cm what now", 1.5), ("tumor is 3 centimeters", 3.0),
    ("under 1 cm", 0.99), ("more than 2 cm", 2.02), ("1-2 cm", 1.5), ("no size", None), ("2 cm and 3 cm", None),
    ("<1cm", 0.99), (">2cm", 2.02), ("1,5 cm", 1.5), ("between 1 and 2 cm", 1.5),  # a review's
    (">=2cm", 2.02), ("2cm+", 2.02), ("2 cm or larger", 2.02), ("at least 2 cm", 2.02), ("at most 1 cm", 0.99),
    ("two of them, 1 and 2 cm", None), ("stage 1 and 2 cm", None),  # a second review's
])
def test_the_size_a_question_gives_in_centimeters(question, size):
    assert size_asked(question) == pytest.approx(size) if size else size_asked(question) is None


@pytest.mark.parametrize("question, first", [("rectal carcinoid 5 mm", 0), ("3 cm rectal tumour", 1),
                                             ("it is 1.5 cm", 2), ("exactly 2 cm", 2), ("under 1 cm", 0)])
def test_the_sentence_whose_range_holds_the_size_is_highlighted_first(question, first):
    assert len(SPANS) == 3 and RECTUM[slice(*SPANS[1])].startswith("Surgery")
    scores = np.array([0.2, 0.9, 0.3])  # the embedding's pick: "larger than 2 centimeters"
    raised = by_size(SPANS, scores, RECTUM, size_asked(question))
    assert int(np.argmax(raised)) == first and all(raised[j] < 0 for j in range(3) if j != first)
    # no sentence of another size beside it
    assert pick_highlights(SPANS, scores, RECTUM, size_asked(question)) == [Span(*SPANS[first])]


def test_a_range_said_with_not_is_read_the_other_way():
    from retriever.sizes import _holds
    assert _holds("lymph nodes are not larger than 6 centimeters", 4) and not _holds("larger than 6 centimeters", 4)


def test_no_size_or_no_single_holding_sentence_leaves_the_scores():
    scores = np.array([0.2, 0.9, 0.3])
    assert by_size(SPANS, scores, RECTUM, size_asked("what is the treatment")) is scores
    two = "Tumors of 1 to 3 cm are removed. Tumors of 2 to 4 cm are watched. Others are not."
    assert by_size(sentence_spans(two), scores, two, size_asked("2.5 cm")) is scores  # two ranges hold it


@pytest.mark.model
@pytest.mark.parametrize("question, said", [("rectal carcinoid 5 mm", "smaller than 1 centimeter"),
                                            ("rectal carcinoid 1.5 cm", "1 to 2 centimeters"),
                                            ("rectal carcinoid 3 cm", "larger than 2 centimeters")])
def test_a_rectal_tumour_s_size_highlights_its_own_treatment_on_the_seed(seed_retriever, question, said):
    hit = next(h for h in seed_retriever.search(question, 5).hits if "Rectum" in h.chunk.section)
    shown = [hit.chunk.text[s.start:s.end] for s in hit.highlights]
    assert any(said in text for text in shown), shown
    others = {"smaller than 1 centimeter", "1 to 2 centimeters", "larger than 2 centimeters"} - {said}
    assert not any(o in text for o in others for text in shown), shown
