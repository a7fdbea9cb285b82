"""The fallback extractor's library is loaded by the first page that needs it, not by every crawl.

trafilatura (with courlan and its settings) cost ~0.3-0.4 s of CPU at each crawl's start while
most crawls read no page through the fallback (README, "Benchmarks").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("trafilatura", "courlan", "justext")


def _loaded_after(code: str) -> list[str]:
    probe = (f"import json, sys\n{code}\n"
             f"print(json.dumps(sorted(m for m in {LIBRARIES!r} if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_a_crawl_loads_no_fallback_library_until_a_page_needs_it() -> None:
    # What ``scrapy crawl`` loads: the settings, every component they name, the spiders, and a
    # story page of the site's layout read in full.
    crawl = """
from scrapy.utils.misc import load_object, walk_modules
from newscrawl import settings
for table in (settings.ITEM_PIPELINES, settings.EXTENSIONS, settings.DOWNLOADER_MIDDLEWARES):
    for path in table:
        load_object(path)
for module in settings.SPIDER_MODULES:
    walk_modules(module)
from newscrawl.pages import ArticlePage
from tests.pages.snippets import article_html
ArticlePage.for_page("https://www.thestar.com.my/aseanplus/aseanplus-news/2025/01/02/x",
                     article_html()).to_data()
"""
    assert _loaded_after(crawl) == []


def test_the_fallback_loads_it_when_it_reads() -> None:
    fallback = """
from newscrawl.pages.generic_body import read_body
from lxml.html import document_fromstring
read_body(document_fromstring("<html><body><article><p>" + "A sentence of a story. " * 40
                              + "</p></article></body></html>"), "https://example.com/a", ())
"""
    assert "trafilatura" in _loaded_after(fallback)
