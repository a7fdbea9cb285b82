"""What the crawl makes of one fetched page, worked out by the crawl's own parts: the page classes
(which layout, where each value came from), ``build_story``, the cleaning and validation rules
of the pipelines, and the frontier's rule for links. Pure: bytes and URLs in, a report out.

Not applied: deduplication and versions, which depend on the state store (a record shown here
is version 1 with no ``duplicate_of``), and the state's "known story" rule for links.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final, Literal

from itemadapter import ItemAdapter

from newscrawl.items import DiscoveredVia, StoryItem
from newscrawl.pages import ArticlePage, ListingPage, NotAStoryError, PageError
from newscrawl.pipelines.clean import CleanPipeline
from newscrawl.pipelines.validate import StoryValidator
from newscrawl.records import build_story
from newscrawl.sections import LISTING_PATHS, section_of_path
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import canonical_listing_url, canonical_url, site_path

# "read": a listing page, which publishes no record of its own.
Outcome = Literal["published", "quarantined", "skipped", "read"]
PageKind = Literal["article", "listing"]
VIA: Final[DiscoveredVia] = "start"  # as ``scrapy parse`` and the saved fixtures say
NOT_RENDERED: Final = (
    '"Others Also Read" is filled by JavaScript: empty on the page as served '
    "(--render on a URL reads it in Chromium, as the crawl does)"
)
NOT_STATEFUL: Final = (
    "not applied here: deduplication and versions (they need the state store), so the "
    "record is shown as version 1 with no duplicate_of"
)


@dataclass(frozen=True, slots=True)
class LinkDecision:
    url: str  # canonical, or the href as found when it is no URL at all
    decision: str  # the frontier's admission: "new" (followed), "seen", "off-section", …

    @property
    def followed(self) -> bool:
        return self.decision == "new"


@dataclass(frozen=True, slots=True)
class PageReport:
    url: str  # on the real site, canonical
    kind: PageKind
    outcome: Outcome
    page_class: str | None = None  # the layout class that read the page
    layout: str | None = None
    record: dict[str, Any] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    links: dict[str, tuple[LinkDecision, ...]] = field(default_factory=dict)
    next_page: str | None = None  # a listing page's next page
    reasons: tuple[str, ...] = ()  # why quarantined or skipped
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "kind": self.kind,
            "outcome": self.outcome,
            "page_class": self.page_class,
            "layout": self.layout,
            "reasons": list(self.reasons),
            "record": self.record,
            "sources": self.sources,
            "links": {block: [{"url": link.url, "followed": link.followed,
                               "decision": link.decision} for link in links]
                      for block, links in self.links.items()},
            "next_page": self.next_page,
            "notes": list(self.notes),
        }


def is_listing(url: str) -> bool:
    """A page of a section's listing (any ``pgno``): the crawl reads it with ``ListingPage``."""
    return site_path(url) in LISTING_PATHS


def inspect_page(url: str, body: str | bytes, content_type: str | None = None, *,
                 status: int = 200, rendered: bool = False, now: datetime | None = None,
                 continuation: str | None = None) -> PageReport:
    """The report of the page at ``url`` (its URL on the real site); ``continuation``: the
    rest of a long story's body, as its load link fetches it."""
    if is_listing(url):
        return inspect_listing(url, body)
    return inspect_article(url, body, content_type, status=status, rendered=rendered, now=now,
                           continuation=continuation)


def continuation_of(url: str, body: str | bytes, content_type: str | None = None) -> str | None:
    """Where the rest of a long story's body is (a URL on the real site), else None."""
    try:
        return ArticlePage.for_page(canonical_url(url), body, content_type).continuation_url()
    except (PageError, NotAStoryError):
        return None


def inspect_listing(url: str, body: str | bytes) -> PageReport:
    canonical = canonical_listing_url(url)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = ListingPage(canonical, text).to_data()
    except PageError as error:
        return PageReport(canonical, "listing", "skipped", reasons=(f"unreadable listing: "
                                                                     f"{error}",))
    return PageReport(canonical, "listing", "read", page_class=ListingPage.__name__,
                      links={"listing": _decide(data.story_links)}, next_page=data.next_page,
                      notes=("a listing page publishes no record: its story links are "
                             "followed",))


def inspect_article(url: str, body: str | bytes, content_type: str | None = None, *,
                    status: int = 200, rendered: bool = False, now: datetime | None = None,
                    continuation: str | None = None) -> PageReport:
    canonical = canonical_url(url)
    crawled_at = now or datetime.now(UTC)
    if not 200 <= status < 300:
        # The crawl's errback: the page is quarantined with its status when it has a body.
        return PageReport(canonical, "article", "quarantined" if body else "skipped",
                          reasons=(f"http-{status}",))
    try:
        page = ArticlePage.for_page(canonical, body, content_type)
    except NotAStoryError as skipped:
        return PageReport(canonical, "article", "skipped", reasons=(
            f"{skipped.kind}: no story; the crawl skips it and counts it",))
    except PageError as error:
        return PageReport(canonical, "article", "quarantined", reasons=(str(error),))
    base = PageReport(canonical, "article", "published", page_class=type(page).__name__,
                      layout=page.LAYOUT)
    label = page.section_label()
    path = site_path(canonical)
    section = section_of_path(path) if path is not None else None
    if section is None or not section.has_label(label):
        named = section.label if section is not None else "any known section"
        return _with(base, outcome="skipped", reasons=(
            f"not a story of {named} (section label {label!r}): the crawl skips it",))
    try:
        data = page.to_data(continuation=continuation)
    except PageError as error:
        return _with(base, outcome="quarantined", reasons=(str(error),),
                     sources=_sources(page))
    item = build_story(data, url=canonical, discovered_via=VIA, referrer=None,
                       crawled_at=crawled_at, section=section.label)
    cleaned = CleanPipeline().process_item(item)
    assert isinstance(cleaned, StoryItem)
    record = ItemAdapter(cleaned).asdict()
    record.pop("raw_html", None)
    reasons = tuple(StoryValidator(clock=lambda: crawled_at).problems(record))
    notes = [NOT_STATEFUL]
    if not rendered and not data.others_also_read:
        notes.append(NOT_RENDERED)
    return _with(
        base, outcome="quarantined" if reasons else "published", record=record,
        reasons=reasons, sources=_sources(page),
        links={"next_in": _decide(data.next_in), "others_also_read": _decide(
            data.others_also_read)},
        notes=tuple(notes),
    )


def _sources(page: ArticlePage) -> dict[str, str]:
    return {name: str(source) for name, source in page.field_sources().items()}


def _decide(hrefs: tuple[str, ...]) -> tuple[LinkDecision, ...]:
    """The frontier's answer for each link, in page order (no state: nothing is "known")."""
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda _url: True)
    return tuple(LinkDecision(*frontier.admit(href)) for href in hrefs)


def _with(report: PageReport, **changes: Any) -> PageReport:
    return replace(report, **changes)
