"""A real ``python -m service`` on loopback, for the HTTP benchmarks and tests.

`ServiceProcess` starts the server in its own session, waits until every worker has
finished start-up, and stops all of them on exit; `free_port` and `tree_rss` are its
helpers, shared with the tests that start servers of their own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tree_rss(pid: int) -> list[int]:
    """Resident bytes of a process and of each of its descendants (empty once it is gone)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    sizes = []
    for p in procs:
        try:
            sizes.append(p.memory_info().rss)
        except psutil.NoSuchProcess:
            pass
    return sizes


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    return sum(_tree_rss(pid))


class ServiceProcess:
    """``python -m service`` in its own session, stopped (all workers) on exit."""

    def __init__(self, index: Path, workers: int, port: int | None = None, ready_timeout: float = 180.0,
                 extra_env: dict[str, str] | None = None):
        self.index = Path(index)
        self.workers = workers
        self.port = port or free_port()
        self.ready_timeout = ready_timeout
        self.base = f"http://{HOST}:{self.port}"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")

    def __enter__(self) -> ServiceProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PDQ_")}
        env.update(HF_HUB_OFFLINE="1", PDQ_RATE_LIMIT_PER_MINUTE="0", **self.extra_env)
        cmd = [sys.executable, "-m", "service", "--index", str(self.index), "--workers", str(self.workers),
               "--host", HOST, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        text = self.log.read()
        self.log.seek(0, os.SEEK_END)
        return text

    def _wait_ready(self) -> None:
        """Until /readyz answers and every worker has logged the end of its start-up.

        A worker accepts connections only once its lifespan (index load) is done, so a
        200 from /readyz can come while other workers are still loading.
        """
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode}:\n{self.output()[-2000:]}")
            try:
                ok = httpx.get(self.base + "/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok and self.output().count("Application startup complete") >= self.workers:
                return
            time.sleep(0.25)
        raise RuntimeError(f"the service was not ready within {self.ready_timeout:.0f} s:\n{self.output()[-2000:]}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss(self) -> int:
        return tree_rss(self.pid)

    def worker_rss(self) -> int:
        """Resident bytes of the largest process: a worker (the supervisor holds no model)."""
        return max(_tree_rss(self.pid), default=0)

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session started above: server and workers
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=timeout)
