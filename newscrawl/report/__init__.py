"""``newscrawl report``: one self-contained HTML page that shows how the runs went.

Read from the run manifests, the quarantine feeds and the dataset of a data directory; written
as ``report.html`` beside them (``newscrawl run`` refreshes it after every run). See
``RunHistory`` for what is read, ``page`` for what is shown, ``writer.write_report`` for the
entry point (not imported here: it loads pyarrow, which ``newscrawl run``'s parent needs only
once the crawl has ended).
"""
