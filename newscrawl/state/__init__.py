"""What the crawl remembers between runs: the state store and its commit-on-feed-stored contract.

``store`` (the interface), ``sqlite_store`` (the default backend), ``crawl`` (one crawl's shared
state), ``commit`` (``StateCommitExtension``), ``command`` (``newscrawl state``). Nothing is
imported here, so ``newscrawl state`` does not load Scrapy.
"""
