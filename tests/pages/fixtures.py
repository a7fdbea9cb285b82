"""Saved replica pages and their expected records.

    python -m tests.pages.fixtures save    # fetch every article page the replica serves
    python -m tests.pages.fixtures regen   # (re-)derive fixtures/pages/<name>.json, print changes

``save`` writes the raw bytes as served to ``fixtures/pages/<name>.html`` and what is needed to
read them again (URL on the real site, Content-Type, the data file's path) to ``index.json``;
for a long story, also the continuation its load link fetches, to ``readmore/<name>.html``.
Besides each page as served it saves a few pages under faults (renamed body container, cut
response) and, with a browser, pages after JavaScript ran (``rendered/``). ``regen`` derives
each expected record with ``build_story`` in a fixed crawl context; review its summary and the
JSON diff by hand before committing: ``test_fixtures_truth.py`` also checks the JSON against the
replica's data files, so a regen cannot silently bless a parser bug.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from newscrawl.pages import ArticlePage, NotAStoryError, PageError
from newscrawl.records import build_story

ROOT = Path(__file__).resolve().parents[2]
PAGES_DIR = ROOT / "fixtures" / "pages"
RENDERED_DIR = PAGES_DIR / "rendered"
READMORE_DIR = PAGES_DIR / "readmore"
INDEX = PAGES_DIR / "index.json"
CRAWLED_AT = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
# Pages also saved under a fault, by name prefix: a few are enough to pin the behaviour.
FAULT_VARIANTS = (("drifted", "layout=1", 2), ("cut", "truncate=1", 1))
RENDERED_COUNT = 2


def load_index() -> dict[str, dict[str, Any]]:
    if not INDEX.exists():
        return {}
    index: dict[str, dict[str, Any]] = json.loads(INDEX.read_text(encoding="utf-8"))
    return index


def derive(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The expected record of a saved page: the record fields, ``{"error": reason}``, or
    ``{"skipped": kind}`` for a page that is no story (a gallery).

    A long story is joined with its saved continuation, after checking that the page points
    at the URL it was saved from."""
    body = (PAGES_DIR / f"{name}.html").read_bytes()
    try:
        page = ArticlePage.for_page(entry["url"], body, entry.get("content_type"))
        continuation = None
        rest = page.continuation_url()
        if (urlsplit(rest).path if rest else None) != entry.get("continuation_path"):
            return {"error": f"continuation-url: {rest}"}
        if rest is not None:
            continuation = (PAGES_DIR / entry["continuation"]).read_text(encoding="utf-8")
        data = page.to_data(continuation=continuation)
    except NotAStoryError as skipped:
        return {"skipped": skipped.kind}
    except PageError as exc:
        return {"error": exc.reason}
    story = build_story(data, url=entry["url"], discovered_via="start", referrer=None,
                        crawled_at=CRAWLED_AT)
    record = ItemAdapter(story).asdict()
    record.pop("raw_html", None)
    return record


