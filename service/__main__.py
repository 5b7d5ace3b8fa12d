"""``python -m service --index INDEX_DIR [--host H] [--port P] [--workers N]``.

The index is loaded (and so verified) before the server starts: a missing, corrupt or
incompatible index stops start-up with the loader's message, which names the problem
and the command that fixes it, instead of a traceback from inside a worker.
"""

from __future__ import annotations

import argparse
import copy
import errno
import os
import socket
import sys
from types import SimpleNamespace

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from retriever.embedding import ModelError
from retriever.settings import Settings, SettingsProblem, read_settings
from retriever.store import IndexLoadError
from service.one_write import OneWriteHttpProtocol

WORKER_START_S = 180


def log_config(level: str) -> dict:
    """Uvicorn's logging, plus the service's own loggers on stderr.

    Uvicorn's access logger is left unused (``access_log=False``): it logs the query
    string, which holds the user's question; ``service.access`` logs the path only.
    """
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["service"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["service"] = {"class": "logging.StreamHandler", "formatter": "service",
                                     "stream": "ext://sys.stderr"}
    config["loggers"]["service"] = {"handlers": ["service"], "level": level.upper(), "propagate": False}
    return config


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The flags; the environment is read after them, so a flag overrides a bad PDQ_* value."""
    defaults = SimpleNamespace(**{name: f.default for name, f in Settings.model_fields.items()})
    p = argparse.ArgumentParser(prog="python -m service", description="Serve verbatim, cited PDQ passages over HTTP.",
                                epilog="Every option has a PDQ_* setting, read from the environment or .env; "
                                "the README's \"Settings\" lists them all. Exit status: 2 a bad option or "
                                "setting, or a busy port; 1 an index or model that cannot be loaded.")
    p.add_argument("--index", default=None,
                   help=f"index folder made by `python -m ingest` (default: PDQ_INDEX_DIR or {defaults.index_dir})")
    p.add_argument("--host", default=None, help=f"address to bind (default {defaults.host})")
    p.add_argument("--port", type=int, default=None, help=f"port (default {defaults.port})")
    p.add_argument("--workers", type=int, default=None,
                   help=f"worker processes, each with its own copy of the index (default {defaults.workers})")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument("--check", action="store_true",
                   help="check the options and PDQ_* settings, and that the port is free, then exit "
                        "without loading or serving (scripts/serve.sh does, before it indexes anything)")
    return p.parse_args(argv)


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port``, or None.

    Asked before anything is indexed or loaded: scripts/serve.sh run beside a service already
    on its port re-indexed the seeds, loaded them, and only then stopped on the port; a
    second try retired the index folder the running service was reading. Every address the
    host names is tried as asyncio binds it (SO_REUSEADDR, IPv6 sockets IPv6 only), so a port
    a closed server left in TIME_WAIT, or one held on the other protocol, is not called busy.
    """
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        addresses = {(family, address) for family, _, _, _, address
                     in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as exc:
        return f"--host (PDQ_HOST)={host!r} is not an address this machine can listen on ({exc})"
    for family, address in sorted(addresses, key=str):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use (is the service running there?): "
                        "stop that process or choose another with --port")
            return f"cannot listen on {shown} ({exc.strerror or exc}): choose another --host or --port"
    return None


def verify_elsewhere() -> str | None:
    """Check the index loads, in a child process that takes the model's memory with it.

    With several workers the supervising process serves nothing; if it loaded the index
    itself it would keep the model (a few hundred MB that ``del`` does not give back, the
    embedder being cached) for the server's whole life, next to each worker's own copy.

    Returns:
        The loader's message when the index (or the model) cannot be loaded, else None.
    """
    import multiprocessing

    from service.state import report_load_problem

    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=report_load_problem, args=(sender,), name="index-check", daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(WORKER_START_S):
            return f"the index did not load within {WORKER_START_S} s"
        try:
            return receiver.recv()
        except EOFError:
            return f"the process checking the index died (exit code {proc.join(5) or proc.exitcode})"
    finally:
        receiver.close()
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
            proc.join()


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except SettingsProblem as exc:  # a bad PDQ_* variable, or --port/--workers
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    # Workers are fresh processes that read their settings from the environment, so the
    # command-line values go there too, and every process sees the same settings.
    given = {}  # named as the flags typed in errors, not as the variables they set
    for field, flag, value in (("index_dir", "--index", args.index), ("host", "--host", args.host),
                               ("port", "--port", args.port), ("workers", "--workers", args.workers)):
        if value is not None:
            os.environ[f"PDQ_{field.upper()}"] = str(value)
            given[field] = flag
    settings = read_settings(given)
    busy = port_problem(settings.host, settings.port)
    if busy:
        print(f"error: cannot start: {busy}", file=sys.stderr)
        return 2
    if args.check:
        return 0

    if settings.workers == 1:
        from retriever.search import Retriever  # heavy imports after argument errors

        try:
            retriever = Retriever.load(settings.index_dir, settings)
        except (IndexLoadError, ModelError) as exc:
            print(f"error: cannot start: {exc}", file=sys.stderr)
            return 1
        retriever.warm_up()  # the first question served is then not the slow one
    else:
        problem = verify_elsewhere()
        if problem:
            print(f"error: cannot start: {problem}", file=sys.stderr)
            return 1

    common = dict(host=settings.host, port=settings.port, access_log=False, http=OneWriteHttpProtocol,
                  log_config=log_config(args.log_level), log_level=args.log_level,
                  timeout_graceful_shutdown=max(5, int(settings.request_timeout_s) + 1))
    if settings.workers == 1:
        from service.app import create_app

        uvicorn.run(create_app(settings, retriever), **common)
    else:
        # Verified in a throwaway process; each worker loads its own copy in its lifespan.
        # SIGHUP makes uvicorn replace the workers one by one, each new one loading the
        # index now published; it must be given time to load it (a new worker whose index
        # fails to load is dropped and the old one kept serving).
        uvicorn.run("service.app:create_app", factory=True, workers=settings.workers,
                    timeout_worker_healthcheck=WORKER_START_S, **common)
    return 0


if __name__ == "__main__":
    sys.exit(main())
