"""HTTP load benchmark: a real ``python -m service`` on loopback, many concurrent clients.

For each worker count, :func:`run_load` starts ``python -m service --index INDEX
--workers W --port P --host 127.0.0.1`` as a subprocess (rate limit off), waits until every
worker has finished start-up, warms every worker up, then runs ``clients`` concurrent asyncio
clients (one ``httpx.AsyncClient``, hence one keep-alive connection, each) for
``seconds`` against ``/api/search``, and stops the server.

Each client draws its requests, from a seeded generator, out of a fixed mix:

* lay questions, keyword queries, misspellings and off-topic questions (GET, a few as a
  JSON POST), all expected to answer 200;
* a share (``invalid_share``) of invalid requests, expected to answer 4xx: a blank ``q``,
  ``k=0``, a ``q`` over 1000 characters, and a malformed JSON body.

Reported per worker count: completed requests and requests per second; latency
percentiles (p50/p95/p99) over all requests and over the valid searches alone; counts by
status; 5xx responses; "unexpected" answers (a valid request not answered 200, an invalid
one not answered 4xx); connection errors (any ``httpx.TransportError``, timeouts
included); and the server's resident memory (psutil, the server process and all its
workers summed) when ready, after the warm-up and after the run.

Everything is bounded: the run time (``seconds``, at most :data:`MAX_SECONDS`), the number
of requests (``max_requests``), each request (``timeout``), the server's start-up
(``ready_timeout``) and its shutdown. The server only ever listens on 127.0.0.1.

Typical use: ``python -m eval.bench load --index index --clients 50 --seconds 60
--workers 1,2 --out docs/load.md``.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from eval.bench.server import ServiceProcess
from eval.metrics import percentile

MAX_SECONDS = 3600
MAX_CLIENTS = 1000

LAY_QUESTIONS = [
    "what are the signs of a carcinoid tumor in the rectum?",
    "what is a neuroendocrine tumor?",
    "can diet help with my symptoms?",
    "how do doctors find a tumor in the stomach?",
    "what happens after surgery for a tumor in the small intestine?",
    "is carcinoid syndrome dangerous?",
    "why does my face turn red and hot?",
    "will I need a shot every month?",
]
KEYWORD_QUERIES = [
    "octreotide",
    "somatostatin receptor scintigraphy",
    "hepatic artery embolization",
    "appendix tumor surgery",
    "carcinoyd syndrom",  # misspelled on purpose
    "chromogranin A blood test",
]
OFF_TOPIC = [
    "When should adults get the flu vaccine?",
    "how do I renew my passport",
    "best pizza near me",
]
VALID_QUERIES = LAY_QUESTIONS + KEYWORD_QUERIES + OFF_TOPIC
INVALID_KINDS = ("blank_q", "k_zero", "q_too_long", "malformed_json")


@dataclass(frozen=True)
class Request:
    method: str
    params: dict | None = None
    json_body: dict | None = None
    content: bytes | None = None
    valid: bool = True
    kind: str = "search"


def pick_request(rng: random.Random, invalid_share: float) -> Request:
    """One request of the mix: valid most of the time, invalid with ``invalid_share``."""
    if rng.random() < invalid_share:
        kind = rng.choice(INVALID_KINDS)
        if kind == "blank_q":
            return Request("GET", params={"q": "   "}, valid=False, kind=kind)
        if kind == "k_zero":
            return Request("GET", params={"q": rng.choice(VALID_QUERIES), "k": 0}, valid=False, kind=kind)
        if kind == "q_too_long":
            return Request("GET", params={"q": "tumor " * 200}, valid=False, kind=kind)
        return Request("POST", content=b'{"q": "what is a carcinoid tumor", "k": ', valid=False, kind=kind)
    q = rng.choice(VALID_QUERIES)
    if rng.random() < 0.2:
        return Request("POST", json_body={"q": q, "k": 5})
    return Request("GET", params={"q": q, "k": 5})


# -- the clients ---------------------------------------------------------------------------

@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    valid_latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    unexpected: int = 0
    requests: int = 0
    elapsed_s: float = 0.0


async def _client(base: str, rng: random.Random, invalid_share: float, deadline: float, budget: list[int],
                  timeout: float, stats: Stats) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            req = pick_request(rng, invalid_share)
            t0 = time.perf_counter()
            try:
                if req.method == "GET":
                    r = await client.get("/api/search", params=req.params)
                elif req.content is not None:
                    r = await client.post("/api/search", content=req.content,
                                          headers={"content-type": "application/json"})
                else:
                    r = await client.post("/api/search", json=req.json_body)
            except httpx.TransportError as exc:
                stats.errors[type(exc).__name__] += 1
                stats.requests += 1
                continue
            ms = (time.perf_counter() - t0) * 1000
            stats.requests += 1
            stats.latencies_ms.append(ms)
            stats.statuses[r.status_code] += 1
            if req.valid:
                stats.valid_latencies_ms.append(ms)
                stats.unexpected += r.status_code != 200
            else:
                stats.unexpected += not 400 <= r.status_code < 500


async def drive(base: str, clients: int, seconds: float, invalid_share: float = 0.2, seed: int = 0,
                max_requests: int = 1_000_000, timeout: float = 30.0) -> Stats:
    """Run ``clients`` concurrent clients for ``seconds`` (or ``max_requests`` in all)."""
    stats = Stats()
    budget = [max_requests]
    t0 = time.monotonic()
    deadline = t0 + seconds
    tasks = [_client(base, random.Random(seed * 100_003 + n), invalid_share, deadline, budget, timeout, stats)
             for n in range(clients)]
    # a request started just before the deadline may take up to `timeout`
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + timeout + 10)
    stats.elapsed_s = time.monotonic() - t0
    return stats


@dataclass
class LoadResult:
    workers: int
    clients: int
    seconds: float
    invalid_share: float
    requests: int
    elapsed_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    valid_p50_ms: float
    valid_p95_ms: float
    valid_p99_ms: float
    statuses: dict[int, int]
    server_errors: int
    unexpected: int
    connection_errors: int
    error_kinds: dict[str, int]
    rss_ready_mb: float
    rss_before_mb: float
    rss_after_mb: float
    load_avg_1m: float | None
    settings: dict[str, str] = field(default_factory=dict)  # the PDQ_* settings the server got

    @property
    def rss_growth_mb(self) -> float:
        return self.rss_after_mb - self.rss_before_mb


# What the bench itself sets on the server's command line, or must keep off to measure it.
OWN_SETTINGS = {"PDQ_INDEX_DIR", "PDQ_HOST", "PDQ_PORT", "PDQ_WORKERS", "PDQ_RATE_LIMIT_PER_MINUTE"}


def server_settings() -> dict[str, str]:
    """This process's ``PDQ_*`` settings, for the server, so that a run measures them
    (``PDQ_PLAN_BESIDE=false python -m eval.bench load ...``); not the bench's own."""
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith("PDQ_") and k not in OWN_SETTINGS}


