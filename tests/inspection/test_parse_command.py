"""``newscrawl parse``: every saved page read as the crawl reads it, the command on files and on
the replica (plain and rendered), and what it says when a page would not be published."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter

from newscrawl.browser import find_browser
from newscrawl.cli import main
from newscrawl.cli_parser import EX_USAGE
from newscrawl.inspection.report import inspect_page
from newscrawl.items import StoryItem
from newscrawl.pipelines.clean import CleanPipeline
from newscrawl.replica import ReplicaServer
from newscrawl.sections import SECTIONS
from newscrawl.urls import SECTION_URL, rebase

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "fixtures" / "pages"
INDEX: dict[str, dict[str, Any]] = json.loads((PAGES / "index.json").read_text("utf-8"))
GOOD = "timor-leste-formally-joins-asean-as-11th-member"
RENDERED = next(path.stem for path in sorted((PAGES / "rendered").glob("*.html")))
LOOPBACK_ONLY = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"'
# Far enough after every saved story that none is "in the future".
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def expected(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((PAGES / f"{name}.json").read_text("utf-8"))
    return record


def cleaned(record: dict[str, Any]) -> dict[str, Any]:
    """The saved record (``build_story``'s output) as the clean pipeline leaves it."""
    item = CleanPipeline().process_item(StoryItem(**record))
    out = ItemAdapter(item).asdict()
    out.pop("raw_html", None)
    return out


def report_html(name: str) -> str:
    return (PAGES / f"{name}.html").read_text("utf-8", "replace")


def report_of(name: str) -> dict[str, Any]:
    entry = INDEX[name]
    body = (PAGES / f"{name}.html").read_bytes()
    rest = (PAGES / entry["continuation"]).read_text("utf-8") if "continuation" in entry else None
    return inspect_page(entry["url"], body, entry.get("content_type"), now=NOW,
                        continuation=rest).to_json()


@pytest.mark.parametrize("name", sorted(INDEX))
def test_every_saved_page_gives_its_expected_record_or_reason(name: str) -> None:
    report = report_of(name)
    want = expected(name)
    if "skipped" in want:  # a gallery: no story, skipped
        assert report["outcome"] == "skipped"
        assert report["reasons"][0].startswith(want["skipped"])
        return
    if "error" in want:  # the crawl quarantines the page with this reason
        assert report["outcome"] == "quarantined"
        assert report["reasons"][0].split(":")[0] == want["error"]
        return
    if want["section"] not in {section.label for section in SECTIONS}:
        assert report["outcome"] == "skipped"
        return
    record = dict(report["record"])
    assert record.pop("crawled_at") == NOW.isoformat()
    want_clean = cleaned(want)
    want_clean.pop("crawled_at")
    assert record == want_clean
    assert report["layout"] == ("fallback" if name.startswith("drifted--") else
                                "story-div" if "content-wrap" in report_html(name) else "v1")
    assert set(report["sources"]) >= {"title", "body", "published_at", "authors", "tags"}
    assert [link["url"] for link in report["links"]["next_in"]] == want["related"]["next_in"]


def test_a_drifted_page_names_the_fallback_extractor() -> None:
    name = next(name for name in INDEX if name.startswith("drifted--"))
    report = report_of(name)
    assert report["page_class"] == "FallbackArticlePage"
    assert report["sources"]["body"] == "extractor: trafilatura"
    assert report["record"]["extraction"] == "fallback"


def test_the_cli_reads_a_saved_file_by_its_own_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PAGES / f"{GOOD}.html"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["url"] == INDEX[GOOD]["url"]  # from the page's canonical link
    assert report["outcome"] == "published"
    assert (report["page_class"], report["layout"]) == ("ArticlePage", "v1")
    assert report["record"]["title"] == expected(GOOD)["title"]
    assert report["sources"]["title"] == "json-ld: headline"
    assert all(link["followed"] for link in report["links"]["next_in"])
    assert report["links"]["others_also_read"] == []
    assert any("filled by JavaScript" in note for note in report["notes"])


def test_a_rendered_saved_page_shows_the_others_also_read_links(
    capsys: pytest.CaptureFixture[str]
) -> None:
    url = INDEX[RENDERED]["url"]
    assert main(["parse", str(PAGES / "rendered" / f"{RENDERED}.html"), "--url", url,
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    links = report["links"]["others_also_read"]
    assert links and report["record"]["related"]["others_also_read"]
    assert {link["decision"] for link in links} <= {"new", "seen", "off-section"}
    assert report["sources"]["related.others_also_read"].startswith("markup")


def test_a_page_that_would_be_quarantined_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    name = "bad-page-no-headline-sample"
    assert main(["parse", str(PAGES / f"{name}.html"), "--url", INDEX[name]["url"]]) == 1
    out = capsys.readouterr().out
    assert "outcome     quarantined" in out
    assert "reason    no-headline" in out


def test_the_text_report_has_each_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PAGES / f"{GOOD}.html")]) == 0
    out = capsys.readouterr().out
    for part in ("read by     ArticlePage (layout v1)", "outcome     published", "\nrecord\n{",
                 "\nsources\n", "  title ", "json-ld: headline", "links: next_in (10, 10 followed)",
                 "links: others_also_read (0, 0 followed)"):
        assert part in out


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>No URL anywhere</h1><p>text</p></body></html>")
    assert main(["parse", str(page)]) == EX_USAGE
    assert "names no URL of its own" in capsys.readouterr().err
    assert main(["parse", str(page), "--render"]) == EX_USAGE
    assert main(["parse", "http://127.0.0.1:9/x", "--url", "https://x"]) == EX_USAGE
    assert main(["parse", str(tmp_path / "missing.html")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_a_story_url_of_the_replica_is_read_as_the_site(
    replica: ReplicaServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", rebase(INDEX[GOOD]["url"], replica.origin), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["url"] == INDEX[GOOD]["url"]
    assert report["fetched"].startswith(replica.origin)
    assert report["record"]["body"] == expected(GOOD)["body"]


def test_a_listing_page_shows_its_story_links_and_next_page(
    replica: ReplicaServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", rebase(SECTION_URL, replica.origin), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["kind"], report["outcome"], report["record"]) == ("listing", "read", None)
    assert sum(link["followed"] for link in report["links"]["listing"]) >= 10
    assert report["next_page"] is not None


@pytest.mark.browser
def test_render_reads_the_list_in_chromium(
    replica: ReplicaServer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    if find_browser() is None and shutil.which("chromium") is None:
        pytest.skip("no Chromium for Playwright on this machine")
    monkeypatch.setenv("NEWSCRAWL_BROWSER_ARGS", LOOPBACK_ONLY)
    url = rebase(INDEX[RENDERED]["url"], replica.origin)
    assert main(["parse", url, "--render", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["record"]["related"]["others_also_read"] == \
        expected_rendered_links(RENDERED)


def expected_rendered_links(name: str) -> list[str]:
    body = (PAGES / "rendered" / f"{name}.html").read_bytes()
    report = inspect_page(INDEX[name]["url"], body, rendered=True, now=NOW).to_json()
    links: list[str] = report["record"]["related"]["others_also_read"]
    assert links
    return links
