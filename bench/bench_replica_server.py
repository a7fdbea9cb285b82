"""The replica is never the bottleneck: it serves article pages >= 3x as fast as Scrapy fetches.

Starts ``newscrawl replica serve --articles 2000 --seed 1`` in a subprocess, then measures
(a) the server with fast keep-alive clients in separate processes, and (b) a bare Scrapy spider
(no parsing, default settings but concurrency 16) fetching the same article URLs. Prints both
and the ratio server/scrapy; exits 1 when the ratio is below 3.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newscrawl.replica import synthetic_site

ARTICLES = 2000
SEED = 1
CLIENTS = 2
CLIENT_SECONDS = 6.0
MIN_RATIO = 3.0
ROOT = Path(__file__).resolve().parents[1]

SPIDER = '''
import json
from datetime import datetime, timezone

import scrapy


class BareSpider(scrapy.Spider):
    """Fetches the given URLs and does nothing with them: Scrapy's own cost per page."""

    name = "bare"

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as urls:
            for url in urls.read().split():
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None

    def closed(self, reason):
        stats = self.crawler.stats.get_stats()
        numbers = {k: v for k, v in stats.items() if isinstance(v, (int, float))}
        numbers["elapsed"] = (datetime.now(timezone.utc) - stats["start_time"]).total_seconds()
        with open(self.stats_file, "w", encoding="utf-8") as out:
            json.dump(numbers, out)
'''


def client(args: tuple[str, int, list[str], float | None]) -> tuple[int, float]:
    """A minimal keep-alive HTTP client, as little client CPU per page as Python allows.

    ``seconds`` None: fetch each path once; else cycle over the paths until time is up.
    """
    host, port, paths, seconds = args
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode() for p in paths]
    buffer = b""
    done = 0
    start = time.perf_counter()
    deadline = start + (seconds or 0.0)
    while done < len(requests) if seconds is None else time.perf_counter() < deadline:
        sock.sendall(requests[done % len(requests)])
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(262144)
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"unexpected response: {head[:80]!r}")
        match = re.search(rb"Content-Length: (\d+)", head)
        length = int(match[1]) if match else 0
        while len(buffer) < length:
            buffer += sock.recv(262144)
        buffer = buffer[length:]
        done += 1
    elapsed = time.perf_counter() - start
    sock.close()
    return done, elapsed


def server_rates(host: str, port: int, paths: list[str]) -> tuple[float, float]:
    """Pages/s of (a first pass over every page, rendering included; the steady state)."""
    shares = [paths[i::CLIENTS] for i in range(CLIENTS)]
    with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
        pool.map(client, [(host, port, ["/robots.txt"], None)] * CLIENTS)  # processes up
        started = time.perf_counter()
        cold = pool.map(client, [(host, port, share, None) for share in shares])
        cold_rate = sum(done for done, _ in cold) / (time.perf_counter() - started)
        warm = pool.map(client, [(host, port, share, CLIENT_SECONDS) for share in shares])
    warm_rate = sum(done for done, _ in warm) / max(elapsed for _, elapsed in warm)
    return cold_rate, warm_rate


def scrapy_rate(urls: list[str]) -> float:
    """Pages/s of a bare ``scrapy runspider`` over ``urls``, from its own stats."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "bare_spider.py").write_text(SPIDER, encoding="utf-8")
        (work / "urls.txt").write_text("\n".join(urls), encoding="utf-8")
        stats_file = work / "stats.json"
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        # Run outside the project so scrapy.cfg does not bring the project's settings in.
        subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", "bare_spider.py",
             "-a", "urls_file=urls.txt", "-a", f"stats_file={stats_file}",
             "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
             "-s", "REMOTE_CONTROL_ENABLED=False", "-s", "TELNETCONSOLE_ENABLED=False",
             "-s", "LOG_LEVEL=INFO"],
            cwd=work, env=env, check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, timeout=300,
        )
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
    pages = stats.get("downloader/response_status_count/200", 0)
    if pages != len(urls):
        raise RuntimeError(f"scrapy fetched {pages} of {len(urls)} pages: {stats}")
    return float(pages) / float(stats["elapsed"])


def start_replica() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.cli", "replica", "serve", "--port", "0",
         "--articles", str(ARTICLES), "--seed", str(SEED)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.match(r"serving (http://[\d.]+:\d+)/", line)
    if match is None:
        process.kill()
        raise RuntimeError(f"the replica did not start: {line!r}")
    return process, match[1]


def main() -> int:
    site = synthetic_site(ARTICLES, SEED)
    paths = [a.path for a in site.articles if a.fault is None]
    process, origin = start_replica()
    try:
        host, port = origin.removeprefix("http://").split(":")
        cold, warm = server_rates(host, int(port), paths)
        # A fresh server for Scrapy, so it gets cold pages too, as a crawl does.
        process.terminate()
        process.wait(timeout=15)
        process, origin = start_replica()
        crawler = scrapy_rate([origin + p for p in paths])
    finally:
        process.terminate()
        process.wait(timeout=15)
    server = min(cold, warm)
    ratio = server / crawler
    print(f"replica server: {cold:,.0f} pages/s on a first pass, {warm:,.0f} pages/s steady "
          f"({CLIENTS} client processes, keep-alive, {len(paths)} article pages)")
    print(f"bare scrapy spider: {crawler:,.0f} pages/s (concurrency 16)")
    print(f"ratio server/scrapy: {ratio:.1f}x (required >= {MIN_RATIO:g}x)")
    return 0 if ratio >= MIN_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
