"""End-of-crawl health checks (spidermon) and the counts they read.

Enabled by settings: ``SPIDERMON_ENABLED``, ``SPIDERMON_SPIDER_CLOSE_MONITORS`` naming
``newscrawl.monitors.suite.CrawlHealthMonitorSuite``, and ``StoryTallyExtension`` in
``EXTENSIONS``. Their verdict reaches the manifest and the exit code of ``newscrawl run``.
"""

import warnings

# spidermon 1.27 reports through Spider.log(), which Scrapy 2.19 deprecates: one warning per
# run that no user can act on. Narrowly silenced until spidermon moves to Spider.logger.
warnings.filterwarnings(
    "ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\..*"
)
