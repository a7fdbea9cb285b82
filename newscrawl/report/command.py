"""``newscrawl report``: write the HTML report of a data directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newscrawl.config import DEFAULT_DATA_DIR
from newscrawl.dataset.command import existing_data_dir


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report", help="write report.html: runs, stories, coverage, alarms, quarantine",
        description="Write one self-contained HTML file (it opens offline) from the run "
                    "manifests, the quarantine feeds and the dataset of a data directory. "
                    "`newscrawl run` refreshes it after every run.",
    )
    report.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help=f"data directory (default $NEWSCRAWL_DATA_DIR or {DEFAULT_DATA_DIR})")
    report.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="where to write the report (default DIR/report.html)")
    report.set_defaults(func=report_command)


def report_command(args: argparse.Namespace) -> int:
    # Imported here: plotly is slow to load and only this command (and a run) needs it.
    from newscrawl.report.writer import write_report

    data_dir = existing_data_dir(args.data_dir, "newscrawl report")
    if isinstance(data_dir, int):
        return data_dir
    try:
        path = write_report(data_dir, args.output)
    except OSError as error:
        print(f"newscrawl report: error: {error}", file=sys.stderr)
        return 1
    print(f"report: {path}")
    return 0
