#!/usr/bin/env bash
# Make sure Playwright has a Chromium to drive. Playwright's own download is the normal route
# where it can reach its download host; on machines that only reach package registries we use
# Debian's chromium, which the crawler finds by itself (newscrawl.browser).
set -euo pipefail
py=${1:-.venv/bin/python}
if "$py" -m newscrawl.browser --check >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for Playwright" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif ! timeout 120 "$py" -m playwright install chromium; then
  echo "no browser: install chromium (apt-get install chromium) or run 'playwright install chromium'" >&2
  exit 1
fi
"$py" -m newscrawl.browser --check
