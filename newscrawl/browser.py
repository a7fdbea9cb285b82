"""Find a Chromium that Playwright can drive: Playwright's own build where it was downloaded,
else a system one (Debian's), so the crawl works on machines of either kind.

A headless shell comes first wherever there is one (Playwright's ``chromium_headless_shell``,
Debian's ``chromium-headless-shell``): the crawl renders headless only, and the shell (the
old headless mode as its own binary, what Playwright itself launches for headless since 1.49)
skips the full browser's display, compositor and UI. Measured here with Debian's 156 on 10
renders of a replica story: 3.3 CPU-s for the shell against 22 CPU-s for full Chromium
(``bench/bench_browser_cost.py``). Full Chromium stays the fallback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

# Debian's chromium-headless-shell (same source and version as its chromium).
SYSTEM_HEADLESS_SHELLS: Final = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium-headless-shell",
)
# /usr/lib/chromium/chromium is the binary itself; /usr/bin/chromium is Debian's wrapper
# script, which prints a harmless warning on every start.
SYSTEM_FULL_BROWSERS: Final = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
SYSTEM_CANDIDATES: Final = SYSTEM_HEADLESS_SHELLS + SYSTEM_FULL_BROWSERS
PLAYWRIGHT_HEADLESS_SHELL: Final = "chromium_headless_shell-*/chrome-*/chrome-headless-shell"
PLAYWRIGHT_FULL_BROWSER: Final = "chromium-*/chrome-linux*/chrome"


def playwright_root() -> Path:
    return Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache/ms-playwright")


def _newest(root: Path, pattern: str) -> str | None:
    found = sorted(root.glob(pattern))
    return str(found[-1]) if found else None


def _first_executable(candidates: Sequence[str]) -> str | None:
    return next((path for path in candidates
                 if Path(path).is_file() and os.access(path, os.X_OK)), None)


def find_browser(explicit: str | None = None, *, root: Path | None = None,
                 candidates: Sequence[str] = SYSTEM_CANDIDATES) -> str | None:
    """The executable to launch, or None when no browser is installed.

    ``explicit`` (NEWSCRAWL_BROWSER_PATH) wins when it exists. Otherwise a headless shell
    (Playwright's, then the system's), then a full Chromium (Playwright's, then the system's).
    ``root`` and ``candidates`` are where to look (Playwright's download folder, system paths).
    """
    if explicit:
        return explicit if Path(explicit).is_file() else None
    root = root or playwright_root()
    shells = [path for path in candidates if is_headless_shell(path)]
    return (_newest(root, PLAYWRIGHT_HEADLESS_SHELL) or _first_executable(shells)
            or _newest(root, PLAYWRIGHT_FULL_BROWSER)
            or _first_executable([path for path in candidates if path not in shells])
            or (shutil.which("chromium") if candidates is SYSTEM_CANDIDATES else None))


def is_headless_shell(executable: str) -> bool:
    """Whether the executable is a headless shell, by its file name (Playwright's build calls
    it ``chrome-headless-shell``, Debian's ``chromium-headless-shell``)."""
    return Path(executable).name.endswith("headless-shell")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.browser")
    parser.add_argument("--check", action="store_true", help="exit 1 when no browser is found")
    parser.add_argument("--headless-shell", action="store_true",
                        help="with --check: exit 1 unless the browser found is a headless shell")
    args = parser.parse_args(argv)
    path = find_browser()
    print(path or "no browser found")
    if args.check and (path is None or (args.headless_shell and not is_headless_shell(path))):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
