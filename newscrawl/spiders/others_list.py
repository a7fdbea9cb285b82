"""How the spider gets each story's "Others Also Read" list: glue around ``ListSourceLearner``.

For each story read from its plain page, the learner says: read the list from the page
(inline data), fetch it with a plain request (a learned rule: a ``ListFetch``, which the
story's own callback awaits, see list_fetch), render the page (to learn, to check, or because
nothing else works), or hold the story until a rule is learned. This module turns that into
Scrapy requests with the spider's callbacks, counts everything under ``newscrawl/others/…``
and keeps the learned rule in the state store.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from lxml.html import HtmlElement
from scrapy import Request
from scrapy.http import Response, TextResponse

from newscrawl import rendering
from newscrawl.browser_session import CAPTURED, BrowserSession
from newscrawl.origins import LIST_REQUEST
from newscrawl.others.inference import CapturedResponse, Observation
from newscrawl.others.learner import ListSourceLearner, Plan, Purpose
from newscrawl.others.outcomes import EARLIER_RUNS_FILLED, FIRST_RUN, PREFIX, outcome_key
from newscrawl.others.page_values import PageValues, read_page_values
from newscrawl.others.rule import ListRule
from newscrawl.reading.story_read import ReadValues, ValuesWanted
from newscrawl.spiders.held_stories import HeldStories
from newscrawl.spiders.kept_list_rule import KeptListRule
from newscrawl.spiders.list_fetch import ListFetch, ListFetcher
from newscrawl.state.list_rules import ListRuleStore
from newscrawl.urls import rebase

if TYPE_CHECKING:
    from newscrawl.spiders.thestar import PendingStory, TheStarSpider

logger = logging.getLogger(__name__)

# Renders (a few to learn, a sampled check now and then) before new pages, so held stories
# leave memory early. (That alone did not make checks come back mid-run: Playwright's own event
# loop did, see rendering.THREADED_LOOP.)
RENDER_PRIORITY: Final = 20
LIST_SLOT: Final = "others-list"


class OthersLists:
    """One per spider; ``start`` once the crawl's stats and state exist. ``held`` bounds the
    stories held while learning (default: the production budget of ``held_stories``)."""

    def __init__(self, spider: TheStarSpider, held: HeldStories | None = None) -> None:
        self.spider = spider
        self.learner: ListSourceLearner | None = None
        self.session: BrowserSession | None = None
        self._kept: KeptListRule | None = None
        # While the rule is learned the plain crawl goes on at full speed; the stories read
        # meanwhile wait here, compressed and within a byte budget (see held_stories).
        self._held = held if held is not None else HeldStories()
        # Stories whose render failed once (each gets one more try).
        self._retried: set[str] = set()
        self._deferred: deque[Request] = deque()
        self._direct_meta: dict[str, Any] = {}
        # Awaits the lists' requests in the spider's callbacks.
        self.fetcher = ListFetcher(self)

    @property
    def held_count(self) -> int:
        """Stories read and waiting for the rule, their pages in memory."""
        return len(self._held)

    @property
    def deferred_count(self) -> int:
        """Story requests waiting to be sent (small: no page yet)."""
        return len(self._deferred)

    def start(self, rules: ListRuleStore, *, learn: bool, sample_every: int,
              confirm_pages: int, first_run: bool) -> None:
        stats = self.spider.crawler.stats
        self.session = BrowserSession(stats)
        self._kept = KeptListRule(rules, self.spider.run_id, self._count)
        history = rules.history()
        stats.set_value(EARLIER_RUNS_FILLED, history.runs_with_lists)
        stats.set_value(FIRST_RUN, int(first_run))
        self._direct_meta = {"allow_offsite": True, LIST_REQUEST: True}
        if self.spider.args.on_loopback:
            # A replica serves its "remote" service from the same host as the site: without
            # its own slot the two would share one host's concurrency.
            self._direct_meta["download_slot"] = LIST_SLOT
        if not learn:
            return
        rule = self._kept.stored()
        self.learner = ListSourceLearner(
            rule, count=self._count, browser=self.spider.rendering,
            sample_every=sample_every, confirm_pages=confirm_pages)
        if rule is not None:
            logger.info('"Others Also Read" from the stored rule: %s', rule.describe())

    # --- a story read from its plain page ---------------------------------------------------

    def for_story(self, story: PendingStory, page_url: str, doc: HtmlElement | None = None,
                  read: ReadValues | None = None) -> Iterator[Any]:
        """The list of a story read from its plain page (served at ``page_url``; ``doc``:
        that page, parsed, when the caller has it; ``read``: its values, read with the page
        in a reading process)."""
        learner = self.learner
        if learner is None or story.raw_html is None:  # no page text to read values from
            yield from self._render(story, "fallback")
            return
        wanted = learner.rule.locators() if learner.rule is not None else None
        if read is not None and read.wanted.locators == wanted:
            page = read.values
        else:
            if read is not None:  # read in a reading process for a rule changed since
                self.spider.crawler.stats.inc_value("newscrawl/read_pool/values_read_here")
            page = read_page_values(page_url, story.raw_html, doc=doc, wanted=wanted)
        yield from self._carry_out(story, page, learner.plan(page, story.url))

    def values_wanted(self) -> ValuesWanted | None:
        """What ``for_story`` will read from the next story's page, as far as is known now
        (None: nothing), for a page read in a reading process."""
        learner = self.learner
        if learner is None or not (self.spider.rendering or self.works_without_browser):
            return None
        return ValuesWanted(learner.rule.locators() if learner.rule is not None else None)

    def _carry_out(self, story: PendingStory, page: PageValues, plan: Plan) -> Iterator[Any]:
        if plan.action == "hold":
            self._count("held")
            self._held.add(story, page)
        elif plan.action == "inline":
            self._count("inline")
            yield from self._emit(story, plan.links)
        elif (plan.action == "direct" and plan.url is not None and self.learner is not None
              and self.learner.rule is not None):
            yield ListFetch(story, self.learner.rule,
                            Request(plan.url, meta=dict(self._direct_meta), dont_filter=True))
        else:
            yield from self._render(story, plan.purpose)

    def _render(self, story: PendingStory, purpose: Purpose) -> Iterator[Any]:
        if not self.spider.rendering:  # the browser is gone: the record goes without its list
            self.note_outcome("missing")
            yield from self._emit(story, (), counted=True)
            return
        self._count(f"render/{purpose}")
        meta = rendering.render_meta(read_list=True, session=self.session,
                                     capture=self.learner is not None)
        yield Request(rebase(story.url, self.spider.args.base_url),
                      callback=self.spider.parse_rendered, errback=self.spider.render_failed,
                      meta=meta, cb_kwargs={"story": story, "purpose": purpose},
                      priority=RENDER_PRIORITY, dont_filter=True)

    # --- results -------------------------------------------------------------------------

    def rendered(self, story: PendingStory, response: Response, links: tuple[str, ...],
                 purpose: Purpose) -> Iterator[Any]:
        self._count("rendered")
        outcome = rendering.list_outcome(response.meta, links)
        self._copy_blocked()
        release = False
        page: PageValues | None = None
        if self.learner is not None:
            captured: list[CapturedResponse] = response.meta.get(CAPTURED) or []
            page = read_page_values(rebase(story.url, self.spider.args.base_url),
                                    story.raw_html or "")
            observation = Observation(page, story.url, tuple(captured), links)
            release = self.learner.rendered(observation, purpose)
            self._save_change()
        if outcome != "filled" and page is not None and story.url not in self._retried:
            # A slow or busy browser (the list's wait timed out, or went quiet before the
            # list's request answered) is no reason to publish an empty list: once more, by
            # the rule if there is one, else after waiting for it like a held story.
            self._retried.add(story.url)
            again = self._again(story, page)
            if again is not None:
                yield from again
                if release or self._held:
                    yield from self._release()
                return
        self.note_outcome(outcome)
        yield from self._emit(story, links, counted=True)
        if release:
            yield from self._release()

    def render_failed(self, story: PendingStory, purpose: Purpose,
                      browser_gone: bool) -> Iterator[Any]:
        """A render failed (timeout, crash): the rule gives the list if there is one, else
        the story waits for one like a held story (once); only then it goes without it."""
        self._copy_blocked()
        learner = self.learner
        if learner is None:
            self.note_outcome("missing")
            yield from self._emit(story, (), counted=True)
            return
        if browser_gone:
            learner.browser_lost()
        release = learner.render_failed(purpose) or browser_gone
        page = read_page_values(rebase(story.url, self.spider.args.base_url),
                                story.raw_html or "")
        again = self._again(story, page) if story.url not in self._retried else None
        self._retried.add(story.url)
        if again is not None:
            self._count("render_failed/again")
            yield from again
            release = True
        else:
            self.note_outcome("missing")
            yield from self._emit(story, (), counted=True)
        if release:
            yield from self._release()

    def _again(self, story: PendingStory, page: PageValues) -> Iterator[Any] | None:
        """A story's list tried once more: by the rule, or held until there is one; None
        when neither can be (the browser is gone and there is no rule)."""
        learner = self.learner
        if learner is None:
            return None
        if learner.rule is not None:
            known = learner.plan_with_rule(learner.rule, page, story.url)
            if known is not None:
                self._count("again/by_rule")
                return self._carry_out(story, page, known)
        if not learner.learning and not (learner.gave_up and self.spider.rendering):
            return None
        self._count("again/held")
        self._held.add(story, page)
        return iter(())

    def direct(self, story: PendingStory, response: Response, rule: ListRule) -> Iterator[Any]:
        body = response.text if isinstance(response, TextResponse) else ""
        links = rule.links_from_body(body, story.url)
        if links is None:
            yield from self.direct_failed(story, "unreadable", rule)
            return
        if not links:
            # An empty list may be the story's, or the rule's fault: the browser decides.
            self._count("direct_empty")
            self._retried.add(story.url)
            yield from self._render(story, "check")
            return
        self._count("direct")
        yield from self._emit(story, links)

    def direct_failed(self, story: PendingStory, reason: str, rule: ListRule) -> Iterator[Any]:
        if self.learner is not None:
            self.learner.direct_failed(reason, rule)
            self._save_change()
        yield from self._render(story, "fallback")

    def defers(self) -> bool:
        """Whether a new story request must wait for the rule: only when the stories held
        for it fill their budget (see held_stories)."""
        # render=always reads every list from its own render: nothing to wait for.
        return (self.learner is not None and self.learner.learning
                and self.spider.args.render == "auto" and self._held.full)

    def defer(self, request: Request) -> None:
        self._count("deferred")
        self._deferred.append(request)

    def _undefer(self) -> Iterator[Request]:
        while self._deferred and not self.defers():
            yield self._deferred.popleft()

    @property
    def works_without_browser(self) -> bool:
        """Whether lists can still come without the browser (a learned rule)."""
        return self.learner is not None and self.learner.rule is not None

    def spider_idle(self) -> list[Request]:
        """Held stories with nothing left in flight to release them: render them now."""
        requests: list[Request] = []
        while self._held:
            story = self._held.pop().whole()
            if self.spider.rendering:
                requests.extend(self._render(story, "fallback"))
                continue
            # The browser's loss releases every held story, so this is a safety net: a record
            # leaves a spider only from a callback, and an idle handler can send requests
            # only. One more plain fetch of the story carries it out, without its list.
            self._count("released_at_idle")
            requests.append(Request(rebase(story.url, self.spider.args.base_url),
                                    callback=self.spider.release_held,
                                    errback=self.spider.story_failed,
                                    cb_kwargs={"story": story}, dont_filter=True))
        requests.extend(self._deferred)
        self._deferred.clear()
        return requests

    def released_at_idle(self, story: PendingStory) -> Iterator[Any]:
        """A story ``spider_idle`` carried out of the hold with the browser gone."""
        yield from self._render(story, "fallback")

    def _release(self) -> Iterator[Any]:
        learner = self.learner
        while self._held and learner is not None:
            held = self._held.first()
            plan = learner.plan(held.page, held.story.url)
            if plan.action == "hold":
                break
            self._held.pop()
            yield from self._carry_out(held.whole(), held.page, plan)
        yield from self._undefer()

    def _emit(self, story: PendingStory, links: tuple[str, ...], *,
              counted: bool = False) -> Iterator[Any]:
        if not counted:
            self.note_outcome("filled" if links else "empty")
        yield from self.spider._with_list(story, links)

    def note_outcome(self, outcome: str) -> None:
        """Count a story's list outcome (render=always reads every list from its own page)."""
        self.spider.crawler.stats.inc_value(outcome_key(outcome))
        if outcome == "filled" and self._kept is not None:
            self._kept.note_filled()

    def _save_change(self) -> None:
        if self.learner is not None and self._kept is not None:
            self._kept.save(self.learner.take_change())

    def _copy_blocked(self) -> None:
        stats = self.spider.crawler.stats
        for reason, count in rendering.blocked_counts(self.spider.crawler.settings).items():
            stats.set_value(f"newscrawl/browser/blocked/{reason}", count)

    def _count(self, event: str) -> None:
        self.spider.crawler.stats.inc_value(f"{PREFIX}/{event}")
