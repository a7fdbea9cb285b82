"""The site's other article template ("story-div"), as a reading template of the site renders it:
``main.content-wrap`` holding ``div.story`` whose ``id`` contains ``storyDiv``.

Its kicker and byline markup are unknown: the section comes from parse.ly or the URL, the
authors from JSON-LD ``creator`` (the base class reads both). Inline images sit in the body as
``div.embeded-image`` (sic); the lead image is the first one outside it.
"""

from __future__ import annotations

from typing import ClassVar

from newscrawl.pages.article import ArticlePage


class StoryDivArticlePage(ArticlePage):
    LAYOUT: ClassVar[str] = "story-div"
    MARKER_CSS: ClassVar[str] = 'main.content-wrap div.story[id*="storyDiv"]'
    HEADLINE_CSS: ClassVar[tuple[str, ...]] = ("main.content-wrap h1", "h1")
    BODY_CSS: ClassVar[tuple[str, ...]] = (
        'main.content-wrap div.story[id*="storyDiv"]', 'div.story[id*="storyDiv"]',
        '[id*="storyDiv"]',
    )
    IMAGE_BOX_CSS: ClassVar[tuple[str, ...]] = (
        "main.content-wrap div.embeded-image", "div.embeded-image", "div.story-image",
    )
    IMAGE_CAPTION_CSS: ClassVar[tuple[str, ...]] = (
        ".inline-caption", ".caption", "figcaption", "p",
    )
