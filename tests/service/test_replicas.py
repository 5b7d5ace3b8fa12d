"""Replicas behind HAProxy (eval/bench/haproxy.py, eval/bench/replicas.py).

The configuration generator is checked as text and by ``haproxy -c``. Then two real
``python -m service`` replicas run over the seed index behind Debian's haproxy: wrk's
counts through the proxy, and searches that never stop while one replica is killed
(SIGKILL) and started again and the other is stopped (SIGTERM) and started again. Every
one of those searches must be answered 200 with passages.

haproxy is required, not optional: scripts/test.sh installs it (with wrk). Without it
these tests fail with the apt command to run.
"""

from __future__ import annotations

import shutil
import time

import pytest

from eval.bench.__main__ import build_parser
from eval.bench.haproxy import Haproxy, HaproxyMissing, check_config, find_haproxy, haproxy_config
from eval.bench.replicas import QUESTIONS, Fleet
from eval.bench.wrk import parse_result, run_wrk
from tests.service.traffic import Traffic

OFF_TOPIC = "best pizza near me"  # abstains: a 200 without passages, which wrk counts as failed


def test_config_checks_readyz_retries_and_lists_every_replica():
    text = haproxy_config([5001, 5002], 5000, "/tmp/pdq-test.sock")
    lines = [line.strip() for line in text.splitlines()]
    assert "option httpchk GET /readyz" in lines
    assert "http-check expect status 200" in lines
    assert "default-server inter 500ms fall 2 rise 2" in lines
    assert "retry-on conn-failure empty-response response-timeout" in lines
    assert "option redispatch 1" in lines and "retries 3" in lines
    assert "bind 127.0.0.1:5000" in lines
    assert [line for line in lines if line.startswith("server ")] == [
        "server r0 127.0.0.1:5001 check", "server r1 127.0.0.1:5002 check"]
    assert not any(line.startswith("log ") for line in lines)  # the request line holds the question


def test_haproxy_accepts_the_generated_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config([5001, 5002, 5003], 5000, tmp_path / "admin.sock"))
    check_config(path)  # HaproxyMissing (with the apt command) when haproxy is not installed


def test_a_config_haproxy_refuses_is_reported_with_its_words(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config([5001], 5000, tmp_path / "admin.sock").replace("balance leastconn",
                                                                                 "balance nosuchalgo"))
    with pytest.raises(ValueError, match=r"haproxy\.cfg:\d+\] : balance only supports"):
        check_config(path)


def test_missing_haproxy_names_the_apt_command(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(HaproxyMissing, match="apt-get install -y haproxy"):
        find_haproxy()


def test_wrk_result_counts_socket_errors_as_failures():
    line = ('WRK_RESULT {"answered":90,"failed":2,"requests":92,"duration_us":2000000,"p50_us":40000,'
            '"p99_us":95000,"connect":0,"read":3,"write":0,"timeout":1}')
    r = parse_result("Running 2s test\n" + line + "\n", cpu_s=0.1)
    assert (r.answered, r.failures, r.socket_errors) == (90, 6, {"read": 3, "timeout": 1})
    assert r.answers_per_s == 45 and (r.p50_ms, r.p99_ms) == (40, 95)
    with pytest.raises(ValueError, match="no result"):
        parse_result("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_replicas_is_a_subcommand_beside_the_others():
    args = build_parser().parse_args(["replicas", "--index", "idx", "--replicas", "3", "--clients", "16",
                                      "--duration", "15"])
    assert (args.replicas, args.clients, args.duration, args.new_index) == (3, 16, 15.0, None)
    assert args.func.__name__ == "_run_replicas"


@pytest.fixture(scope="module")
def cluster(seed_index):
    """Two replicas over the seed index and HAProxy in front, for this module's tests."""
    with Fleet(seed_index, 2) as fleet, Haproxy(fleet.ports) as proxy:
        yield fleet, proxy


@pytest.mark.load
@pytest.mark.model
def test_wrk_through_haproxy_reaches_both_replicas_and_counts_what_has_no_passages(cluster):
    _, proxy = cluster
    r = run_wrk(proxy.base, [*QUESTIONS, OFF_TOPIC], clients=4, seconds=2)
    assert r.socket_errors == {}, r
    assert r.answered > 0 and 0 < r.failed < r.answered, r  # the off-topic one, about 1 in 11
    assert proxy.answered("r0") > 0 and proxy.answered("r1") > 0


@pytest.mark.load
@pytest.mark.fault
@pytest.mark.model
def test_no_request_fails_while_replicas_are_killed_or_stopped_and_started_again(cluster):
    fleet, proxy = cluster
    retries_before = sum(proxy.retries())
    # anything but a 200 with passages is a failure (every question of QUESTIONS is answered)
    with Traffic(proxy.base, QUESTIONS, threads=4, good=lambda body: bool(body["results"])) as searches:
        time.sleep(1.5)
        fleet.kill(0)  # SIGKILL, with searches in flight
        proxy.wait_for("r0", "DOWN")
        fleet.start(0)
        proxy.wait_for("r0", "UP")
        answered_by_r0 = proxy.answered("r0")
        time.sleep(1.5)
        fleet.stop(1)  # SIGTERM: uvicorn's graceful shutdown
        proxy.wait_for("r1", "DOWN")
        fleet.start(1)
        proxy.wait_for("r1", "UP")
        time.sleep(1.0)
    assert searches.failures == [], searches.failures[:5]
    assert searches.ok >= 50, searches.ok
    assert proxy.answered("r0") > answered_by_r0  # the restarted replica was given searches again
    assert sum(proxy.retries()) > retries_before  # searches sent to a dead replica were sent again
