#!/usr/bin/env bash
# `make demo`: serve the replica on a free port, crawl it into JSON Lines, say where the file
# is and how many stories it holds, rebuild the dataset. Exits with the crawl's exit code.
#
# The demo keeps its own data directory and state (data/demo, or DEMO_DATA_DIR), never the ones
# `scrapy crawl aseanplus` and `newscrawl run` use by default (data/aseanplus): a crawl of your
# own after the demo starts from nothing. A second demo is an incremental run: it finds nothing
# new and says so.
set -euo pipefail
py=${1:-.venv/bin/python}
data_dir=${DEMO_DATA_DIR:-data/demo}
render=${DEMO_RENDER:-auto}  # `never`: no browser (the tests' quick demo)
bin=$(dirname "$py")
workdir=$(mktemp -d)
replica_pid=
cleanup() {
  if [ -n "$replica_pid" ]; then kill "$replica_pid" 2>/dev/null || true; wait "$replica_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

"$bin/newscrawl" replica serve --port 0 >"$workdir/replica.out" 2>"$workdir/replica.err" &
replica_pid=$!
# The replica prints one line once it listens: "serving http://127.0.0.1:PORT/… (N articles)".
# Up to 60 s: on a loaded machine the interpreter alone may take ten seconds to start.
for _ in $(seq 600); do
  if grep -q '^serving ' "$workdir/replica.out"; then break; fi
  if ! kill -0 "$replica_pid" 2>/dev/null; then cat "$workdir/replica.err" >&2; exit 1; fi
  sleep 0.1
done
line=$(head -n 1 "$workdir/replica.out")
section_url=$(echo "$line" | awk '{print $2}')
origin=$(echo "$section_url" | grep -oE '^https?://[^/]+' || true)
if [ -z "$origin" ]; then echo "demo: the replica did not start: ${line:-no output}" >&2; exit 1; fi
echo "replica: $line"

run_id=demo-$(date -u +%Y%m%dT%H%M%SZ)
output=$data_dir/runs/$run_id.jsonl
status=0
"$bin/scrapy" crawl aseanplus -a "base_url=$origin" -a "render=$render" \
  -s "NEWSCRAWL_RUN_ID=$run_id" \
  -s "NEWSCRAWL_DATA_DIR=$data_dir" -s "NEWSCRAWL_STATE=$data_dir/state.sqlite" \
  -s LOG_LEVEL=WARNING || status=$?

if [ -f "$output" ]; then
  echo "stories: $(grep -c '' "$output") in $(realpath "$output")"
  "$bin/newscrawl" dataset build --data-dir "$data_dir" | sed 's/^/dataset: /' || status=1
else
  echo "demo: the crawl wrote no story file ($output)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
