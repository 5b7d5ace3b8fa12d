"""Fit the domain check (`retriever.domain`): lay questions about cancer against everyday ones.

The cancer side is every training-question file's questions of the training summaries; the
everyday side is ``training/questions/everyday.jsonl`` (EVERYDAY_BRIEF.md) and
``everyday_near.jsonl`` (EVERYDAY_NEAR_BRIEF.md: the same job on the summaries' own ground),
less a fifth kept out by a hash of the question to report recall on, file by file. Each
question is embedded as typed by the model's search encoder, and a one-layer network
(scikit-learn's `MLPClassifier`) is fitted on the vectors, the everyday side weighted to count
as much as the other. The cut is picked on the validation summaries' questions, which nothing
is fitted on: it calls `FLAGGED_SHARE` of them everyday.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from retriever.domain import FLAGGED_SHARE, DomainCheck
from retriever.lines import bad_lines, is_text, numbered_lines
from training.data import is_validation
from training.questions import TrainingQuestion, squash

GROUPS = ("common_illness", "chronic", "aches_injuries", "digestion", "body_life", "mind",
          "children_elders", "medicines", "not_health")
STYLES = ("question", "query")
# The brief's rule: no everyday line may be about cancer (word starts, any case).
CANCER_WORDS = re.compile(r"\b(cancer|tumou?r|carcinoid|neuroendocrine|chemo|radiation|radiotherapy|biopsy"
                          r"|oncolog|malignan|metasta|remission|hospice|lump|growth)", re.IGNORECASE)
HELD_OUT_SHARE = 0.2
PARAMS = {"hidden_layer_sizes": (64,), "alpha": 1e-2, "max_iter": 200, "early_stopping": False}


class EverydayFileError(ValueError):
    """An everyday-question file that cannot be used, naming file and line."""


@dataclass(frozen=True)
class EverydayQuestion:
    question: str
    topic: str
    style: str
    source: str = ""  # the file it was read from: the held-out recall is recorded file by file


def read_everyday(path: Path, seen: set[str] | None = None) -> list[EverydayQuestion]:
    """Every line of ``path``, validated; raises naming each bad line (`retriever.lines.bad_lines`).
    ``seen``: the questions of files read before, which a line may not repeat either."""
    found = read_records(path, _parse_line, EverydayFileError, seen)
    return [replace(q, source=str(path)) for q in found]


def read_everyday_files(paths: list[Path]) -> list[EverydayQuestion]:
    """Every line of every file of ``paths``, none repeating a line of its own file or of one
    before; raises naming every bad line of every file, and a file named twice."""
    named_once(paths, EverydayFileError)
    seen: set[str] = set()
    out, problems = [], []
    for path in paths:
        try:
            out += read_everyday(path, seen)
        except EverydayFileError as exc:  # the next files' problems are named too
            problems.append(str(exc))
    if problems:
        raise EverydayFileError("\n".join(problems))
    return out


def named_once(paths, error: type[ValueError]) -> None:
    """Raise ``error`` when ``paths`` name one file twice (as written or through links and "..")."""
    if len({p.resolve() for p in paths}) < len(paths):
        raise error(f"{', '.join(map(str, paths))}: a file is named twice; name each once")


def read_records(path: Path, parse, error: type[ValueError], seen: set[str] | None = None) -> list:
    """``parse(line, seen)`` of every line of ``path`` (a record, or what is wrong with the
    line); raises ``error`` naming each bad line by file and line."""
    out, problems, seen = [], [], set() if seen is None else seen
    for n, line in numbered_lines(path, error, problems):
        if not line.strip():
            continue
        why = parse(line, seen)
        if isinstance(why, str):
            problems.append(f"{path}:{n}: {why}")
        else:
            out.append(why)
    if problems:
        raise error(bad_lines(problems))
    return out


def text_fields(line: str) -> dict | str:
    """The line's JSON object of text fields, or what is wrong with it."""
    try:
        raw = json.loads(line)
    except (ValueError, RecursionError):
        return "not a JSON object"
    if not isinstance(raw, dict) or not is_text(raw):
        return "not a JSON object of text fields"
    return raw


def _parse_line(line: str, seen: set[str]) -> EverydayQuestion | str:
    """The line's question, or what is wrong with it."""
    if isinstance(raw := text_fields(line), str):
        return raw
    q = EverydayQuestion(*(raw.get(k) for k in ("question", "topic", "style")))
    if not all(isinstance(v, str) and v.strip() for v in (q.question, q.topic, q.style)):
        return "fields 'question', 'topic' and 'style' must each be text"
    if q.style not in STYLES or q.topic not in GROUPS:
        return f"style must be one of {', '.join(STYLES)} and topic one of {', '.join(GROUPS)}"
    if m := CANCER_WORDS.search(q.question):
        return f"about cancer ({m.group(0)!r}): the brief's questions never are"
    if (key := squash(q.question)) in seen:
        return "repeats an earlier line, of this file or of one read before it"
    seen.add(key)
    return q


