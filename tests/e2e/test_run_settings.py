"""Settings a run gets: polite on the live site, lifted on a replica, feeds split by item class.

The spider is built as ``scrapy crawl`` builds it (``from_crawler`` before settings freeze),
without starting a crawl.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy_playwright.handler import Config

from newscrawl import rendering
from newscrawl.spiders.aseanplus import AseanplusSpider
from newscrawl.spiders.feeds import QUARANTINE_CLASS, STORY_CLASS


def fitted(cmdline: dict[str, Any] | None = None, **arguments: str) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.setdict(cmdline or {}, priority="cmdline")
    crawler = Crawler(AseanplusSpider, settings)
    AseanplusSpider.from_crawler(crawler, **arguments)
    return crawler.settings


def test_live_site_gets_polite_defaults() -> None:
    settings = fitted(render="never")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert "+https://github.com/newscrawl/newscrawl" in settings["USER_AGENT"]
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert 429 in settings.getlist("RETRY_HTTP_CODES")


def test_a_replica_on_loopback_lifts_the_polite_limits() -> None:
    settings = fitted(base_url="http://127.0.0.1:8080", render="never")
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") > 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("ROBOTSTXT_OBEY")


def test_a_remote_mirror_keeps_the_polite_limits() -> None:
    settings = fitted(base_url="https://mirror.example.org", render="never")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2


def test_the_command_line_still_wins() -> None:
    settings = fitted({"CONCURRENT_REQUESTS_PER_DOMAIN": 3}, base_url="http://127.0.0.1:8080",
                      render="never")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 3


def test_render_never_starts_no_playwright_driver() -> None:
    handlers = fitted(render="never").getdict("DOWNLOAD_HANDLERS")
    assert rendering.PLAYWRIGHT_HANDLER not in handlers.values()


def test_rendering_uses_one_handler_for_the_scheme_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newscrawl.spiders.run_settings.find_browser", lambda _path: "/bin/true")
    settings = fitted({"NEWSCRAWL_BROWSER_ARGS": "--lang=ms --foo='a, b'"},
                      base_url="http://127.0.0.1:8080")
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == rendering.PLAYWRIGHT_HANDLER
    assert handlers["https"] != rendering.PLAYWRIGHT_HANDLER
    options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == "/bin/true"
    assert options["args"][-2:] == ["--lang=ms", "--foo=a, b"]
    assert not any(arg.startswith("--disable-features") for arg in options["args"])


def test_playwright_runs_in_a_loop_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders must not wait on the crawl's busy event loop (rendering.THREADED_LOOP): the
    handler's config reads the private setting (a scrapy-playwright upgrade may drop it)."""
    monkeypatch.setattr("newscrawl.spiders.run_settings.find_browser", lambda _path: "/bin/true")
    settings = fitted(base_url="http://127.0.0.1:8080")
    assert Config.from_settings(settings).use_threaded_loop


def test_default_feeds_split_stories_and_quarantine() -> None:
    feeds = fitted({"NEWSCRAWL_DATA_DIR": "/tmp/x"}, render="never").getdict("FEEDS")
    assert {uri: options["item_classes"] for uri, options in feeds.items()} == {
        "/tmp/x/runs/%(run_id)s.jsonl": [STORY_CLASS],
        "/tmp/x/quarantine/%(run_id)s.jsonl": [QUARANTINE_CLASS],
    }


def test_an_output_file_gets_a_copy_of_the_stories_and_quarantine_stays_apart() -> None:
    project = Settings()
    project.setmodule("newscrawl.settings", priority="project")
    # What `scrapy crawl -O out.jsonl` leaves in FEEDS in Scrapy 2.19: the project's feeds
    # plus the file.
    merged = {"out.jsonl": {"format": "jsonl", "overwrite": True}, **project.getdict("FEEDS")}
    feeds = fitted({"FEEDS": merged}, render="never").getdict("FEEDS")
    # The run file stays: stories the state records as seen must be in runs/ (route_feeds).
    assert {uri: options["item_classes"] for uri, options in feeds.items()} == {
        "out.jsonl": [STORY_CLASS],
        "data/aseanplus/runs/%(run_id)s.jsonl": [STORY_CLASS],
        "data/aseanplus/quarantine/%(run_id)s.jsonl": [QUARANTINE_CLASS],
    }


def test_components_the_crawl_turns_off_are_not_even_loaded() -> None:
    """Scrapy imports each listed component before its setting turns it off: the remote
    control's module loads aiohttp's web server, the cookies middleware tldextract."""
    from scrapy.utils.conf import build_component_list

    settings = fitted(base_url="http://127.0.0.1:8080", render="never")
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    middlewares = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert "scrapy.extensions.remote_control.RemoteControl" not in extensions
    assert "scrapy.extensions.telnet.TelnetConsole" not in extensions
    assert "scrapy.downloadermiddlewares.cookies.CookiesMiddleware" not in middlewares
    assert "scrapy.extensions.feedexport.FeedExporter" in extensions  # Scrapy's others stay
    assert "scrapy.downloadermiddlewares.redirect.RedirectMiddleware" in middlewares
    # Still off by their own settings, should a list name them again.
    assert not settings.getbool("COOKIES_ENABLED")
