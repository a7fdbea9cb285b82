"""The argument parser of every ``newscrawl`` command, and what a usage error exits with.

argparse exits 2 on a usage error, but for ``newscrawl run`` 2 means "degraded" (the crawl ran
and a monitor alarmed): cron and systemd could not tell a typo from a bad crawl. Usage errors
exit 64 instead, ``EX_USAGE`` of BSD's sysexits.h, the conventional code for "the command was
used incorrectly", which no run outcome uses.
"""

from __future__ import annotations

import argparse
import sys
from typing import Final, NoReturn

EX_USAGE: Final = 64


class UsageParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` (and, through ``add_subparsers``, sub-parsers) whose usage errors
    print the usage and one line, and exit ``EX_USAGE``."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EX_USAGE, f"{self.prog}: error: {message}\n")


def usage_error(prog: str, message: str) -> int:
    """Say what is wrong with the command line in one line; the exit code to return."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    return EX_USAGE