def fetch(url: str) -> tuple[int, str | None, bytes]:
    """Status, Content-Type and body; a response cut short keeps what arrived."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            try:
                body = response.read()
            except http.client.IncompleteRead as exc:
                body = exc.partial
            return response.status, response.headers.get("Content-Type"), body
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read()


def save() -> int:
    # The replica is test tooling: imported here only, never by the crawler.
    from newscrawl.replica import FaultPlan, ReplicaServer, load_site

    site = load_site()
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, Any]] = {}
    with ReplicaServer(site) as server:
        for article in site.articles:
            status, content_type, body = fetch(server.url(article.path))
            _write(index, article.slug, article, "as-served", status, content_type, body)
            if article.is_long:
                _save_continuation(index[article.slug], article, server)
    normal = [a for a in site.articles if a.fault is None and a.in_section]
    for prefix, spec, count in FAULT_VARIANTS:
        with ReplicaServer(site, FaultPlan.parse([spec])) as server:
            for article in normal[:count]:
                status, content_type, body = fetch(server.url(article.path))
                _write(index, f"{prefix}--{article.slug}", article, spec, status, content_type,
                       body)
    INDEX.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {len(index)} pages to {PAGES_DIR.relative_to(ROOT)}")
    rendered = save_rendered(site)
    print(f"saved {rendered} rendered pages to {RENDERED_DIR.relative_to(ROOT)}")
    return 0


def _save_continuation(entry: dict[str, Any], article: Any, server: Any) -> None:
    from newscrawl.replica.article_render_v2 import readmore_path

    path = readmore_path(article)
    status, _, body = fetch(server.url(path))
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    READMORE_DIR.mkdir(parents=True, exist_ok=True)
    (READMORE_DIR / f"{article.slug}.html").write_bytes(body)
    entry["continuation_path"] = path
    entry["continuation"] = f"readmore/{article.slug}.html"


def save_rendered(site: Any) -> int:
    """Pages after their script filled "Others Also Read"; 0 when no browser is installed."""
    from playwright.sync_api import sync_playwright

    from newscrawl.browser import find_browser
    from newscrawl.replica import ReplicaServer

    executable = find_browser()
    if executable is None:
        print("no browser found: rendered pages not saved", file=sys.stderr)
        return 0
    picked = [a for a in site.articles if a.others_also_read and a.fault is None
              and a.in_section][:RENDERED_COUNT]
    RENDERED_DIR.mkdir(parents=True, exist_ok=True)
    args = ["--disable-gpu", "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
    with ReplicaServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args)
        try:
            page = browser.new_page()
            for article in picked:
                page.goto(server.url(article.path), wait_until="load")
                page.wait_for_function(
                    "n => document.querySelectorAll('#reco-list a').length >= n",
                    arg=len(article.others_also_read), timeout=15000,
                )
                (RENDERED_DIR / f"{article.slug}.html").write_text(page.content(),
                                                                   encoding="utf-8")
        finally:
            browser.close()
    return len(picked)


def regen() -> int:
    index = load_index()
    if not index:
        print("no saved pages: run `python -m tests.pages.fixtures save` first", file=sys.stderr)
        return 1
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for name, entry in sorted(index.items()):
        target = PAGES_DIR / f"{name}.json"
        record = derive(name, entry)
        old = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        if old == record:
            counts["unchanged"] += 1
            continue
        if old is None:
            counts["new"] += 1
            print(f"new      {name}: {_describe(record)}")
        else:
            counts["changed"] += 1
            fields = [k for k in {**old, **record} if old.get(k) != record.get(k)]
            print(f"changed  {name}: {', '.join(fields)}")
            for field in fields:
                print(f"    {field}: {_short(old.get(field))} -> {_short(record.get(field))}")
        target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    stale = sorted(p.stem for p in PAGES_DIR.glob("*.json")
                   if p.name != INDEX.name and p.stem not in index)
    for name in stale:
        print(f"stale    {name}.json (no saved page; delete it if intended)")
    print(f"{counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
          f"{len(stale)} stale: review the diff before committing")
    return 0


def _write(index: dict[str, dict[str, Any]], name: str, article: Any, variant: str, status: int,
           content_type: str | None, body: bytes) -> None:
    (PAGES_DIR / f"{name}.html").write_bytes(body)
    source = Path(article.source).resolve()
    data_file = str(source.relative_to(ROOT)) if source.is_relative_to(ROOT) else str(source)
    index[name] = {"url": article.url, "path": article.path, "data_file": data_file,
                   "variant": variant, "status": status, "content_type": content_type}


def _describe(record: dict[str, Any]) -> str:
    if "error" in record or "skipped" in record:
        return json.dumps(record)
    return f"{record['extraction']}, {record['word_count']} words, {record['title'][:50]!r}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:97] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pages.fixtures", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("save", "regen"))
    args = parser.parse_args(argv)
    return save() if args.command == "save" else regen()


if __name__ == "__main__":
    sys.exit(main())
