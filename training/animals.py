"""Fit the animal check (`retriever.animals`): questions about an animal's health against people's.

The lines are ``training/questions/animals.jsonl`` (ANIMALS_BRIEF.md): "animal" (a pet's,
farm or wild animal's cancer or other illness, as its owner types it) and "person" (hard
negatives: a patient's question that names a pet or an animal word, "can i keep my cat
during chemo", "pet scan", "shark cartilage"). A fifth of them, by a hash of the text, is
kept out and reported on. The flagged side is "animal"; the other side is "person" and the
training summaries' lay questions (the domain check's cancer side). Each is embedded as
typed by the model's search encoder and the crisis check's `NETWORKS` networks of the
domain check's form are fitted and averaged (`training.crisis.fit_networks`), the person
lines weighted to count as half, the animal lines three tenths and the lay questions a
fifth (`SHARES`). The cut flags `retriever.animals.FLAGGED_SHARE` of the validation summaries'
lay questions.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retriever.animals import FLAGGED_SHARE, AnimalCheck
from training.crisis import NETWORKS, averaged, fit_networks, flagging_cut, labelled_line, replace_check
from training.data import is_validation
from training.domain import PARAMS, _encode, held_out, named_once, read_records
from training.questions import TrainingQuestion

LABELS = ("animal", "person")
# Of the weight: animal lines, person lines, lay questions. On the kept-out fifth (102 animal and
# 93 person lines), 0.5/0.25/0.25 flagged 89.2% and 8.6%; 0.4/0.4/0.2 86.3% and 6.5%; a third
# each 91.2% and 8.6%; these 88.2% and 5.4%: a person's question refused costs more than an
# animal's answered (docs/abstention.md, "An animal's health").
SHARES = (0.3, 0.5, 0.2)


class AnimalFileError(ValueError):
    """An animal-line file that cannot be used, naming file and line."""


@dataclass(frozen=True)
class AnimalLine:
    text: str
    label: str
    kind: str


def read_animals(*paths: Path) -> list[AnimalLine]:
    """Every line of ``paths``, validated; raises naming each bad line by file and line."""
    named_once(paths, AnimalFileError)
    seen: set[str] = set()
    return [line for path in paths for line in read_records(path, _parse_line, AnimalFileError, seen)]


def _parse_line(line: str, seen: set[str]) -> AnimalLine | str:
    """The line, or what is wrong with it."""
    return labelled_line(line, seen, AnimalLine, LABELS)


def fit_animals(lines: list[AnimalLine], cancer: list[TrainingQuestion], embedder, out: Path, seed: int = 13) -> dict:
    """Fit, pick the cut on the validation summaries' lay questions, save to ``out`` (the
    model's ``animals/``); the record."""
    t0 = time.time()
    fit, kept = [a for a in lines if not held_out(a.text)], [a for a in lines if held_out(a.text)]
    groups = {label: [a.text for a in fit if a.label == label] for label in LABELS}
    groups["lay"] = [q.question for q in cancer if not is_validation(q.doc_id)]
    validation = [q.question for q in cancer if is_validation(q.doc_id)]
    if not (all(groups.values()) and validation and kept):
        raise AnimalFileError("the fit needs animal and person lines, lay questions of training and of validation "
                              "summaries, and lines in the kept-out fifth; the files given lack some")
    vectors = {name: _encode(embedder, texts, name) for name, texts in
               (groups | {"kept out": [a.text for a in kept], "validation": validation}).items()}
    X = np.vstack([vectors[g] for g in groups])
    sizes = [len(texts) for texts in groups.values()]
    y = np.r_[np.ones(sizes[0]), np.zeros(sum(sizes[1:]))]
    weight = np.concatenate([np.full(n, len(X) * share / n) for n, share in zip(sizes, SHARES)])
    mlps = fit_networks(X, y, weight, seed)
    check = averaged(mlps, AnimalCheck)
    validation_logits = np.array([check.logit(v) for v in vectors["validation"]])
    cut = flagging_cut(validation_logits, FLAGGED_SHARE)
    kept_hit = np.array([check.logit(v) > cut for v in vectors["kept out"]])
    record = {
        "params": {**PARAMS, "hidden_layer_sizes": list(PARAMS["hidden_layer_sizes"]), "seed": seed,
                   "networks": NETWORKS, "shares": list(SHARES)},
        "model_sha256": getattr(embedder, "weights_sha256", ""), "passes": [int(m.n_iter_) for m in mlps],
        "fitted_on": {"animal lines": sizes[0], "person lines": sizes[1], "lay questions": sizes[2]},
        "kept out flagged": {label: round(float(np.mean(kept_hit[[a.label == label for a in kept]])), 4)
                             for label in LABELS},
        "kept out": {label: sum(a.label == label for a in kept) for label in LABELS},
        "validation summaries' questions flagged": round(float(np.mean(validation_logits > cut)), 4),
        "seconds": round(time.time() - t0, 1),
    }
    replace(check, cut=cut).save(out, **record)
    return {"cut": cut, **record}


def command(args) -> int:
    """``python -m training animals``: read and check the files, fit, write beside the model."""
    from retriever.embedding import get_embedder, resolve_model
    from retriever.settings import read_settings
    from training.questions import QuestionFileError, load_questions

    settings = read_settings(model=args.model)
    out = Path(resolve_model(args.model)) / AnimalCheck.FOLDER
    try:  # the files are checked first: without --force, a shipped check stops the command after it
        lines = read_animals(*args.lines)
        cancer = [q for path in args.questions for q in load_questions(path)]
    except (QuestionFileError, AnimalFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(lines)} animal-file lines and {len(cancer)} lay questions read")
    return replace_check(out, AnimalCheck, args.force, lambda: fit_animals(
        lines, cancer, get_embedder(settings.model, settings.backend, settings.onnx_target), out), (AnimalFileError,))
