"""What a run is and leaves behind, as plain values: its id, its manifest, the monitors' verdict,
the exit code judged from them, and the lock that keeps runs apart.

Low in the layers: the crawl (spiders, state, monitors) writes these and ``newscrawl run`` and
``newscrawl report`` read them, so nothing here loads Scrapy's engine, spidermon or a browser.
"""
