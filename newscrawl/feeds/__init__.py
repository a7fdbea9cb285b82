"""Feed files that readers can trust: written under a hidden name, published whole or not at all.

The Scrapy feed storage is ``newscrawl.feeds.storage.AtomicFileFeedStorage``; this package's
top level is plain Python, so that ``newscrawl run``'s parent process does not load Scrapy.
"""

from newscrawl.feeds.files import PartFile, storage_error, sweep_stale_parts, write_atomically

__all__ = ["PartFile", "storage_error", "sweep_stale_parts", "write_atomically"]
