"""The ``newscrawl`` console script. Each command group lives with the code it drives and
registers itself here, so this module stays a table of contents."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

# (command, module): the module has ``register(subparsers)`` that adds its parser and sets
# ``func`` on it. Imported lazily so ``newscrawl replica serve`` does not load Scrapy.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("replica", "newscrawl.replica.command"),
    ("run", "newscrawl.runner.command"),
    ("dataset", "newscrawl.dataset.command"),
    ("state", "newscrawl.state.command"),
    ("report", "newscrawl.report.command"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
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
