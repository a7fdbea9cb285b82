"""What the crawl remembers between runs: the state store and its commit-on-feed-stored contract.

``store`` (the interface), ``sqlite_store`` (the default backend), ``redis_store`` (the shared
backend of a distributed crawl, chosen by a ``redis://`` NEWSCRAWL_STATE), ``crawl`` (one crawl's
shared state), ``commit`` (``StateCommitExtension``), ``command`` (``newscrawl state``). Nothing is
imported here, so ``newscrawl state`` does not load Scrapy.
"""
