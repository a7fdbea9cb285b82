"""An article page in the site's markup, derived from one ``SiteArticle`` and the site around it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from newscrawl.replica.others_source import (
    DEFAULT_DELIVERY,
    OthersDelivery,
    others_block,
)
from newscrawl.replica.render import (
    esc,
    esc_text,
    iso_date,
    json_for_script,
    machine_date,
    page,
    visible_date,
    visible_time,
)
from newscrawl.replica.site import SITE_ORIGIN, Site, SiteArticle

NEXT_IN_COUNT: Final = 10
# The renamed body container of the "layout" fault: what a template change would do.
DRIFTED_BODY: Final = '<div id="storyContent" class="article-content story-v2">'
BODY: Final = '<div id="story-body" class="story bot-15 relative">'

PLAN_BOX: Final = (
    "Save 30% OFF The Star Digital Access",
    "Monthly Plan", "RM 13.90/month", "RM 9.73/month",
    "Billed as RM 9.73 for the 1st month, RM 13.90 thereafter.",
    "Best Value", "Annual Plan", "RM 12.33/month", "RM 8.63/month",
    "Billed as RM 103.60 for the 1st year, RM 148 thereafter.",
)


def link_variant(path: str, index: int) -> str:
    """The same story written the ways the site writes it (bare host, http://, trailing slash…)."""
    forms = (path, SITE_ORIGIN + path, "https://thestar.com.my" + path,
             "http://www.thestar.com.my" + path, path + "/")
    return forms[index % len(forms)]


def next_in(article: SiteArticle, site: Site) -> list[SiteArticle]:
    """The newest listed stories of the article's section, without the article itself."""
    picked: list[SiteArticle] = []
    for other in site.in_section_path(article.section_path):
        if other.path != article.path:
            picked.append(other)
            if len(picked) == NEXT_IN_COUNT:
                break
    return picked


def render_article(article: SiteArticle, site: Site, *, drifted: bool = False,
                   others: OthersDelivery = DEFAULT_DELIVERY) -> str:
    headline = article.fault != "no-headline"
    main = _main(article, site, headline, drifted) + "\n" + others_block(article, site, others)
    return page(_head(article, headline), main, "story-page", section_path=article.section_path)


def spoil_markup(html: str) -> str:
    """The page cut off in the middle of a tag, halfway through the body (``broken-markup``)."""
    start = html.find(BODY)
    cut = html.find("<p>", start + (len(html) - start) // 3) if start >= 0 else -1
    if cut < 0:
        cut = len(html) // 2
    return html[: cut + 2]


def _head(article: SiteArticle, headline: bool) -> str:
    title = esc(article.title)
    summary = esc(article.summary)
    lines = [
        f"<title>{title} | The Star</title>" if headline else "<title>The Star</title>",
        f'<meta name="description" content="{summary}">',
        f'<link rel="canonical" href="{esc(article.url)}">',
        '<meta property="og:type" content="article">',
        '<meta property="og:site_name" content="The Star">',
        f'<meta property="og:url" content="{esc(article.url)}">',
        f'<meta property="og:description" content="{summary}">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:site" content="@staronline">',
        '<meta name="page_type" content="article">',
        f'<meta itemprop="datePublished" content="{machine_date(article.published)}">',
    ]
    if headline:
        lines.insert(5, f'<meta property="og:title" content="{title} | The Star">')
    if article.image is not None:
        lines.append(f'<meta property="og:image" content="{esc(article.image.url)}">')
    if article.modified is not None:
        lines.append(f'<meta itemprop="dateModified" content="{machine_date(article.modified)}">')
    if article.tags:
        lines.append(f'<meta name="keywords" content="{esc(", ".join(article.tags))}">')
    parsely: dict[str, Any] = {
        "@context": "http://schema.org", "@type": "NewsArticle", "url": article.url,
        "articleSection": article.section, "datePublished": iso_date(article.published),
        "creator": list(article.authors), "keywords": list(article.tags),
        "guid": article.guid,
    }
    if headline:
        parsely["headline"] = article.title
    lines.append(f'<meta name="parsely-metadata" content="{esc(json_for_script(parsely))}">')
    if article.jsonld:
        data = json_for_script(_jsonld(article, headline))
        lines.append(f'<script type="application/ld+json">{data}</script>')
    return "\n".join(line for line in lines if line)


def _jsonld(article: SiteArticle, headline: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.url},
        "datePublished": iso_date(article.published),
        "dateModified": iso_date(article.modified or article.published),
        "articleSection": article.section,
        "keywords": ", ".join(article.tags),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": "The Star",
                      "logo": {"@type": "ImageObject",
                               "url": "https://www.thestar.com.my/assets/img/the-star-logo.png"}},
        "isAccessibleForFree": not article.premium,
    }
    if headline:
        data["headline"] = article.title
    if article.image is not None:
        data["image"] = {"@type": "ImageObject", "url": article.image.url}
    return data


