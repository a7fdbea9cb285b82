"""Run ``scrapy crawl aseanplus`` in a subprocess, read back what it wrote, and hold the replica's
truth to compare it with. One subprocess per crawl: a Twisted reactor cannot restart."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.replica import Site
from newscrawl.replica.sections import section_label
from newscrawl.urls import SECTION_LABEL

REPO = Path(__file__).resolve().parents[2]
# Chromium may resolve nothing but this machine: a test must never reach the internet.
LOOPBACK_ONLY = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"'
CRAWL_TIMEOUT = 240.0
# The pages a fault stands for, as the spider names them in newscrawl/bad_page/<reason>.
FAULT_REASONS = {"empty": "empty", "not-html": "not-html", "no-headline": "no-headline",
                 "broken-markup": "truncated"}


@dataclass(frozen=True)
class CrawlResult:
    returncode: int
    records: list[dict[str, Any]]
    quarantined: list[dict[str, Any]]
    stats: dict[str, Any]
    stderr: str

    @property
    def urls(self) -> list[str]:
        return [record["url"] for record in self.records]

    def stat(self, key: str) -> Any:
        return self.stats.get(key, 0)

    def stats_under(self, prefix: str) -> dict[str, Any]:
        return {k.removeprefix(prefix): v for k, v in self.stats.items() if k.startswith(prefix)}


def run_crawl(workdir: Path, arguments: dict[str, str], *, settings: Iterable[str] = (),
              timeout: float = CRAWL_TIMEOUT, run_id: str = "test",
              user_feed: bool = True, spider: str = "aseanplus") -> CrawlResult:
    """``scrapy crawl aseanplus -a …`` (or ``spider``) from the repository root, every output
    under ``workdir``.

    The stories go to ``-O workdir/stories.jsonl``, or with ``user_feed=False`` to the default
    feed ``workdir/data/runs/<run_id>.jsonl`` (runs that share a state give each a run id).
    """
    process = start_crawl(workdir, arguments, settings=settings, run_id=run_id,
                          user_feed=user_feed, spider=spider)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_crawl(process)
        raise
    return crawl_result(workdir, process.returncode, stderr, run_id=run_id, user_feed=user_feed)


def start_crawl(workdir: Path, arguments: dict[str, str], *, settings: Iterable[str] = (),
                run_id: str = "test", user_feed: bool = True,
                spider: str = "aseanplus") -> subprocess.Popen[str]:
    """The crawl of ``run_crawl``, started and not waited for (a test may kill it)."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats_path = workdir / "stats.json"
    stats_path.unlink(missing_ok=True)  # a killed run must not leave the last run's stats
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    if user_feed:
        command += ["-O", str(workdir / "stories.jsonl")]
    for name, value in arguments.items():
        command += ["-a", f"{name}={value}"]
    for setting in (f"NEWSCRAWL_STATS_PATH={stats_path}", f"NEWSCRAWL_DATA_DIR={workdir / 'data'}",
                    f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}", f"NEWSCRAWL_RUN_ID={run_id}",
                    f"NEWSCRAWL_BROWSER_ARGS={LOOPBACK_ONLY}", *settings):
        command += ["-s", setting]
    # Own process group, so a crawl that overruns is killed with its browser.
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def kill_crawl(process: subprocess.Popen[str]) -> str:
    """SIGKILL the crawl's process group (browser included); its stderr."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    return process.communicate()[1]


def crawl_result(workdir: Path, returncode: int, stderr: str, *, run_id: str = "test",
                 user_feed: bool = True) -> CrawlResult:
    stats_path = workdir / "stats.json"
    data = workdir / "data"
    output = workdir / "stories.jsonl" if user_feed else data / "runs" / f"{run_id}.jsonl"
    return CrawlResult(
        returncode=returncode,
        records=_lines(output),
        quarantined=_lines(data / "quarantine" / f"{run_id}.jsonl"),
        stats=json.loads(stats_path.read_text()) if stats_path.exists() else {},
        stderr=stderr,
    )


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass(frozen=True)
class SiteTruth:
    """What the replica holds, by canonical URL."""

    listed: frozenset[str]  # in-section stories that listings, RSS and Next In show
    unlisted: frozenset[str]  # in-section stories reachable only through "Others Also Read"
    bad: dict[str, str]  # URL of a deliberately bad page -> the reason the spider must give
    others_also_read: dict[str, tuple[str, ...]]
    galleries: frozenset[str] = frozenset()  # listed like stories, skipped by the spider

    @property
    def in_scope(self) -> frozenset[str]:
        return self.listed | self.unlisted

    @classmethod
    def of(cls, site: Site) -> SiteTruth:
        good = [a for a in site.articles if a.in_section and a.section == SECTION_LABEL
                and a.fault is None and not a.is_gallery]
        return cls(
            listed=frozenset(a.url for a in good if a.listed),
            unlisted=frozenset(a.url for a in good if not a.listed),
            bad={a.url: FAULT_REASONS[a.fault] for a in site.articles if a.fault is not None},
            others_also_read={a.url: a.others_also_read for a in site.articles},
            galleries=frozenset(a.url for a in site.articles
                                if a.is_gallery and a.in_section and a.listed),
        )


def listed_in(site: Site, section_path: str) -> set[str]:
    """The stories a section's listing shows that a crawl of it must publish (no bad page, no
    gallery, a kicker naming that section or the story's own)."""
    return {a.url for a in site.in_section_path(section_path)
            if a.fault is None and not a.is_gallery
            and a.section in (section_label(section_path), section_label(a.section_path))}
