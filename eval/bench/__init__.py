"""Benchmarks: timings and studies, kept apart from the library code they measure.

Run as ``python -m eval.bench <command>`` (``--help`` lists them):

- ``speed`` (`eval.bench.speed`): ingest throughput, query embedding and search latency,
  HTTP latency of a running service;
- ``load`` (`eval.bench.load`): concurrent clients against real uvicorn workers;
- ``scale`` (`eval.bench.scale`, `scale_index`, `synthetic`, `scale_report`, `scale_plot`): FAISS
  index types on synthetic corpora up to a million vectors;
- ``ceiling`` (`eval.bench.ceiling`): how far re-weighting the retriever's own signals
  could go on a question set.

`eval.bench.server` starts and stops service processes for them. Results are written to
``docs/`` and quoted in the README; no test asserts a timing.
"""


def publish(text: str, out) -> int:
    """Print a study's report and write it to ``out`` too, when given; the command's exit status."""
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")
    return 0
