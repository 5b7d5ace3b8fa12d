"""python -m training: the shipped model, its ranker, threshold and word lists, from committed data.

    python -m training packets OUT_DIR            the writers' packets (one per helper)
    python -m training collect RAW.tsv ... [--force]  writers' lines -> questions.jsonl
    python -m training train [--force]            fine-tune -> models/pdq-minilm-l6
    python -m training calibrate --index DIR      fit abstention on a corpus index (measured, not shipped)
    python -m training fusion --index DIR         grid-search the fusion weights
    python -m training ranker --index DIR [--force]   fit the learned ranker on a corpus index
    python -m training threshold [--force]        pick the abstention threshold (training/calibration)
    python -m training domain [--force]           fit the check of whether a question is about cancer
    python -m training answerable [--force]       fit the check of what a question's wording says (training/calibration)
    python -m training passing [--force]          fit the check of whether a topic the passages lack is named in passing
    python -m training crisis [--force]           fit the check of whether a question reads as thoughts of suicide
    python -m training animals [--force]          fit the check of whether a question is about an animal's health
    python -m training health-words [--force]     learn which words of everyday English name a health topic (abstention)
    python -m training words [--force]            the corpus's own words the speller keeps as typed, the subjects
                                                  and cancers it names, the sentences every summary carries, English's
                                                  irregular plurals (abstention), its acronyms and bare verbs, and the
                                                  brand names of the drugs it names (planning)
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from training.cli import GUIDE, build_parser


def _sections(corpus: Path):
    from training.sections import load_sections
    return {s.key: s for s in load_sections(corpus)}


def _read_all(paths: list[Path], sections) -> list:
    """Every question of every file, in order: each file validated and named on its own."""
    from training.questions import read_questions
    return [q for path in paths for q in read_questions(path, sections)]


def _packets(args) -> int:
    from training.packets import write_packets
    quotas = write_packets(args.corpus, args.out, args.n, args.each, args.match)
    print(f"{len(quotas)} packets, {sum(quotas)} questions asked for, in {args.out}")
    return 0


def _collect(args) -> int:
    """Keep every line that validates, once; name each dropped line and why."""
    from training.questions import QuestionFileError, read_raw, squash
    sections = _sections(args.corpus)
    kept, seen, dropped = [], set(), 0
    try:
        for path in args.raw:
            for lineno, q, why in read_raw(path, sections):
                key = q and (q.doc_id, squash(q.question))
                why = why or ("duplicate question" if key in seen else "")
                if why:
                    dropped += 1
                    print(f"{path}:{lineno}: dropped: {why}", file=sys.stderr)
                    continue
                seen.add(key)
                kept.append(q)
    except (QuestionFileError, OSError) as exc:  # not UTF-8, or unreadable: nothing is written
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not kept:  # an empty file must not replace the committed questions
        print(f"error: no usable question in {', '.join(map(str, args.raw))}; {args.out} left as it was",
              file=sys.stderr)
        return 2
    if args.out.exists() and not args.force:  # checked after the lines, so that each bad one is named first
        print(f"error: {args.out} is there (the committed questions); pass --force to replace it, or --out",
              file=sys.stderr)
        return 2
    order = {k: i for i, k in enumerate(sections)}
    kept.sort(key=lambda q: order[q.section])
    try:
        args.out.write_text("".join(q.to_json() + "\n" for q in kept), encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {args.out} ({exc.strerror})", file=sys.stderr)
        return 2
    print(f"{len(kept)} questions over {len({q.doc_id for q in kept})} summaries -> {args.out}"
          f" ({dropped} lines dropped)")
    return 0


def _train(args) -> int:
    from retriever.embedding import ModelError, get_embedder, resolve_model
    from training.data import build_pairs, corpus_chunks
    from training.guide import GuideError
    from training.guide import resolve as resolve_guide
    from training.questions import QuestionFileError
    from training.shared import attach, read_shared
    from training.train import TrainConfig, fine_tune

    if (args.out / "model.safetensors").exists() and not args.force:
        print(f"error: {args.out} already holds a model; pass --force to replace it",
              file=sys.stderr)
        return 2
    try:
        guide = str(resolve_guide(args.guide, args.loss, GUIDE)) if args.guide else ""
    except (GuideError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        questions = _read_all(args.questions, _sections(args.corpus))
    except (QuestionFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        embedder = get_embedder(args.base, "torch")
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chunks = corpus_chunks(args.corpus, embedder.count_tokens, embedder.max_seq_length)
    labels = {d: f"{cs[0].title}. " + "; ".join(dict.fromkeys(c.heading_path[-1] for c in cs))[:600]
              for d, cs in chunks.items() if cs}
    try:
        shared = attach(read_shared(args.shared), chunks, args.shared) if args.shared else []
    except (QuestionFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    pairs = build_pairs(questions + shared, chunks)
    print(f"{len(questions)} questions and {len(shared)} about the shared sections, "
          f"{len(pairs)} located in their passages")
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, hard_negatives=args.hard_negatives,
                      loss=args.loss, guide=guide, scale=args.scale, seed=args.seed, typo_share=args.typos)
    record = fine_tune(resolve_model(args.base), pairs, labels, args.out, cfg, base_name=args.base,
                       chunks=chunks)
    print(f"trained on {record['rows']} pairs from {record['summaries']} summaries in "
          f"{record['seconds']} s -> {args.out}")
    return 0


def _calibrate(args) -> int:
    import json

    from retriever.embedding import resolve_model
    from retriever.search import Retriever
    from retriever.settings import read_settings
    from training.calibrate import calibrate
    from training.questions import QuestionFileError, read_questions

    try:
        questions = read_questions(args.questions, _sections(args.corpus))
    except (QuestionFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from retriever.embedding import ModelError
    from retriever.store import IndexLoadError

    settings = read_settings(model=args.model)
    try:
        retriever = Retriever.load(args.index, settings)
    except (IndexLoadError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    figures = calibrate(questions, retriever, args.out or Path(resolve_model(args.model)), n=args.n)
    print(json.dumps(figures, indent=2))
    return 0


def _fusion(args) -> int:
    import json

    from retriever.embedding import ModelError
    from retriever.search import Retriever
    from retriever.settings import read_settings
    from retriever.store import IndexLoadError
    from training.fusion import fit_fusion
    from training.questions import QuestionFileError, read_questions

    try:
        questions = read_questions(args.questions, _sections(args.corpus))
        retriever = Retriever.load(args.index, read_settings(ranker=False))  # the fused order's own weights
    except (QuestionFileError, OSError, IndexLoadError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(fit_fusion(questions, retriever, n=args.n), indent=2))
    return 0


def _ranker(args) -> int:
    import json

    from retriever.embedding import ModelError, resolve_model
    from retriever.ranker import FOLDER, MODEL_FILE, RankerError
    from retriever.search import Retriever
    from retriever.settings import read_settings
    from retriever.store import IndexLoadError
    from training.questions import QuestionFileError, read_questions
    from training.ranker import fit_ranker

    model_dir = Path(resolve_model(args.model))
    if (model_dir / FOLDER / MODEL_FILE).exists() and not args.force:
        print(f"error: {model_dir / FOLDER} already holds a ranker; pass --force to replace it",
              file=sys.stderr)
        return 2
    try:
        sections = _sections(args.corpus)
        questions = _read_all(args.questions, sections)
        audience = read_questions(args.audience, sections)
        lay = _read_all(args.lay, sections)
        retriever = Retriever.load(args.index, read_settings(model=args.model, ranker=False))
    except (QuestionFileError, OSError, IndexLoadError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        record = fit_ranker(questions, retriever, model_dir, audience, lay)
    except RankerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({k: record[k] for k in ("groups", "rows", "seconds", "validation")}, indent=2))
    return 0


def _words(args) -> int:
    import os

    from training import crossrefs, plurals
    from training import words as w
    from training.acronyms import render_acronyms
    from training.drug_names import render_drug_names
    from training.lay_cancers import read_asked, render_lay_cancers
    from training.questions import QuestionFileError

    outs = {f"--{k.replace('_', '-')}": v for k, v in vars(args).items() if k == "out" or k.endswith("_out")}
    if len({p.resolve() for p in outs.values()}) < len(outs):
        print(f"error: {', '.join(outs)} must name {len(outs)} files, not {', '.join(map(str, outs.values()))}",
              file=sys.stderr)
        return 2
    if (there := [str(p) for p in outs.values() if p.exists()]) and not args.force:
        print(f"error: {', '.join(there)} {'is' if len(there) == 1 else 'are'} there (committed lists); "
              "pass --force to replace them, or name other files with the --*-out options", file=sys.stderr)
        return 2
    try:
        read, questions = w.read_corpus(args.corpus), w.training_questions(args.questions)  # once for all lists
        docs = w.summaries(read)
        bodies = [text for _, text in docs]
        lists = [(args.out, w.render(w.corpus_counts(docs))),
                 (args.subjects_out, w.render_subjects([title for title, _ in docs])),
                 (args.boilerplate_out, w.render_boilerplate(bodies)),
                 (args.cross_references_out, crossrefs.render(bodies)),
                 (args.acronyms_out, render_acronyms(bodies, questions)),
                 (args.cancer_words_out, w.render_cancer_words(w.cancer_titles(read), docs)),
                 (args.cancer_names_out, w.render_cancer_names(read)),
                 (args.verbs_out, w.render_verbs(bodies, questions)),
                 (args.plurals_out, plurals.render_plurals()),
                 (args.drug_names_out, render_drug_names(docs)),
                 (args.lay_cancers_out, render_lay_cancers(read_asked(args.lay, read),
                                                           frozenset(w.pdq_cancer_names(read))))]
        for out, text in lists:  # all written in full before any replaces its list
            out.with_name(out.name + ".partial").write_text(text, encoding="utf-8")
        for out, text in lists:
            os.replace(out.with_name(out.name + ".partial"), out)  # a reader never sees half a list
            print(f"{sum(not line.startswith('#') for line in text.splitlines())} lines -> {out}")
    except (w.CorpusError, QuestionFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _command(module: str):
    """A subcommand whose module holds its own ``command(args)``, imported when it runs."""
    return lambda args: importlib.import_module(module).command(args)


def main(argv: list[str] | None = None) -> int:
    from retriever.settings import SettingsProblem
    args = build_parser(__doc__).parse_args(argv)
    try:
        commands = {"packets": _packets, "collect": _collect, "train": _train, "calibrate": _calibrate,
                    "fusion": _fusion, "ranker": _ranker, "words": _words,
                    "health-words": _command("training.health_words")}
        return (commands.get(args.command) or _command(f"training.{args.command}"))(args)
    except SettingsProblem as exc:  # a bad PDQ_* variable, or --model naming no model
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: one line and ingest's exit status, not a traceback
        print(f"stopped: python -m training {args.command} was interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
