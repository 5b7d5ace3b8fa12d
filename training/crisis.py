"""Fit the crisis check (`retriever.crisis`): thoughts of suicide or self-harm against the rest.

The lines are ``training/questions/crisis.jsonl`` (CRISIS_BRIEF.md), of one to five words
``crisis_short.jsonl`` (CRISIS_SHORT_BRIEF.md), and in Spanish and six other languages
written in the Latin alphabet ``crisis_languages.jsonl`` (CRISIS_LANGUAGES_BRIEF.md), and
asking whom to call ``crisis_contacts.jsonl`` (CRISIS_CONTACTS_BRIEF.md), about how long
someone has ``crisis_prognosis.jsonl`` (CRISIS_PROGNOSIS_BRIEF.md), and about the summary itself
or sharing a word with crisis lines ``crisis_ordinary.jsonl`` (CRISIS_ORDINARY_BRIEF.md): "crisis" (the
asker or someone they ask about may be thinking of suicide or self-harm), "topic" (suicide
or self-harm asked about as a subject) and "not" (hard negatives: a fear of dying, wishes
for the end of life, idioms, "suicide gene therapy", a symptom or a day typed alone, an
ordinary question in Spanish, a number to call for the clinic, how long a relative has, who
wrote the summary). A fifth of them, by a hash
of the text, is kept out to pick the cut on. The flagged side is "crisis" and "topic"; the
other side is "not", the training summaries' lay questions (the domain check's cancer
side) and every name of the drug-name list (`retriever.drug_names`) typed alone. Each is
embedded as typed by the model's search encoder and `NETWORKS` of the domain check's
networks are fitted (scikit-learn's `MLPClassifier`) and averaged into one, the flagged
side weighted to count as half, the hard negatives and the lay questions a fifth each and
the names a tenth (`SHARES`). The cut lets through all but
`FLAGGED_SHARE` of the validation summaries' lay questions, as the domain check's does:
the page then shows crisis help above the answer of one ordinary question in 500, and the
kept-out lines say how many cries for help it reads (docs/abstention.md, "Crisis help").
Beside the networks, a logistic regression over the same texts' words and word pairs
(`retriever.crisis_words`) is fitted with the same weights; each reader is cut at half that
share, and either flags a question.
"""

from __future__ import annotations

import json
import math
import re
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retriever.crisis import CrisisCheck
from retriever.crisis_words import CrisisWords, terms
from retriever.domain import DomainCheck
from training.data import is_validation
from training.domain import PARAMS, _encode, held_out, named_once, read_records, text_fields
from training.questions import TrainingQuestion

LABELS = ("crisis", "topic", "not")
FLAGGED = ("crisis", "topic")
# The share of the validation summaries' lay questions the check flags (each reader, `flagging_cut`, half
# of it). At 0.2%, the vector alone read 82% of the kept-out "crisis" lines; at 0.5%, 84% (and 27
# of the project's 1,635 evaluation questions against 10); cutting for 95% of them flagged 3.4% of
# those questions. A phrase list beside it read 1.5% more of them for twice the harmless lines
# flagged (docs/abstention.md, "Crisis help").
FLAGGED_SHARE = 0.002
# Networks fitted from consecutive seeds and averaged into one (`averaged`). One network's seed
# moved what it read by 2 to 4 of the 70 crisis lines and 3 of the 89 others of a short-input
# file nobody fitted on (seeds 13 to 15); five together, with the drug names (`SHARES`), read 63
# and flag 2 through the search (docs/abstention.md, "Crisis help in a few words").
NETWORKS = 5
# Of the weight, with the drug-name list's names typed alone as a fourth group: flagged lines,
# hard negatives, lay questions, names. Staff search a drug by its name alone, and 75 of the
# 1,625 names (a brand, "cosmegen", or the summaries' "flutamide") read as a crisis; at 0.1 of
# the weight none of the kept-out fifth of them did, and the other figures held or gained
# (docs/abstention.md, "Crisis help in a few words").
SHARES = (0.5, 0.2, 0.2, 0.1)
SHARES_WITHOUT_NAMES = (0.5, 0.25, 0.25)  # flagged lines, hard negatives, lay questions
# The words reader's regularisation and the fewest lines a term is in. Fitted on the English
# lines, each reader cut at 0.1% of the validation questions, the kept-out fifth's crisis lines
# read rose from 145 to 157 of 173 (hard negatives flagged 9 -> 19 of 176), the short-input
# evaluation file's from 64 to 65 of 70 (ordinary lines 2 -> 1 of 89), the reviewer's 63 of 66
# both (10 -> 9 of 55 others); C 1 and 16, every term kept, and character n-grams gave the same
# or less (docs/abstention.md, "Crisis help from the words too", which has the figures with the
# lines in other languages).
WORDS_C = 4.0
WORDS_MIN_DF = 2


class CrisisFileError(ValueError):
    """A crisis-line file that cannot be used, naming file and line."""


