"""An RSS feed: its items' links, titles and dates."""

from __future__ import annotations

from lxml import etree

from newscrawl.pages.css import squash
from newscrawl.pages.dates import parse_feed_date
from newscrawl.pages.values import FeedData, FeedEntry, PageError
from newscrawl.urls import join_url

NOT_RSS = "not-rss"

# No entities, no network: a feed is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)


class RssFeedPage:
    def __init__(self, url: str, body: bytes) -> None:
        self.url = url
        self.body = body

    def to_data(self) -> FeedData:
        if not self.body or not self.body.strip():
            raise PageError(NOT_RSS, "empty")
        try:
            root = etree.fromstring(self.body.strip(), parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise PageError(NOT_RSS, str(exc)) from None
        if etree.QName(root).localname.lower() not in ("rss", "rdf"):
            raise PageError(NOT_RSS, f"root <{etree.QName(root).localname}>")
        entries: list[FeedEntry] = []
        for item in root.iter("item", "{*}item"):
            link = squash(_child_text(item, "link") or _child_text(item, "guid") or "")
            # An item whose link no URL can be made of is skipped, like a bad href on a page.
            url = join_url(self.url, link) if link else None
            if url is None:
                continue
            entries.append(FeedEntry(
                url=url,
                title=squash(_child_text(item, "title") or ""),
                published_at=parse_feed_date(_child_text(item, "pubDate")),
            ))
        return FeedData(entries=tuple(entries))


def _child_text(item: etree._Element, name: str) -> str | None:
    for child in item:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return "".join(str(t) for t in child.itertext()) or None
    return None
