"""The machine-readable outputs: a section's RSS feed and the "Others Also Read" JSON endpoint."""

from __future__ import annotations

import json
from typing import Final
from urllib.parse import urlsplit

from newscrawl.replica.render import esc, rss_date
from newscrawl.replica.sections import DEFAULT_SECTION, ReplicaSection
from newscrawl.replica.site import SITE_ORIGIN, Site, SiteArticle

RSS_ITEMS: Final = 20
_SITE_HOSTS: Final = frozenset({"www.thestar.com.my", "thestar.com.my"})


def render_rss(site: Site, section: ReplicaSection = DEFAULT_SECTION) -> str:
    stories = site.in_section_path(section.path)[:RSS_ITEMS]
    items = "\n".join(_item(story) for story in stories)
    built = rss_date(stories[0].published) if stories else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>The Star Online - {esc(section.label)}</title>
<link>{SITE_ORIGIN}{section.path}</link>
<description>Latest {esc(section.label)} from The Star</description>
<language>en-us</language>
<lastBuildDate>{built}</lastBuildDate>
<atom:link href="{SITE_ORIGIN}{section.rss_path}" rel="self" type="application/rss+xml"/>
{items}
</channel>
</rss>
"""


def _item(story: SiteArticle) -> str:
    image = (f'\n  <enclosure url="{esc(story.image.url)}" type="image/jpeg" length="0"/>'
             if story.image else "")
    return f"""<item>
  <title>{esc(story.title)}</title>
  <link>{esc(story.url)}</link>
  <guid isPermaLink="true">{esc(story.url)}</guid>
  <description>{esc(story.summary)}</description>
  <pubDate>{rss_date(story.published)}</pubDate>
  <category>{esc(story.section)}</category>{image}
</item>"""


def link_title(href: str, site: Site) -> str:
    """The title a related link shows: the story's own when the site holds it."""
    parts = urlsplit(href)
    if parts.hostname is None or parts.hostname in _SITE_HOSTS:
        path = parts.path.rstrip("/") or "/"
        story = site.get(path)
        if story is not None:
            return story.title
    slug = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return slug.replace("-", " ").capitalize() or href


def render_others_also_read(article: SiteArticle, site: Site) -> str:
    items = [{"title": link_title(href, site), "url": href} for href in article.others_also_read]
    return json.dumps({"path": article.path, "items": items}, ensure_ascii=False)
