from eval.metrics import ir_metrics


def test_metrics_cut_off_beyond_the_passages_retrieved_are_left_out():
    """With one passage retrieved, "Hit@5" would be Hit@1 under another name."""
    qrels = {"a": {"p1": 1}, "b": {"p9": 1}}
    run = {"a": {"p1": 1.0}, "b": {}}  # b abstained
    assert ir_metrics(qrels, run, k=1) == {"Hit@1": 0.5}
    wide = ir_metrics(qrels, {"a": {"p0": 2.0, "p1": 1.0}, "b": {}}, k=10)
    assert (wide["Hit@1"], wide["Hit@3"], wide["MRR@10"]) == (0.0, 0.5, 0.25)
    assert set(wide) == {"Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Recall@10"}
