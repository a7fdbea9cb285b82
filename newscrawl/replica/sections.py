"""The sections the replica serves, as data: one ``ReplicaSection`` per listing it renders.

The replica keeps its own table rather than reading the crawler's: it plays the site, and a
crawler bug in its section knowledge must not be copied into the pages it is tested against.
Adding a section to the replica is one entry here plus stories in ``fixtures/site/articles``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

SECTION_PATH: Final = "/aseanplus/aseanplus-news"
SECTION_LABEL: Final = "Aseanplus News"


@dataclass(frozen=True, slots=True)
class ReplicaSection:
    """What the site shows for one section: its listing, feed, kicker and "Next In" label."""

    path: str  # the listing, and the prefix of its stories' paths
    label: str  # the kicker's text and the "Next In <label>" heading
    title: str  # <title> and og:title of the listing
    headline: str  # the listing's WebPage JSON-LD headline
    description: str
    keywords: str
    rss_path: str | None
    bycat: str  # the site's category id, seen on some pager links

    @property
    def next_in(self) -> str:
        return f"Next In {self.label}"


DEFAULT_SECTION: Final = ReplicaSection(
    path=SECTION_PATH,
    label=SECTION_LABEL,
    title="Aseanplus News | The Star",
    headline="Aseanplus News - Latest South-East Asia news | The Star",
    description="Latest news from South-East Asia and the region.",
    keywords="Asean, South-East Asia, Aseanplus, news",
    rss_path="/rss/aseanplus",
    bycat="116",
)

# The sections with a listing, a feed and a "Next In" block of their own. RSS paths: the site's
# /rss/news/nation and /rss/business are widely used; /rss/news/world is the replica's choice.
SECTIONS: Final[tuple[ReplicaSection, ...]] = (
    DEFAULT_SECTION,
    ReplicaSection(
        path="/news/nation",
        label="Nation",
        title="Nation | The Star",
        headline="Nation - Latest Malaysia news | The Star",
        description="Latest news from around Malaysia.",
        keywords="Malaysia, nation, news",
        rss_path="/rss/news/nation",
        bycat="2",
    ),
    ReplicaSection(
        path="/news/world",
        label="World",
        title="World | The Star",
        headline="World - Latest international news | The Star",
        description="Latest news from around the world.",
        keywords="world, international, news",
        rss_path="/rss/news/world",
        bycat="3",
    ),
    ReplicaSection(
        path="/business/business-news",
        label="Business News",
        title="Business News | The Star",
        headline="Business News - Latest Malaysia and regional business news | The Star",
        description="Latest business, markets and economy news.",
        keywords="business, markets, economy, news",
        rss_path="/rss/business",
        bycat="5",
    ),
)
SECTIONS_BY_PATH: Final[Mapping[str, ReplicaSection]] = {s.path: s for s in SECTIONS}
SECTIONS_BY_RSS: Final[Mapping[str, ReplicaSection]] = {
    s.rss_path: s for s in SECTIONS if s.rss_path is not None
}

# Sections whose stories the site links to but the replica lists nowhere: only their kicker.
# Any other section gets its last path segment in title case, as the site names most sections.
OTHER_LABELS: Final[Mapping[str, str]] = {
    "/news/regional": "Regional",
    "/opinion/columnists": "Columnists",
    "/lifestyle/travel": "Travel",
    "/sport/football": "Football",
}


def section_label(section_path: str) -> str:
    """The kicker of a story under ``section_path`` (``/news/nation`` -> ``Nation``)."""
    labels = {**{s.path: s.label for s in SECTIONS}, **OTHER_LABELS}
    for prefix, label in labels.items():
        if section_path == prefix or section_path.startswith(prefix + "/"):
            return label
    return section_path.rsplit("/", 1)[-1].replace("-", " ").title()
