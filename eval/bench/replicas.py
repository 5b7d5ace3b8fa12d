"""Replicas behind HAProxy, under load: ``python -m eval.bench replicas``.

Starts N single-worker ``python -m service`` replicas over the same index folder, each
on its own loopback port, and HAProxy in front (eval/bench/haproxy.py), then loads them
with wrk (eval/bench/wrk.py) in four runs:

a. one replica, direct (no proxy);
b. all N behind HAProxy;
c. behind HAProxy while one replica is killed (SIGKILL) and started again;
d. behind HAProxy while a new index folder is rolled out: each replica in turn is
   stopped (SIGTERM) and started on the new folder, the next one only once HAProxy's
   checks report the previous one UP again.

A request fails when it gets no answer, or an answer other than a 200 with passages;
runs (c) and (d) must fail none. Every question sent is one the seed index answers.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import httpx

from eval.bench.haproxy import Haproxy, haproxy_version, server_name
from eval.bench.server import ServiceProcess, free_port
from eval.bench.wrk import WrkResult, WrkRun, find_wrk, run_wrk, wrk_version
from retriever.store import Manifest

# Each is answered with passages over the seed index (none abstains), so an empty
# result list is a failure, not a refusal.
QUESTIONS = [
    "what are the signs of a carcinoid tumor in the rectum?",
    "what is a neuroendocrine tumor?",
    "how do doctors find a tumor in the stomach?",
    "what happens after surgery for a tumor in the small intestine?",
    "is carcinoid syndrome dangerous?",
    "why does my face turn red and hot?",
    "octreotide",
    "hepatic artery embolization",
    "carcinoyd syndrom",  # misspelled on purpose
    "chromogranin A blood test",
]


def distinct_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


class Fleet:
    """N single-worker replicas over one index, each on its own port; all stopped on exit."""

    def __init__(self, index: Path, n: int, ready_timeout: float = 180.0):
        self.index = Path(index)
        self.ports = distinct_ports(n)
        self.ready_timeout = ready_timeout
        self.replicas: list[ServiceProcess | None] = [None] * n

    def __enter__(self) -> Self:
        try:
            with ThreadPoolExecutor(len(self.ports)) as pool:
                list(pool.map(self.start, range(len(self.ports))))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for i in range(len(self.ports)):
            self.stop(i)

    def base(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def start(self, i: int, index: Path | None = None) -> None:
        """Start replica ``i`` on its port (over ``index``, else the fleet's) and wait until it is ready."""
        replica = ServiceProcess(index or self.index, workers=1, port=self.ports[i], ready_timeout=self.ready_timeout)
        replica.__enter__()
        self.replicas[i] = replica

    def stop(self, i: int) -> None:
        """SIGTERM: uvicorn finishes the requests in flight, then exits."""
        if self.replicas[i] is not None:
            self.replicas[i].stop()

    def kill(self, i: int) -> None:
        """SIGKILL: the replica dies with its requests in flight."""
        replica = self.replicas[i]
        if replica is None or replica.proc is None or replica.proc.poll() is not None:
            return  # not running: nothing to kill
        os.killpg(replica.pid, signal.SIGKILL)
        replica.proc.wait(timeout=30)

    def readyz(self, i: int) -> dict:
        return httpx.get(self.base(i) + "/readyz", timeout=10).json()


@dataclass
class Row:
    scenario: str
    serving: str
    result: WrkResult
    note: str = ""
    retried: tuple[int, int] | None = None  # HAProxy's (retries, redispatches) during the run


def with_retries(proxy: Haproxy, run: Callable[[], Row]) -> Row:
    """``run()``'s row, with the requests HAProxy sent again while it ran."""
    before = proxy.retries()
    row = run()
    after = proxy.retries()
    row.retried = (after[0] - before[0], after[1] - before[1])
    return row


def restart_under_load(fleet: Fleet, proxy: Haproxy, clients: int, seconds: float) -> Row:
    """Run (c): kill replica 0 a quarter into the load, start it again, keep loading to the end."""
    name = server_name(0)
    with WrkRun(proxy.base, QUESTIONS, clients) as load:
        t0 = time.monotonic()
        time.sleep(seconds / 4)
        killed_at = time.monotonic() - t0
        fleet.kill(0)
        proxy.wait_for(name, "DOWN")
        fleet.start(0)
        proxy.wait_for(name, "UP")
        back_after = time.monotonic() - t0 - killed_at
        time.sleep(max(2.0, seconds - (time.monotonic() - t0)))
        result = load.stop()
    note = f"{name} killed (SIGKILL) at {killed_at:.1f} s, started again, UP in HAProxy {back_after:.1f} s later"
    n = len(fleet.ports)
    return Row(f"{n} replicas, one killed and restarted", f"{n} ({n - 1} while {name} restarts)", result, note)


def roll_out(fleet: Fleet, proxy: Haproxy, new_index: Path, clients: int, seconds: float) -> Row:
    """Run (d): restart each replica in turn on ``new_index``, the next once HAProxy has the last UP."""
    expected = Manifest.read(new_index).created
    with WrkRun(proxy.base, QUESTIONS, clients) as load:
        t0 = time.monotonic()
        time.sleep(min(2.0, seconds / 4))
        for i in range(len(fleet.ports)):
            fleet.stop(i)
            proxy.wait_for(server_name(i), "DOWN")
            fleet.start(i, new_index)
            proxy.wait_for(server_name(i), "UP")
        took = time.monotonic() - t0
        time.sleep(max(2.0, seconds - took))
        result = load.stop()
    served = {fleet.readyz(i)["index_created"] for i in range(len(fleet.ports))}
    if served != {expected}:
        raise RuntimeError(f"after the rollout the replicas serve indexes created {sorted(served)}, not {expected}")
    n = len(fleet.ports)
    note = (f"each replica stopped (SIGTERM) and started on the new folder in turn; done {took:.1f} s in; "
            f"all now serve the index created {expected}")
    return Row(f"{n} replicas, rolling rollout of a new index", f"{n} ({n - 1} while one restarts)", result, note)


def run_replicas(index: Path, replicas: int, clients: int, seconds: float, new_index: Path | None = None,
                 log=print) -> tuple[list[Row], dict]:
    """Runs (a)-(d); the rows and what the report says about the set-up (CPU of wrk and HAProxy)."""
    find_wrk()
    copied = None
    if new_index is None:
        copied = Path(tempfile.mkdtemp(prefix="pdq-new-index-")) / "index"
        shutil.copytree(Path(index).resolve(), copied)
        # a new creation time, so the rollout check can tell the copy from the original
        old = Manifest.read(copied)
        replace(old, created=datetime.now(UTC).isoformat(timespec="microseconds")).write(copied)
    try:
        with Fleet(index, replicas) as fleet, Haproxy(fleet.ports) as proxy:
            log(f"{replicas} replicas ready on ports {fleet.ports}, HAProxy on {proxy.port}; warm-up 2 s")
            run_wrk(proxy.base, QUESTIONS, clients, 2)
            rows = []
            log(f"(a) one replica direct, {clients} clients, {seconds:g} s")
            rows.append(Row("one replica, direct", "1", run_wrk(fleet.base(0), QUESTIONS, clients, seconds)))
            log(f"(b) {replicas} replicas behind HAProxy")
            rows.append(with_retries(proxy, lambda: Row(f"{replicas} replicas behind HAProxy", str(replicas),
                                                        run_wrk(proxy.base, QUESTIONS, clients, seconds))))
            log("(c) one replica killed and restarted under load")
            rows.append(with_retries(proxy, lambda: restart_under_load(fleet, proxy, clients, seconds)))
            log("(d) rolling rollout of a new index folder under load")
            rows.append(with_retries(proxy, lambda: roll_out(fleet, proxy, Path(new_index or copied), clients,
                                                             seconds)))
            haproxy_cpu_s = proxy.cpu_seconds()
    finally:
        if copied is not None:
            shutil.rmtree(copied.parent, ignore_errors=True)
    described = str(new_index) if new_index else "a copy of --index (same content, another folder)"
    return rows, {"haproxy_cpu_s": haproxy_cpu_s, "new_index": described, "load_end": os.getloadavg()[0]}



def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    models = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")]
    cpu = models[0] if models else platform.processor() or platform.machine()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{cpu}, {os.cpu_count()} logical CPUs, {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}"


def _fmt_row(row: Row) -> str:
    r = row.result
    failed = str(r.failures)
    if r.socket_errors:
        failed += " (" + ", ".join(f"{kind} {n}" for kind, n in r.socket_errors.items()) + ")"
    retried = f"{row.retried[0]} / {row.retried[1]}" if row.retried else "–"
    return (f"| {row.scenario} | {row.serving} | {r.answered} | {r.answers_per_s:.1f} | {r.p50_ms:.0f} "
            f"| {r.p99_ms:.0f} | {failed} | {retried} | {row.note or '–'} |")


def report(rows: list[Row], meta: dict, command: str, clients: int) -> str:
    """The markdown report: the command, the machine, one table row per run, the client's cost."""
    wrk_cpu = sum(r.result.cpu_s for r in rows)
    load_s = sum(r.result.elapsed_s for r in rows)
    setup = (f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; {machine()}; {haproxy_version()}; "
             f"{wrk_version()}, 1 thread, {clients} connections. Replicas, HAProxy and wrk share the machine. "
             f"New index of run (d): {meta['new_index']}. 1-minute load average "
             f"{meta.get('load_start', math.nan):.2f} at the start, {meta['load_end']:.2f} at the end.")
    cost = (f"wrk used {wrk_cpu:.1f} s of CPU over {load_s:.0f} s of load ({wrk_cpu / load_s:.1%} of one core); "
            f"HAProxy {meta['haproxy_cpu_s']:.1f} s over the whole run (warm-up and (a) included).")
    lines = [
        f"`{command}`", "", setup, "",
        ("| run | replicas serving | answers | answers/s | p50 ms | p99 ms | failed requests "
         "| HAProxy retries / redispatches | what happened |"),
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
        *(_fmt_row(row) for row in rows), "", cost,
    ]
    return "\n".join(lines) + "\n"


HEADER = """# Replicas behind HAProxy

`python -m eval.bench replicas` (eval/bench/replicas.py) starts N single-worker
`python -m service` replicas over one index folder, each on its own loopback port, and
Debian's HAProxy in front, configured by `eval.bench.haproxy.haproxy_config` (health
checks on `GET /readyz` every 500 ms, `retries 3`, `option redispatch 1`, `retry-on
conn-failure empty-response response-timeout`, `balance leastconn`). Debian's wrk loads
it with a Lua script sending `GET /api/search?q=...&k=5` for ten questions the seed index
answers, in turn; a request counts as failed when it gets no answer or an answer other
than a 200 with passages. Latencies are wrk's, per request. Runs (c) and (d) keep the
load going until the restart or rollout is done and at least the given duration has
passed.

"""
