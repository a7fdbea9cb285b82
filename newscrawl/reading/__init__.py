"""A story page read whole in one call (``story_read``), so that it can be read in another
process (``NEWSCRAWL_READ_PROCESSES``): pure, like the page classes it calls (no Scrapy, no
engine); above ``pages`` and ``others`` because it reads both a story and its page values."""
