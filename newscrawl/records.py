"""Turn what an article page says (``ArticleData``) into the story record, adding crawl context."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Final

from newscrawl.items import DiscoveredVia, StoryItem, count_words
from newscrawl.pages.dates import in_myt
from newscrawl.pages.values import ArticleData
from newscrawl.urls import (
    SECTION_LABEL,
    canonical_url,
    is_site_article,
    link_canonical_url,
    story_id,
)

# The schemes page links come in; urljoin resolves a link of the base's scheme against it.
_ABSOLUTE_SCHEMES: Final = frozenset({"http", "https"})


def build_story(
    data: ArticleData,
    *,
    url: str,
    discovered_via: DiscoveredVia,
    referrer: str | None,
    crawled_at: datetime,
    raw_html: str | None = None,
    section: str | None = None,
) -> StoryItem:
    """The record of one story; ``url`` is the page's URL on the real site (not a replica's);
    ``section``: the label of the section the crawl found it in (else the page's own)."""
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
        section=section or data.section or SECTION_LABEL,
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
        media=data.media,
        raw_html=raw_html,
    )


def related_urls(links: Iterable[str], *, base: str) -> list[str]:
    """Canonical site-article URLs in page order, each once; an unparseable link is skipped."""
    seen: dict[str, None] = {}
    for link in links:
        canonical = _related(link, None if _ignores_base(link, base) else base)
        if canonical is not None:
            seen.setdefault(canonical, None)
    return list(seen)


# Every story lists the same few Next In links, with a different base each time; keyed on the
# link alone (where the base cannot change the result) they are worked out once per crawl.
@lru_cache(maxsize=65536)
def _related(link: str, base: str | None) -> str | None:
    """The canonical URL of ``link`` if it is a site article, else None."""
    canonical = link_canonical_url(link, base)
    return canonical if canonical is not None and is_site_article(canonical) else None


def _ignores_base(link: str, base: str) -> bool:
    """Whether ``urljoin(base, link)`` is ``link`` itself, as far as ``canonical_url`` goes.

    True for a link with another scheme than the base's, or with the same scheme and a host;
    urljoin then at most drops an empty query or fragment, which canonical_url drops anyway
    for a site URL (any other URL is not a site article, with or without the base).
    """
    text = link.strip()
    scheme, colon, rest = text.partition(":")
    if not colon or scheme not in _ABSOLUTE_SCHEMES:
        return False
    if not base.startswith(scheme + ":"):
        return True
    return rest.startswith("//") and rest[2:3] not in ("", "/", "?", "#")


def _utc(moment: datetime) -> datetime:
    # A naive crawl time is the machine's clock, which the crawler keeps in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
