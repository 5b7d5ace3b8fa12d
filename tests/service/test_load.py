"""A short load run through eval.bench.load: a real server, 20 clients, 8 seconds.

The same code as ``python -m eval.bench load`` (see docs/load.md for full runs): the
service is started as a subprocess on 127.0.0.1 over the seed index, and concurrent
clients send the fixed mix of questions plus 20% invalid requests.
"""

from __future__ import annotations

import pytest

from eval.bench.__main__ import build_parser
from eval.bench.load import pick_request, run_load
from eval.bench.load_report import report_section

# RSS may grow a little as allocator pools and caches fill; a leak of a few KB per
# request would show as tens of MB over a run of a few thousand requests.
MAX_RSS_GROWTH_MB = 40


@pytest.mark.load
@pytest.mark.model
def test_short_load_run_has_no_5xx_no_connection_errors_and_flat_memory(seed_index):
    r = run_load(seed_index, clients=20, seconds=8, workers=1, invalid_share=0.2, warmup_s=1.0,
                 max_requests=20_000, timeout=30, ready_timeout=120)
    assert r.server_errors == 0, r.statuses
    assert r.connection_errors == 0, r.error_kinds
    assert r.unexpected == 0, r.statuses  # valid -> 200, invalid -> 4xx, every time
    assert r.requests >= 100 and r.rps > 5, r
    assert set(r.statuses) <= {200, 400, 422} and r.statuses.get(200) and r.statuses.get(422), r.statuses
    assert r.p50_ms <= r.p95_ms <= r.p99_ms
    assert 0 < r.rss_before_mb and r.rss_growth_mb < MAX_RSS_GROWTH_MB, (r.rss_before_mb, r.rss_after_mb)
    table = report_section([r], "python -m eval.bench load ...", str(seed_index))
    assert f"| 1 | {r.requests} |" in table


@pytest.mark.load
@pytest.mark.model
def test_with_two_workers_only_the_workers_hold_the_model(seed_index):
    """The supervisor checks the index in a throwaway process, so it does not keep a model
    of its own for the server's life; each worker loads its own (and holds its index)."""
    import httpx
    import psutil

    from eval.bench.server import ServiceProcess

    with ServiceProcess(seed_index, workers=2, ready_timeout=180) as server:
        for _ in range(8):
            assert httpx.get(server.base + "/api/search", params={"q": "octreotide"}, timeout=30).status_code == 200
        supervisor = psutil.Process(server.pid)
        workers = [p for p in supervisor.children() if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2
        mb = 1024 * 1024
        sizes = [w.memory_info().rss / mb for w in workers]
        own = supervisor.memory_info().rss / mb
        assert own < 200 and all(size > own + 40 for size in sizes), (own, sizes)


def test_request_mix_is_seeded_and_honours_the_invalid_share():
    import random

    a = [pick_request(random.Random(3), 0.25) for _ in range(1)]
    assert a == [pick_request(random.Random(3), 0.25)]
    rng = random.Random(0)
    mix = [pick_request(rng, 0.25) for _ in range(4000)]
    share = sum(not m.valid for m in mix) / len(mix)
    assert 0.22 < share < 0.28
    assert {m.kind for m in mix if not m.valid} == {"blank_q", "k_zero", "q_too_long", "malformed_json"}
    assert all(m.valid for m in (pick_request(rng, 0.0) for _ in range(500)))


def test_load_is_a_subcommand_beside_the_others():
    parser = build_parser()
    args = parser.parse_args(["load", "--index", "idx", "--clients", "50", "--seconds", "60",
                              "--workers", "1,2", "--invalid-share", "0.2", "--out", "docs/load.md"])
    assert args.workers == [1, 2] and args.clients == 50 and args.invalid_share == 0.2
    assert args.func.__name__ == "_run_load"
    assert parser.parse_args(["scale"]).func.__name__ == "_run_scale"
    with pytest.raises(SystemExit):
        parser.parse_args(["load", "--index", "idx", "--invalid-share", "1.5"])


def test_the_load_bench_runs_its_server_with_this_process_settings(monkeypatch):
    """`PDQ_PLAN_BESIDE=false python -m eval.bench load` measured the default: the server was
    started without any PDQ_* setting. Now it gets them (not the bench's own), and the report says so."""
    from dataclasses import replace

    from eval.bench import load

    monkeypatch.setenv("PDQ_PLAN_BESIDE", "false")
    monkeypatch.setenv("PDQ_PORT", "9")  # the bench's own: its --port flag wins, and it is not reported
    monkeypatch.setenv("PDQ_RATE_LIMIT_PER_MINUTE", "5")  # kept off, or the run would measure 429s
    given = {}

    class Stop(Exception):
        pass

    class Server:
        def __init__(self, *args, extra_env=None, **kwargs):
            given.update(extra_env or {})

        def __enter__(self):
            raise Stop

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(load, "ServiceProcess", Server)
    with pytest.raises(Stop):
        run_load("index", clients=1, seconds=1, workers=1)
    assert given == {"PDQ_PLAN_BESIDE": "false"}
    result = load.LoadResult(1, 1, 1.0, 0.0, 1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, {200: 1}, 0, 0, 0, {},
                             100.0, 100.0, 100.0, None)
    assert "Settings:" not in report_section([result], "cmd", "index")
    assert "Settings: PDQ_PLAN_BESIDE=false." in report_section([replace(result, settings=given)], "cmd", "index")
