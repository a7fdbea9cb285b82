"""Scrapy spiders of the project (``SPIDER_MODULES``): ``aseanplus`` and the typed parts it uses."""
