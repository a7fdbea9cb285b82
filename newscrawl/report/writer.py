"""``write_report``: read a data directory and write its report atomically."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newscrawl.data_layout import DataLayout
from newscrawl.feeds import write_atomically
from newscrawl.report.dataset_view import DatasetView
from newscrawl.report.history import RunHistory
from newscrawl.report.page import render_report


def write_report(data_dir: Path, output: Path | None = None,
                 now: datetime | None = None) -> Path:
    """Write the report of ``data_dir`` to ``output`` (default ``<data_dir>/report.html``).

    Raises ``NotADirectoryError`` when ``data_dir`` is not a directory (a mistyped path must
    not pass for a data directory without runs) and ``OSError`` when the file cannot be written.
    """
    if not data_dir.is_dir():
        raise NotADirectoryError(f"{data_dir} is not a data directory")
    text = render_report(RunHistory.load(data_dir), DatasetView.load(data_dir),
                         now or datetime.now(UTC))
    target = output or DataLayout(data_dir).report
    return write_atomically(target, lambda temp: temp.write_text(text, encoding="utf-8"))
