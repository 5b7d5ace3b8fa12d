"""The batch sampler: two related summaries a batch, never one passage twice."""

from __future__ import annotations

from collections import Counter

from training.sampler import RelatedSummariesBatchSampler


def _sampler(docs, positives, neighbours, batch_size=8, drop_last=False):
    return RelatedSummariesBatchSampler(list(range(len(docs))), batch_size=batch_size,
                                        drop_last=drop_last, doc_of_row=docs,
                                        positive_of_row=positives, neighbours=neighbours)


def test_batches_pair_a_summary_with_its_neighbour_and_cover_every_row():
    docs = ["a"] * 12 + ["b"] * 12 + ["c"] * 12
    positives = [f"{d}{i % 6}" for i, d in enumerate(docs)]
    neighbours = {"a": ["b", "c"], "b": ["a", "c"], "c": ["b", "a"]}
    batches = list(_sampler(docs, positives, neighbours))
    rows = [r for b in batches for r in b]
    assert sorted(rows) == list(range(len(docs)))
    for batch in batches:
        assert len({positives[r] for r in batch}) == len(batch), "a passage twice in one batch"
    full = [b for b in batches if len(b) == 8]
    assert full and all(len({docs[r] for r in b}) >= 2 for b in full)
    first_docs = Counter(docs[b[0]] for b in full)
    assert sum(first_docs.values()) == len(full)


def test_drop_last_keeps_only_full_batches_and_len_matches():
    docs = ["a"] * 5 + ["b"] * 6
    positives = [f"p{i}" for i in range(11)]
    sampler = _sampler(docs, positives, {"a": ["b"], "b": ["a"]}, batch_size=4, drop_last=True)
    batches = list(sampler)
    assert all(len(b) == 4 for b in batches) and len(sampler) == len(batches)


def test_epochs_reshuffle():
    docs = ["a"] * 16 + ["b"] * 16
    positives = [f"p{i}" for i in range(32)]
    sampler = _sampler(docs, positives, {"a": ["b"], "b": ["a"]})
    first = list(sampler)
    sampler.set_epoch(1)
    assert list(sampler) != first


def test_no_row_s_hard_negative_is_another_row_s_positive_in_its_batch():
    docs = ["a"] * 12 + ["b"] * 12
    positives = [f"p{i}" for i in range(24)]
    negatives = [f"p{(i + 1) % 24}" for i in range(24)]  # each row's negative is its neighbour's answer
    sampler = RelatedSummariesBatchSampler(list(range(24)), batch_size=6, drop_last=False, doc_of_row=docs,
                                           positive_of_row=positives, neighbours={"a": ["b"], "b": ["a"]},
                                           negative_of_row=negatives)
    batches = list(sampler)
    assert sorted(r for b in batches for r in b) == list(range(24))
    for batch in batches:
        assert not {positives[r] for r in batch} & {negatives[r] for r in batch}
