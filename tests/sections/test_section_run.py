"""``newscrawl run --section``: the crawl it starts is ``thestar`` with the sections named;
without it, the ``aseanplus`` crawl it always started."""

from __future__ import annotations

from pathlib import Path

from newscrawl.runner.controller import RunController, RunOptions


def argv(tmp_path: Path, *spider_args: tuple[str, str]) -> list[str]:
    options = RunOptions(data_dir=tmp_path, max_run_time=60, kill_grace=1,
                         spider_args=spider_args)
    return RunController(options).crawl_argv("r1")


def test_run_crawls_aseanplus_unless_sections_are_named(tmp_path: Path) -> None:
    plain = argv(tmp_path, ("render", "never"))
    assert plain[plain.index("crawl") + 1] == "aseanplus"
    named = argv(tmp_path, ("render", "never"), ("section", "news/nation,news/world"))
    assert named[named.index("crawl") + 1] == "thestar"
    assert "section=news/nation,news/world" in named
