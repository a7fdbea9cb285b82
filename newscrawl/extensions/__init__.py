"""Scrapy extensions of the project (enabled in ``newscrawl.settings``)."""