def _main(article: SiteArticle, site: Site, headline: bool, drifted: bool) -> str:
    parts = [
        '<article class="story-wrapper">',
        '<div class="story-header">',
        f'<a class="kicker" data-list-type="Article" href="{esc(article.section_path)}">\n'
        f"                {esc(article.section)}\n            </a>",
    ]
    if article.premium:
        parts.append('<span class="badge-premium">PREMIUM</span>')
    if headline:
        title = esc_text(article.title)
        parts.append(f'<div class="headline story-pg">\n  <h1>{title}</h1>\n</div>')
    if article.authors:
        links = ", ".join(
            f'<a href="/authors?q={esc(name.replace(" ", "+"))}">{esc(name)}</a>'
            for name in article.authors
        )
        parts.append(f'<div class="credit__authors">{links}</div>')
    parts.append(
        f'<div class="story-date"><p class="date">{visible_date(article.published)}</p>'
        f'<time class="timestamp">{visible_time(article.published)}</time></div>'
    )
    parts.append("</div>")
    if article.image is not None:
        caption = esc(article.image.caption)
        parts.append(
            f'<div class="story-image">\n  <img src="{esc(article.image.url)}" '
            f'srcset="{esc(article.image.replica_path)}" alt="{caption}">\n'
            f'  <div class="caption-text"><p>{caption}</p></div>\n</div>'
        )
    parts.append(DRIFTED_BODY if drifted else BODY)
    parts.extend(_body_children(article))
    parts.append("</div>")
    if article.premium:
        box = "".join(f'<div class="plan-line">{esc(line)}</div>' for line in PLAN_BOX)
        parts.append(f'<div class="plan-box" data-piano="offer">{box}</div>')
    parts.append(
        '<p class="whatsapp-follow">Follow us on our official '
        '<a href="https://whatsapp.com/channel/0029VaDUc">WhatsApp channel</a> '
        "for breaking news alerts and key updates!</p>"
    )
    if article.tags:
        tags = " , ".join(
            f'<a href="/tag/{esc(tag.lower().replace(" ", "+"))}">{esc(tag)}</a>'
            for tag in article.tags
        )
        parts.append(f'<div class="story-keywords">{tags}</div>')
    parts.append("</article>")
    parts.append(_next_in_block(article, next_in(article, site)))
    return "\n".join(parts)


def _body_children(article: SiteArticle) -> list[str]:
    """The paragraphs as ``p`` children, with the noise the real body holds between them."""
    noise = set(article.noise)
    count = len(article.paragraphs)
    children: list[str] = []
    for index, text in enumerate(article.paragraphs):
        inner = esc_text(text)
        if index == 1 and "inline-caption" in noise:
            inner += '<span class="inline-caption"> File pic shows the scene. — Reuters</span>'
        if index == count - 1 and "script" in noise:
            inner += ("<script>window.dataLayer.push({event: 'story_read_end'});</script>")
        if index == 0 and "noscript" in noise:
            inner += "<noscript>Please enable JavaScript to view this content.</noscript>"
        children.append(f"<p>{inner}</p>")
        if index == 0 and "caption" in noise:
            credit = article.image.caption if article.image and article.image.caption else (
                "A general view of the scene. — Bernama")
            children.append(f'<p class="caption">{esc(credit)}</p>')
        if index == min(2, count - 1) and "ad" in noise:
            children.append(
                '<div id="div-gpt-ad-inread-1" class="inArticleAd ad-slot"><span>ADVERTISEMENT'
                "</span><script>window.googletag = window.googletag || {cmd: []};</script></div>"
            )
        if index == count // 2 and "chart" in noise:
            children.append(
                f'<div class="flourish-embed flourish-chart" data-src="visualisation/'
                f'{sum(map(ord, article.path)) % 900000 + 100000}"><noscript><img '
                'src="https://public.flourish.studio/visualisation/thumbnail" alt="chart: '
                'figures by country"></noscript></div>'
            )
    return children


def _next_in_block(article: SiteArticle, stories: Sequence[SiteArticle]) -> str:
    items = "\n".join(
        f'  <li><a href="{esc(link_variant(story.path, i))}">{esc(story.title)}</a></li>'
        for i, story in enumerate(stories)
    )
    return (f'<section class="side-stories">\n<h3 class="side-stories__title">Next In '
            f"{esc(article.section)}</h3>\n<ul>\n{items}\n</ul>\n</section>")
