"""A failed ``newscrawl run`` says why on the terminal (the crawl's last error line), not only
"see <log>"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from newscrawl_run import run

from newscrawl.runner.console import RunConsole
from newscrawl.runner.log_reason import last_error_line
from newscrawl.runs.exit_codes import ExitCode, Verdict

LOG = """\
2026-12-01 13:00:00,000 [newscrawl.runner] ERROR: before the crawl: not the crawl's
2026-12-01 13:00:01 [scrapy.utils.log] INFO: Scrapy 2.19.0 started (bot: newscrawl)
2026-12-01 13:00:02 [scrapy.core.engine] ERROR: Error while opening the spider
Traceback (most recent call last):
  File "x.py", line 1, in <module>
newscrawl.state.store.StateError: state file s.sqlite is not a SQLite database
2026-12-01 13:00:03 [scrapy.core.engine] INFO: Spider closed (shutdown)
"""


def test_the_last_error_line_of_the_crawl_is_found(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(LOG)
    assert last_error_line(log) == (
        "newscrawl.state.store.StateError: state file s.sqlite is not a SQLite database"
    )
    log.write_text(LOG + "2026-12-01 13:00:04 [scrapy.core.scraper] ERROR: Spider error\n")
    assert last_error_line(log) == "[scrapy.core.scraper] ERROR: Spider error"
    log.write_text("newscrawl: since='2026-13-45' is not a valid date\n")
    assert last_error_line(log) == "newscrawl: since='2026-13-45' is not a valid date"


def test_lines_before_the_start_offset_or_without_errors_give_nothing(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    first = LOG.splitlines(keepends=True)[0]
    log.write_text(first + "2026-12-01 13:00:01 [scrapy] INFO: fine\n")
    assert last_error_line(log, start=len(first)) is None
    assert last_error_line(tmp_path / "missing.log") is None


def test_cron_mode_prints_the_reasons_of_a_failed_run() -> None:
    errors = io.StringIO()
    console = RunConsole(io.StringIO(), errors, interactive=False)
    verdict = Verdict(ExitCode.FAILED, ("the crawl left no manifest",
                                        "the crawl said: StateError: bad file"))
    console.finish(["run r1: failed (exit 1)"], verdict, Path("/d/logs/r1.log"))
    assert errors.getvalue() == (
        "newscrawl run r1: failed (exit 1): the crawl left no manifest; the crawl said: "
        "StateError: bad file; see /d/logs/r1.log\n"
    )


@pytest.mark.e2e
def test_a_failed_run_prints_its_reason(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "state.sqlite").write_bytes(b"not sqlite" * 20)
    # No replica needed: the crawl fails while it opens the state, before any request.
    returncode, stdout, stderr = run(data_dir, "http://127.0.0.1:9")
    assert returncode == 1, stderr
    assert stdout == ""  # cron mode: the one line goes to stderr, which cron mails
    [line] = stderr.strip().splitlines()
    assert "failed (exit 1)" in line
    assert "the crawl said: " in line
    assert "is not a SQLite database" in line
    assert line.endswith(".log")
