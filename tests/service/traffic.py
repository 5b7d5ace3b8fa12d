"""Searches in background threads while a test restarts, reloads or kills servers."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx


def has_results(body: dict) -> bool:
    """An answer: the response says what it found (possibly nothing, for an off-topic question)."""
    return "results" in body


class Traffic:
    """Threads searching ``base`` without pause, cycling through ``questions``; an answer that
    is not a 200 whose JSON body ``good`` accepts is kept as a failure."""

    def __init__(self, base: str, questions: list[str], threads: int = 2,
                 good: Callable[[dict], bool] = has_results):
        self.base = base
        self.questions = questions
        self.good = good
        self.stop = threading.Event()
        self.ok = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, n: int) -> None:
        i = n
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stop.is_set():
                q = self.questions[i % len(self.questions)]
                i += 1
                try:
                    r = client.get("/api/search", params={"q": q, "k": 3})
                    good = r.status_code == 200 and self.good(r.json())
                    detail = f"{r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    good, detail = False, f"{type(exc).__name__}: {exc}"
                with self.lock:
                    if good:
                        self.ok += 1
                    else:
                        self.failures.append(f"{q!r}: {detail}")

    def __enter__(self) -> Traffic:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)
