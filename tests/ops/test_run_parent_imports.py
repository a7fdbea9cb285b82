"""``newscrawl run`` supervises the crawl from a parent process that never crawls: it must not
load what only the crawl subprocess needs, the browser stack (scrapy-playwright, Playwright),
spidermon or scrapy-redis. It once did, because a monitor imported the spider module for two stat
names and the manifest's counts imported the monitors (issue 12). While the crawl runs, the
parent holds no Scrapy, Twisted, trafilatura or pyarrow either (112 MB of memory for the whole
run, where the parent needs 31): those it loads after the crawl, for the dataset and report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from newscrawl_run import RUN_TIMEOUT, command, manifests

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.e2e

# Top-level packages the crawl subprocess loads and the parent must not.
CRAWL_ONLY = ("playwright", "scrapy_playwright", "spidermon", "scrapy_redis")
# ... and those the parent may load only once the crawl has ended (dataset build, report).
AFTER_CRAWL = ("scrapy", "twisted", "trafilatura", "pyarrow")

# The parent as cron starts it (``newscrawl.cli.main``), with the modules it loaded written out
# when it starts the crawl child and when it exits.
PARENT = """
import atexit, json, subprocess, sys
atexit.register(lambda: open(sys.argv[1], "w").write(json.dumps(sorted(sys.modules))))

class Recording(subprocess.Popen):
    def __init__(self, *args, **kwargs):
        with open(sys.argv[1] + ".at-start", "x") as file:  # the first child only
            file.write(json.dumps(sorted(sys.modules)))
        super().__init__(*args, **kwargs)

subprocess.Popen = Recording
from newscrawl.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_the_run_parent_loads_no_browser_no_monitors_and_no_crawler_while_it_crawls(
        replica: ReplicaServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    loaded_file = tmp_path / "parent-modules.json"
    # The cron command line of the other run tests (``--render never`` keeps it quick: what the
    # parent imports does not depend on the mode, which only the crawl child reads).
    argv = command(data_dir, replica.origin)
    cli_args = argv[argv.index("run"):]
    result = subprocess.run([sys.executable, "-c", PARENT, str(loaded_file), *cli_args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT)

    assert result.returncode == 0, result.stderr
    [manifest] = manifests(data_dir)
    assert manifest["counts"]["stories"] > 0
    loaded = set(json.loads(loaded_file.read_text(encoding="utf-8")))
    assert "newscrawl.runner.controller" in loaded  # it did run the crawl's supervisor
    assert not {m for m in loaded if m.split(".")[0] in CRAWL_ONLY}
    assert "newscrawl.spiders.aseanplus" not in loaded
    at_start = set(json.loads(Path(f"{loaded_file}.at-start").read_text(encoding="utf-8")))
    assert "newscrawl.runner.supervisor" in at_start
    assert not {m for m in at_start if m.split(".")[0] in AFTER_CRAWL}
