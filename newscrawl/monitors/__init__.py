"""End-of-crawl health checks (spidermon) and the counts they read.

Enabled by settings: ``SPIDERMON_ENABLED``, ``SPIDERMON_SPIDER_CLOSE_MONITORS`` naming
``newscrawl.monitors.suite.CrawlHealthMonitorSuite``, and ``StoryTallyExtension`` in
``EXTENSIONS``. Their verdict reaches the manifest and the exit code of ``newscrawl run``.
"""
