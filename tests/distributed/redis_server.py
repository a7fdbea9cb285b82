"""A real redis-server for one test: a free port on loopback, its own directory, stopped by
the PID in its pidfile (never by name)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import redis

START_TIMEOUT = 20.0


def redis_binary() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """``persistent``: an append-only file fsynced on every write, so a restart keeps the
    data (what a production Redis for the crawl must do)."""

    def __init__(self, directory: Path, *, persistent: bool = False,
                 options: tuple[str, ...] = ()) -> None:
        self.directory = directory
        self.port = free_port()
        self.persistent = persistent
        self.options = options  # more redis-server options, e.g. ("--cluster-enabled", "yes")
        self.pidfile = directory / "redis.pid"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port)

    def start(self) -> RedisServer:
        binary = redis_binary()
        assert binary is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        persistence = (["--appendonly", "yes", "--appendfsync", "always"] if self.persistent
                       else ["--appendonly", "no"])
        subprocess.run(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             *persistence, *self.options, "--daemonize", "yes", "--pidfile", str(self.pidfile),
             "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")],
            check=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
