"""Many workers, one crawl: scrapy-redis's scheduler and dupefilter with what they lack added on
top (leases, heartbeats, finishing together, one politeness budget, per-run keys).

``NEWSCRAWL_REDIS_URL`` (or ``newscrawl run --workers N --redis URL``) switches a crawl to it;
without it nothing here is loaded and the crawl is the single-process one.
"""
