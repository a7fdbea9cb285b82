#!/usr/bin/env bash
# Make sure Playwright has a Chromium to drive, a headless shell where possible (newscrawl.browser
# prefers it: a fraction of full Chromium's CPU per render). Playwright's own download (which
# brings its headless shell) is the normal route where it can reach its download host; on
# machines that only reach package registries we use Debian's chromium-headless-shell, with its
# chromium as the fallback, which the crawler finds by itself (newscrawl.browser).
set -euo pipefail
py=${1:-.venv/bin/python}
if "$py" -m newscrawl.browser --check --headless-shell >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium-headless-shell and chromium for Playwright" >&2
  apt-get update -qq
  # Older Debian releases have no headless shell package: full chromium alone then.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif ! "$py" -m newscrawl.browser --check >/dev/null 2>&1 \
    && ! timeout 120 "$py" -m playwright install chromium; then
  echo "no browser: install chromium-headless-shell (apt-get install chromium-headless-shell) or run 'playwright install chromium'" >&2
  exit 1
fi
"$py" -m newscrawl.browser --check
