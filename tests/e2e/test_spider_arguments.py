"""A bad spider argument stops the run at once: exit code != 0 and one line that names it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from crawling import REPO

from newscrawl.spiders.arguments import ArgumentError, SpiderArguments


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        ("since=2025-13-01", "since"),
        ("max_articles=0", "max_articles"),
        ("max_pages=many", "max_pages"),
        ("render=sometimes", "render"),
        ("base_url=ftp://127.0.0.1:21", "base_url"),
        ("max_article=3", "max_article"),
    ],
)
def test_bad_argument_exits_with_one_line_naming_it(argument: str, named: str) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "aseanplus", "-a", argument,
         "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert process.returncode != 0
    lines = [line for line in process.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, process.stderr
    assert f"{named}=" in lines[0] or f"'{named}'" in lines[0]
    assert "Traceback" not in process.stderr


def test_arguments_parse_into_typed_values() -> None:
    args = SpiderArguments.parse({"base_url": "http://127.0.0.1:8080/", "since": "2025-05-01",
                                  "max_articles": "10", "max_pages": "2", "render": "Never"})
    assert args == SpiderArguments(base_url="http://127.0.0.1:8080", since=date(2025, 5, 1),
                                   max_articles=10, max_pages=2, render="never")
    assert args.on_loopback
    assert SpiderArguments.parse({}) == SpiderArguments()
    assert not SpiderArguments.parse({"base_url": "https://mirror.example.org"}).on_loopback


@pytest.mark.parametrize("value", ["20250501", "2025-W18-4", "yesterday"])
def test_since_takes_only_one_date_form(value: str) -> None:
    with pytest.raises(ArgumentError, match="since="):
        SpiderArguments.parse({"since": value})


@pytest.mark.parametrize("value", ["http://127.0.0.1:8080/aseanplus", "127.0.0.1:8080",
                                   "http://127.0.0.1:99999", "http://:8080"])
def test_base_url_must_be_an_origin(value: str) -> None:
    with pytest.raises(ArgumentError, match="base_url="):
        SpiderArguments.parse({"base_url": value})
