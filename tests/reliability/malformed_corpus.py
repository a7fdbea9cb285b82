"""R3's corpus: malformed story pages made from one template, each with what must become of it.

Generated, not saved: each kind is a function of a base page, so a new kind of damage is one
line. ``expect`` is what the crawl must do with the page: publish it (sane), quarantine it with
a reason, or drop it with a counted reason; "either" means publish or quarantine are both
right (a page lxml repairs may or may not keep its body), but never a silent loss.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from dataclasses import dataclass, field, replace
from typing import Literal

from corpus_server import SECTION_PATH, Route

Expect = Literal["published", "quarantined", "dropped", "either"]
DAY = "2026/11/20"
PUBLISHED = "2026-11-20T10:00:00+08:00"
LATIN_TEXT = "Café owners in São Paulo and Hà Nội said the résumé rules déjà changed."
HTML_TYPE = (("Content-Type", "text/html; charset=utf-8"),)


def story_path(slug: str, section: str = SECTION_PATH) -> str:
    return f"{section}/{DAY}/{slug}"


@dataclass(frozen=True)
class Story:
    title: str = "Regional leaders agree on a plan for cleaner rivers"
    paragraphs: tuple[str, ...] = (
        "KUALA LUMPUR: Regional leaders agreed on Friday to a ten-year plan for cleaner rivers.",
        "The plan sets targets for every member state and a fund for the poorest districts.",
        "Officials said the first reports are due next year. - Bernama",
    )
    authors: tuple[str, ...] = ("Aida Rahman",)
    tags: tuple[str, ...] = ("rivers", "environment")
    caption: str = "The Klang river at dusk. - Filepic"
    published: str = PUBLISHED
    kicker: str = "Aseanplus News"
    h1: str | None = None  # None: the title
    og_title: str | None = None  # None: "<title> | The Star"
    jsonld: str | None = None  # None: a valid NewsArticle
    head_extra: str = ""
    body_attrs: str = ""
    depth: int = 0  # <div> levels around the story body
    after_body: str = ""


def article_html(story: Story) -> str:
    e = html.escape
    jsonld = story.jsonld if story.jsonld is not None else json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "datePublished": story.published, "articleSection": "Aseanplus News",
    })
    og = story.og_title if story.og_title is not None else f"{story.title} | The Star"
    authors = "".join(f'<a href="/authors?q={i}">{e(a)}</a>' for i, a in enumerate(story.authors))
    tags = "".join(f'<a href="/tag/{i}">{e(t)}</a>' for i, t in enumerate(story.tags))
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(og)}</title><meta property=\"og:title\" content=\"{e(og)}\">"
        f"{story.head_extra}"
        f'<script type="application/ld+json">{jsonld}</script></head><body>'
        f'<a class="kicker" data-list-type="Article" href="{SECTION_PATH}">{e(story.kicker)}</a>'
        f'<div class="headline story-pg"><h1>{e(story.title if story.h1 is None else story.h1)}'
        f'</h1></div><div class="credit__authors">{authors}</div>'
        '<div class="story-date"><p class="date">Friday, 20 Nov 2026</p>'
        '<time class="timestamp">10:00 AM MYT</time></div>'
        '<div class="story-image"><img src="https://apicms.thestar.com.my/uploads/1.jpg">'
        f'<p class="caption">{e(story.caption)}</p></div>'
        + "<div>" * story.depth
        + f'<div id="story-body" class="story bot-15 relative"{story.body_attrs}>{paragraphs}'
        + "</div>" + "</div>" * story.depth
        + f'<div class="story-tags">{tags}</div>{story.after_body}</body></html>'
    )


@dataclass(frozen=True)
class CorpusPage:
    kind: str
    slug: str
    route: Route
    expect: Expect
    # Other paths the page needs (redirect hops and targets); not listed.
    extra: dict[str, Route] = field(default_factory=dict)
    must_contain: str | None = None  # in the published body
    lands_at: str | None = None  # the path a redirect leads to, where the record is
    links_to: str | None = None  # an unlisted story only a link of this page leads to

    @property
    def path(self) -> str:
        return story_path(self.slug)

    @property
    def record_path(self) -> str:
        return self.lands_at or self.path


def page(story: Story = Story(), *, charset: str = "utf-8", content_type: str | None = None,
         status: int = 200) -> Route:
    ctype = content_type if content_type is not None else f"text/html; charset={charset}"
    return Route(status, article_html(story).encode(charset, "replace"),
                 (("Content-Type", ctype),))


def raw(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
        headers: tuple[tuple[str, str], ...] = ()) -> Route:
    return Route(status, body, (("Content-Type", content_type), *headers))


def redirect(location: str, status: int = 301) -> Route:
    return Route(status, b"", (*HTML_TYPE, ("Location", location)))


def malformed_corpus(origin: str, trap: str) -> list[CorpusPage]:
    """At least 70 pages; ``trap`` is an origin no request may reach (another port)."""
    base = Story()
    good = article_html(base).encode()
    rng = random.Random(20261120)
    pages: list[CorpusPage] = []

    def add(kind: str, route: Route, expect: Expect, *, extra: dict[str, Route] | None = None,
            must_contain: str | None = None, lands_at: str | None = None,
            links_to: str | None = None) -> None:
        pages.append(CorpusPage(kind, f"{kind}-{len(pages)}", route, expect, extra or {},
                                must_contain, lands_at, links_to))

    for _ in range(3):
        add("baseline", page(), "published")
    for cut in (0.05, 0.2, 0.4, 0.6, 0.8, 0.97):
        add("truncated", raw(good[: int(len(good) * cut)]), "quarantined")
    unclosed = article_html(base).replace("</p>", "").replace("</div>", "")
    add("unclosed-tags", raw(unclosed.encode()), "either")
    add("stray-close-tags", raw(article_html(base).replace("<p>", "</div></p><p>").encode()),
        "either")

    latin = replace(base, paragraphs=(LATIN_TEXT.replace("Hà Nội", "Hanoi"), *base.paragraphs))
    cafe = "Café owners in São Paulo"
    add("latin1-labelled-utf8", page(latin, charset="cp1252",
                                     content_type="text/html; charset=utf-8"),
        "published", must_contain=cafe)
    add("latin1-meta-utf8", page(latin, charset="cp1252", content_type="text/html"),
        "published", must_contain=cafe)
    add("utf8-labelled-latin1", page(latin, content_type="text/html; charset=iso-8859-1"),
        "published")
    add("utf16-bom", raw(b"\xff\xfe" + article_html(latin).encode("utf-16-le"),
                         "text/html; charset=utf-8"), "published", must_contain=cafe)
    add("utf8-bom-labelled-latin1", raw(b"\xef\xbb\xbf" + article_html(latin).encode(),
                                        "text/html; charset=iso-8859-1"),
        "published", must_contain=cafe)
    chinese = replace(base, title="东盟领导人同意河流清洁计划",
                      paragraphs=("吉隆坡：东盟领导人周五同意一项为期十年的河流清洁计划。" * 5,))
    add("gb18030-undeclared", page(chinese, charset="gb18030", content_type="text/html"),
        "published", must_contain="河流清洁计划")
    add("unknown-charset-label", page(latin, content_type="text/html; charset=x-no-such"),
        "published", must_contain=cafe)
    add("shift-jis-labelled-utf8", page(replace(base, paragraphs=("東南アジアのニュース。" * 20,)),
                                        charset="shift_jis"), "either")

    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000))
    add("binary-png", raw(png), "quarantined")
    add("binary-pdf", raw(b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(4000))),
        "quarantined")
    add("binary-gzip", raw(gzip.compress(good)), "quarantined")
    add("binary-random", raw(bytes(rng.randrange(256) for _ in range(8000))), "quarantined")
    add("nul-bytes", raw(good.replace(b"<head>", b"<head>" + b"\x00" * 64)), "quarantined")

    add("huge-class-attribute", page(replace(base, body_attrs=f' data-x="{"x" * 1_000_000}"')),
        "either")
    add("huge-h1-attribute", raw(good.replace(b"<h1>", b'<h1 title="' + b"y" * 500_000 + b'">')),
        "either")
    add("huge-href", page(replace(base, after_body=f'<a href="/{"z" * 300_000}">x</a>')),
        "either")

    # Deeper than libxml2 builds (256 levels, 2048 with huge_tree): the wrappers are unwrapped
    # and the story keeps its body (pages/nesting.py).
    for depth in (300, 3_000, 30_000):
        add("deep-nesting", page(replace(base, depth=depth)), "published",
            must_contain="ten-year plan for cleaner rivers")

    add("scripts-only", raw(b"<script>document.write('<h1>hi</h1>')</script>" * 20),
        "quarantined")
    add("scripts-only-html", raw(b"<html><head><script>var a=1;</script></head><body>"
                                 b"<script>location.reload()</script></body></html>"),
        "quarantined")

    add("empty", raw(b""), "quarantined")
    add("whitespace-only", raw(b"  \n\t \n"), "quarantined")
    add("empty-document", raw(b"<html></html>"), "quarantined")
    add("empty-story-body", page(replace(base, paragraphs=())), "quarantined")

    add("future-date", page(replace(base, published="2099-01-01T10:00:00+08:00")),
        "quarantined")
    add("next-year-date", page(replace(base, published="2027-11-20T10:00:00+08:00")),
        "quarantined")
    add("impossible-date", page(replace(base, published="2026-13-45T99:00:00+08:00")),
        "either")

    add("giant-title", page(replace(base, title="Leaders agree " * 400)), "quarantined")
    add("giant-body", page(replace(base, paragraphs=("word " * 200_000,))), "quarantined")
    add("many-authors", page(replace(base, authors=tuple(f"Writer {i}" for i in range(10_000)))),
        "quarantined")
    add("many-tags", page(replace(base, tags=tuple(f"tag {i}" for i in range(10_000)))),
        "quarantined")
    add("giant-caption", page(replace(base, caption="A view of the river. " * 300)),
        "quarantined")
    add("many-paragraphs", page(replace(base, paragraphs=tuple(
        f"Paragraph {i} of a story that never ends, as parsers sometimes read it."
        for i in range(3_000)))), "quarantined")

    for jsonld in ('{"@type": "NewsArticle", "headline": ', "[1, 2, 3]",
                   '{"@type": "NewsArticle", "headline": 42, "datePublished": {"a": 1}}',
                   '{"@graph": [null, "x", {"@type": ["NewsArticle"], "headline": ["a", "b"]}]}',
                   "{" * 10_000):
        add("invalid-jsonld", page(replace(base, jsonld=jsonld)), "either")

    blank_jsonld = json.dumps({"@type": "NewsArticle", "headline": "  ",
                               "datePublished": PUBLISHED})
    add("whitespace-headline", page(replace(base, h1="   ", og_title=" | The Star",
                                            jsonld=blank_jsonld)), "quarantined")
    add("site-name-headline", page(replace(base, h1="\u00a0", og_title="| The Star",
                                           jsonld=blank_jsonld.replace('"  "', '"| The Star"'))),
        "quarantined")

    add("kicker-elsewhere", page(replace(base, kicker="Nation")), "dropped")
    # Without a kicker the JSON-LD articleSection still names the section.
    add("kicker-missing", raw(good.replace(b'class="kicker"', b'class="rubric"')), "published")
    add("kicker-and-section-missing", raw(good.replace(b'class="kicker"', b'class="rubric"')
                                          .replace(b'"Aseanplus News"', b'"Nation"')), "dropped")

    def refresh(target: str, delay: int = 0) -> Route:
        return page(replace(base, head_extra=f'<meta http-equiv="refresh" '
                                             f'content="{delay}; url={target}">'))

    add("meta-refresh-other-port", refresh(f"{trap}{story_path('elsewhere')}"), "dropped")
    add("meta-refresh-other-port-delayed", refresh(f"{trap}/", 5), "dropped")
    add("meta-refresh-other-host", refresh("http://www.example.invalid/x"), "dropped")
    moved = story_path("moved-by-refresh")
    add("meta-refresh-same-origin", refresh(moved), "published", lands_at=moved,
        extra={moved: page(replace(base, title="A story reached by a meta refresh"))})

    # Relative links resolve against <base href> as in a browser: off the site they are
    # never requested (the trap sees nothing), on the site they are followed.
    next_in = ('<h3>Next In Aseanplus News</h3><ul><li><a href="{href}">n</a></li>'
               '<li><a href="aseanplus/aseanplus-news/2026/11/20/next">n</a></li></ul>')
    base_href = replace(base, head_extra=f'<base href="{trap}/">',
                        after_body=next_in.format(href="x"))
    add("base-href-other-port", page(base_href), "published")
    add("base-href-other-host", page(replace(base_href, head_extra='<base href="http://x.invalid/">')),
        "published")
    # The link's target is reached only through the base: against the page's own URL the href
    # names no story (…/2026/11/20/<slug>/20/reached-through-base).
    target = story_path("reached-through-base")
    add("base-href-same-site", page(replace(
        base, head_extra=f'<base href="{SECTION_PATH}/2026/11/">',
        after_body=next_in.format(href="20/reached-through-base"))), "published",
        extra={target: page(replace(base, title="A story reached through a base href"))},
        links_to=target)

    add("redirect-other-port", redirect(f"{trap}{story_path('elsewhere')}"), "dropped")
    add("redirect-other-host", redirect("http://www.example.invalid/", 302), "dropped")
    loop_a, loop_b = story_path("redirect-loop-0"), story_path("redirect-loop-hop")
    pages.append(CorpusPage("redirect-loop", "redirect-loop-0", redirect(loop_b), "dropped",
                            extra={loop_b: redirect(loop_a)}))
    itself = story_path("redirect-to-itself")
    pages.append(CorpusPage("redirect-to-itself", "redirect-to-itself", redirect(itself),
                            "dropped"))
    renamed = story_path("renamed-story-target")
    add("redirect-story-to-story", redirect(renamed), "published", lands_at=renamed,
        extra={renamed: page(replace(base, title="A story under its new address"))})
    nation = story_path("elsewhere", "/news/nation")
    add("redirect-out-of-section", redirect(nation), "dropped", extra={nation: page()})

    add("http-500-with-body", raw(b"<html><body><h1>Server error</h1></body></html>",
                                  status=500), "quarantined")
    add("http-404-empty", raw(b"", status=404), "dropped")
    add("http-410-with-body", raw(b"<html><body>Gone</body></html>", status=410),
        "quarantined")

    add("control-characters", page(replace(base, title="Leaders\x07 agree\x1b on rivers\u200b")),
        "published")
    add("bidi-marks", page(replace(base, title="\u202eLeaders agree\u202c on rivers\u200f")),
        "published")
    add("double-escaped", page(replace(base, title="Leaders &amp;amp; rivers &lt;b&gt;")),
        "published")
    return pages

