"""Ingest and query speed on real documents: the figures behind the README's benchmark table.

Query time is reported next to its floor, the time to embed the question alone: the
retriever's own work (spelling, BM25, FAISS, fusion, highlights) is what lies above it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from eval.bench.server import ServiceProcess
from eval.metrics import latency
from eval.questionset import load_questions
from ingest.indexing import build_index
from retriever.embedding import get_embedder
from retriever.search import Retriever
from retriever.settings import Settings


def _stats(ms: list[float]) -> dict[str, float]:
    return {**latency(ms), "n": len(ms)}


def bench_ingest(src: Path, settings: Settings) -> dict:
    """Index ``src`` from scratch (no reuse) into a temporary folder; documents/s and chunks/s."""
    embedder = get_embedder(settings.model, settings.backend, settings.onnx_target)
    with tempfile.TemporaryDirectory() as tmp:
        report = build_index(src, Path(tmp) / "index", settings, embedder=embedder, progress=True)
    return {"source": str(src), "documents": report.documents, "chunks": report.chunks,
            "sentences": report.sentences, "seconds": report.seconds,
            "docs_per_s": report.documents / report.seconds, "chunks_per_s": report.chunks / report.seconds}


def bench_query(index: Path, questions: list[str], settings: Settings, repeats: int = 3) -> dict:
    """Median and p95 of: embedding the question alone, and the whole in-process search."""
    r = Retriever.load(index, settings)
    r.warm_up()  # as the service does: the speller's one-time word lists are not timed
    for q in questions[:5]:
        r.search(q)
    embed_ms, search_ms = [], []
    for _ in range(repeats):
        for q in questions:
            t0 = time.perf_counter()
            r.embedder.encode_query(q)
            t1 = time.perf_counter()
            r.search(q, k=5)
            t2 = time.perf_counter()
            embed_ms.append((t1 - t0) * 1000)
            search_ms.append((t2 - t1) * 1000)
    out = {"index": str(index), "chunks": len(r.chunks), "embed": _stats(embed_ms), "search": _stats(search_ms)}
    out["ratio_p50"] = out["search"]["p50_ms"] / out["embed"]["p50_ms"] if out["embed"]["p50_ms"] else 0.0
    return out


def bench_http(index: Path, questions: list[str], repeats: int = 2) -> dict:
    """Sequential GET /api/search against a real server on loopback (one client).

    The server gets this process's ``PDQ_*`` settings, so it searches as `bench_query` does.
    """
    same_settings = {k: v for k, v in os.environ.items() if k.startswith("PDQ_")}
    with ServiceProcess(index, workers=1, ready_timeout=120, extra_env=same_settings) as server:
        ms = []
        for i in range(repeats):
            for q in questions:
                url = f"{server.base}/api/search?{urllib.parse.urlencode({'q': q, 'k': 5})}"
                t0 = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as resp:
                    json.loads(resp.read())
                if i or q not in questions[:3]:
                    ms.append((time.perf_counter() - t0) * 1000)
        return {"http": _stats(ms)}


def questions_from(path: Path) -> list[str]:
    return [q.question for q in load_questions(path).questions]


def markdown(ingest_rows: list[dict], query_rows: list[dict], command: str) -> str:
    lines = ["# Ingest and query speed", "", "Produced by:", "", "```", command, "```", ""]
    if ingest_rows:
        lines += ["| corpus | documents | chunks | seconds | documents/s | chunks/s |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in ingest_rows:
            lines.append(f"| {r['source']} | {r['documents']} | {r['chunks']} | {r['seconds']:.1f} | "
                         f"{r['docs_per_s']:.2f} | {r['chunks_per_s']:.1f} |")
        lines.append("")
    if query_rows:
        lines += ["| index | chunks | embed query p50 / p95 ms | search p50 / p95 ms | search / embed (p50) "
                  "| HTTP p50 / p95 ms |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in query_rows:
            http = r.get("http")
            h = f"{http['p50_ms']:.1f} / {http['p95_ms']:.1f}" if http else "-"
            lines.append(f"| {r['index']} | {r['chunks']} | {r['embed']['p50_ms']:.1f} / {r['embed']['p95_ms']:.1f} | "
                         f"{r['search']['p50_ms']:.1f} / {r['search']['p95_ms']:.1f} | {r['ratio_p50']:.2f} | {h} |")
    lines.append("")
    lines.append(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; one run per row; "
                 "every question of the set named in the command, searched with k=5.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    ingest_rows = [bench_ingest(Path(src), settings) for src in args.ingest]
    query_rows = []
    questions = questions_from(Path(args.questions))
    for index in args.index:
        row = bench_query(Path(index), questions, settings)
        if args.http:
            row.update(bench_http(Path(index), questions))
        query_rows.append(row)
    text = markdown(ingest_rows, query_rows, args.command_line)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    return 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "speed",
        help="ingest documents/s and chunks/s; query embed / search / HTTP latency",
        description="Index each --ingest folder from scratch, then time every question of "
        "--questions against each --index: embedding alone, in-process search, and (with --http) "
        "GET /api/search on a server started on loopback.",
    )
    p.add_argument("--ingest", action="append", default=[], help="source folder to index from scratch (repeatable)")
    p.add_argument("--index", action="append", default=[], help="index folder to query (repeatable)")
    p.add_argument("--questions", default="eval/questions/seed_questions.jsonl", help="question set to time")
    p.add_argument("--http", action="store_true", help="also time HTTP search on a real server")
    p.add_argument("--out", default=None, help="write the markdown table here too")
    p.set_defaults(func=run)
