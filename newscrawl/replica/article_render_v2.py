"""Article pages in the site's other template ("story-div"): ``main.content-wrap`` >
``div.story[id*=storyDiv]``, JSON-LD in ``script[data-type]``, parse.ly ``guid``; long stories cut
after a few paragraphs with the rest at ``/api/readmore/get/<guid>/``; video stories; galleries.

Derived from one ``SiteArticle`` like the current template (``article_render``), so the same
story in either template holds the same facts.
"""

from __future__ import annotations

from typing import Any, Final

from newscrawl.replica.article_render import PLAN_BOX, _next_in_block, next_in
from newscrawl.replica.others_source import DEFAULT_DELIVERY, OthersDelivery, others_block
from newscrawl.replica.render import esc, esc_text, iso_date, json_for_script, page, visible_date
from newscrawl.replica.site import SECTION_PATH, Site, SiteArticle

# The organisation the site lists among a story's creators (never a person).
SITE_CREATOR: Final = "The Star Online"
STORY_DIV: Final = '<div class="story" id="ContentPlaceHolder1_storyDiv">'
READMORE_PATH: Final = "/api/readmore/get/"
RELATED_COUNT: Final = 2


def readmore_path(article: SiteArticle) -> str:
    return f"{READMORE_PATH}{article.guid}/"


def render_story_div(article: SiteArticle, site: Site, *,
                     others: OthersDelivery = DEFAULT_DELIVERY) -> str:
    """The whole page; for a long story, only its first paragraphs and the load link."""
    main = _gallery(article) if article.is_gallery else _story(article, site)
    return page(_head(article), main + "\n" + _after_story(article, site, others), "story-page",
                section_path=article.section_path,
                main_class="content-wrap")


def render_readmore(article: SiteArticle, site: Site) -> str:
    """The fragment the "load the full story" link inserts: the paragraphs the page lacks."""
    return "\n".join(_chunks(article, site)[article.html_paragraphs:]) + "\n"


def _head(article: SiteArticle) -> str:
    title = esc(article.title)
    summary = esc(article.summary)
    image_url = article.image.url if article.image else (
        article.photos[0].url if article.photos else "")
    lines = [
        f"<title>{title} | The Star</title>",
        f'<meta name="description" content="{summary}">',
        f'<link rel="canonical" href="{esc(article.url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{title} | The Star">',
        f'<meta property="og:url" content="{esc(article.url)}">',
        f'<meta property="og:description" content="{summary}">',
        '<meta name="twitter:site" content="@staronline">',
    ]
    if image_url:
        lines.append(f'<meta property="og:image" content="{esc(image_url)}">')
    if article.tags:
        lines.append(f'<meta name="keywords" content="{esc(", ".join(article.tags))}">')
    parsely = {
        "guid": article.guid, "title": article.title, "section": article.section,
        "image_url": image_url, "summary": article.summary,
        "is_premium": "1" if article.premium else "0",
        "pub_date": iso_date(article.published), "tags": list(article.tags),
    }
    lines.append(f'<meta name="parsely-metadata" content="{esc(json_for_script(parsely))}">')
    lines.append(f'<script data-type="application/ld+json">{json_for_script(_jsonld(article))}'
                 "</script>")
    return "\n".join(lines)


def _jsonld(article: SiteArticle) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "creator": [*article.authors, SITE_CREATOR],
        "dateCreated": iso_date(article.published),
        "keywords": list(article.tags),
    }
    if article.modified is not None:
        data["dateModified"] = iso_date(article.modified)
    return data


def _header(article: SiteArticle) -> str:
    return (f'<div class="story-header">\n<h1 class="headline">{esc_text(article.title)}</h1>\n'
            f'<span class="story-date">{visible_date(article.published)}</span>\n</div>')


def _gallery(article: SiteArticle) -> str:
    items = "\n".join(
        f'  <div class="album-item"><img src="{esc(photo.url)}" alt="">'
        f'<p class="album-caption">{esc_text(photo.caption)}</p></div>'
        for photo in article.photos
    )
    return f'{_header(article)}\n<div class="album-content">\n{items}\n</div>'


