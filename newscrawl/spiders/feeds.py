"""Where a run's items go: stories and quarantined pages in two JSON Lines feeds, one run id.

Scrapy 2.19 adds ``-o``/``-O`` feeds to the project's ``FEEDS`` (it does not replace them), and
a feed without ``item_classes`` takes every item, so ``-O out.jsonl`` would get the quarantined
pages too and the default story feed would be written as well. ``route_feeds`` sorts this out
per run: a feed the user named gets the stories *as well as* the default story feed, and
quarantined pages still go to the quarantine feed.

Why as well, not instead: the state records a story as seen once every feed that took it is
stored. Were ``-O out.jsonl`` the only story feed, its stories would be "seen" but in no run file
under ``runs/``, so the next ``newscrawl run`` would publish nothing of them and the dataset
(built from ``runs/``) would lack them, exit 0. So a crawl is always published into ``runs/``,
and ``-O``/``-o`` adds a copy where the user wants it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from scrapy.settings import Settings

from newscrawl.config import DEFAULT_DATA_DIR
from newscrawl.data_layout import DataLayout
from newscrawl.items import QuarantineItem, StoryItem
from newscrawl.runs.run_id import process_run_id

STORY_CLASS: Final = f"{StoryItem.__module__}.{StoryItem.__qualname__}"
QUARANTINE_CLASS: Final = f"{QuarantineItem.__module__}.{QuarantineItem.__qualname__}"
QUARANTINE_FIELDS: Final = (
    "url", "reasons", "stage", "crawled_at", "record", "html_path",
)


def run_uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """FEED_URI_PARAMS: adds ``%(run_id)s``, the spider's run id (or this process's)."""
    return {**params, "run_id": getattr(spider, "run_id", None) or process_run_id()}


def default_feeds(data_dir: Path | str) -> dict[str, dict[str, Any]]:
    layout = DataLayout(Path(data_dir))
    return {
        str(layout.run_feed()): story_feed_options(),
        str(layout.quarantine_feed()): quarantine_feed_options(),
    }


def story_feed_options() -> dict[str, Any]:
    return {"format": "jsonlines", "encoding": "utf-8", "item_classes": [STORY_CLASS]}


def quarantine_feed_options() -> dict[str, Any]:
    return {"format": "jsonlines", "encoding": "utf-8", "item_classes": [QUARANTINE_CLASS],
            "fields": list(QUARANTINE_FIELDS)}


def route_feeds(settings: Settings, data_dir: Path) -> None:
    """Rewrite FEEDS for this run (settings are still mutable in ``from_crawler``).

    Scrapy 2.19 merges ``-o``/``-O`` feeds into the project's FEEDS. A feed the user named comes
    beside the default story feed (and, if it takes every item, gets the stories only); the
    quarantine feed stays unless the user's feed takes quarantined pages, and both default
    feeds are under NEWSCRAWL_DATA_DIR.
    """
    defaults = default_feeds(DEFAULT_DATA_DIR)
    user: dict[str, dict[str, Any]] = {}
    for uri, options in settings.getdict("FEEDS").items():
        if str(uri) in defaults:
            continue
        options = dict(options or {})
        options["item_classes"] = list(options.get("item_classes") or [STORY_CLASS])
        user[str(uri)] = options
    feeds = default_feeds(data_dir)
    if any(_names(c, QUARANTINE_CLASS) for o in user.values() for c in o["item_classes"]):
        del feeds[str(DataLayout(data_dir).quarantine_feed())]
    feeds.update(user)
    settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "project")


def _names(item_class: Any, dotted: str) -> bool:
    if isinstance(item_class, str):
        return item_class == dotted
    return f"{item_class.__module__}.{item_class.__qualname__}" == dotted
