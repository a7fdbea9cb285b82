"""The ``newscrawl`` console script. Each command group lives with the code it drives and
registers itself here, so this module stays a table of contents."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Final

from newscrawl import __version__
from newscrawl.cli_parser import EX_USAGE, UsageParser

# (command, module): the module has ``register(subparsers)`` that adds its parser and sets
# ``func`` on it. Imported lazily so ``newscrawl replica serve`` does not load Scrapy.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("run", "newscrawl.runner.command"),
    ("parse", "newscrawl.inspection.command"),
    ("dataset", "newscrawl.dataset.command"),
    ("state", "newscrawl.state.command"),
    ("report", "newscrawl.report.command"),
    ("replica", "newscrawl.replica.command"),
)

DESCRIPTION: Final = """\
Keep a clean, current dataset of The Star's Aseanplus News section.
Other sections of the site too: newscrawl run --section news/nation (see the README).

  newscrawl run --base-url http://127.0.0.1:8080   crawl (here: a replica), publish, rebuild
  newscrawl parse URL|FILE                         what the crawl makes of one page
  newscrawl dataset build                          compact every run into the dataset
  newscrawl state stats                            what the crawl remembers between runs
  newscrawl report                                 one HTML page of the runs, to look at
  newscrawl replica serve --port 8080              serve the replica of the site

Run `newscrawl COMMAND --help` for a command's options. The crawl itself is also
`scrapy crawl aseanplus`, or `scrapy crawl thestar -a section=KEY[,KEY...]` (see the
README)."""

EPILOG: Final = f"""\
exit codes: 0 healthy, 1 failed, 2 degraded (newscrawl run: data published, a monitor
alarmed), 3 locked out (another run holds the lock), {EX_USAGE} usage error (bad option or
argument; not argparse's 2, which would read as "degraded").
Data lives in $NEWSCRAWL_DATA_DIR (default data/aseanplus), state in $NEWSCRAWL_STATE
(default <data dir>/state.sqlite)."""


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(prog="newscrawl", description=DESCRIPTION, epilog=EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for _name, module in COMMANDS:
        import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
