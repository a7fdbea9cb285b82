"""A story page read whole in one call, into one value that pickles: what the spider's glue asks
of an ``ArticlePage`` (``for_page``, ``has_foreign_base``/``base_url``, ``section_label``,
``continuation_url``, ``to_data``) and the page values "Others Also Read" reads from the page.

``read_story`` is what a reading process runs (``NEWSCRAWL_READ_PROCESSES``). Its ``StoryRead``
answers the glue as the page would have: each value as read, and an error where the page raised
one, at the step that raised it, so a page read in another process takes the same path through
the glue as one read in the crawl's own (a page whose kicker puts it out of the section is
dropped as out-of-section even if its body would not read, as in-process).

Reading everything at once costs what the glue would skip on a page it drops at the kicker
(``to_data`` of an out-of-section page): a rare page, and the reading is then off the crawl's
event loop anyway.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from lxml.html import HtmlElement

from newscrawl.others.page_values import PageValues, read_page_values
from newscrawl.pages import ArticleData, ArticlePage, NotAStoryError, PageError

# The glue's questions, in the order it asks them: an error answers the one that raised it.
Step = Literal["open", "base", "label", "continuation", "data"]


class StoryPage(Protocol):
    """What the spider's glue reads of a story page: an ``ArticlePage`` or a ``StoryRead``."""

    @property
    def html(self) -> str: ...

    @property
    def doc(self) -> HtmlElement | None: ...

    @property
    def base_url(self) -> str | None: ...

    def has_foreign_base(self) -> bool: ...

    def section_label(self) -> str | None: ...

    def continuation_url(self) -> str | None: ...

    def to_data(self) -> ArticleData: ...


class ReaderError(Exception):
    """The page classes failed on a page in a reading process (a parser bug); the message holds
    the traceback from there, as the crawl logs a parser bug of its own."""


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An error the page raised, in a form that pickles whole: an exception pickles its message,
    not a ``PageError``'s ``reason``, which the crawl counts by."""

    kind: Literal["page", "not-a-story", "parser"]
    reason: str
    detail: str = ""

    @classmethod
    def of(cls, error: Exception) -> ReadFailure:
        if isinstance(error, NotAStoryError):
            return cls("not-a-story", error.kind)
        if isinstance(error, PageError):
            return cls("page", error.reason, error.detail)
        return cls("parser", type(error).__name__, "".join(traceback.format_exception(error)))

    def error(self) -> Exception:
        if self.kind == "not-a-story":
            return NotAStoryError(self.reason)
        if self.kind == "page":
            return PageError(self.reason, self.detail)
        return ReaderError(f"{self.reason} in a reading process:\n{self.detail}")


@dataclass(frozen=True, slots=True)
class ValuesWanted:
    """The page values "Others Also Read" will read from a story's page: the locators of its
    rule, or every value (``None``) while the rule is learned."""

    locators: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class ReadValues:
    """Page values read with the page, and what they were read for: a rule learned or changed
    while the page was away wants others, which the spider then reads itself."""

    wanted: ValuesWanted
    values: PageValues


@dataclass(frozen=True, slots=True)
class StoryRead:
    """A story page's answers to the glue (see ``StoryPage``), replayed."""

    url: str
    failed_at: Step | None = None
    failure: ReadFailure | None = None
    base_url: str | None = None
    foreign_base: bool = False
    label: str | None = None
    continuation: str | None = None
    data: ArticleData | None = None
    # The page's text, kept for a long story only (its continuation is joined to it later).
    html: str = ""
    values: ReadValues | None = None
    # Never sent: a parsed document does not pickle (the values above stand in for it).
    doc: None = field(default=None, init=False)

    def page(self) -> StoryRead:
        """The page, or what ``ArticlePage.for_page`` raised on it."""
        self._replay("open")
        return self

    def has_foreign_base(self) -> bool:
        self._replay("base")
        return self.foreign_base

    def section_label(self) -> str | None:
        self._replay("label")
        return self.label

    def continuation_url(self) -> str | None:
        self._replay("continuation")
        return self.continuation

    def to_data(self) -> ArticleData:
        self._replay("data")
        assert self.data is not None, "a long story is joined to its continuation first"
        return self.data

    def _replay(self, step: Step) -> None:
        if self.failed_at == step and self.failure is not None:
            raise self.failure.error()


def read_story(url: str, page_url: str, html: str | bytes, content_type: str | None,
               wanted: ValuesWanted | None = None) -> StoryRead:
    """The story page at ``url`` (served at ``page_url``) read as the glue reads it; the page
    values ``wanted`` (None: none) read too when the page is a whole story."""
    step: Step = "open"
    found: dict[str, Any] = {}
    try:
        page = ArticlePage.for_page(url, html, content_type)
        step = "base"
        found["foreign_base"] = page.has_foreign_base()
        found["base_url"] = page.base_url
        step = "label"
        found["label"] = page.section_label()
        step = "continuation"
        found["continuation"] = rest = page.continuation_url()
        step = "data"
        if rest is not None:
            found["html"] = page.html
            return StoryRead(url, **found)
        found["data"] = page.to_data()
    except Exception as error:  # what the glue would have caught, at the step it would have
        return StoryRead(url, failed_at=step, failure=ReadFailure.of(error), **found)
    return StoryRead(url, **found, values=_values(page_url, page, wanted))


def _values(page_url: str, page: ArticlePage, wanted: ValuesWanted | None) -> ReadValues | None:
    if wanted is None:
        return None
    try:
        values = read_page_values(page_url, page.html, doc=page.doc, wanted=wanted.locators)
    except Exception:  # the spider reads them itself, and meets the error where it would
        return None
    return ReadValues(wanted, values)
