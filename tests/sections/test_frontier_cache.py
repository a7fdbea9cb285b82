"""The canonical-URL caches (the frontier's and ``urls.canonical_url``'s) are bounded: a crawl
meets most hrefs once, so an entry per story would grow the crawl's memory with its size
(``urls.CANONICAL_CACHE_SIZE``)."""

from __future__ import annotations

from newscrawl import urls
from newscrawl.spiders import frontier as frontier_module
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import CANONICAL_CACHE_SIZE, SECTION_URL


def test_the_cache_holds_no_more_than_its_bound_and_still_hits_the_repeated_links() -> None:
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda _: True)
    newest = [f"{SECTION_URL}/2025/05/22/newest-{n}" for n in range(10)]
    frontier_module._canonical.cache_clear()
    stories = 3 * CANONICAL_CACHE_SIZE
    for n in range(stories):  # a listing's link, then the page's "Next In" links
        assert frontier.admit(f"{SECTION_URL}/2025/05/21/story-{n}")[1] == "new"
        for href in newest:
            frontier.admit(href)
    info = frontier_module._canonical.cache_info()
    assert info.currsize <= CANONICAL_CACHE_SIZE
    assert info.misses == stories + len(newest)  # the ten newest were never evicted
    assert frontier.admitted == stories + len(newest)


def test_canonical_url_keeps_no_more_than_its_bound_and_still_hits_the_repeated_links() -> None:
    newest = [f"http://thestar.com.my/aseanplus/aseanplus-news/2025/05/22/newest-{n}/"
              for n in range(10)]
    urls.canonical_url.cache_clear()
    stories = 3 * CANONICAL_CACHE_SIZE
    for n in range(stories):  # a story's own URL, then its page's "Next In" links
        story = f"{SECTION_URL}/2025/05/21/story-{n}?utm_source=feed"
        assert urls.canonical_url(story) == f"{SECTION_URL}/2025/05/21/story-{n}"
        for href in newest:
            urls.canonical_url(href)
    info = urls.canonical_url.cache_info()
    assert info.currsize <= CANONICAL_CACHE_SIZE
    assert info.misses == stories + len(newest)  # the ten newest were never evicted
    assert urls.canonical_url(newest[0]) == f"{SECTION_URL}/2025/05/22/newest-0"
