"""When a story's list comes from the browser, from a plain request, or from its own HTML.

``ListSourceLearner`` is the run's policy, pure (no Scrapy, no browser): it sees each story's
page values and answers with a ``Plan``; it is told what each render, check and direct fetch
gave. Without a rule it renders a few stories at a time to learn one and asks to *hold* the
others until a rule is confirmed on ``confirm_pages`` pages (or learning gives up: then every
story is rendered, as before). With a rule, one story in ``sample_every`` is rendered anyway
and compared (stretching to one in 4 x ``sample_every`` while the rule lasts); a rule that
disagrees, cannot be built or whose fetch fails is dropped and learned again. ``count``
receives the name of every event (the spider counts them in stats).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from newscrawl.others.defaults import DEFAULT_CONFIRM_PAGES, DEFAULT_SAMPLE_EVERY
from newscrawl.others.inference import Candidate, Observation, candidates, narrow
from newscrawl.others.page_values import PageValues
from newscrawl.others.rule import ListRule

Action = Literal["inline", "direct", "render", "hold"]
# Why a story is rendered: to learn, to check the rule, because there is no usable rule, or
# because its direct fetch failed or came back empty.
Purpose = Literal["learn", "check", "fallback"]
# Rendered pages with a filled list that may pass without a rule before learning gives up.
DEFAULT_LEARN_BUDGET: Final = 12
# Rules dropped in one run before the run stops learning and renders every story.
DEFAULT_MAX_DROPS: Final = 4
# Each check doubles the distance to the next, up to this many times ``sample_every``: a rule
# that keeps agreeing costs fewer renders (one that disagrees is dropped, and a new rule is
# checked closely again). A moved endpoint shows sooner still, as failed direct fetches. At 8
# (1 in 400), a 2,000-story run makes 6 checks instead of 10: each render costs ~0.7 CPU-s of
# Chromium, as much as ~60 plain stories on a machine whose cores are busy.
MAX_SAMPLE_STRETCH: Final = 8


@dataclass(frozen=True, slots=True)
class Plan:
    action: Action
    purpose: Purpose = "fallback"
    url: str | None = None  # "direct": the list's request
    links: tuple[str, ...] = ()  # "inline": the list, read from the page


@dataclass(frozen=True, slots=True)
class RuleChange:
    """What the store must remember: the new rule, or None to forget the stored one."""

    rule: ListRule | None


class ListSourceLearner:
    def __init__(self, rule: ListRule | None = None, *, count: Callable[[str], None],
                 browser: bool = True, confirm_pages: int = DEFAULT_CONFIRM_PAGES,
                 sample_every: int = DEFAULT_SAMPLE_EVERY,
                 learn_parallel: int | None = None,
                 learn_budget: int = DEFAULT_LEARN_BUDGET,
                 max_drops: int = DEFAULT_MAX_DROPS) -> None:
        self.rule = rule
        self._count = count
        self.browser = browser
        self.confirm_pages = confirm_pages
        self.sample_every = sample_every
        # Learning renders in flight: by default as many as confirm a rule, so none is wasted
        # when the first pages agree (4 with 3 to confirm rendered 6 pages to learn, 2 for
        # nothing); one that fails or disagrees is replaced as it answers.
        self.learn_parallel = learn_parallel or confirm_pages
        self.learn_budget = learn_budget
        self.max_drops = max_drops
        # A rule from an earlier run is used at once, and checked on the first story.
        self._check_next = rule is not None
        self._since_sample = 0
        self._interval = sample_every
        self._learning = 0  # "learn" renders in flight
        self._evidence = 0  # pages with a filled list seen without a rule
        self._renders_without_rule = 0
        self._drops = 0
        self._candidates: list[Candidate] = []
        self.gave_up = False
        self._change: RuleChange | None = None
        if rule is not None:
            count("stored_rule")

    @property
    def learning(self) -> bool:
        """No rule yet, and renders may still find one."""
        return self.rule is None and not self.gave_up and self.browser

    # --- deciding ----------------------------------------------------------------------

    def plan(self, page: PageValues, base: str) -> Plan:
        """What to do for the story whose page (as served) gave ``page``."""
        rule = self.rule
        if rule is not None:
            known = self._apply(rule, page, base)
            if known is not None:
                self._since_sample += 1
                if self.browser and (self._check_next or
                                     self._since_sample >= self._interval):
                    self._check_next = False
                    self._since_sample = 0
                    # Stretched when the check is sent, not when it answers: after learning,
                    # hundreds of held stories are planned before any check comes back.
                    self._interval = min(2 * self._interval,
                                         MAX_SAMPLE_STRETCH * self.sample_every)
                    return Plan("render", "check")
                return known
        if self.gave_up or not self.browser:
            return Plan("render", "fallback")
        if self._learning < self.learn_parallel:
            self._learning += 1
            return Plan("render", "learn")
        return Plan("hold", "learn")

    def plan_with_rule(self, rule: ListRule, page: PageValues, base: str) -> Plan | None:
        """The rule's own plan for a story (inline or direct, no sampling); None: unusable."""
        return self._apply(rule, page, base) if rule == self.rule else None

    def _apply(self, rule: ListRule, page: PageValues, base: str) -> Plan | None:
        if rule.kind == "inline":
            links = rule.links_from_page(page, base)
            if links is None:
                self._drop("inline_missing")
                return None
            return Plan("inline", links=links)
        url = rule.request_url(page)
        if url is None:
            self._drop("unbuildable")
            return None
        return Plan("direct", url=url)

    # --- what happened -------------------------------------------------------------------

    def rendered(self, observation: Observation, purpose: Purpose) -> bool:
        """A render of ``purpose`` finished; True when held stories may be planned again."""
        if purpose == "learn":
            self._learning -= 1
        rule = self.rule
        if rule is not None and purpose == "check":
            verdict = self._compare(rule, observation)
            self._count(f"check/{verdict}")
            if verdict == "disagree":
                self._count("disagree")
                self._drop("disagree")
        if self.rule is None and not self.gave_up:
            return self._learn(observation) or purpose == "learn"
        return purpose == "learn"

    def render_failed(self, purpose: Purpose) -> bool:
        """A render of ``purpose`` failed; True when held stories may be planned again."""
        if purpose == "learn":
            self._learning -= 1
        return purpose == "learn"

    def direct_failed(self, reason: str, rule: ListRule) -> None:
        """The plain request ``rule`` made for a list failed (after retries): the rule is not
        trusted. A request of a rule already replaced says nothing about the new one."""
        self._count(f"direct_failed/{reason}")
        if rule == self.rule:
            self._drop("direct_failed")

    def browser_lost(self) -> None:
        """The browser is gone for this run: no more learning or checks."""
        self.browser = False

    def take_change(self) -> RuleChange | None:
        """The rule change not yet saved, if any (then it counts as saved)."""
        change, self._change = self._change, None
        return change

    # --- internals -----------------------------------------------------------------------

    def _compare(self, rule: ListRule, observation: Observation) -> str:
        if rule.kind == "inline":
            predicted = rule.links_from_page(observation.page, observation.base)
            return "agree" if predicted == observation.rendered else "disagree"
        for response in observation.responses:
            if rule.same_request(observation.page, response.url):
                if response.status != 200:
                    return "inconclusive"  # the service failed the browser, not the rule
                predicted = rule.links_from_body(response.body, observation.base)
                return "agree" if predicted == observation.rendered else "disagree"
        # The page did not ask for what the rule would. If another response explains the
        # list, the site moved it; if none does (an empty list, a body not captured in time),
        # this page proves nothing.
        return "disagree" if candidates(observation) else "inconclusive"

    def _learn(self, observation: Observation) -> bool:
        self._renders_without_rule += 1
        found = candidates(observation)
        if observation.rendered:
            self._evidence += 1
        self._candidates = narrow(self._candidates, found)
        confirmed = [c for c in self._candidates if c.pages >= self.confirm_pages]
        if confirmed:
            # Inline data needs no request: preferred when both explain the list.
            best = min(confirmed, key=lambda c: (c.kind != "inline", -c.pages))
            self.rule = best.to_rule()
            self._candidates = []
            self._evidence = self._renders_without_rule = 0
            self._since_sample = 0
            self._interval = self.sample_every
            self._change = RuleChange(self.rule)
            self._count("learned")
            return True
        if self._evidence >= self.learn_budget or \
                self._renders_without_rule >= 3 * self.learn_budget:
            self.gave_up = True
            self._count("unlearnable")
            return True
        return False

    def _drop(self, reason: str) -> None:
        if self.rule is None:
            return
        self.rule = None
        self._drops += 1
        self._candidates = []
        self._evidence = self._renders_without_rule = 0
        self._check_next = False
        self._change = RuleChange(None)
        self._count(f"dropped/{reason}")
        if self._drops >= self.max_drops:
            self.gave_up = True
            self._count("unlearnable")
