"""Page classes: pure parsing of the site's pages (URL + HTML in, typed values out)."""

from newscrawl.pages.article import ArticlePage
from newscrawl.pages.article_legacy import LegacyArticlePage
from newscrawl.pages.article_story_div import StoryDivArticlePage
from newscrawl.pages.fallback import FallbackArticlePage
from newscrawl.pages.feed import RssFeedPage
from newscrawl.pages.listing import ListingPage
from newscrawl.pages.values import (
    ArticleData,
    Extraction,
    FeedData,
    FeedEntry,
    ImageRef,
    ListingData,
    NotAStoryError,
    PageError,
)

__all__ = [
    "ArticleData",
    "ArticlePage",
    "Extraction",
    "FallbackArticlePage",
    "FeedData",
    "FeedEntry",
    "ImageRef",
    "LegacyArticlePage",
    "ListingData",
    "ListingPage",
    "NotAStoryError",
    "PageError",
    "RssFeedPage",
    "StoryDivArticlePage",
]