def _story(article: SiteArticle, site: Site) -> str:
    parts = [_header(article)]
    if article.image is not None:
        parts.append(_embedded_image(article.image.url, article.image.caption, "lead-image"))
    if article.video == "jwplayer":
        media = article.guid
        parts.append(
            f'<div id="jwplayer-{media}" class="video-wrap"></div>\n'
            '<script src="https://cdn.jwplayer.com/libraries/Xk2pQ7aZ.js"></script>\n'
            f'<script>jwplayer("jwplayer-{media}").setup({{playlist: '
            f'"https://cdn.jwplatform.com/v2/media/{media}"}});</script>'
        )
    elif article.video == "clips":
        parts.append(f'<div class="video-wrap"><iframe src="https://clips.thestar.com.my/embed/'
                     f'{article.guid}" allowfullscreen></iframe></div>')
    parts.append(STORY_DIV)
    parts.extend(_chunks(article, site)[:article.html_paragraphs])
    if article.is_long:
        parts.append(
            f'<p class="read-full"><a href="javascript:void(0)" onclick="loadFullStory'
            f"('{article.guid}')\">Load the full story</a></p>\n"
            '<div id="readmore-target"></div>\n'
            "<script>function loadFullStory(guid) {\n"
            f'  fetch("{READMORE_PATH}" + guid + "/").then(function (r) {{ return r.text(); }})\n'
            "    .then(function (html) { document.getElementById('readmore-target')"
            ".innerHTML = html; });\n}</script>"
        )
    parts.append("</div>")
    if article.premium:
        box = "".join(f'<div class="plan-line">{esc(line)}</div>' for line in PLAN_BOX)
        parts.append(f'<div class="premium-access">{box}</div>')
    return "\n".join(parts)


def _after_story(article: SiteArticle, site: Site, others: OthersDelivery) -> str:
    follow = ('<p class="whatsapp-follow">Follow us on our official '
              '<a href="https://whatsapp.com/channel/0029VaDUc">WhatsApp channel</a> '
              "for breaking news alerts and key updates!</p>")
    return "\n".join((follow, _next_in_block(article, next_in(article, site)),
                      others_block(article, site, others)))


def _embedded_image(url: str, caption: str, role: str) -> str:
    return (f'<div class="embeded-image {role}"><img src="{esc(url)}" alt="">'
            f'<div class="inline-caption">{esc_text(caption)}</div></div>')


def _chunks(article: SiteArticle, site: Site) -> list[str]:
    """Each paragraph with the noise that follows it, so a cut falls between paragraphs."""
    noise = set(article.noise)
    count = len(article.paragraphs)
    related = _related(article, site)
    chunks: list[str] = []
    for index, text in enumerate(article.paragraphs):
        inner = esc_text(text)
        if index == count - 1 and "script" in noise:
            inner += "<script>window.dataLayer.push({event: 'story_read_end'});</script>"
        parts = [f"<p>{inner}</p>"]
        if index == 0 and "caption" in noise:
            parts.append('<p class="caption">A general view of the scene. — Bernama</p>')
        if index == 0 and "embedded-image" in noise:
            parts.append(_embedded_image(
                f"https://apicms.thestar.com.my/uploads/images/{article.published:%Y/%m/%d}/"
                f"{article.guid}1.jpg", "File pic shows the scene. — Reuters", "inline"))
        if index == min(2, count - 1) and "ad" in noise:
            parts.append(
                '<div id="div-gpt-ad-inread-1" class="inArticleAd ad-slot"><span>ADVERTISEMENT'
                "</span><script>window.googletag = window.googletag || {cmd: []};</script></div>"
            )
        if index == count // 2 and "go-chart" in noise:
            parts.append(f'<p><img class="go-chart" src="https://apicms.thestar.com.my/charts/'
                         f'{article.guid}.png" alt=""> Chart: figures by country, in per cent</p>')
        if index == min(1, count - 1) and "related-box" in noise and related:
            links = "".join(f'<p><a href="{esc(other.path)}">{esc_text(other.title)}</a></p>'
                            for other in related)
            parts.append(f'<div id="related-stories-div"><h3>Related Stories</h3>{links}</div>')
        if index == count - 1 and "related-list" in noise and related:
            parts.append("<p><b>Related stories:</b></p>")
            parts.extend(f'<p><a href="{esc(other.url)}">{esc_text(other.title)}</a></p>'
                         for other in related)
        chunks.append("\n".join(parts))
    return chunks


def _related(article: SiteArticle, site: Site) -> list[SiteArticle]:
    return [other for other in next_in(article, site)
            if other.path.startswith(SECTION_PATH) and not other.is_gallery][:RELATED_COUNT]
