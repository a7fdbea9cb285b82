"""``newscrawl parse``: what the crawl makes of one page, read by the crawler's own parts."""
