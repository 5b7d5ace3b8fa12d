"""The HTTP load benchmark's report: a markdown section per run, appended to one file."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from eval.bench.load import LoadResult


def _fmt(x: float) -> str:
    return "–" if x != x else f"{x:.0f}" if x >= 100 else f"{x:.1f}"


def report_section(results: Sequence[LoadResult], command: str, index: str) -> str:
    """A markdown section: the command, the machine, one table row per worker count."""
    machine = f"{platform.machine()}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}"
    loads = ", ".join(f"{r.load_avg_1m:.2f}" for r in results if r.load_avg_1m is not None) or "n/a"
    r0 = results[0]
    lines = [
        f"### `{command}`",
        "",
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; {machine}; index `{index}`; "
        f"{r0.clients} client{'s' if r0.clients != 1 else ''} for {r0.seconds:g} s per worker count, "
        f"{r0.invalid_share:.0%} invalid "
        f"requests; 1-minute load average when each run started: {loads}. Client and server share the machine."
        + (f" Settings: {', '.join(f'{k}={v}' for k, v in r0.settings.items())}." if r0.settings else ""),
        "",
        "| workers | requests | req/s | p50 ms | p95 ms | p99 ms | valid p50 / p95 / p99 ms | statuses "
        "| 5xx | unexpected | conn. errors | RSS ready / before / after MB |",
        "|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        statuses = ", ".join(f"{s}: {n}" for s, n in r.statuses.items()) or "–"
        errors = str(r.connection_errors) + (f" ({', '.join(f'{k} {v}' for k, v in r.error_kinds.items())})"
                                             if r.error_kinds else "")
        lines.append(
            f"| {r.workers} | {r.requests} | {r.rps:.1f} | {_fmt(r.p50_ms)} | {_fmt(r.p95_ms)} | {_fmt(r.p99_ms)} "
            f"| {_fmt(r.valid_p50_ms)} / {_fmt(r.valid_p95_ms)} / {_fmt(r.valid_p99_ms)} | {statuses} "
            f"| {r.server_errors} | {r.unexpected} | {errors} "
            f"| {r.rss_ready_mb:.0f} / {r.rss_before_mb:.0f} / {r.rss_after_mb:.0f} |")
    return "\n".join(lines) + "\n"


HEADER = """# HTTP load

`python -m eval.bench load` (eval/bench/load.py) starts `python -m service` on 127.0.0.1
with the given number of workers, waits for every worker to be ready, warms it up for
2 s (at least 8 connections per worker, so that every worker has searched before its
memory is measured: a worker's first searches add ~100 MB), then runs N concurrent
clients (one keep-alive connection each) against `/api/search` for the given time with
a fixed, seeded mix of lay questions, keyword queries, misspellings and off-topic
questions (a fifth of them as JSON POSTs), plus a share of invalid requests (blank `q`,
`k=0`, `q` over 1000 characters, malformed JSON). Before each worker count it waits (at
most 150 s) for the 1-minute load average to fall below 1.5. Latencies are client-side,
per request, in milliseconds ("valid" excludes the invalid requests, which are answered
without a search). "unexpected" counts valid requests not answered 200 and invalid ones
not answered 4xx. RSS is the server process plus all its workers: when ready, after the
warm-up, after the run. The server gets this process's `PDQ_*` settings (not the bench's
own: index, host, port, workers and the rate limit, kept off), and a section names them.

"""


def write_report(results: Sequence[LoadResult], out: str | os.PathLike[str], command: str, index: str) -> None:
    """Append this run's section to ``out`` (created with an explanatory header)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = out.read_text(encoding="utf-8") if out.exists() else HEADER
    out.write_text(text.rstrip("\n") + "\n\n" + report_section(results, command, index), encoding="utf-8")
