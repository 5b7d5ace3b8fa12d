"""Operator settings: a bad PDQ_* value stops every command with its name, before any work."""

import re
import socket

import pytest

from retriever.settings import SettingsProblem, read_settings


@pytest.mark.parametrize("name, value, problem", [
    ("PDQ_PORT", "99999", "less than or equal to 65535"),  # uvicorn wrapped it to another port
    # was met as an index "built with another model", and ingest's advice to export it failed
    ("PDQ_MODEL", "pdq-minilm-16", "no model of that name and no such folder: use pdq-minilm-l6 (the default)"),
    # a path was left to the loader, which said to export an ONNX file into a folder not there (a review)
    ("PDQ_MODEL", "../nope-model", "no such folder: ../nope-model"),
    ("PDQ_MODEL", "/no/such/model", "no such folder: /no/such/model"),
    ("PDQ_REQUEST_TIMEOUT_S", "0", "greater than 0"),  # every search timed out
    ("PDQ_REQUEST_TIMEOUT_S", "inf", "finite number"),
    ("PDQ_ABSTAIN_THRESHOLD", "nan", "finite number"),  # nothing was ever refused
    ("PDQ_ABSTAIN_THRESHOLD", "2", "less than or equal to 1"),  # everything was refused
    ("PDQ_MAX_QUERY_CHARS", "0", "greater than or equal to 1"),
    ("PDQ_RATE_LIMIT_PER_MINUTE", "-10", "greater than or equal to 0"),
    ("PDQ_EMBED_BATCH_SIZE", "0", "greater than or equal to 1"),
    ("PDQ_CHUNK_TOKENS", "-5", "must be 0 (the model's max_seq_length) or at least 64"),  # one word a passage
    ("PDQ_WORKERS", "0", "greater than or equal to 1"),
    ("PDQ_CORS_ORIGINS", "[1]", "must be origins, comma-separated or as a JSON list of strings"),
    ("PDQ_CORS_ORIGINS", '{"a": 1}', "must be origins"),
])
def test_a_bad_value_is_named_as_the_operator_set_it(monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsProblem) as err:
        read_settings()
    assert str(err.value).startswith(f"invalid setting: {name}={value!r}: ") and problem in str(err.value)


