"""A section's listing page (``/aseanplus/aseanplus-news?pgno=N``), ten stories a page."""

from __future__ import annotations

from typing import Final

from newscrawl.replica.render import esc, esc_text, iso_date, json_for_script, page, visible_date
from newscrawl.replica.sections import DEFAULT_SECTION, ReplicaSection
from newscrawl.replica.site import SITE_ORIGIN, Site, SiteArticle

PAGE_SIZE: Final = 10


def page_count(site: Site, section: ReplicaSection = DEFAULT_SECTION) -> int:
    return max(1, -(-len(site.in_section_path(section.path)) // PAGE_SIZE))


def listing_stories(site: Site, pgno: int,
                    section: ReplicaSection = DEFAULT_SECTION) -> tuple[SiteArticle, ...]:
    start = (pgno - 1) * PAGE_SIZE
    return site.in_section_path(section.path)[start:start + PAGE_SIZE]


def render_listing(site: Site, pgno: int, section: ReplicaSection = DEFAULT_SECTION) -> str:
    stories = listing_stories(site, pgno, section)
    has_next = bool(listing_stories(site, pgno + 1, section))
    return page(_head(site, pgno, section), _main(site, pgno, stories, has_next, section),
                "section-page", section_path=section.path)


def _story_href(story: SiteArticle, index: int) -> str:
    # The site mixes relative and absolute hrefs on the same page.
    return story.path if index % 2 == 0 else SITE_ORIGIN + story.path


def _head(site: Site, pgno: int, section: ReplicaSection) -> str:
    url = SITE_ORIGIN + section.path + ("" if pgno == 1 else f"?pgno={pgno}")
    newest = site.in_section_path(section.path)[:1]
    webpage = {
        "@context": "https://schema.org", "@type": "WebPage",
        "headline": section.headline,
        "articleSection": section.label,
        "keywords": section.keywords,
        "dateCreated": iso_date(newest[0].published) if newest else None,
        "url": url,
    }
    parsely = {"@context": "http://schema.org", "@type": "WebPage", "headline": section.label,
               "url": url}
    return "\n".join((
        f"<title>{esc_text(section.title)}</title>",
        f'<meta name="description" content="{esc(section.description)}">',
        f'<link rel="canonical" href="{esc(url)}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:title" content="{esc(section.title)}">',
        f'<meta property="og:url" content="{esc(url)}">',
        '<meta name="twitter:site" content="@staronline">',
        '<meta name="page_type" content="section">',
        f'<meta name="parsely-metadata" content="{esc(json_for_script(parsely))}">',
        f'<script type="application/ld+json">{json_for_script(webpage)}</script>',
    ))


def _entry(story: SiteArticle, index: int) -> str:
    href = esc(_story_href(story, index))
    image = (f'<a href="{href}"><img class="thumb" src="{esc(story.image.url)}" '
             f'srcset="{esc(story.image.replica_path)}" alt=""></a>' if story.image else "")
    title = esc_text(story.title)
    badge = '<span class="badge-premium">PREMIUM</span>' if story.premium else ""
    return f"""<div class="row list-listing">
  <div class="col-sm-3 thumb-wrap">{image}</div>
  <div class="col-sm-9 in-sec-story">
    <a class="kicker" href="{esc(story.section_path)}">{esc(story.section)}</a>{badge}
    <h2 class="f18"><a href="{href}" data-content-category="{esc(story.section)}">{title}</a></h2>
    <p class="story-summary">{esc(story.summary)}</p>
    <span class="timestamp">{visible_date(story.published)}</span>
  </div>
</div>"""


def _pager(pgno: int, last: int, section: ReplicaSection) -> str:
    # Pager links carry &bycat= and put it first, as the site does: parameter order is free.
    def link(n: int, label: str) -> str:
        return (f'<li><a href="{section.path}?bycat={section.bycat}&amp;pgno={n}">{label}'
                "</a></li>")

    items = [link(pgno - 1, "&laquo; Prev")] if pgno > 1 else []
    items += [link(n, str(n)) for n in range(max(1, pgno - 2), min(last, pgno + 2) + 1)]
    if pgno < last:
        items.append(link(pgno + 1, "Next &raquo;"))
    return f'<ul class="pager">{"".join(items)}</ul>'


def _main(site: Site, pgno: int, stories: tuple[SiteArticle, ...], has_next: bool,
          section: ReplicaSection) -> str:
    entries = "\n".join(_entry(story, i) for i, story in enumerate(stories))
    more = (f'<a id="loadMorestories" class="btn-load-more" href="{section.path}?pgno={pgno + 1}">'
            "Load More</a>" if has_next else "")
    label = esc_text(section.label)
    return f"""<div class="section-header"><h1 class="section-title">{label}</h1></div>
<div class="section-listing-stories" id="section-listing">
{entries}
</div>
<div class="load-more">{more}</div>
{_pager(pgno, page_count(site, section), section)}"""