def held_out(text: str) -> bool:
    """The everyday questions kept out of the fit: a content-free split by hash."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HELD_OUT_SHARE


def _by_file(everyday: list[EverydayQuestion], called: np.ndarray) -> dict[str, float | None]:
    """The share of each file's held-out questions ``called`` (in the held-out fifth's order)
    everyday; None for a file none of whose lines the hash kept out."""
    sources = np.array([q.source for q in everyday if held_out(q.question)])
    return {name: round(float(called[sources == name].mean()), 4) if (sources == name).any() else None
            for name in dict.fromkeys(q.source for q in everyday)}


def _encode(embedder, texts: list[str], what: str) -> np.ndarray:
    return np.stack([embedder.encode_query(t) for t in tqdm(texts, desc=what, unit="question")])


def fit_domain(cancer: list[TrainingQuestion], everyday: list[EverydayQuestion], embedder,
               out: Path, seed: int = 13) -> dict:
    """Fit, pick the cut, save to ``out`` (the model's ``domain/`` folder); the record."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    t0 = time.time()
    fit_in = [q.question for q in cancer if not is_validation(q.doc_id)]
    check_in = [q.question for q in cancer if is_validation(q.doc_id)]
    fit_out = [q.question for q in everyday if not held_out(q.question)]
    check_out = [q.question for q in everyday if held_out(q.question)]
    if not (fit_in and check_in and fit_out):
        raise EverydayFileError("the fit needs questions of training summaries and of validation ones, and "
                                "everyday questions outside the held-out fifth; the files given lack some")
    vectors = {name: _encode(embedder, texts, name) for name, texts in
               (("cancer", fit_in), ("everyday", fit_out), ("validation", check_in), ("held out", check_out))}
    # each side weighs as much as the other; weights, not repeated rows, so that the tenth
    # early stopping holds out shares no row with what it fits
    weight = len(fit_in) / len(fit_out)
    X = np.vstack([vectors["cancer"], vectors["everyday"]])
    y = np.r_[np.zeros(len(fit_in)), np.ones(len(fit_out))]
    with warnings.catch_warnings():  # it stops when its loss stops falling, else at 200 passes: recorded
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(**PARAMS, random_state=seed).fit(X, y, sample_weight=np.where(y == 1, weight, 1.0))
    check = DomainCheck(mlp.coefs_[0].astype(np.float32), mlp.intercepts_[0].astype(np.float32),
                        mlp.coefs_[1][:, 0].astype(np.float32), float(mlp.intercepts_[1][0]), 0.0)
    logits = {name: np.array([check.logit(v) for v in vecs]) for name, vecs in vectors.items()}
    cut = round(float(np.quantile(logits["validation"], 1.0 - FLAGGED_SHARE)), 4)
    record = {
        "params": {**PARAMS, "hidden_layer_sizes": list(PARAMS["hidden_layer_sizes"]), "seed": seed},
        "model_sha256": getattr(embedder, "weights_sha256", ""), "passes": int(mlp.n_iter_),
        "fitted_on": {"cancer questions": len(fit_in), "everyday questions": len(fit_out),
                      "everyday weight": round(weight, 2)},
        "validation summaries' questions called everyday": round(float(np.mean(logits["validation"] > cut)), 4),
        "held-out everyday questions called everyday": round(float(np.mean(logits["held out"] > cut)), 4),
        "the same, by file": _by_file(everyday, logits["held out"] > cut),
        "validation": {"cancer questions": len(check_in), "everyday questions": len(check_out)},
        "seconds": round(time.time() - t0, 1),
    }
    DomainCheck(check.hidden_weights, check.hidden_bias, check.out_weights, check.out_bias, cut).save(out, **record)
    return {"cut": cut, **record}


def command(args) -> int:
    """``python -m training domain``: read and check both sides, fit, write beside the model."""
    import sys

    from retriever.domain import FOLDER, WEIGHTS_FILE
    from retriever.embedding import ModelError, get_embedder, resolve_model
    from retriever.settings import read_settings
    from training.questions import QuestionFileError, load_questions

    settings = read_settings(model=args.model)
    out = Path(resolve_model(args.model)) / FOLDER
    try:  # the files are checked first: without --force, a shipped check stops the command after it
        cancer = [q for path in args.questions for q in load_questions(path)]
        everyday = read_everyday_files(args.everyday)
    except (QuestionFileError, EverydayFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not everyday or not cancer:
        print(f"error: {'the --everyday files' if not everyday else 'the --questions files'} hold no question",
              file=sys.stderr)
        return 2
    print(f"{len(cancer)} questions about cancer and {len(everyday)} everyday ones read")
    if (out / WEIGHTS_FILE).exists() and not args.force:
        print(f"error: {out} already holds a domain check; pass --force to replace it", file=sys.stderr)
        return 2
    try:
        record = fit_domain(cancer, everyday, get_embedder(settings.model, settings.backend, settings.onnx_target), out)
    except (ModelError, EverydayFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(record, indent=2))
    print(f"-> {out}")
    return 0