@dataclass(frozen=True)
class CrisisLine:
    text: str
    label: str
    kind: str


def read_crisis(*paths: Path) -> list[CrisisLine]:
    """Every line of ``paths``, validated; raises naming each bad line (`retriever.lines.bad_lines`),
    and a line that repeats one of an earlier file."""
    named_once(paths, CrisisFileError)
    out: list[CrisisLine] = []
    first: dict[str, Path] = {}
    for path in paths:
        for c in read_records(path, _parse_line, CrisisFileError):
            if (earlier := first.setdefault(_key(c.text), path)) != path:
                raise CrisisFileError(f"{path}: {c.text!r} repeats a line of {earlier}; keep one of them")
            out.append(c)
    return out


def _key(text: str) -> str:
    """What two lines that say the same share: their words, in any script ("我想自杀" too)."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _parse_line(line: str, seen: set[str]) -> CrisisLine | str:
    """The line, or what is wrong with it."""
    return labelled_line(line, seen, CrisisLine, LABELS)


def labelled_line(line: str, seen: set[str], make, labels: tuple[str, ...]):
    """A check's labelled line (``{"text", "label", "kind"}``) as ``make`` builds it, or what
    is wrong with it: the crisis and animal files' one form."""
    if isinstance(raw := text_fields(line), str):
        return raw
    made = make(*(raw.get(k) for k in ("text", "label", "kind")))
    if not all(isinstance(v, str) and v.strip() for v in (made.text, made.label, made.kind)):
        return "fields 'text', 'label' and 'kind' must each be text"
    if made.label not in labels:
        return f"label must be one of {', '.join(labels)}"
    if (key := _key(made.text)) in seen:
        return "repeats an earlier line"
    seen.add(key)
    return made


def fit_crisis(lines: list[CrisisLine], cancer: list[TrainingQuestion], embedder, out: Path, seed: int = 13,
               names: list[str] = ()) -> dict:
    """Fit, pick the cut on the kept-out fifth, save to ``out`` (the model's ``crisis/``); the
    record. ``names``: drug names, each typed alone on the unflagged side (`SHARES`)."""
    t0 = time.time()
    fit = [c for c in lines if not held_out(c.text)]
    kept = [c for c in lines if held_out(c.text)]
    lay = [q.question for q in cancer if not is_validation(q.doc_id)]
    validation = [q.question for q in cancer if is_validation(q.doc_id)]
    if not (any(c.label == "crisis" for c in kept) and any(c.label in FLAGGED for c in fit) and lay and validation):
        raise CrisisFileError("the fit needs flagged lines outside the kept-out fifth, crisis lines within it, "
                              "and lay questions of training and of validation summaries; the files given lack some")
    groups = {"flagged": [c.text for c in fit if c.label in FLAGGED], "not": [c.text for c in fit if c.label == "not"],
              "lay": lay}
    if fitted_names := [n for n in names if not held_out(n)]:
        groups["names"] = fitted_names
    checked = {"kept out": [c.text for c in kept], "validation": validation,
               "names kept out": [n for n in names if held_out(n)]}
    vectors = {name: _encode(embedder, texts, name) for name, texts in (groups | checked).items() if texts}
    X = np.vstack([vectors[g] for g in groups])
    sizes = [len(texts) for texts in groups.values()]
    y = np.r_[np.ones(sizes[0]), np.zeros(sum(sizes[1:]))]
    share = SHARES if fitted_names else SHARES_WITHOUT_NAMES
    weight = np.concatenate([np.full(n, len(X) * s / max(n, 1)) for n, s in zip(sizes, share)])
    mlps = fit_networks(X, y, weight, seed)
    check, words = averaged(mlps), fit_words([t for texts in groups.values() for t in texts], y, weight)
    vec = {name: np.array([check.logit(v) for v in vectors[name]]) for name in checked if name in vectors}
    said = {name: np.array([words.logit(t) for t in texts]) for name, texts in checked.items()}
    cut, words_cut = (flagging_cut(logits["validation"]) for logits in (vec, said))
    hit = {name: (vec.get(name, np.zeros(0)) > cut) | (said[name] > words_cut) for name in checked}
    kept_hit = {label: hit["kept out"][[c.label == label for c in kept]] for label in LABELS}

    def flagged(x: np.ndarray) -> float:
        return round(float(np.mean(x)), 4) if len(x) else 0.0

    record = {
        "params": {**PARAMS, "hidden_layer_sizes": list(PARAMS["hidden_layer_sizes"]), "seed": seed,
                   "networks": NETWORKS, "words_C": WORDS_C, "words_min_df": WORDS_MIN_DF},
        "model_sha256": getattr(embedder, "weights_sha256", ""), "passes": [int(m.n_iter_) for m in mlps],
        "fitted_on": {"flagged lines": sizes[0], "hard negatives": sizes[1], "lay questions": sizes[2],
                      "drug names": len(fitted_names), "terms": len(words.vocabulary)},
        "kept out flagged": {**{label: flagged(kept_hit[label]) for label in LABELS},
                             "drug names": flagged(hit["names kept out"])},
        "kept out": {**{label: int(len(kept_hit[label])) for label in LABELS},
                     "drug names": len(checked["names kept out"])},
        "validation summaries' questions flagged": flagged(hit["validation"]),
        "seconds": round(time.time() - t0, 1),
    }
    replace(check, cut=cut, words=replace(words, cut=words_cut)).save(out, **record)
    return {"cut": cut, "words cut": words_cut, **record}


