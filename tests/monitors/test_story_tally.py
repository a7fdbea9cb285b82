"""StoryTallyExtension: what the monitors and the manifest count, from the items themselves."""

from __future__ import annotations

from typing import Any

from newscrawl.boilerplate import WHATSAPP_LINE
from newscrawl.items import QuarantineItem, StoryItem
from newscrawl.monitors import tally


class CountingStats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def story(**changes: Any) -> StoryItem:
    fields: dict[str, Any] = {
        "id": "0" * 16, "url": "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/23/a",
        "title": "A title", "summary": None, "body": "BEIJING: Text. - AFP",
        "published_at": "2025-05-23T09:40:00+08:00", "modified_at": None, "authors": [],
        "agency": "AFP", "dateline": "BEIJING", "section": "Aseanplus News", "tags": [],
        "image": None, "premium": False, "word_count": 4,
        "related": {"next_in": [], "others_also_read": []}, "discovered_via": "listing",
        "referrer": None, "crawled_at": "2025-05-23T02:00:00+00:00", "extraction": "site",
    }
    fields.update(changes)
    return StoryItem(**fields)


def test_published_and_read_populations() -> None:
    stats = CountingStats()
    extension = tally.StoryTallyExtension(stats)
    leaked = story(title="", body=f"BEIJING: Text.\n\n{WHATSAPP_LINE}")
    for item in (
        story(authors=["Ann Lee"]),
        story(version=2, changed_fields=["body"], agency=None),
        story(duplicate_of="1" * 16, extraction="fallback"),
        QuarantineItem(url="u", reasons=["no-headline"], stage="parse", crawled_at="t"),
        QuarantineItem(url="v", reasons=["boilerplate-in-body: Follow us"], stage="validate",
                       crawled_at="t", record=tally.story_fields(leaked)),
    ):
        extension.item_scraped(item)
    extension.item_dropped(story(extraction="fallback"))  # unchanged since the last run
    counts = stats.values

    assert counts[tally.STORIES] == 3
    assert (counts[tally.NEW], counts[tally.UPDATED], counts[tally.DUPLICATES]) == (1, 1, 1)
    assert counts[tally.QUARANTINED] == 2
    # Read: 3 published + 1 quarantined by validation + 1 dropped; not the unreadable page.
    assert counts[tally.READ] == 5
    assert counts[tally.FALLBACK] == 2
    assert counts[tally.BOILERPLATE] == 1
    assert counts[tally.field_key("title")] == 4
    assert counts[tally.field_key("authors")] == 1  # [] is absent
    assert counts[tally.field_key("agency")] == 4  # None is absent
    assert counts[tally.field_key("premium")] == 5  # False is a value
    assert tally.field_key("summary") not in counts
    assert tally.coverage(counts)["title"] == 0.8
    assert tally.coverage({}) == {}
