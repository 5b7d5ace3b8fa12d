"""Each ``--loss`` of `python -m training train` is a loss the installed library builds and
computes: a renamed argument would otherwise surface only after a training run's setup."""

from __future__ import annotations

import math

import pytest

from training.train import LOSSES, TrainConfig

QUESTIONS = ["will my husband get through this", "what is the shot for carcinoid", "how do they find it"]
PASSAGES = ["Certain factors affect prognosis (chance of recovery).",
            "Hormone therapy with a somatostatin analogue is injected under the skin.",
            "Tests that examine the blood and urine are used to diagnose the tumor."]


@pytest.fixture(scope="module")
def stock_model():
    from sentence_transformers import SentenceTransformer

    from retriever.embedding import resolve_model

    return SentenceTransformer(resolve_model("all-MiniLM-L6-v2"), device="cpu")


def _loss_value(model, name: str) -> float:
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss = MultipleNegativesRankingLoss(model, scale=TrainConfig().scale, **LOSSES[name])
    features = [model.tokenize(QUESTIONS), model.tokenize(PASSAGES)]
    with torch.no_grad():
        return float(loss(features, labels=None))


def test_the_default_loss_is_the_shipped_models():
    assert TrainConfig().loss == "infonce" and LOSSES["infonce"] == {"directions": ("query_to_doc",)}


@pytest.mark.model  # loads the stock MiniLM
def test_every_loss_option_builds_and_differs_from_the_plain_one(stock_model):
    values = {name: _loss_value(stock_model, name) for name in LOSSES}
    assert all(math.isfinite(v) and v > 0 for v in values.values()), values
    # The extra terms and the hardness weights change the objective, not just its name.
    assert values["gte"] != pytest.approx(values["infonce"])
    assert values["symmetric"] != pytest.approx(values["infonce"])
    assert values["hardness"] > values["infonce"]


def test_the_command_offers_every_loss_and_no_other(tmp_path, capsys):
    """The command's choices are written out (building them from `LOSSES` would import the
    training code into every `python -m training` call); this keeps the two in step."""
    from training.__main__ import main

    missing = tmp_path / "no-such-questions.jsonl"
    for name in LOSSES:  # accepted: the run stops at the missing question file
        assert main(["--corpus", str(tmp_path), "train", "--loss", name, "--questions", str(missing),
                     "--out", str(tmp_path / "model")]) == 2
        assert "no-such-questions.jsonl" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["train", "--loss", "triplet"])
    assert "invalid choice: 'triplet'" in capsys.readouterr().err


#: Questions each plainly about one of `PASSAGES`: the stock model, as a guide, ranks each
#: question's own passage first by a wide margin.
PLAIN_QUESTIONS = ["what affects the chance of recovery", "is the hormone therapy injected under the skin",
                   "which blood and urine tests diagnose the tumor"]


def _guided_and_plain(model, passages: list[str], scale: float = TrainConfig().scale) -> tuple[float, float]:
    """The guided loss (the stock model guiding itself) and the plain one, on one batch."""
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    from retriever.embedding import resolve_model
    from training.train import guided_loss

    cfg = TrainConfig(scale=scale, guide=resolve_model("all-MiniLM-L6-v2"))
    features = [model.tokenize(PLAIN_QUESTIONS), model.tokenize(passages)]
    guided = guided_loss(model, cfg)
    plain = MultipleNegativesRankingLoss(model, scale=cfg.scale, **LOSSES["infonce"])
    with torch.no_grad():
        return float(guided(features, labels=None)), float(plain(features, labels=None))


@pytest.mark.model  # loads the stock MiniLM
def test_the_guided_loss_is_the_plain_one_when_the_guide_masks_nothing(stock_model):
    # At scale 1 the loss is far from 0 (at 20 this easy batch costs about 1e-6).
    guided, plain = _guided_and_plain(stock_model, PASSAGES, scale=1.0)
    assert plain > 0.5 and guided == pytest.approx(plain, rel=1e-5)


@pytest.mark.model  # loads the stock MiniLM
def test_the_guide_drops_a_negative_it_ranks_above_the_positive(stock_model):
    """The first and last questions' passages are swapped: each one's own passage, now its
    negative, is what the guide ranks first, so it no longer counts against it."""
    swapped = [PASSAGES[2], PASSAGES[1], PASSAGES[0]]
    guided, plain = _guided_and_plain(stock_model, swapped)
    assert math.isfinite(guided) and guided < plain - 0.5


def test_the_command_s_seed_defaults_to_the_shipped_models_draw():
    from training.cli import build_parser

    parse = build_parser("").parse_args
    assert parse(["train"]).seed == TrainConfig().seed  # the shipped model's draw
    assert parse(["train", "--seed", "14"]).seed == 14
