"""The retriever a worker serves, and how it is swapped for a freshly published index.

A request reads ``holder.retriever`` once and keeps that object to the end, so a reload
(one attribute assignment, atomic in Python) never changes the index under a search
already running; the old object is freed when its last request finishes.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from starlette.concurrency import run_in_threadpool

from retriever.embedding import ModelError
from retriever.search import Retriever
from retriever.settings import Settings
from retriever.store import IndexLoadError

logger = logging.getLogger("service")


class RetrieverHolder:
    """Owns the current `Retriever` of one worker and the threads searches run on.

    Args:
        settings: Where the index lives (``index_dir``) and how to search it.
        retriever: An already-loaded retriever (tests, or ``python -m service`` which
            loads it before the server starts so a bad index fails fast).
    """

    def __init__(self, settings: Settings, retriever: Retriever | None = None):
        self.settings = settings
        self.retriever: Retriever | None = retriever
        self.refused: str | None = None  # why the last reload was refused, until one loads (/readyz)
        self._executor: ThreadPoolExecutor | None = None
        self._reload_lock = asyncio.Lock()

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The threads searches run on, created on first use (again after `close`).

        A dedicated pool: a search that overruns its timeout keeps its thread until it
        ends, and must not starve Starlette's shared pool (used by static files).
        """
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) + 2),
                                                thread_name_prefix="search")
        return self._executor

    @property
    def ready(self) -> bool:
        return self.retriever is not None

    async def load(self) -> Retriever:
        """Load the index at ``settings.index_dir`` (first start).

        Raises:
            IndexLoadError: missing, corrupted or incompatible index.
            ModelError: the embedding model cannot be loaded.
        """
        self.retriever = await run_in_threadpool(_load_warm, self.settings)
        return self.retriever

    async def reload(self) -> Retriever:
        """Load the index again and swap it in only if it loads and verifies.

        The index folder is a symlink that ingest replaces atomically, so loading it again
        picks up the newly published version. A reload already running is waited for
        rather than repeated side by side (each holds a full index in memory).

        Raises:
            IndexLoadError, ModelError: the new index is refused; the old one keeps serving.
        """
        async with self._reload_lock:
            try:
                new = await run_in_threadpool(_load_warm, self.settings)
            except (IndexLoadError, ModelError) as exc:
                logger.error("reload refused, still serving the previous index: %s", exc)
                self.refused = str(exc)
                raise
            self.retriever, self.refused = new, None
            logger.info("reloaded index %s (%s chunks)", new.index_dir, new.manifest.chunks_count)
            return new

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def _load_warm(settings: Settings) -> Retriever:
    """Load the index and search it once, so the first question served is not the slow one."""
    retriever = Retriever.load(settings.index_dir, settings)
    retriever.warm_up()
    return retriever


def load_problem() -> str | None:
    """Load the index as a worker would (settings from the environment); the problem, if any.

    Run in a throwaway process by ``python -m service`` before it starts several workers.
    """
    settings = Settings()
    try:
        Retriever.load(settings.index_dir, settings)
    except (IndexLoadError, ModelError) as exc:
        return str(exc)
    return None


def report_load_problem(conn) -> None:
    """`load_problem`, sent through a pipe (the target of ``python -m service``'s check process)."""
    try:
        problem = load_problem()
    except Exception as exc:  # anything else the loader let escape: report it, don't die silently
        problem = f"{type(exc).__name__}: {exc}"
    conn.send(problem)
    conn.close()


