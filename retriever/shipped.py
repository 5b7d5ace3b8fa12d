"""What a model ships beside its weights for searching, read and checked in one place: its
abstention calibration and threshold, and its domain, answerable, in-passing, crisis and animal checks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from retriever.animals import AnimalCheck, AnimalError
from retriever.answerable import AnswerCheck, AnswerCheckError
from retriever.calibration import Calibration, CalibrationError, model_threshold
from retriever.crisis import CrisisCheck, CrisisError
from retriever.domain import DomainCheck, DomainError
from retriever.embedding import ModelError
from retriever.passing import IN_PASSING
from retriever.settings import RetrievalSettings


@dataclass(frozen=True)
class Shipped:
    calibration: Calibration | None
    threshold: float | None  # the hand rule's threshold picked for the model's cosines
    domain: DomainCheck | None
    answer: AnswerCheck | None
    crisis: CrisisCheck | None
    passing: AnswerCheck | None = None  # whether a topic the passages lack is named in passing
    animals: AnimalCheck | None = None  # whether a question is about an animal's health


def load_shipped(model_dir: str | Path, retrieval: RetrievalSettings, dimensions: int, model_sha256: str) -> Shipped:
    """The model's files, each only when its setting is on; a damaged one raises `ModelError`
    naming the file and the fix (the setting that serves without it among them)."""
    try:
        shipped = Shipped(
            Calibration.load(model_dir), model_threshold(model_dir),
            DomainCheck.load(model_dir, dimensions, model_sha256) if retrieval.domain_check else None,
            AnswerCheck.load(model_dir, dimensions, model_sha256) if retrieval.answer_check else None,
            CrisisCheck.load(model_dir, dimensions, model_sha256) if retrieval.crisis_check else None,
            AnswerCheck.load(model_dir, dimensions, model_sha256, IN_PASSING) if retrieval.passing_check else None,
            AnimalCheck.load(model_dir, dimensions, model_sha256) if retrieval.animal_check else None)
    except (CalibrationError, DomainError, AnswerCheckError, CrisisError, AnimalError) as exc:
        raise ModelError(str(exc)) from None
    if retrieval.crisis_check and shipped.crisis is None:  # the stock MiniLM, a model of one's own
        logging.getLogger(__name__).warning(
            "the model in %s ships no crisis check: a question that reads as thoughts of suicide gets no crisis "
            "help first (fit one: python -m training crisis --model NAME)", model_dir)
    return shipped
