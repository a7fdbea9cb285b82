"""``newscrawl dataset build``: compact every published run into the analysts' dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from newscrawl.cli_parser import usage_error
from newscrawl.config import DEFAULT_DATA_DIR, ConfigError, default_data_dir

SHOWN_BAD_LINES: Final = 10


def existing_data_dir(explicit: Path | None, prog: str) -> Path | int:
    """``--data-dir`` (else the configured one) when it is a directory; otherwise say why in one
    line and return the exit code: a usage error for a mistyped ``--data-dir``, 1 for a bad
    setting or a default directory that no crawl has made yet."""
    try:
        data_dir: Path = explicit or default_data_dir()
    except ConfigError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return 1
    if data_dir.is_dir():
        return data_dir
    message = f"no data directory {str(data_dir)!r}"
    if explicit is not None:
        return usage_error(prog, f"--data-dir: {message}")
    print(f"{prog}: error: {message} (no crawl has run yet?)", file=sys.stderr)
    return 1


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

    # Built anyway, a mistyped directory would be created with an empty dataset in it.
    data_dir = existing_data_dir(args.data_dir, "newscrawl dataset build")
    if isinstance(data_dir, int):
        return data_dir
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
