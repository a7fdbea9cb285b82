""""Others Also Read" without a browser: learn where the list's data comes from, then fetch it.

Pure modules (no Scrapy, no browser): ``page_values`` (what a page offers a script),
``links`` (where links sit in a payload), ``rule`` (a learned rule, applied and stored),
``inference`` (rules from one rendered page), ``learner`` (the run's policy: learn, use,
check, drop), ``defaults`` (the learner's tunings that are settings).
``newscrawl.spiders.others_list`` glues them to the spider.
"""
