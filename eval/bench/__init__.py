"""Benchmarks for the retrieval service (run as ``python -m eval.bench <command>``).

Only ``scale`` exists so far: synthetic-corpus timings of the FAISS index types,
see :mod:`eval.bench.scale`.
"""
