import json
from pathlib import Path

import pytest

from eval.__main__ import main as eval_main
from tests.conftest import ROOT

pytestmark = pytest.mark.model
PROJECT_SET = ROOT / "eval" / "questions" / "seed_questions.jsonl"


def test_eval_all_modes_table_and_json(seed_index, tmp_path, capsys):
    out_json = tmp_path / "r.json"
    code = eval_main([str(PROJECT_SET), "--index", str(seed_index), "--mode", "all",
                      "--json", str(out_json), "--failures", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "hybrid" in out and "dense" in out and "bm25" in out and "Hit@1" in out
    assert "worst misses (hybrid)" in out
    listed = [line.strip() for line in out.splitlines() if line.strip()[:3] in ("1. ", "2. ", "3. ")]
    assert listed and all(" | " in line for line in listed)  # section | opening words: two passages of a section differ
    data = json.loads(out_json.read_text())
    for mode in ("hybrid", "dense", "bm25"):
        m = data["modes"][mode]
        assert set(m["metrics"]["in_scope"]) == {"Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Recall@10"}
        assert {"patient", "staff", "typo"} <= set(m["metrics"])
        assert set(m["abstention"]) == {"out_of_scope_abstained", "in_scope_abstained"}
        assert m["latency"]["p50_ms"] > 0
    hybrid = data["modes"]["hybrid"]
    assert hybrid["metrics"]["in_scope"]["Hit@5"] >= 0.8  # a sanity floor, not the target
    assert hybrid["abstention"]["out_of_scope_abstained"] > 0.5


def test_unknown_section_is_a_clear_error(seed_index, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "question": "q", "kind": "patient",
                               "sections": ["No Such Heading"], "evidence": []}) + "\n")
    assert eval_main([str(bad), "--index", str(seed_index)]) == 2
    err = capsys.readouterr().err
    assert "unknown section 'No Such Heading'" in err and f"in {seed_index})" in err  # the index as named


