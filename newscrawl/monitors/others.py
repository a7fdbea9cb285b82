"""The "Others Also Read" monitor: lists that stopped coming are a broken run, not a quiet one.

Every story's list is counted once by outcome (``newscrawl.others.outcomes``), whether it came
from the browser, a direct request or the page. The run is degraded when most lists are empty
or missing while earlier runs saw filled ones, or, on the first run, when no list at all was
filled: the list's source moved, is blocked, or the browser cannot reach it.
"""

from __future__ import annotations

from typing import Final

from newscrawl.monitors.checks import NewscrawlMonitor, named
from newscrawl.others.outcomes import EARLIER_RUNS_FILLED, FIRST_RUN, outcome_key

# Fewer lists than this say nothing about the source (a run of two new stories).
MIN_LISTS: Final = 5
MAX_EMPTY_SHARE: Final = 0.5


@named("others-also-read")
class OthersAlsoReadMonitor(NewscrawlMonitor):
    @named("empty")
    def test_lists_not_empty(self) -> None:
        filled = self.count(outcome_key("filled"))
        empty = self.count(outcome_key("empty")) + self.count(outcome_key("missing"))
        total = filled + empty + self.count(outcome_key("timeout"))
        if total < MIN_LISTS:
            self.skipTest(f"{total} lists read in this run, {MIN_LISTS} needed to judge")
        if self.count(EARLIER_RUNS_FILLED) > 0:
            share = empty / total
            self.assertLessEqual(
                share, MAX_EMPTY_SHARE,
                f"{empty} of {total} lists empty or missing ({share:.0%}) while earlier runs "
                "filled them: has the list's source moved or been blocked?")
        elif self.count(FIRST_RUN):
            self.assertGreater(filled, 0, f"all {total} lists empty or missing on the first run")
        else:
            self.skipTest("no earlier run saw a filled list: the site may show none")
