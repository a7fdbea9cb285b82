"""The one switch (NEWSCRAWL_REDIS_URL) and what scrapy-redis needs of the spider's requests."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler

from newscrawl.distributed.settings import (
    CLAIM_PIPELINE,
    RATE_LIMIT_MIDDLEWARE,
    RUN_EXTENSION,
    apply_distributed_settings,
)
from newscrawl.spiders.aseanplus import AseanplusSpider
from newscrawl.spiders.continuation import CONTINUATION_PRIORITY
from newscrawl.spiders.failures import FailureSorter
from newscrawl.state.crawl import utc_now
from newscrawl.urls import SECTION_URL

STORY = "https://www.thestar.com.my/aseanplus/aseanplus-news/2026/02/12/a-story"


def project_settings(**extra: object) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    for name, value in extra.items():
        settings.set(name, value, priority="cmdline")
    return settings


def test_without_a_redis_url_nothing_changes() -> None:
    settings = project_settings()
    before = {name: settings.get(name) for name in ("SCHEDULER", "DUPEFILTER_CLASS")}
    assert apply_distributed_settings(settings, "run") is None
    assert {name: settings.get(name) for name in before} == before


def test_a_redis_url_switches_to_the_shared_scheduler_and_dupefilter() -> None:
    settings = project_settings(NEWSCRAWL_REDIS_URL="redis://127.0.0.1:1/0",
                                NEWSCRAWL_CRAWL_ID="cron-1", NEWSCRAWL_WORKER_NAME="w1")
    config = apply_distributed_settings(settings, "ignored")
    assert config is not None and config.keys.prefix == "newscrawl:run:cron-1"
    assert config.worker.startswith("w1.")
    assert settings["SCHEDULER"] == "newscrawl.distributed.scheduler.LeasedScheduler"
    # Scrapy's own dupefilter under scrapy-redis's scheduler crashed the crawl with exit 0.
    assert settings["DUPEFILTER_CLASS"] == (
        "newscrawl.distributed.scheduler.ProjectFingerprintDupeFilter")
    assert RATE_LIMIT_MIDDLEWARE in settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert CLAIM_PIPELINE in settings.getdict("ITEM_PIPELINES")
    assert RUN_EXTENSION in settings.getdict("EXTENSIONS")
    # The project's own components stay.
    assert "newscrawl.pipelines.version.VersionPipeline" in settings.getdict("ITEM_PIPELINES")


def glue_spider() -> AseanplusSpider:
    crawler = get_crawler(AseanplusSpider)
    spider = AseanplusSpider(base_url="http://127.0.0.1:8080", render="never")
    spider._set_crawler(crawler)
    assert crawler.stats is not None
    spider.failures = FailureSorter(crawler.stats, spider.args.base_url)
    return spider


def test_every_request_of_the_spider_can_be_stored_in_redis() -> None:
    # scrapy-redis stores requests with Request.to_dict(spider): callbacks *and* errbacks must
    # be the spider's own methods, or the push fails after the URL was marked seen.
    spider = glue_spider()
    requests = [spider.walks.request(spider.sections[0], SECTION_URL),
                *spider._follow(STORY, "listing", SECTION_URL, utc_now())]
    assert len(requests) == 2
    for request in requests:
        assert request.errback is not None
        again = request_from_dict(request.to_dict(spider=spider), spider=spider)
        assert (again.url, again.callback, again.errback, again.cb_kwargs) == (
            request.url, request.callback, request.errback, request.cb_kwargs)


def test_a_listing_page_goes_before_new_story_pages_and_after_continuations() -> None:
    # The frontier is newest first within a priority: with several sections, a walk's next
    # listing page waited behind the story pages the other walks found after it.
    spider = glue_spider()
    listing = spider.walks.request(spider.sections[0], SECTION_URL)
    [story] = spider._follow(STORY, "listing", SECTION_URL, utc_now())
    assert story.priority < listing.priority < CONTINUATION_PRIORITY
