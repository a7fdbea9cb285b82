"""The older article template: ``.articleDetails > .headline``, ``p.byline a``."""

from __future__ import annotations

from typing import ClassVar

from newscrawl.pages.article import ArticlePage


class LegacyArticlePage(ArticlePage):
    """Pages published before the current template, still served at their old URLs."""

    LAYOUT: ClassVar[str] = "legacy"
    MARKER_CSS: ClassVar[str] = ".articleDetails"
    HEADLINE_CSS: ClassVar[tuple[str, ...]] = (
        ".articleDetails > .headline h1", ".articleDetails > .headline", "h1",
    )
    BODY_CSS: ClassVar[tuple[str, ...]] = (
        "div#story-body", "div.story", "[id$=storyDiv]", ".articleDetails .story",
    )
    AUTHORS_CSS: ClassVar[tuple[str, ...]] = ("p.byline a", "div.credit__authors > a")
    DATE_CSS: ClassVar[tuple[str, ...]] = (".articleDetails p.date", "p.date", ".date")
    TIME_CSS: ClassVar[tuple[str, ...]] = ("time.timestamp", ".timestamp")
    KICKER_CSS: ClassVar[tuple[str, ...]] = (
        'a.kicker[data-list-type="Article"]', "a.kicker", ".articleDetails .kicker",
    )
