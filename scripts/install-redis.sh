#!/usr/bin/env bash
# Make sure a redis-server binary exists for the distributed crawl's tests and for
# `newscrawl run --workers`. Debian's redis-server where we are root with apt-get; otherwise say
# how to get one. Nothing is started here: the tests start their own server on a free port, and
# apt starts no service on these machines. A single-process crawl (`make demo`) needs no Redis.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's redis-server (not started: tests start their own)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
no redis-server: the distributed crawl's tests will fail until one is installed, e.g.
  sudo apt-get install redis-server        (Debian, Ubuntu)
  brew install redis                       (macOS)
or point the crawl at any Redis >= 6 you run elsewhere (NEWSCRAWL_REDIS_URL=redis://HOST:PORT/0).
MSG
exit 0
