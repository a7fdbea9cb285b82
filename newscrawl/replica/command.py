"""``newscrawl replica serve``: run the replica site until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from newscrawl.cli_parser import EX_USAGE
from newscrawl.replica.content import DEFAULT_DATA_DIR, load_site
from newscrawl.replica.faults import HELP, SCOPES, FaultPlan, FaultSpecError
from newscrawl.replica.others_source import OTHERS_SOURCES
from newscrawl.replica.server import ReplicaServer
from newscrawl.replica.site import SiteDataError
from newscrawl.replica.synthetic import synthetic_site


def register(subparsers: Any) -> None:
    """Add ``replica serve`` to the ``newscrawl`` parser."""
    replica = subparsers.add_parser("replica", help="the replica of the site, for tests and demos")
    commands = replica.add_subparsers(dest="replica_command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the replica on 127.0.0.1 until stopped")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, help="port (default 0: a free port)")
    source = serve.add_mutually_exclusive_group()
    source.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help=f"replica data directory (default {DEFAULT_DATA_DIR})")
    source.add_argument("--articles", type=_count, default=None, metavar="N",
                        help="serve a synthetic site of N articles instead of the data files")
    serve.add_argument("--seed", type=int, default=1, help="seed of the synthetic site (default 1)")
    serve.add_argument("--fault", action="append", default=[], metavar="KIND=RATE[:PARAM]",
                       help=HELP)
    serve.add_argument("--fault-seed", type=int, default=0, help="seed of the fault draws")
    serve.add_argument("--fault-scope", choices=SCOPES, default="articles",
                       help="which responses faults hit: article pages, their continuations "
                            "and the list service (default), also listing pages and RSS "
                            "(pages), or only the continuations of long stories (readmore)")
    serve.add_argument("--others-source", choices=OTHERS_SOURCES, default="api",
                       help='how pages deliver the "Others Also Read" list: api (JSON from the '
                            "page's host, default), remote (a recommendation service on a "
                            "second port, keyed by the parse.ly guid), inline (data in the page)")
    serve.set_defaults(func=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    def fail(message: str) -> int:
        print(f"newscrawl replica serve: error: {message}", file=sys.stderr)
        return EX_USAGE

    try:
        faults = FaultPlan.parse(args.fault, seed=args.fault_seed, scope=args.fault_scope)
    except FaultSpecError as exc:
        return fail(f"--fault {exc}")
    if args.articles is not None:
        site = synthetic_site(args.articles, args.seed)
    else:
        try:
            site = load_site(args.data)
        except SiteDataError as exc:
            return fail(str(exc))
    server = ReplicaServer(site, faults, host=args.host, port=args.port,
                           others_source=args.others_source)
    try:
        server.start()
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print(f"serving {server.section_url} ({len(site)} articles)", flush=True)
        if server.service is not None:
            print(f"recommendation service at {server.service.origin}", flush=True)
        if faults.active:
            print(f"replica: {faults.describe()}", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of articles")
    return int(text)
