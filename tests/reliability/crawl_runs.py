"""Helpers of the reliability suite: crawls that share one state, the published feeds read back,
and the checks every scenario ends with (no story lost, none twice, no half-written file)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
# The end-to-end crawl helper (``crawling``), the ``newscrawl run`` helper (``newscrawl_run``) and
# the story factories of the pipeline tests (``pipelines.*``), shared rather than copied.
sys.path[:0] = [str(TESTS / "e2e"), str(TESTS / "ops"), str(TESTS)]

from crawling import CrawlResult, run_crawl  # noqa: E402

from newscrawl.replica import ReplicaServer  # noqa: E402


def crawl(workdir: Path, server: ReplicaServer, run_id: str, *settings: str,
          timeout: float = 300) -> CrawlResult:
    """A crawl of ``server`` without the browser, into the default per-run feeds."""
    return run_crawl(workdir, {"base_url": server.origin, "render": "never"}, run_id=run_id,
                     user_feed=False, settings=settings, timeout=timeout)


def published(workdir: Path) -> list[dict[str, Any]]:
    """Every record of every published run feed (part files of a killed run are not)."""
    return [json.loads(line) for path in sorted((workdir / "data" / "runs").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line]


def duplicated(records: list[dict[str, Any]]) -> set[str]:
    """URLs published more than once at the same version."""
    counts = Counter((r["url"], r["version"]) for r in records)
    return {url for (url, _), n in counts.items() if n > 1}


def truncated_files(workdir: Path) -> list[str]:
    """Visible feeds and manifests (not dot-files, not ``.part``) that are not whole: a JSON
    Lines file must end with a newline and every line must parse; a manifest must parse."""
    bad: list[str] = []
    data = workdir / "data"
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or ".part" in path.name:
            continue
        if path.suffix == ".jsonl":
            raw = path.read_bytes()
            try:
                whole = not raw or raw.endswith(b"\n")
                for line in raw.decode("utf-8").splitlines():
                    if line:
                        json.loads(line)
            except ValueError:
                whole = False
            if not whole:
                bad.append(str(path.relative_to(workdir)))
        elif path.name.endswith(".json"):
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                bad.append(str(path.relative_to(workdir)))
    return bad
