"""``newscrawl parse URL|FILE [--render]``: what the crawl makes of one page.

Prints the record the crawl would publish (JSON), which layout read it, where every field came
from, the links it would follow by block, and why it would be quarantined or skipped. A URL of
a replica (any origin other than the site's) is read as the same path on the real site, like
``base_url`` in the crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from newscrawl.cli_parser import usage_error
from newscrawl.config import ConfigError, NewscrawlConfig

PROG: Final = "newscrawl parse"
# Exit codes: the page would be published (0), quarantined or skipped (1), could not be had (1).
PUBLISHED: Final = 0
NOT_PUBLISHED: Final = 1


def register(subparsers: Any) -> None:
    parse = subparsers.add_parser(
        "parse", help="show what the crawl makes of one page (URL or saved file)",
        description="Fetch (or read) one page and show what the crawl makes of it: the record "
                    "it would publish, the layout that read it, each field's source, the links "
                    "it would follow by block, and why it would be quarantined. Exit 0 when the "
                    "page would be published, 1 when not (or it could not be had), 64 on a "
                    "usage error.",
    )
    parse.add_argument("page", metavar="URL|FILE",
                       help="a page URL (the site or a replica) or a saved HTML file")
    parse.add_argument("--render", action="store_true",
                       help='render the page in Chromium first, as the crawl does to read '
                            '"Others Also Read"')
    parse.add_argument("--url", default=None, metavar="URL",
                       help="for a FILE: its URL on the site (default: the page's canonical "
                            "link or og:url)")
    parse.add_argument("--json", action="store_true",
                       help="print the whole report as one JSON object")
    parse.set_defaults(func=parse_command)


def parse_command(args: argparse.Namespace) -> int:
    # Imported here: the other commands must not load Scrapy and lxml to register.
    from newscrawl.inspection.fetch import FetchError, fetch_plain, fetch_rendered, read_file
    from newscrawl.inspection.report import inspect_page
    from newscrawl.inspection.text import render_text
    from newscrawl.pages.document import declared_url
    from newscrawl.urls import canonical_url, is_site_url, unbase

    target: str = args.page
    is_url = urlsplit(target).scheme in ("http", "https")
    if not is_url and args.render:
        return usage_error(PROG, "--render needs a URL (a saved file is read as it is)")
    if is_url and args.url is not None:
        return usage_error(PROG, "--url is for a FILE; a URL names itself")
    try:
        if not is_url:
            fetched = read_file(Path(target))
        elif args.render:
            config = NewscrawlConfig.from_settings(os.environ)
            fetched = fetch_rendered(target, browser_path=config.browser_path,
                                     extra_args=config.browser_args)
        else:
            fetched = fetch_plain(target)
    except ConfigError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return NOT_PUBLISHED
    except FetchError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return NOT_PUBLISHED
    if is_url:
        parts = urlsplit(fetched.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        site_url = fetched.url if is_site_url(fetched.url) else unbase(fetched.url, origin)
    else:
        site_url = args.url or declared_url(fetched.body) or ""
        if not site_url:
            return usage_error(PROG, f"{target} names no URL of its own (no canonical link "
                                     "or og:url): give it with --url")
    report = inspect_page(canonical_url(site_url), fetched.body, fetched.content_type,
                          status=fetched.status, rendered=args.render)
    if args.json:
        print(json.dumps({"fetched": fetched.url, **report.to_json()}, indent=2,
                         ensure_ascii=False))
    else:
        print(render_text(report, fetched.url, fetched.list_wait))
    return PUBLISHED if report.outcome in ("published", "read") else NOT_PUBLISHED
