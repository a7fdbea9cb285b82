"""The pending-stories check: a run that leaves stories unpublished says so.

Healthy only when every story the run leaves pending (fetch failed, or not reached) was first
met in this run, no more than ``NEWSCRAWL_MAX_NEW_PENDING`` of them, and no story was given up
by this run. A story still pending from an earlier run, or one given up, is a loss in the
making and fails the check. Pages pending because they were quarantined are reported by the
quarantine feed, not here (see ``newscrawl.state.pending``).
"""

from __future__ import annotations

from newscrawl.monitors.checks import NewscrawlMonitor, named
from newscrawl.state import pending


@named("pending")
class PendingMonitor(NewscrawlMonitor):
    def pending(self, key: str) -> int:
        """A count ``PendingStoriesExtension`` left; skips when the spider keeps no pending
        stories (another spider)."""
        if self.stats.get(pending.LEFT) is None:
            self.skipTest("the spider keeps no pending stories")
        return self.count(key)

    @named("carried-over")
    def test_nothing_pending_from_earlier_runs(self) -> None:
        old = self.pending(pending.LEFT_OLD)
        self.assertEqual(old, 0, f"{old} stories still pending from earlier runs "
                                 f"({self.count(pending.GIVEN_UP)} given up in all)")

    @named("new")
    def test_few_new_pending(self) -> None:
        new, limit = self.pending(pending.LEFT_NEW), self.config.max_new_pending
        self.assertLessEqual(new, limit, f"{new} stories of this run left pending "
                                         f"(maximum {limit})")

    @named("given-up")
    def test_none_given_up(self) -> None:
        gave_up = self.pending(pending.GAVE_UP)
        self.assertEqual(gave_up, 0, f"{gave_up} stories given up by this run "
                                     "(newscrawl state stats lists them)")