def settle(max_load: float, max_wait_s: float, verbose: bool = False) -> float | None:
    """Wait (at most ``max_wait_s``) for the 1-minute load average to fall below ``max_load``.

    A run started right after another one (or next to any busy process) on a small machine
    measures the contention, not the service. Returns the load average finally seen.
    """
    if not hasattr(os, "getloadavg"):
        return None
    deadline = time.monotonic() + max_wait_s
    load = os.getloadavg()[0]
    if max_load > 0 and load >= max_load and verbose:
        print(f"waiting up to {max_wait_s:.0f} s for the load average ({load:.2f}) to fall below "
              f"{max_load:g}", file=sys.stderr)
    while max_load > 0 and load >= max_load and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()[0]
    return load


def run_load(index: str | os.PathLike[str], clients: int, seconds: float, workers: int, invalid_share: float = 0.2,
             seed: int = 0, warmup_s: float = 2.0, max_requests: int = 1_000_000, timeout: float = 30.0,
             ready_timeout: float = 180.0, port: int | None = None, settle_load: float = 0.0,
             settle_max_s: float = 120.0, verbose: bool = False) -> LoadResult:
    """Start the service with ``workers`` workers, load it, stop it; the measurements.

    With ``settle_load`` > 0, first wait (at most ``settle_max_s``) for the machine's
    1-minute load average to fall below it.
    """
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must be between 1 and {MAX_CLIENTS}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS}]")
    if not 0.0 <= invalid_share <= 1.0:
        raise ValueError("invalid_share must be between 0 and 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    mb = 1 / (1024 * 1024)
    load_avg = settle(settle_load, settle_max_s, verbose)
    settings = server_settings()
    with ServiceProcess(Path(index), workers, port=port, ready_timeout=ready_timeout, extra_env=settings) as server:
        rss_ready = server.rss()
        if verbose:
            print(f"workers={workers}: ready on {server.base}, RSS {rss_ready * mb:.0f} MB; "
                  f"warm-up {warmup_s:g} s", file=sys.stderr)
        if warmup_s > 0:
            # Enough connections that every worker gets some: a worker's first searches grow
            # its memory by ~100 MB (model buffers), which must not count as growth below.
            asyncio.run(drive(server.base, max(clients, 8 * workers), warmup_s, invalid_share, seed + 1,
                              max_requests, timeout))
        rss_before = server.rss()
        if verbose:
            print(f"workers={workers}: {clients} clients for {seconds:g} s", file=sys.stderr)
        stats = asyncio.run(drive(server.base, clients, seconds, invalid_share, seed, max_requests, timeout))
        rss_after = server.rss()
        alive = server.proc.poll() is None
        output = server.output()
    if not alive:
        raise RuntimeError(f"the service died during the run:\n{output[-2000:]}")
    completed = sum(stats.statuses.values())
    return LoadResult(
        workers=workers, clients=clients, seconds=seconds, invalid_share=invalid_share,
        requests=stats.requests, elapsed_s=stats.elapsed_s,
        rps=completed / stats.elapsed_s if stats.elapsed_s else 0.0,
        p50_ms=percentile(stats.latencies_ms, 50), p95_ms=percentile(stats.latencies_ms, 95),
        p99_ms=percentile(stats.latencies_ms, 99),
        valid_p50_ms=percentile(stats.valid_latencies_ms, 50),
        valid_p95_ms=percentile(stats.valid_latencies_ms, 95),
        valid_p99_ms=percentile(stats.valid_latencies_ms, 99),
        statuses=dict(sorted(stats.statuses.items())),
        server_errors=sum(n for s, n in stats.statuses.items() if s >= 500),
        unexpected=stats.unexpected,
        connection_errors=sum(stats.errors.values()), error_kinds=dict(stats.errors),
        rss_ready_mb=rss_ready * mb, rss_before_mb=rss_before * mb, rss_after_mb=rss_after * mb,
        load_avg_1m=load_avg, settings=settings,
    )
