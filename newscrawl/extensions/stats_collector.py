"""The crawl's stats collector: Scrapy's in-memory one, with plain attribute access.

Scrapy 2.19's ``StatsCollector.__getattribute__`` wraps every public method to warn about the
deprecated ``spider`` argument, and looks for a cached wrapper on *every* attribute access,
its own ``_stats`` included, which raises and catches an AttributeError each time. A crawl
calls ``inc_value`` some 50 times a story (tallies, link admissions, pipelines): that cost
~5 µs a call, more than the dict update itself. Nothing in this project passes ``spider``;
a caller that still does is served as before, only without the deprecation warning.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class DirectStatsCollector(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
