"""Scrapy commands of the project (``COMMANDS_MODULE``): ``crawl`` and ``parse`` as Scrapy's,
with the ``aseanplus`` spider's ``-a`` arguments checked before Scrapy starts up."""
