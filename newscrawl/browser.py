"""Find a Chromium that Playwright can drive: Playwright's own build where it was downloaded,
else a system one (Debian's ``chromium``), so the crawl works on machines of either kind."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

# /usr/lib/chromium/chromium is the binary itself; /usr/bin/chromium is Debian's wrapper
# script, which prints a harmless warning on every start.
SYSTEM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)


def playwright_chromium() -> str | None:
    """Playwright's downloaded Chromium, if any (it knows its own path; we only ask)."""
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright")
    for pattern in ("chromium_headless_shell-*/chrome-*/chrome-headless-shell",
                    "chromium-*/chrome-linux*/chrome"):
        found = sorted(root.glob(pattern))
        if found:
            return str(found[-1])
    return None


def find_browser(explicit: str | None = None) -> str | None:
    """The executable to launch, or None when no browser is installed.

    ``explicit`` (NEWSCRAWL_BROWSER_PATH) wins when it exists. ``None`` as a result with
    Playwright's own browser present means "let Playwright pick its default".
    """
    if explicit:
        return explicit if Path(explicit).is_file() else None
    own = playwright_chromium()
    if own:
        return own
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.browser")
    parser.add_argument("--check", action="store_true", help="exit 1 when no browser is found")
    args = parser.parse_args(argv)
    path = find_browser()
    print(path or "no browser found")
    return 1 if (args.check and path is None) else 0


if __name__ == "__main__":
    sys.exit(main())
