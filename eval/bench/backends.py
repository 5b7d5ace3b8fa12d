"""The encoder backends side by side, in one run: quality, query latency, HTTP load, memory.

For each backend the seed is indexed from scratch with it (ingest seconds), every question
set is scored (in-scope Hit@1, hybrid), the question embedding and the in-process search are
timed, then a real service with two workers is loaded by wrk at growing client counts
(answers/s, p50 and p99, failures) and its resident memory read. One table
(``backends.md``) and one latency-against-clients plot (``backends.png``) come out.

Timings of one run are comparable with each other, not with other runs: this machine's
speed drifts with whatever else it is doing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from eval.bench.wrk import WrkResult, run_wrk

# The library is imported inside the functions: `python -m eval.bench --help` and the other
# commands stay quick to start.

QUESTIONS = "eval/questions/seed_questions.jsonl"
WORKERS = 2


@dataclass
class BackendRun:
    backend: str
    file: str = ""
    ingest_s: float = 0.0
    hit1: dict[str, float] = field(default_factory=dict)
    embed_p50_ms: float = 0.0
    search_p50_ms: float = 0.0
    load: dict[int, WrkResult] = field(default_factory=dict)
    rss_mb: float = 0.0


def answered_questions(r, n: int = 10) -> list[str]:
    """The first ``n`` seed questions retriever ``r`` answers: wrk counts only answers."""
    from eval.questionset import load_questions

    questions = [q.question for q in load_questions(Path(QUESTIONS)).questions if q.in_scope]
    return [q for q in questions if not r.search(q).abstained][:n]


def quality(r, sets: list[Path]) -> dict[str, float]:
    """In-scope hybrid Hit@1 of retriever ``r`` on each question set."""
    from eval.questionset import load_questions
    from eval.runner import evaluate

    return {p.stem: evaluate(load_questions(p), r, "hybrid").metrics["in_scope"]["Hit@1"] for p in sets}


def run_backend(backend: str, seeds: Path, sets: list[Path], clients: list[int], seconds: float,
                work: Path) -> BackendRun:
    from eval.bench.server import ServiceProcess
    from eval.bench.speed import bench_query
    from eval.questionset import load_questions
    from ingest.indexing import build_index
    from retriever.embedding import get_embedder
    from retriever.search import Retriever
    from retriever.settings import Settings

    settings = Settings(backend=backend)
    embedder = get_embedder(settings.model, backend, settings.onnx_target)
    index = work / backend
    report = build_index(seeds, index, settings, embedder=embedder, progress=False)
    retriever = Retriever.load(index, settings, embedder=embedder)
    run = BackendRun(backend, embedder.file, report.seconds, quality(retriever, sets))
    timing = bench_query(index, [q.question for q in load_questions(Path(QUESTIONS)).questions], settings)
    run.embed_p50_ms, run.search_p50_ms = timing["embed"]["p50_ms"], timing["search"]["p50_ms"]
    questions = answered_questions(retriever)
    same = {k: v for k, v in os.environ.items() if k.startswith("PDQ_")}
    with ServiceProcess(index, workers=WORKERS, extra_env={**same, "PDQ_BACKEND": backend}) as server:
        run_wrk(server.base, questions, clients=1, seconds=2)  # warm every worker up
        for n in clients:
            run.load[n] = run_wrk(server.base, questions, clients=n, seconds=seconds, threads=min(n, 2))
        run.rss_mb = server.worker_rss() / 1e6
    return run


def run_backends(backends: list[str], seeds: Path, sets: list[Path], clients: list[int],
                 seconds: float) -> list[BackendRun]:
    with tempfile.TemporaryDirectory(prefix="pdq-backends-") as tmp:
        return [run_backend(b, seeds, sets, clients, seconds, Path(tmp)) for b in backends]


def report(runs: list[BackendRun], command: str, seconds: float) -> str:
    sets = list(runs[0].hit1)
    lines = ["# Encoder backends", "", "Produced by:", "", "```", command, "```", "",
             "| backend | file | " + " | ".join(f"Hit@1 {s}" for s in sets)
             + " | seed ingest s | embed query p50 ms | search p50 ms | MB per worker |",
             "|---|---|" + "---:|" * (len(sets) + 4)]
    for r in runs:
        lines.append(f"| {r.backend} | `{r.file}` | " + " | ".join(f"{r.hit1[s]:.3f}" for s in sets)
                     + f" | {r.ingest_s:.1f} | {r.embed_p50_ms:.2f} | {r.search_p50_ms:.2f} | {r.rss_mb:.0f} |")
    lines += ["", f"HTTP `GET /api/search` through {WORKERS} workers, wrk for {seconds:g} s per row "
              "(answers: 200s with passages):", "",
              "| backend | clients | answers/s | p50 ms | p99 ms | failed | wrk CPU s |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        for n, w in r.load.items():
            lines.append(f"| {r.backend} | {n} | {w.answers_per_s:.1f} | {w.p50_ms:.1f} | {w.p99_ms:.1f} | "
                         f"{w.failures} | {w.cpu_s:.2f} |")
    torch = next((r for r in runs if r.backend == "torch"), None)
    if torch:
        lines += ["", f"Torch query embedding in this run: {torch.embed_p50_ms:.2f} ms p50; targets: one-client "
                  f"HTTP p50 at most {0.6 * torch.embed_p50_ms:.2f} ms, 16 clients at least "
                  f"{2000 / torch.embed_p50_ms:.0f} answers/s with p99 at most 150 ms."]
    lines += ["", f"Machine: {os.cpu_count()} CPUs; client (wrk) and server share them."]
    return "\n".join(lines) + "\n"


def plot(runs: list[BackendRun], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for r in runs:
        ns = sorted(r.load)
        ax.plot(ns, [r.load[n].p50_ms for n in ns], marker="o", label=f"{r.backend} p50")
        ax.plot(ns, [r.load[n].p99_ms for n in ns], marker="x", linestyle="--", label=f"{r.backend} p99")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("latency, ms")
    ax.set_title(f"GET /api/search, {WORKERS} workers, seed index")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def add_command(subparsers) -> None:
    p = subparsers.add_parser(
        "backends", help="torch, ONNX and int8 encoders side by side: Hit@1, latency, load, memory",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--backends", default="torch,onnx,onnx-int8", help="comma-separated (default: all three)")
    p.add_argument("--seeds", default="seeds", help="documents to index with each backend (default: seeds)")
    p.add_argument("--sets", nargs="*", default=None,
                   help="question sets to score (default: eval/questions/*_questions.jsonl)")
    p.add_argument("--clients", default="1,4,16,64", help="wrk client counts (default: 1,4,16,64)")
    p.add_argument("--seconds", type=float, default=15.0, help="seconds per load row (default: 15)")
    p.add_argument("--out", default="docs", help="folder for backends.md and backends.png (default: docs)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    default = sorted(Path("eval/questions").glob("*_questions.jsonl"))
    sets = [Path(s) for s in args.sets] if args.sets is not None else default
    runs = run_backends(args.backends.split(","), Path(args.seeds), sets,
                        [int(n) for n in args.clients.split(",")], args.seconds)
    text = report(runs, args.command_line, args.seconds)
    print(text)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "backends.md").write_text(text, encoding="utf-8")
        plot(runs, out / "backends.png")
    return 0
