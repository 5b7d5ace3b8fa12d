"""The crisis benchmark: the search's crisis flag counted per label, the crisis lines missed named."""

import json
from types import SimpleNamespace

from eval.bench.crisis import flagged_by_label


class _Flags:
    """A stand-in retriever whose search flags the lines that say "die"."""

    def search(self, text, k=3):
        return SimpleNamespace(crisis="die" in text)


def test_flags_are_counted_per_label_and_missed_and_needless_ones_named():
    rows = [{"text": "i want to die", "label": "crisis"}, {"text": "kms", "label": "crisis"},
            {"text": "I want to die at home", "label": "not"}, {"text": "what is a scan", "label": "not"}]
    total, flagged, missed, needless = flagged_by_label(_Flags(), rows)
    assert total == {"crisis": 2, "not": 2} and flagged == {"crisis": 1, "not": 1}
    assert missed == ["kms"] and needless == ["I want to die at home"]


def test_the_committed_reviewer_lines_are_labelled():
    with open("eval/crisis/reviewer_questions.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    assert {r["label"] for r in rows} == {"crisis", "topic", "not", "ambiguous"}
    assert sum(r["label"] == "crisis" for r in rows) == 66 and all(r["text"].strip() for r in rows)
