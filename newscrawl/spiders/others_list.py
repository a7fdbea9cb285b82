"""How the spider gets each story's "Others Also Read" list: glue around ``ListSourceLearner``.

For each story read from its plain page, the learner says: read the list from the page
(inline data), fetch it with a plain request (a learned rule), render the page (to learn, to
check, or because nothing else works), or hold the story until a rule is learned. This module
turns that into Scrapy requests with the spider's callbacks, counts everything under
``newscrawl/others/…`` and keeps the learned rule in the state store.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
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
from newscrawl.others.rule import ListRule, RuleFormatError
from newscrawl.spiders.held_stories import HeldStories
from newscrawl.state.list_rules import ListRuleStore, StoredListRule
from newscrawl.urls import rebase

if TYPE_CHECKING:
    from newscrawl.spiders.thestar import PendingStory, TheStarSpider

logger = logging.getLogger(__name__)

# List requests go before new pages, so held stories leave memory early; renders (a few to
# learn, a sampled check now and then) before list requests: Scrapy's queue is last in, first
# out within a priority, so a render queued among the stream of list requests would wait for
# it to dry up. (That alone did not make checks come back mid-run: Playwright's own event loop
# did, see rendering.THREADED_LOOP.)
LIST_PRIORITY: Final = 10
RENDER_PRIORITY: Final = 20
LIST_SLOT: Final = "others-list"


class OthersLists:
    """One per spider; ``start`` once the crawl's stats and state exist. ``held`` bounds the
    stories held while learning (default: the production budget of ``held_stories``)."""

    def __init__(self, spider: TheStarSpider, held: HeldStories | None = None) -> None:
        self.spider = spider
        self.learner: ListSourceLearner | None = None
        self.session: BrowserSession | None = None
        self._rules: ListRuleStore | None = None
        # While the rule is learned the plain crawl goes on at full speed; the stories read
        # meanwhile wait here, compressed and within a byte budget (see held_stories).
        self._held = held if held is not None else HeldStories()
        # Stories whose render failed once (each gets one more try).
        self._retried: set[str] = set()
        self._deferred: deque[Request] = deque()
        self._noted_filled = False
        self._direct_meta: dict[str, Any] = {}

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
        self._rules = rules
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
        rule = self._stored_rule(rules)
        self.learner = ListSourceLearner(
            rule, count=self._count, browser=self.spider.rendering,
            sample_every=sample_every, confirm_pages=confirm_pages)
        if rule is not None:
            logger.info('"Others Also Read" from the stored rule: %s', rule.describe())

    def _stored_rule(self, rules: ListRuleStore) -> ListRule | None:
        stored = rules.rule()
        if stored is None:
            return None
        try:
            return ListRule.from_json(stored.rule)
        except RuleFormatError as error:
            self._count("stored_rule_unreadable")
            logger.warning("stored list rule ignored (%s): learning it again", error)
            return None

    # --- a story read from its plain page ---------------------------------------------------

    def for_story(self, story: PendingStory, page_url: str,
                  doc: HtmlElement | None = None) -> Iterator[Any]:
        """The list of a story read from its plain page (served at ``page_url``; ``doc``:
        that page, parsed, when the caller has it)."""
        learner = self.learner
        if learner is None or story.raw_html is None:  # no page text to read values from
            yield from self._render(story, "fallback")
            return
        wanted = learner.rule.locators() if learner.rule is not None else None
        page = read_page_values(page_url, story.raw_html, doc=doc, wanted=wanted)
        yield from self._carry_out(story, page, learner.plan(page, story.url))

    def _carry_out(self, story: PendingStory, page: PageValues, plan: Plan) -> Iterator[Any]:
        if plan.action == "hold":
            self._count("held")
            self._held.add(story, page)
        elif plan.action == "inline":
            self._count("inline")
            yield from self._emit(story, plan.links)
        elif plan.action == "direct" and plan.url is not None and self.learner is not None:
            rule = self.learner.rule
            self.spider.origins.add_list_service(plan.url)
            yield Request(plan.url, callback=self.spider.parse_others_direct,
                          errback=self.spider.others_direct_failed,
                          cb_kwargs={"story": story, "rule": rule},
                          meta=dict(self._direct_meta),
                          priority=LIST_PRIORITY, dont_filter=True)
        else:
            yield from self._render(story, plan.purpose)

    def _render(self, story: PendingStory, purpose: Purpose) -> Iterator[Any]:
        if not self.spider.rendering:  # the browser is gone: the record goes without its list
            self._note_outcome("missing")
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
        self._note_outcome(outcome)
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
            self._note_outcome("missing")
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
            self._note_outcome("missing")
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
            requests.extend(r for r in self._render(story, "fallback") if isinstance(r, Request))
        requests.extend(self._deferred)
        self._deferred.clear()
        return requests

    # --- internals -----------------------------------------------------------------------

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
            self._note_outcome("filled" if links else "empty")
        yield from self.spider._with_list(story, links)

    def note_outcome(self, outcome: str) -> None:
        """Count a list read elsewhere (render=always renders every page itself)."""
        self._note_outcome(outcome)

    def _note_outcome(self, outcome: str) -> None:
        self.spider.crawler.stats.inc_value(outcome_key(outcome))
        if outcome == "filled" and not self._noted_filled and self._rules is not None:
            self._noted_filled = True
            self._rules.note_filled(self.spider.run_id, datetime.now(UTC).isoformat())

    def _save_change(self) -> None:
        change = self.learner.take_change() if self.learner is not None else None
        if change is None or self._rules is None:
            return
        if change.rule is None:
            self._rules.forget_rule()
            logger.info('"Others Also Read" rule dropped: rendering until it is learned again')
            return
        self._rules.save_rule(StoredListRule(
            change.rule.to_json(), change.rule.describe(), self.spider.run_id,
            datetime.now(UTC).isoformat()))
        logger.info('"Others Also Read" rule learned: %s', change.rule.describe())

    def _copy_blocked(self) -> None:
        stats = self.spider.crawler.stats
        for reason, count in rendering.blocked_counts(self.spider.crawler.settings).items():
            stats.set_value(f"newscrawl/browser/blocked/{reason}", count)

    def _count(self, event: str) -> None:
        self.spider.crawler.stats.inc_value(f"{PREFIX}/{event}")
