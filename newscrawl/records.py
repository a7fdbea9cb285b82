"""Turn what an article page says (``ArticleData``) into the story record, adding crawl context."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from newscrawl.items import DiscoveredVia, StoryItem, count_words
from newscrawl.pages.dates import in_myt
from newscrawl.pages.values import ArticleData
from newscrawl.urls import SECTION_LABEL, canonical_url, is_site_article, story_id


def build_story(
    data: ArticleData,
    *,
    url: str,
    discovered_via: DiscoveredVia,
    referrer: str | None,
    crawled_at: datetime,
    raw_html: str | None = None,
) -> StoryItem:
    """The record of one story; ``url`` is the page's URL on the real site (not a replica's)."""
    canonical = canonical_url(url)
    body = data.body
    return StoryItem(
        id=story_id(canonical),
        url=canonical,
        title=data.title,
        summary=data.summary,
        body=body,
        published_at=in_myt(data.published_at).isoformat(),
        modified_at=in_myt(data.modified_at).isoformat() if data.modified_at else None,
        authors=list(data.authors),
        agency=data.agency,
        dateline=data.dateline,
        section=data.section or SECTION_LABEL,
        tags=list(data.tags),
        image={"url": data.image.url, "caption": data.image.caption} if data.image else None,
        premium=data.premium,
        word_count=count_words(body),
        related={
            "next_in": related_urls(data.next_in, base=canonical),
            "others_also_read": related_urls(data.others_also_read, base=canonical),
        },
        discovered_via=discovered_via,
        referrer=referrer,
        crawled_at=_utc(crawled_at).isoformat(),
        extraction=data.extraction,
        raw_html=raw_html,
    )


def related_urls(links: Iterable[str], *, base: str) -> list[str]:
    """Canonical site-article URLs in page order, each once."""
    seen: dict[str, None] = {}
    for link in links:
        canonical = canonical_url(link, base)
        if is_site_article(canonical):
            seen.setdefault(canonical, None)
    return list(seen)


def _utc(moment: datetime) -> datetime:
    # A naive crawl time is the machine's clock, which the crawler keeps in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
