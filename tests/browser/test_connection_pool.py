"""The handler keeps idle connections for every slot that may send to one host: the lists' own
slot on a replica shares the site's host, and a pool sized for the site's slot alone closed and
reopened connections all through a crawl."""

from __future__ import annotations

import subprocess
import sys

from scrapy.settings import Settings

from newscrawl.browser_handler import persistent_per_host


def test_the_pool_covers_the_sites_slot_and_every_named_slot() -> None:
    settings = Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                         "DOWNLOAD_SLOTS": {"others-list": {"concurrency": 32, "delay": 0},
                                            "other": {"delay": 1.0}}})
    assert persistent_per_host(settings) == 16 + 32 + 16


def test_without_named_slots_the_pool_is_scrapys() -> None:
    assert persistent_per_host(Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 2})) == 2


def test_the_handler_sizes_its_pool_so() -> None:
    # In a process of its own: the handler needs a reactor, and this process may hold another.
    script = """
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.utils.test import get_crawler
from newscrawl.browser_handler import EarlyPlaywrightDownloadHandler
crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                                     "DOWNLOAD_SLOTS": {"others-list": {"concurrency": 8}},
                                     "_PLAYWRIGHT_THREADED_LOOP": True})
print(EarlyPlaywrightDownloadHandler.from_crawler(crawler)._pool.maxPersistentPerHost)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "12"