def test_a_bad_value_from_dot_env_is_said_to_come_from_there(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PDQ_PORT", raising=False)
    (tmp_path / ".env").write_text("PDQ_PORT=notaport\n", encoding="utf-8")
    with pytest.raises(SettingsProblem, match=r"^invalid setting: PDQ_PORT='notaport' \(in \.env\): "):
        read_settings()
    monkeypatch.setenv("PDQ_PORT", "alsobad")  # the environment's value wins, and is the one named
    with pytest.raises(SettingsProblem, match=r"^invalid setting: PDQ_PORT='alsobad': "):
        read_settings()


def test_cors_origins_are_read_comma_separated_or_as_a_json_list(monkeypatch):
    monkeypatch.setenv("PDQ_CORS_ORIGINS", "https://a.example.org, https://b.example.org")
    assert read_settings().cors_origins == ["https://a.example.org", "https://b.example.org"]
    monkeypatch.setenv("PDQ_CORS_ORIGINS", '["https://a.example.org"]')
    assert read_settings().cors_origins == ["https://a.example.org"]
    monkeypatch.setenv("PDQ_CHUNK_TOKENS", "0")
    assert read_settings().chunk_tokens == 0 and read_settings(chunk_tokens=128).chunk_tokens == 128


@pytest.mark.parametrize("command", ["service", "ingest", "eval"])
def test_each_command_stops_on_a_bad_setting_before_any_work(monkeypatch, capsys, command, tmp_path):
    import importlib

    monkeypatch.setenv("PDQ_PORT", "99999")
    main = importlib.import_module(f"{command}.__main__").main
    argv = {"service": [], "ingest": [str(tmp_path), "--index", str(tmp_path / "idx")],
            "eval": [str(tmp_path / "q.jsonl")]}[command]
    (tmp_path / "q.jsonl").write_text('{"id": "a", "question": "q", "kind": "out_of_scope"}\n')
    assert main(argv) == 2
    assert "error: invalid setting: PDQ_PORT='99999'" in capsys.readouterr().err
    assert not (tmp_path / "idx").exists()


def test_a_bad_flag_is_named_as_typed(monkeypatch, capsys):
    from service.__main__ import main

    monkeypatch.setenv("PDQ_PORT", "8000")  # recorded, so the 70000 that --port writes is undone
    assert main(["--port", "70000"]) == 2
    assert "error: invalid setting: --port (PDQ_PORT)='70000': " in capsys.readouterr().err


def test_check_reads_the_options_and_settings_and_loads_nothing(monkeypatch, capsys, tmp_path):
    from service.__main__ import main

    for name, value in (("PORT", "8000"), ("WORKERS", "1")):  # recorded, so what the flags write is undone
        monkeypatch.setenv(f"PDQ_{name}", value)
    monkeypatch.setenv("PDQ_INDEX_DIR", str(tmp_path / "nowhere"))  # loaded, it would stop the start: 1
    with socket.socket() as free:  # a port nothing listens on (the check now asks)
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main(["--check", "--port", str(port), "--workers", "2"]) == 0
    assert main(["--check", "--workers", "0"]) == 2
    assert "error: invalid setting: --workers (PDQ_WORKERS)='0'" in capsys.readouterr().err


def test_serve_script_checks_its_options_before_it_indexes(tmp_path):
    """`serve.sh --port 99999` indexed the seeds again, said a running service would serve the
    new index after a reload, and only then stopped on the port."""
    import os
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "serve.sh"
    env = {**os.environ, "PDQ_INDEX_DIR": str(tmp_path / "idx")}
    run = subprocess.run(["bash", str(script), "--port", "99999"], capture_output=True, text=True, timeout=120,
                         env=env)
    assert run.returncode == 2 and "--port (PDQ_PORT)='99999'" in run.stderr
    assert not (tmp_path / "idx").exists() and "indexed" not in run.stdout


def _listening() -> socket.socket:
    """A socket listening on a free loopback port, as a running service would."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    return held


def test_a_port_in_use_is_named_before_anything_loads(monkeypatch, capsys, tmp_path):
    from service.__main__ import main, port_problem

    with _listening() as held:
        port = held.getsockname()[1]
        assert "already in use" in port_problem("127.0.0.1", port)
        for name, value in (("PORT", "8000"), ("HOST", "127.0.0.1")):  # recorded: what the flags write is undone
            monkeypatch.setenv(f"PDQ_{name}", value)
        monkeypatch.setenv("PDQ_INDEX_DIR", str(tmp_path / "nowhere"))
        assert main(["--check", "--host", "127.0.0.1", "--port", str(port)]) == 2
        assert main(["--host", "127.0.0.1", "--port", str(port)]) == 2  # before the index is read
    err = capsys.readouterr().err
    assert f"error: cannot start: port {port} on 127.0.0.1 is already in use" in err and "--port" in err
    assert "nowhere" not in err
    assert port_problem("127.0.0.1", port) is None  # free again once the other process lets go
    assert "not an address" in port_problem("no-such-host.invalid", port)


def test_serve_script_stops_on_a_busy_port_before_it_indexes(tmp_path):
    """`serve.sh --port P` beside a service already on P re-indexed the seeds, loaded them and
    only then stopped; a second try retired the index folder the running service read."""
    import os
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "serve.sh"
    env = {**os.environ, "PDQ_INDEX_DIR": str(tmp_path / "idx"), "PDQ_HOST": "127.0.0.1"}
    with _listening() as held:
        run = subprocess.run(["bash", str(script), "--port", str(held.getsockname()[1])], capture_output=True,
                             text=True, timeout=120, env=env)
    assert run.returncode == 2 and "already in use" in run.stderr
    assert not (tmp_path / "idx").exists() and "indexed" not in run.stdout


def test_the_service_reads_its_flags_before_the_environment(monkeypatch, capsys):
    """--help, and a --port meant to replace a bad PDQ_PORT, worked only with a good environment."""
    from service.__main__ import parse_args

    monkeypatch.setenv("PDQ_PORT", "99999")
    assert parse_args(["--port", "8000"]).port == 8000
    with pytest.raises(SystemExit) as exit_:
        parse_args(["--help"])
    assert exit_.value.code == 0 and "(default 8000)" in capsys.readouterr().out


def test_serve_script_reads_the_index_folder_from_env_file_as_the_service_does(monkeypatch, tmp_path):
    """scripts/serve.sh read PDQ_INDEX_DIR from the environment only: one set in .env was
    ignored and the seeds were indexed into ./index, while the service read .env's folder."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    monkeypatch.delenv("PDQ_INDEX_DIR", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))  # this checkout's code

    def ask():
        return subprocess.run([sys.executable, "-m", "retriever.settings", "index-dir"], cwd=tmp_path,
                              capture_output=True, text=True, env=os.environ)

    assert ask().stdout == "0 index\n"
    (tmp_path / ".env").write_text("PDQ_INDEX_DIR=my corpus\n")
    assert ask().stdout == "1 my corpus\n"
    # another variable's bad value is the service's to name (a flag of serve.sh may replace it)
    (tmp_path / ".env").write_text("PDQ_INDEX_DIR=corpus\nPDQ_PORT=99999\n")
    assert ask().stdout == "1 corpus\n"
    (tmp_path / ".env").unlink()
    monkeypatch.setenv("PDQ_INDEX_DIR", "")  # empty, as compose files and CI templates leave it: unset
    assert ask().stdout == "0 index\n"


@pytest.mark.parametrize("made", [False, True])
def test_serve_script_says_when_the_index_folder_it_was_given_is_missing_or_empty(tmp_path, made):
    """An operator's mistyped PDQ_INDEX_DIR had the seed indexed into it and served without a
    word: patients got one summary instead of the operator's set. Stopped once it has said so."""
    import os
    import signal
    import subprocess
    import threading
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "serve.sh"
    folder = tmp_path / "new-index"
    if made:
        folder.mkdir()
    with _listening() as held:  # a port to check against, freed before the script binds it
        port = held.getsockname()[1]
    env = {**os.environ, "PDQ_INDEX_DIR": str(folder), "PDQ_HOST": "127.0.0.1", "PDQ_PORT": str(port)}
    run = subprocess.Popen(["bash", str(script)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                           env=env, start_new_session=True)
    stop = threading.Timer(120, os.killpg, (run.pid, signal.SIGTERM))  # never said: the service would serve on
    stop.start()
    try:
        said = next((line for line in run.stderr if "indexing seeds/ into it" in line), "")
    finally:
        stop.cancel()
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=60)
    assert said == f"PDQ_INDEX_DIR={folder} is {'empty' if made else 'not there'}: indexing seeds/ into it\n"


def test_serve_script_help_names_itself_and_the_index_variable():
    """`serve.sh --help` printed only `python -m service`'s usage, whose --index it refuses."""
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "serve.sh"
    run = subprocess.run(["bash", str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: [PDQ_INDEX_DIR=FOLDER] bash scripts/serve.sh")
    assert "all but --index" in run.stdout and "--workers" in run.stdout  # then the service's options


def test_serve_script_refuses_an_index_flag_before_it_installs_or_indexes():
    """`serve.sh --index X` indexed the seeds into ./index and then served X (the last
    --index wins); the folder is named by PDQ_INDEX_DIR."""
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "serve.sh"
    for flag in (["--index", "elsewhere"], ["--index=elsewhere"]):
        run = subprocess.run(["bash", str(script), "--port", "8123", *flag], capture_output=True, text=True,
                             timeout=30)
        assert run.returncode == 2 and "PDQ_INDEX_DIR=FOLDER bash scripts/serve.sh" in run.stderr


def test_a_pdq_variable_that_is_no_setting_is_named_with_the_nearest_one(monkeypatch, tmp_path, caplog):
    """pydantic ignores it: PDQ_LOG_QUERY=true logged nothing and said nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PDQ_LOG_QUERY", "true")
    (tmp_path / ".env").write_text("PDQ_ABSTAIN_THRESHOL=0.5\nPDQ_PORT=8001\n")
    with caplog.at_level("WARNING", logger="retriever.settings"):
        settings = read_settings()
    assert settings.port == 8001 and not settings.log_queries
    assert "PDQ_LOG_QUERY is not a setting and is ignored (did you mean PDQ_LOG_QUERIES?)" in caplog.text
    assert "PDQ_ABSTAIN_THRESHOL is not a setting and is ignored (did you mean PDQ_ABSTAIN_THRESHOLD?)" in caplog.text
    assert "PDQ_PORT" not in caplog.text


@pytest.mark.parametrize("content, problem", [
    (b"PDQ_MODEL=pdq-minilm-l6\n\xff\xfe\n", ".env: line 2 is not UTF-8 text"),
    (b"PDQ_K=5\n\nPDQ_INDEX_DIR='../other-index\n", ".env: line 3 is no NAME=value setting"),
])
def test_a_env_file_line_that_cannot_be_read_is_named_before_any_setting(tmp_path, monkeypatch, content, problem):
    """A bad-input review: a stray byte gave every command a traceback, and an unclosed quote
    was skipped with a warning naming no file, so ingest indexed into the default folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes(content)
    with pytest.raises(SettingsProblem, match=re.escape(problem)):
        read_settings()
    (tmp_path / ".env").write_bytes(b"# fine\nPDQ_PORT=8123\n")
    assert read_settings().port == 8123
