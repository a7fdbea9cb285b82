"""``newscrawl report``: one self-contained HTML page that shows how the runs went.

Read from the run manifests, the quarantine feeds and the dataset of a data directory; written
as ``report.html`` beside them (``newscrawl run`` refreshes it after every run). See
``RunHistory`` for what is read, ``page`` for what is shown.
"""

from __future__ import annotations

from newscrawl.report.writer import REPORT_NAME, write_report

__all__ = ["REPORT_NAME", "write_report"]
