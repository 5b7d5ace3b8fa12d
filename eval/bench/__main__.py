"""Command line of the benchmarks: ``python -m eval.bench <command> [options]``.

Each benchmark is an argparse subcommand. To add one (``ingest``, ``query``,
``http``, ...), write an ``_add_<name>(subparsers)`` function that creates its parser
and sets ``func`` to a callable taking the parsed namespace and returning an exit
code, and call it from :func:`build_parser`.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eval.bench import (
    animals,
    backends,
    ceiling,
    crisis,
    cross_encoder,
    dose,
    drugs,
    filtered,
    lexicon,
    speed,
    subjects,
    topics,
    typos,
)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from exc
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def _kind_list(text: str) -> list[str]:
    from eval.bench.scale import KINDS

    values = [v.strip() for v in text.split(",") if v.strip()]
    bad = [v for v in values if v not in KINDS]
    if not values or bad:
        raise argparse.ArgumentTypeError(f"index kinds must be among {','.join(KINDS)}, got {text!r}")
    return values


def _run_scale(args: argparse.Namespace) -> int:
    from eval.bench.scale import run_scale
    from eval.bench.scale_report import write_report

    started = time.perf_counter()
    rows = run_scale(
        sizes=args.sizes,
        dim=args.dim,
        n_queries=args.queries,
        kinds=tuple(args.kinds),
        seed=args.seed,
        repeats=args.repeats,
        verbose=not args.quiet,
    )
    out = Path(args.out)
    write_report(
        rows,
        out / "scale.md",
        out / "scale.png",
        command=args.command_line,
        budget_ms=args.budget_ms,
        min_recall=args.min_recall,
        elapsed_s=time.perf_counter() - started,
    )
    print(f"wrote {out / 'scale.md'} and {out / 'scale.png'}")
    return 0


def _add_scale(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "scale",
        help="flat vs HNSW (vs IVF) index at growing synthetic corpus sizes",
        description="Build each FAISS index type on synthetic 384-d unit vectors of each size; "
        "report build time, memory, single-query latency and recall@10; write "
        "<out>/scale.md and <out>/scale.png.",
    )
    p.add_argument("--sizes", type=_int_list, default=[10_000, 100_000, 1_000_000],
                   help="comma-separated corpus sizes (default: 10000,100000,1000000)")
    p.add_argument("--kinds", type=_kind_list, default=["flat", "hnsw"],
                   help="comma-separated index kinds among flat,hnsw,ivf (default: flat,hnsw)")
    p.add_argument("--out", default="docs", help="directory for scale.md and scale.png (default: docs)")
    p.add_argument("--queries", type=int, default=200, help="queries per size (default: 200)")
    p.add_argument("--dim", type=int, default=384, help="vector dimension (default: 384)")
    p.add_argument("--repeats", type=int, default=3,
                   help="timed passes over the queries; a query's latency is its fastest pass (default: 3)")
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic data (default: 0)")
    p.add_argument("--budget-ms", type=float, default=5.0,
                   help="latency budget for the 'where to switch' paragraph (default: 5)")
    p.add_argument("--min-recall", type=float, default=0.95,
                   help="minimum HNSW recall@10 for the 'where to switch' paragraph (default: 0.95)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_run_scale)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from exc
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}")
    return value


def _run_load(args: argparse.Namespace) -> int:
    from eval.bench.load import MAX_CLIENTS, MAX_SECONDS, run_load
    from eval.bench.load_report import report_section, write_report

    if not 1 <= args.clients <= MAX_CLIENTS:
        print(f"error: --clients must be between 1 and {MAX_CLIENTS}", file=sys.stderr)
        return 2
    if not 0 < args.seconds <= MAX_SECONDS:
        print(f"error: --seconds must be in (0, {MAX_SECONDS}]", file=sys.stderr)
        return 2
    if not Path(args.index).exists():
        print(f"error: index {args.index} does not exist; build it with: "
              f"python -m ingest seeds --index {args.index}", file=sys.stderr)
        return 2
    results = []
    for workers in args.workers:
        try:
            result = run_load(args.index, clients=args.clients, seconds=args.seconds, workers=workers,
                              invalid_share=args.invalid_share, seed=args.seed, warmup_s=args.warmup,
                              max_requests=args.max_requests, timeout=args.timeout,
                              settle_load=args.settle_load, settle_max_s=args.settle_max,
                              verbose=not args.quiet)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        results.append(result)
    section = report_section(results, args.command_line, args.index)
    print(section)
    if args.out:
        write_report(results, args.out, args.command_line, args.index)
        print(f"appended to {args.out}")
    bad = sum(r.server_errors + r.connection_errors for r in results)
    return 1 if bad else 0


def _add_load(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "load",
        help="concurrent HTTP clients against a real `python -m service` on 127.0.0.1",
        description="Start the service with each worker count, run N concurrent clients for T seconds "
        "against /api/search with a fixed mix of questions and a share of invalid requests; report "
        "requests/s, latency percentiles, statuses, 5xx, connection errors and server RSS. Exits 1 "
        "when any 5xx or connection error was seen.",
    )
    p.add_argument("--index", required=True, help="index folder made by `python -m ingest`")
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default: 50)")
    p.add_argument("--seconds", type=float, default=60.0, help="measured seconds per worker count (default: 60)")
    p.add_argument("--workers", type=_int_list, default=[1],
                   help="comma-separated worker counts, one server run each (default: 1)")
    p.add_argument("--invalid-share", type=_share, default=0.2,
                   help="share of invalid requests, 0-1 (default: 0.2)")
    p.add_argument("--out", default=None, help="markdown file to append the results table to")
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured warm-up seconds (default: 2)")
    p.add_argument("--max-requests", type=int, default=500_000,
                   help="stop after this many requests per run (default: 500000)")
    p.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds (default: 30)")
    p.add_argument("--seed", type=int, default=0, help="seed of the request mix (default: 0)")
    p.add_argument("--settle-load", type=float, default=1.5,
                   help="before each worker count, wait for the 1-minute load average to fall below "
                   "this (default: 1.5; 0: don't wait)")
    p.add_argument("--settle-max", type=float, default=150.0,
                   help="wait at most this many seconds for the load to settle (default: 150)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_run_load)


def _run_replicas(args: argparse.Namespace) -> int:
    from eval.bench.haproxy import HaproxyMissing
    from eval.bench.load import settle
    from eval.bench.replicas import HEADER, report, run_replicas
    from eval.bench.wrk import WrkMissing

    if args.replicas < 1 or args.clients < 1 or args.duration <= 0:
        print("error: --replicas and --clients must be at least 1, --duration above 0", file=sys.stderr)
        return 2
    for folder in (args.index, args.new_index):
        if folder and not Path(folder).exists():
            print(f"error: index {folder} does not exist; build it with: python -m ingest seeds --index {folder}",
                  file=sys.stderr)
            return 2
    load_start = settle(args.settle_load, args.settle_max, verbose=True)
    try:
        rows, meta = run_replicas(Path(args.index), args.replicas, args.clients, args.duration,
                                  Path(args.new_index) if args.new_index else None,
                                  log=lambda line: print(line, file=sys.stderr))
    except (HaproxyMissing, WrkMissing, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    meta["load_start"] = math.nan if load_start is None else load_start
    text = report(rows, meta, args.command_line, args.clients)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(HEADER + text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 1 if any(row.result.failures for row in rows) else 0


def _add_replicas(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "replicas",
        help="N replicas behind HAProxy: throughput, a killed replica, a rolling index rollout",
        description="Start --replicas single-worker servers over --index and HAProxy in front, load them "
        "with wrk, and report answers/s, p50/p99 and failed requests for one replica direct, all "
        "behind HAProxy, one replica killed and restarted, and a rolling rollout of --new-index. "
        "Exits 1 when any request failed.",
    )
    p.add_argument("--index", required=True, help="index folder made by `python -m ingest`")
    p.add_argument("--replicas", type=int, default=2, help="replicas behind HAProxy (default: 2)")
    p.add_argument("--clients", type=int, default=16, help="concurrent wrk connections (default: 16)")
    p.add_argument("--duration", type=float, default=15.0,
                   help="seconds of each run; the restart and rollout runs last until done (default: 15)")
    p.add_argument("--new-index", default=None,
                   help="index folder rolled out in run (d) (default: a copy of --index)")
    p.add_argument("--out", default="docs/replicas.md", help="markdown report (default: docs/replicas.md; '' for none)")
    p.add_argument("--settle-load", type=float, default=1.5,
                   help="first wait for the 1-minute load average to fall below this (default: 1.5; 0: don't)")
    p.add_argument("--settle-max", type=float, default=60.0,
                   help="wait at most this many seconds for the load to settle (default: 60)")
    p.set_defaults(func=_run_replicas)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with one subparser per benchmark."""
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description="Benchmarks of the retrieval service.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="command")
    _add_scale(subparsers)
    _add_load(subparsers)
    speed.add_command(subparsers)
    ceiling.add_command(subparsers)
    _add_replicas(subparsers)
    backends.add_command(subparsers)
    topics.add_command(subparsers)
    lexicon.add_command(subparsers)
    cross_encoder.add_command(subparsers)
    typos.add_command(subparsers)
    dose.add_command(subparsers)
    subjects.add_command(subparsers)
    crisis.add_command(subparsers)
    animals.add_command(subparsers)
    filtered.add_command(subparsers)
    drugs.add_command(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and run the chosen benchmark."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.command_line = shlex.join(["python", "-m", "eval.bench", *argv])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
