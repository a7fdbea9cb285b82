"""Story items and crawlers for pipeline and state tests (a helper module, not tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newscrawl.fingerprint import content_hash
from newscrawl.items import StoryItem
from newscrawl.urls import SECTION_URL, story_id

BODY = (
    "HANOI: Vietnam has raised its rice export target for 2026 to 8.2 million tonnes, the "
    "agriculture ministry said on Thursday (Feb 12).\n\n"
    "The new goal is up from an earlier target of 7.5 million tonnes, the ministry said in a "
    "statement issued in the capital. - Reuters"
)


def story_url(slug: str, day: str = "2026/02/12") -> str:
    return f"{SECTION_URL}/{day}/{slug}"


def make_story(slug: str = "vietnam-raises-rice-export-target", **fields: Any) -> StoryItem:
    """A valid, cleaned story (content_hash set) unless ``fields`` say otherwise."""
    url = fields.pop("url", story_url(slug))
    values: dict[str, Any] = {
        "id": story_id(url),
        "url": url,
        "title": "Vietnam raises rice export target",
        "summary": "Vietnam has raised its rice export target for 2026.",
        "body": BODY,
        "published_at": "2026-02-12T10:15:00+08:00",
        "modified_at": None,
        "authors": [],
        "agency": "Reuters",
        "dateline": "HANOI",
        "section": "Aseanplus News",
        "tags": ["Vietnam", "rice"],
        "image": {
            "url": "https://apicms.thestar.com.my/uploads/images/2026/02/12/1.jpg",
            "caption": "Farmers harvest rice. — Reuters",
        },
        "premium": False,
        "word_count": 0,
        "related": {"next_in": [], "others_also_read": []},
        "discovered_via": "listing",
        "referrer": SECTION_URL,
        "crawled_at": "2026-02-13T01:00:00+00:00",
        "extraction": "site",
        "raw_html": "<html><body>page</body></html>",
    }
    values.update(fields)
    story = StoryItem(**values)
    adapter = ItemAdapter(story)
    if "word_count" not in fields:
        adapter["word_count"] = len(adapter["body"].split())
    if "content_hash" not in fields:
        adapter["content_hash"] = content_hash(adapter["title"], adapter["body"])
    return story


def crawler_for(tmp_path: Path, **settings: Any) -> Crawler:
    """A crawler whose state file and data dir live under ``tmp_path``."""
    return get_crawler(
        settings_dict={
            "NEWSCRAWL_DATA_DIR": str(tmp_path / "data"),
            "NEWSCRAWL_STATE": str(tmp_path / "state.sqlite"),
            "NEWSCRAWL_RUN_ID": "20261127T000000Z",
            **settings,
        }
    )


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)
