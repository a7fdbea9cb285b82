"""``newscrawl dataset build``: compact every published run into the analysts' dataset."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Final

from newscrawl.cli_parser import usage_error
from newscrawl.config import ConfigError, NewscrawlConfig

# Like ``newscrawl run``: the CLI's data directory, handed to the crawl as NEWSCRAWL_DATA_DIR.
DEFAULT_DATA_DIR: Final = "data/aseanplus"
SHOWN_BAD_LINES: Final = 10


def default_data_dir() -> Path:
    """NEWSCRAWL_DATA_DIR (else ``DEFAULT_DATA_DIR``), read with every other setting through
    ``NewscrawlConfig``; raises ``ConfigError`` when a ``NEWSCRAWL_*`` setting is unusable."""
    return NewscrawlConfig.from_settings(os.environ).data_dir


def register(subparsers: Any) -> None:
    dataset = subparsers.add_parser("dataset", help="the analysts' dataset")
    commands = dataset.add_subparsers(dest="dataset_command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build", help="compact every run into dataset.jsonl and dataset.parquet",
    )
    build.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                       help=f"data directory (default $NEWSCRAWL_DATA_DIR or {DEFAULT_DATA_DIR})")
    build.set_defaults(func=build_command)


def build_command(args: argparse.Namespace) -> int:
    # Imported here: pyarrow is slow to load and only this command needs it.
    from newscrawl.dataset.builder import DatasetBuilder

    try:
        data_dir: Path = args.data_dir or default_data_dir()
    except ConfigError as error:
        print(f"newscrawl dataset build: error: {error}", file=sys.stderr)
        return 1
    if not data_dir.is_dir():
        # Built anyway, a mistyped directory would be created with an empty dataset in it.
        message = f"no data directory {str(data_dir)!r}"
        if args.data_dir is not None:
            return usage_error("newscrawl dataset build", f"--data-dir: {message}")
        print(f"newscrawl dataset build: error: {message} (no crawl has run yet?)",
              file=sys.stderr)
        return 1
    try:
        report = DatasetBuilder(data_dir).build()
    except OSError as error:
        print(f"newscrawl dataset build: error: {error}", file=sys.stderr)
        return 1
    print(f"{report.jsonl_path}, {report.parquet_path}: {report.summary()}")
    for bad in report.bad_lines[:SHOWN_BAD_LINES]:
        print(f"  skipped {bad.file}:{bad.line}: {bad.reason}", file=sys.stderr)
    if len(report.bad_lines) > SHOWN_BAD_LINES:
        print(f"  … and {len(report.bad_lines) - SHOWN_BAD_LINES} more", file=sys.stderr)
    return 0
