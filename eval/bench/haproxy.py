"""HAProxy in front of service replicas: the configuration, and a running proxy for benchmarks and tests.

`haproxy_config` writes the configuration for N replicas on loopback ports; `Haproxy`
runs Debian's ``/usr/sbin/haproxy`` with it in the foreground and reads each replica's
state (UP, DOWN, ...) and response counts from the proxy's admin socket.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

from eval.bench.server import HOST, free_port

INSTALL_HINT = "install it with: sudo apt-get install -y haproxy (scripts/test.sh does this)"
BACKEND = "replicas"

HAPROXY_TEMPLATE = """\
global
    maxconn 1024
    nbthread 1
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server {server_timeout_s}s
    timeout queue 30s
    timeout check 2s
    option forwardfor
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend search
    bind {host}:{port}
    default_backend {backend}

backend {backend}
    balance leastconn
{servers}
"""


class HaproxyMissing(RuntimeError):
    """Debian's haproxy binary is not on this machine."""


def find_haproxy() -> str:
    """The haproxy binary; HaproxyMissing, naming the apt command, when there is none."""
    path = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        raise HaproxyMissing(f"haproxy is not installed; {INSTALL_HINT}")
    return path


def server_name(i: int) -> str:
    return f"r{i}"


def haproxy_config(backend_ports: list[int], port: int, socket_path: str | os.PathLike[str],
                   host: str = HOST, server_timeout_s: int = 15) -> str:
    """The configuration balancing ``port`` over one replica per backend port.

    Why each option is there:

    * ``option httpchk GET /readyz`` + ``http-check expect status 200``: a replica gets
      traffic only once its index is loaded (``/readyz`` answers 503 before), and stops
      getting it when it dies or is stopped. ``inter 500ms fall 2 rise 2``: a dead replica
      is out within about a second, a restarted one back after two good checks.
    * ``retries 3`` + ``option redispatch 1`` + ``retry-on conn-failure empty-response
      response-timeout``: in the second before the checks notice, a request sent to a
      stopped replica (connection refused), to one killed with the request in flight (the
      connection closes with no answer) or to a hung one (no answer within ``timeout
      server``) is sent again, to another replica on each retry. Searches are GETs and
      change nothing, so sending one twice is safe.
    * ``timeout server``: above the service's own request timeout (10 s, answered 504),
      so a slow search gets the service's answer and only a hung replica is retried.
    * ``balance leastconn``: a replica busy with slow searches gets fewer new ones.
    * ``option forwardfor``: the replicas see the client's address (uvicorn trusts
      X-Forwarded-For from 127.0.0.1), which the per-address rate limit counts.
    * ``nbthread 1``: the proxy's work is tiny next to a search; it leaves the cores to them.
    * no ``log`` line: HAProxy's request log holds the query string, which is the question.
    * ``stats socket``: the benchmark reads the replicas' states from it.
    """
    servers = "\n".join(f"    server {server_name(i)} {host}:{p} check" for i, p in enumerate(backend_ports))
    return HAPROXY_TEMPLATE.format(socket=socket_path, server_timeout_s=server_timeout_s, host=host, port=port,
                                   backend=BACKEND, servers=servers)


def check_config(path: str | os.PathLike[str]) -> None:
    """``haproxy -c``: ValueError with haproxy's own words when the file is not valid."""
    done = subprocess.run([find_haproxy(), "-c", "-f", str(path)], check=False, capture_output=True, text=True,
                          timeout=30)
    if done.returncode != 0:
        raise ValueError(f"haproxy refused {path}:\n{done.stdout}{done.stderr}")


def haproxy_version() -> str:
    """``HAProxy 2.6.12-1+deb12u4``, out of ``haproxy -v``."""
    out = subprocess.run([find_haproxy(), "-v"], check=False, capture_output=True, text=True, timeout=30).stdout
    words = out.split()
    return f"HAProxy {words[2]}" if len(words) > 2 else "HAProxy (version unknown)"


class Haproxy:
    """HAProxy over ``backend_ports`` in the foreground, its configuration in a temporary folder."""

    def __init__(self, backend_ports: list[int], port: int | None = None, ready_timeout: float = 30.0):
        self.backend_ports = list(backend_ports)
        self.port = port or free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.ready_timeout = ready_timeout
        self.workdir = Path(tempfile.mkdtemp(prefix="pdq-haproxy-"))
        self.socket_path = self.workdir / "admin.sock"
        self.config_path = self.workdir / "haproxy.cfg"
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115

    def __enter__(self) -> Self:
        try:
            self.config_path.write_text(haproxy_config(self.backend_ports, self.port, self.socket_path))
            check_config(self.config_path)
            self.proc = subprocess.Popen([find_haproxy(), "-db", "-f", str(self.config_path)], stdout=self.log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
            for i in range(len(self.backend_ports)):
                self.wait_for(server_name(i), "UP", self.ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def _command(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(str(self.socket_path))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def _stats(self) -> list[dict[str, str]]:
        """The backend's rows of ``show stat``: one per replica, then one for the backend."""
        lines = self._command("show stat").lstrip("# ").splitlines()
        return [r for r in csv.DictReader(line for line in lines if line) if r["pxname"] == BACKEND]

    def servers(self) -> dict[str, dict[str, str]]:
        """Each replica's row of ``show stat`` (``status``: UP, DOWN, ...; ``hrsp_2xx``, ...)."""
        return {r["svname"]: r for r in self._stats() if r["svname"] != "BACKEND"}

    def retries(self) -> tuple[int, int]:
        """Requests the proxy has sent again so far: (retries, redispatches to another replica)."""
        row = next(r for r in self._stats() if r["svname"] == "BACKEND")
        return int(row["wretr"] or 0), int(row["wredis"] or 0)

    def answered(self, name: str) -> int:
        """2xx responses the replica ``name`` has sent through the proxy so far."""
        return int(self.servers()[name]["hrsp_2xx"] or 0)

    def wait_for(self, name: str, status: str, timeout: float = 60.0) -> None:
        """Until the proxy's checks report ``status`` (UP or DOWN) for replica ``name``."""
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.proc.returncode}:\n{self.output()[-2000:]}")
            try:
                seen = self.servers()[name]["status"]
            except OSError:
                seen = "no admin socket yet"
            if seen == status:
                return
            time.sleep(0.1)
        raise RuntimeError(f"haproxy did not report {name} {status} within {timeout:.0f} s (last: {seen})")

    def cpu_seconds(self) -> float:
        import psutil

        times = psutil.Process(self.proc.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)