def test_one_run_names_bad_lines_and_every_item_the_index_cannot_judge(seed_index, tmp_path, capsys):
    """A file's unknown sections were named only once its bad lines were fixed, and then
    only the first of them: three runs for three mistakes."""
    item = {"question": "q", "kind": "patient", "sections": ["Key Points"], "evidence": []}
    lines = [json.dumps({**item, "id": "a", "sections": ["No Such Heading"]}), "{not json",
             json.dumps({**item, "id": "b"}), json.dumps({**item, "id": "c", "sections": ["Another Bad One"]})]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    assert eval_main([str(bad), "--index", str(seed_index)]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2: not valid JSON" in err
    assert "bad.jsonl:1: unknown section 'No Such Heading' in item a" in err
    assert "bad.jsonl:4: unknown section 'Another Bad One' in item c" in err
    good = tmp_path / "good_lines.jsonl"
    good.write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    assert eval_main([str(good), "--index", str(seed_index)]) == 2
    assert "2 items do not match the index" in capsys.readouterr().err
    # another file's items the index cannot judge are named beside a file's bad lines, and
    # many of them under a count, as bad lines are
    many = tmp_path / "many.jsonl"
    many.write_text("\n".join(json.dumps({**item, "id": f"m{i}", "sections": [f"Nowhere {i}"]}) for i in range(25)))
    assert eval_main([str(bad), str(many), "--index", str(seed_index)]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2: not valid JSON" in err and "many.jsonl: 25 items do not match the index" in err
    assert "many.jsonl:20: unknown section 'Nowhere 19'" in err and "Nowhere 20'" not in err and "and 5 more" in err
    # a new user's 2 items were "4 items": each missed a section and a quote
    twice = tmp_path / "twice.jsonl"
    twice.write_text("\n".join(json.dumps({**item, "id": f"t{i}", "sections": ["Nowhere"],
                                           "evidence": ["a quote that no passage holds"]}) for i in range(2)))
    assert eval_main([str(twice), "--index", str(seed_index)]) == 2
    assert "twice.jsonl: 2 item(s) (4 problems) do not match the index" in capsys.readouterr().err


def test_an_evidence_quote_no_passage_holds_is_a_clear_error(seed_index, tmp_path, capsys):
    """Such an item could never be found: scored, it would only lower the figures."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "question": "q", "kind": "patient", "sections": [],
                               "evidence": ["a quote the summary never says"]}) + "\n")
    assert eval_main([str(bad), "--index", str(seed_index)]) == 2
    err = capsys.readouterr().err
    assert f"bad.jsonl:1: evidence quote 'a quote the summary never says' of item x is in no passage of {seed_index}" \
        in err


def test_a_set_without_out_of_scope_items_writes_strict_json(seed_index, tmp_path):
    answerable = [line for line in PROJECT_SET.read_text(encoding="utf-8").splitlines()
                  if '"out_of_scope"' not in line][:3]
    qset, out = tmp_path / "in_scope.jsonl", tmp_path / "r.json"
    qset.write_text("\n".join(answerable) + "\n", encoding="utf-8")
    assert eval_main([str(qset), "--index", str(seed_index), "--json", str(out)]) == 0
    data = json.loads(out.read_text(), parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert data["modes"]["hybrid"]["abstention"]["out_of_scope_abstained"] is None
    from retriever.calibration import model_threshold
    from retriever.embedding import resolve_model
    from retriever.settings import DEFAULT_MODEL

    in_force = model_threshold(resolve_model(DEFAULT_MODEL))  # the model's, picked for it
    assert in_force is not None and data["meta"]["abstain_threshold"] == pytest.approx(in_force)


def test_a_report_names_the_model_files_its_figures_came_from(seed_index, seed_retriever, tmp_path, capsys):
    """int8 figures move by encoder file and CPU (docs/backends.md): a report that does not
    name them cannot be compared with another."""
    out = tmp_path / "r.json"
    assert eval_main([str(PROJECT_SET), "--index", str(seed_index), "--json", str(out)]) == 0
    head = capsys.readouterr().out.splitlines()[1]
    retriever = seed_retriever
    embedder = retriever.embedder
    assert head.startswith(f"{retriever.manifest.model} on {embedder.backend} ({embedder.file}), ranker ")
    assert retriever.reranker.sha256[:12] in head and f"threshold {retriever.threshold:.2f}" in head
    meta = json.loads(out.read_text())["meta"]
    assert (meta["backend"], meta["encoder"], meta["ranker"]) == (embedder.backend, embedder.file,
                                                                   retriever.reranker.sha256[:12])


def test_a_negative_failures_count_or_k_is_refused_in_one_line(capsys):
    """argparse's usage block came first, where every other refusal is one "error:" line."""
    for args, says in ((["--failures", "-3"], "--failures must be 0"), (["--k", "0"], "--k must be at least 1")):
        assert eval_main([str(PROJECT_SET), *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {says}") and "usage:" not in err


def test_an_option_argparse_cannot_read_is_refused_in_one_line(capsys):
    """"--mode foo" and "--k abc" still printed the usage block first (from a new user's trial)."""
    for args, says in ((["--mode", "foo"], "invalid choice: 'foo'"), (["--k", "abc"], "invalid int value: 'abc'")):
        with pytest.raises(SystemExit) as stop:
            eval_main([str(PROJECT_SET), *args])
        err = capsys.readouterr().err
        assert stop.value.code == 2 and err.startswith("error: argument") and says in err and "usage:" not in err


def test_missing_index_is_a_clear_error(tmp_path, capsys):
    assert eval_main([str(PROJECT_SET), "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "python -m ingest" in err


def test_medquad_style_sets_report_the_ceiling_their_repeated_wordings_set(seed_index, tmp_path, capsys):
    """The same question with two summaries as gold: one of the two is a miss whatever comes first."""
    seed_file = next((ROOT / "seeds").glob("*.md")).name
    rows = [{"question": "What are carcinoid tumors?", "answer": "a", "pdq_corpus_file": seed_file},
            {"question": "What are  carcinoid tumors?", "answer": "a", "pdq_corpus_file": "another-summary.md"}]
    qset, out = tmp_path / "mq.jsonl", tmp_path / "r.json"
    qset.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert eval_main([str(qset), "--index", str(seed_index), "--json", str(out)]) == 0
    assert "1 of the 2 in-scope questions repeat another's wording" in capsys.readouterr().out
    assert json.loads(out.read_text())["meta"]["document_hit1_ceiling"] == 0.5


def test_an_unwritable_json_path_is_refused_before_the_run(tmp_path, capsys):
    """The whole evaluation ran, then ended in a traceback."""
    (tmp_path / "taken").mkdir()
    for target, problem in ((tmp_path / "taken", "is a folder; name a file"),
                            (tmp_path / "file.txt" / "r.json", "cannot make its folder")):
        (tmp_path / "file.txt").write_text("")
        assert eval_main([str(PROJECT_SET), "--json", str(target)]) == 2
        assert f"--json {target}: {problem}" in capsys.readouterr().err


def test_several_sets_get_a_row_each_and_the_pooled_row(seed_index, tmp_path, capsys):
    lines = PROJECT_SET.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first_questions.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[30:50]) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert eval_main([str(first), str(second), "--index", str(seed_index), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 sets (50 questions)" in printed
    table_rows = {line.split()[0]: line.split() for line in printed.splitlines() if line.split()}
    assert {"first", "second", "pooled"} <= set(table_rows)
    data = json.loads(out.read_text())
    by_name = {r["name"]: r for r in data["rows"]["hybrid"]}
    a, b, pool = by_name["first"], by_name["second"], by_name["pooled"]
    assert pool["in_scope"] == a["in_scope"] + b["in_scope"] > 0
    hits = a["hit1"] * a["in_scope"] + b["hit1"] * b["in_scope"]
    assert round(pool["hit1"] * pool["in_scope"]) == round(hits)  # questions pooled, not figures averaged
    assert set(data["sets"]) == {"first", "second"}
    assert data["sets"]["first"]["hybrid"]["metrics"]["in_scope"]["Hit@1"] == a["hit1"]
    assert set(data["pooled_metrics"]["hybrid"]) == set(data["sets"]["first"]["hybrid"]["metrics"]["in_scope"])


def test_a_medquad_set_is_not_pooled_with_others(seed_index, tmp_path, capsys):
    """Its figures are by document as well as by passage: pooled with passage-judged sets
    they would mean neither."""
    seed_file = next((ROOT / "seeds").glob("*.md")).name
    mq = tmp_path / "mq.jsonl"
    mq.write_text(json.dumps({"question": "What are carcinoid tumors?", "answer": "a",
                              "pdq_corpus_file": seed_file}) + "\n", encoding="utf-8")
    assert eval_main([str(PROJECT_SET), str(mq), "--index", str(seed_index)]) == 2
    assert f"{mq}: a MedQuAD-style set" in capsys.readouterr().err



def test_a_section_several_documents_have_is_noted_and_doc_pins_it(tmp_path, capsys, settings, embedder):
    """The helper's anal cancer question counted the seed's "Surgery" passage as its answer."""
    import shutil

    from ingest.indexing import build_index
    from tests.conftest import SEEDS

    src = tmp_path / "docs"
    shutil.copytree(SEEDS, src)
    (src / "other.md").write_text("---\ntitle: Other Treatment\nurl: https://example.org/other\n---\n# Other\n\n"
                                  "## Surgery\n\nA wide local excision removes the growth and some skin around it.\n")
    index = tmp_path / "index"
    build_index(src, index, settings, embedder=embedder, progress=False)
    item = {"id": "x", "question": "what operation removes the growth and skin around it", "kind": "patient",
            "sections": ["Surgery"], "evidence": []}
    loose, pinned, unknown = (tmp_path / f"{n}.jsonl" for n in ("loose", "pinned", "unknown"))
    loose.write_text(json.dumps(item) + "\n")
    pinned.write_text(json.dumps({**item, "doc": "other"}) + "\n")
    unknown.write_text(json.dumps({**item, "doc": "nowhere"}) + "\n")
    assert eval_main([str(loose), "--index", str(index)]) == 0
    assert "1 item(s) of" in capsys.readouterr().out
    assert eval_main([str(pinned), "--index", str(index)]) == 0
    assert "note:" not in capsys.readouterr().out
    assert eval_main([str(unknown), "--index", str(index)]) == 2
    assert "unknown doc 'nowhere' in item x (no document of" in capsys.readouterr().err


def test_a_missing_index_says_to_check_the_path_before_a_rebuild(tmp_path, capsys):
    """A mistyped --index was told to rebuild the index first."""
    assert eval_main([str(PROJECT_SET), "--index", str(tmp_path / "indx")]) == 2
    err = capsys.readouterr().err
    assert err.index("folder does not exist (check the path") < err.index("if the path is right, build")


def test_a_model_file_that_cannot_be_used_is_a_clear_error(seed_index, monkeypatch, capsys):
    """A bad-input review: a cut-off threshold.json (or any model file) gave a traceback here."""
    from retriever.embedding import ModelError
    from retriever.search import Retriever

    def damaged(*args, **kwargs):
        raise ModelError("models/pdq-minilm-l6/threshold.json: not a threshold record; rebuild it with: ...")
    monkeypatch.setattr(Retriever, "load", damaged)
    assert eval_main([str(PROJECT_SET), "--index", str(seed_index)]) == 2
    assert capsys.readouterr().err.startswith("error: models/pdq-minilm-l6/threshold.json: not a threshold record")


def test_a_json_path_that_is_an_input_is_refused_before_the_run(seed_index, tmp_path, capsys):
    """An evaluator's trial: ``--json mine.jsonl`` replaced the question set with the report,
    and ``--json INDEX/manifest.json`` damaged the index."""
    qset = tmp_path / "mine.jsonl"
    qset.write_text(PROJECT_SET.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    before = qset.read_bytes()
    assert eval_main([str(qset), "--index", str(seed_index), "--json", str(qset)]) == 2
    assert f"--json {qset}: is a question set being scored" in capsys.readouterr().err
    assert qset.read_bytes() == before
    inside = seed_index / "report.json"
    assert eval_main([str(qset), "--index", str(seed_index), "--json", str(inside)]) == 2
    assert "is inside the index folder" in capsys.readouterr().err and not inside.exists()


def test_a_refused_run_leaves_no_folder_for_its_report(tmp_path, capsys):
    target = tmp_path / "new" / "deeper" / "r.json"
    assert eval_main([str(PROJECT_SET), "--index", str(tmp_path / "no-index"), "--json", str(target)]) == 2
    assert "no-index" in capsys.readouterr().err and not (tmp_path / "new").exists()


def test_json_dash_writes_the_report_to_stdout_and_the_tables_to_stderr(seed_index, tmp_path, capsys):
    qset = tmp_path / "mine.jsonl"
    qset.write_text("\n".join(PROJECT_SET.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert eval_main([str(qset), "--index", str(seed_index), "--json", "-"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["meta"]["settings"]["lexicon"] is True and "Hit@1" in out.err
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    second = tmp_path / "second.jsonl"
    second.write_text(qset.read_text(encoding="utf-8").replace('"id": "', '"id": "b'), encoding="utf-8")
    assert eval_main([str(qset), str(second), "--index", str(seed_index), "--json", "-"]) == 0
    both = capsys.readouterr()
    assert set(json.loads(both.out)["sets"]) == {"mine", "second"} and "pooled" in both.err


def test_json_dot_slash_dash_is_a_file_named_dash(seed_index, tmp_path, capsys, monkeypatch):
    qset = tmp_path / "mine.jsonl"
    qset.write_text(PROJECT_SET.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert eval_main([str(qset), "--index", str(seed_index), "--json", "./-"]) == 0
    assert "Hit@1" in capsys.readouterr().out and json.loads((tmp_path / "-").read_text())["meta"]


def test_a_hard_link_to_a_set_or_a_link_to_nothing_is_refused_as_a_report_path(tmp_path, capsys):
    """A review: a hard link to the set being scored was overwritten, and a link to nothing
    ended the run in a traceback after scoring."""
    qset = tmp_path / "mine.jsonl"
    qset.write_text(PROJECT_SET.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    (tmp_path / "hard.jsonl").hardlink_to(qset)
    assert eval_main([str(qset), "--json", str(tmp_path / "hard.jsonl")]) == 2
    assert "is a question set being scored" in capsys.readouterr().err
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere" / "r.json")
    assert eval_main([str(qset), "--json", str(tmp_path / "dangling.json")]) == 2
    assert "is a link to nothing; name a file" in capsys.readouterr().err
