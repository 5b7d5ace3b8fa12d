"""Load from Debian's ``wrk``, with a Lua script that rotates through search questions.

wrk is C. Against one replica with 16 connections on the 2-CPU machine both it and the
project's Python client (eval/bench/load.py) keep up with the server, but the Python
client spent 2.1 ms of CPU a request (15% of a core at 70 requests/s), taken from the
server it measures, where wrk spent 0.1 ms.

The script checks every answer, not just its status: a request counts as answered only
when it is a 200 with at least one passage. Its ``done`` hook prints one JSON line
(counts, latency percentiles, socket errors), parsed by `parse_result`. wrk stops and
reports on SIGINT, so a run can last as long as the event it watches (a restart, a
rollout) instead of a fixed time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urlencode

INSTALL_HINT = "install it with: sudo apt-get install -y wrk (scripts/test.sh does this)"
MAX_SECONDS = 3600

LUA_TEMPLATE = """\
local paths = {{{paths}}}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = math.random(#paths)
  answered = 0
  failed = 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"results":[{{', 1, true) then
    answered = answered + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local a, f = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("answered")
    f = f + t:get("failed")
  end
  local e = summary.errors
  io.write(string.format('WRK_RESULT {{"answered":%d,"failed":%d,"requests":%d,"duration_us":%d,'
    .. '"p50_us":%d,"p99_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}}\\n',
    a, f, summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout))
end
"""


class WrkMissing(RuntimeError):
    """Debian's wrk binary is not on this machine."""


def find_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissing(f"wrk is not installed; {INSTALL_HINT}")
    return path


def wrk_version() -> str:
    """``wrk debian/4.1.0-3+b2``, out of ``wrk -v``."""
    out = subprocess.run([find_wrk(), "-v"], check=False, capture_output=True, text=True, timeout=30).stdout
    return out.split(" [")[0].strip() or "wrk (version unknown)"


def wrk_script(questions: list[str], k: int = 5) -> str:
    """The Lua script requesting ``GET /api/search?q=...&k=k`` for each question in turn."""
    if not questions:
        raise ValueError("wrk needs at least one question to ask")
    paths = ", ".join(json.dumps("/api/search?" + urlencode({"q": q, "k": k})) for q in questions)
    return LUA_TEMPLATE.format(paths=paths)


@dataclass
class WrkResult:
    answered: int
    failed: int  # answered, but not a 200 with passages
    socket_errors: dict[str, int] = field(default_factory=dict)  # no answer at all
    elapsed_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_s: float = 0.0  # wrk's own CPU time, user + system

    @property
    def failures(self) -> int:
        return self.failed + sum(self.socket_errors.values())

    @property
    def answers_per_s(self) -> float:
        return self.answered / self.elapsed_s if self.elapsed_s else 0.0


def parse_result(output: str, cpu_s: float = 0.0) -> WrkResult:
    """The script's JSON line out of wrk's output; ValueError naming the output when absent."""
    line = next((ln for ln in output.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if line is None:
        raise ValueError(f"wrk printed no result:\n{output[-2000:]}")
    d = json.loads(line.removeprefix("WRK_RESULT "))
    return WrkResult(answered=d["answered"], failed=d["failed"],
                     socket_errors={k: d[k] for k in ("connect", "read", "write", "timeout") if d[k]},
                     elapsed_s=d["duration_us"] / 1e6, p50_ms=d["p50_us"] / 1000, p99_ms=d["p99_us"] / 1000,
                     cpu_s=cpu_s)


class WrkRun:
    """wrk against ``base`` in the background, until `stop` or ``seconds``."""

    def __init__(self, base: str, questions: list[str], clients: int, seconds: float = MAX_SECONDS,
                 threads: int = 1, timeout_s: int = 30):
        wrk = find_wrk()
        self.dir = tempfile.mkdtemp(prefix="pdq-wrk-")
        self.script = os.path.join(self.dir, "search.lua")
        with open(self.script, "w", encoding="utf-8") as f:
            f.write(wrk_script(questions))
        self.out = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        cmd = [wrk, f"-t{min(threads, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
               f"--timeout={timeout_s}s", "-s", self.script, base]
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        """Leave no wrk behind when the run ends early (an error, an interrupt)."""
        if self.proc.returncode is None:
            self.proc.kill()
            self._reap()
        self.out.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self, interrupt: bool = True) -> WrkResult:
        """Stop wrk now (SIGINT: it reports what it measured so far), or wait for its end."""
        if interrupt and self.proc.returncode is None:  # not poll(): it would reap wrk, and its CPU time
            self.proc.send_signal(signal.SIGINT)
        cpu_s = self._reap()
        self.out.seek(0)
        output = self.out.read()
        self.out.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return parse_result(output, cpu_s)

    def _reap(self) -> float:
        """Wait for wrk and return its CPU seconds (os.wait4 gives this child's own usage)."""
        if self.proc.returncode is not None:
            return 0.0
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime


def run_wrk(base: str, questions: list[str], clients: int, seconds: float, threads: int = 1) -> WrkResult:
    """Load ``base`` for ``seconds`` and return what wrk measured."""
    return WrkRun(base, questions, clients, seconds, threads).stop(interrupt=False)
