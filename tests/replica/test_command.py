"""``newscrawl replica serve``: prints its URL, serves, stops cleanly; mistakes are messages."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from newscrawl.cli_parser import EX_USAGE
from newscrawl.replica import ReplicaServer, load_site

COMMAND = [sys.executable, "-m", "newscrawl.cli", "replica", "serve"]
LINE = re.compile(
    r"serving (http://127\.0\.0\.1:(\d+))/aseanplus/aseanplus-news \((\d+) articles\)"
)


@pytest.mark.parametrize(("args", "stop"), [
    (["--port", "0", "--articles", "40", "--seed", "2", "--section-articles", "15"],
     signal.SIGTERM),
    (["--port", "0", "--fault", "error=0.1"], signal.SIGINT),
])
def test_serve_prints_its_url_serves_and_stops(args: list[str], stop: signal.Signals) -> None:
    process = subprocess.Popen([*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = LINE.fullmatch(line.strip())
        assert match, line
        expected = 40 + 3 * 15 if "--articles" in args else len(load_site())
        assert int(match[3]) == expected
        with urllib.request.urlopen(match[1] + "/robots.txt", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(match[1] + "/news/nation", timeout=10) as response:
            assert response.status == 200
        process.send_signal(stop)
        assert process.wait(timeout=15) == 0
        assert process.stdout.read() == ""
        errors = process.stderr.read() if process.stderr else ""
        assert "Traceback" not in errors
        assert re.search(rf"also listing {re.escape(match[1])}/news/nation \(\d+\), ", errors)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(("args", "message"), [
    (["--fault", "error=2"], "outside 0..1"),
    (["--fault", "error=0.7", "--fault", "drop=0.7"], "more than 1"),
    (["--data", "/nonexistent/replica"], "no replica data"),
    (["--port", "http"], "not a port"),
    (["--articles", "-5"], "not a number of articles"),
    (["--section-articles", "5"], "needs --articles"),
])
def test_user_mistakes_are_one_line_errors(args: list[str], message: str) -> None:
    done = subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == EX_USAGE  # every newscrawl command's usage error
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_bad_data_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    bad = tmp_path / "articles" / "x.md"
    bad.write_text("+++\ntitle = 'x'\n+++\ntext\n", encoding="utf-8")
    done = subprocess.run([*COMMAND, "--data", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == EX_USAGE  # every newscrawl command's usage error
    assert f"{bad}: field 'path': missing" in done.stderr


def test_a_busy_port_is_an_error() -> None:
    with ReplicaServer(load_site()) as busy:
        done = subprocess.run([*COMMAND, "--port", str(busy.port)], capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == EX_USAGE  # every newscrawl command's usage error
    assert f"cannot listen on 127.0.0.1:{busy.port}" in done.stderr