def fit_networks(X: np.ndarray, y: np.ndarray, weight: np.ndarray, seed: int) -> list:
    """`NETWORKS` of the domain check's networks, from consecutive seeds."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    with warnings.catch_warnings():  # each stops when its loss stops falling, else at 200 passes: recorded
        warnings.simplefilter("ignore", ConvergenceWarning)
        return [MLPClassifier(**PARAMS, random_state=seed + i).fit(X, y, sample_weight=weight)
                for i in range(NETWORKS)]


def flagging_cut(validation: np.ndarray, share: float = FLAGGED_SHARE / 2) -> float:
    """A reader's cut: it flags ``share`` of the validation questions (each crisis reader half
    of `FLAGGED_SHARE`), rounded up so that questions tied at the quantile stay under it. The
    words reader gives minus infinity to a question with no term it knows; where those reach
    the quantile, it flags none."""
    with np.errstate(invalid="ignore"):  # minus infinity beside a number interpolates to NaN
        quantile = float(np.quantile(validation, 1.0 - share))
    return math.ceil(quantile * 1e4) / 1e4 if math.isfinite(quantile) else float(np.max(validation, initial=0.0))


def fit_words(texts: list[str], y: np.ndarray, weight: np.ndarray, min_df: int = WORDS_MIN_DF) -> CrisisWords:
    """The words reader over ``texts`` (cut 0 until picked): TF-IDF of `terms`, as it reads them."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, min_df=min_df)
    X = vectorizer.fit_transform(texts)
    lr = LogisticRegression(C=WORDS_C, max_iter=3000).fit(X, y, sample_weight=weight)
    return CrisisWords(tuple(vectorizer.get_feature_names_out().tolist()), vectorizer.idf_, lr.coef_[0],
                       float(lr.intercept_[0]), 0.0)


def averaged(mlps: list, kind: type[DomainCheck] = CrisisCheck) -> DomainCheck:
    """One check of ``kind`` whose logit is the mean of the fitted networks' (cut 0 until picked):
    their hidden units side by side, each network's output weights divided by their number."""
    n = len(mlps)
    return kind(np.hstack([m.coefs_[0] for m in mlps]).astype(np.float32),
                np.concatenate([m.intercepts_[0] for m in mlps]).astype(np.float32),
                (np.concatenate([m.coefs_[1][:, 0] for m in mlps]) / n).astype(np.float32),
                float(np.mean([m.intercepts_[1][0] for m in mlps])), 0.0)


def replace_check(out: Path, kind: type[DomainCheck], force: bool, fit, errors: tuple[type[Exception], ...]) -> int:
    """The end of a check's command: a shipped check (either file) is replaced only with
    ``force``; ``fit()`` writes the new one and gives its record, printed; ``errors`` and a
    model that cannot be loaded are one error line."""
    import sys

    from retriever.embedding import ModelError

    if any((out / name).exists() for name in (kind.WEIGHTS_FILE, kind.RECORD_FILE)) and not force:
        article = "an" if kind.WHAT[0] in "aeiou" else "a"
        print(f"error: {out} already holds {article} {kind.WHAT}; pass --force to replace it", file=sys.stderr)
        return 2
    try:
        record = fit()
    except (ModelError, *errors) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(record, indent=2))
    print(f"-> {out}")
    return 0


def command(args) -> int:
    """``python -m training crisis``: read and check the files, fit, write beside the model."""
    import sys

    from retriever.drug_names import drug_names
    from retriever.embedding import get_embedder, resolve_model
    from retriever.settings import read_settings
    from training.questions import QuestionFileError, load_questions

    settings = read_settings(model=args.model)
    out = Path(resolve_model(args.model)) / CrisisCheck.FOLDER
    try:  # the files are checked first: without --force, a shipped check stops the command after it
        lines = read_crisis(*args.lines)
        cancer = [q for path in args.questions for q in load_questions(path)]
    except (QuestionFileError, CrisisFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(lines)} crisis-file lines and {len(cancer)} lay questions read")

    def fit() -> dict:
        table = drug_names()  # brands and the summaries' names, each as staff type it alone
        return fit_crisis(lines, cancer, get_embedder(settings.model, settings.backend, settings.onnx_target), out,
                          names=sorted({*table, *table.values()}))
    return replace_check(out, CrisisCheck, args.force, fit, (CrisisFileError,))
