"""The section table and the URL rules that read it: which story URL is whose, what a crawl of
named sections admits, and the arguments that name them."""

from __future__ import annotations

import pytest

from newscrawl.sections import (
    ASEANPLUS,
    DEFAULT_SECTION,
    SECTIONS,
    SECTIONS_BY_KEY,
    Section,
    UnknownSectionError,
    section_named,
    section_of_listing,
    section_of_path,
    sections_named,
)
from newscrawl.spiders.arguments import (
    KNOWN_SINGLE_SECTION,
    ArgumentError,
    SpiderArguments,
)
from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import (
    SECTION_LABEL,
    SECTION_URL,
    canonical_listing_url,
    canonical_url,
    feed_url,
    is_section_article,
    listing_url,
    story_url_prefix,
)

NATION = SECTIONS_BY_KEY["news/nation"]
WORLD = SECTIONS_BY_KEY["news/world"]
COLUMNISTS = SECTIONS_BY_KEY["opinion/columnists"]
SITE = "https://www.thestar.com.my"
ASEAN_STORY = f"{SITE}/aseanplus/aseanplus-news/2026/02/12/rice-talks"
NATION_STORY = f"{SITE}/news/nation/2026/02/12/flood-relief"
WORLD_STORY = f"{SITE}/news/world/2026/02/12/eu-minerals"


def test_the_table_has_one_entry_per_key_and_label_with_aseanplus_the_default() -> None:
    assert DEFAULT_SECTION is ASEANPLUS and SECTIONS[0] is ASEANPLUS
    assert len({s.key for s in SECTIONS}) == len({s.label.casefold() for s in SECTIONS}) \
        == len(SECTIONS)
    assert (ASEANPLUS.listing_path, ASEANPLUS.label, ASEANPLUS.rss_path) == (
        "/aseanplus/aseanplus-news", "Aseanplus News", "/rss/aseanplus")
    assert NATION.next_in_heading == "Next In Nation"
    assert ASEANPLUS.next_in_heading == "Next In Aseanplus News"


def test_the_single_section_names_are_the_default_section() -> None:
    assert SECTION_URL == f"{SITE}/aseanplus/aseanplus-news" == listing_url(ASEANPLUS)
    assert SECTION_LABEL == "Aseanplus News"


@pytest.mark.parametrize(("path", "section"), [
    ("/aseanplus/aseanplus-news/2026/02/12/rice-talks", ASEANPLUS),
    ("/news/nation/2026/02/12/flood-relief", NATION),
    ("/news/world/2026/02/12/singapore039s-exports", WORLD),
    ("/opinion/columnists/the-asean-lens/2026/02/05/haze-fund", COLUMNISTS),
    ("/opinion/columnists/2026/02/05/haze-fund", None),  # a column's stories name the column
    ("/news/nation", None),  # the listing is no story
    ("/news/nation/2026/02/12/", None),
    ("/news/nation/extra/2026/02/12/x", None),  # a level the section does not have
    ("/news/nation/2026/2/12/x", None),
    ("/sport/tennis/2026/02/12/x", None),  # a section not in the table
    ("/news/nationwide/2026/02/12/x", None),  # a prefix of a path is no section
])
def test_each_story_url_shape_belongs_to_at_most_one_section(
        path: str, section: Section | None) -> None:
    assert section_of_path(path) is section
    assert [s for s in SECTIONS if s.owns_path(path)] == ([section] if section else [])


def test_the_url_rules_take_any_section() -> None:
    assert is_section_article(ASEAN_STORY) and not is_section_article(NATION_STORY)
    assert is_section_article("http://thestar.com.my/News/Nation/2026/02/12/flood-relief/?x=1",
                              NATION)
    assert canonical_url(f"{SITE}/News/Nation/") == listing_url(NATION)
    assert canonical_listing_url(f"{SITE}/NEWS/WORLD?bycat=3&pgno=2") == \
        f"{SITE}/news/world?pgno=2"
    assert feed_url(NATION) == f"{SITE}/rss/news/nation"
    assert feed_url(COLUMNISTS) is None
    assert story_url_prefix(NATION) == f"{SITE}/news/nation/"
    assert section_of_listing("/rss/business") is SECTIONS_BY_KEY["business/business-news"]
    assert section_of_listing("/news/nation", (ASEANPLUS,)) is None


def test_labels_match_whatever_their_case_and_spacing() -> None:
    assert ASEANPLUS.has_label("  aseanplus\n NEWS ")
    assert not ASEANPLUS.has_label("Nation") and not ASEANPLUS.has_label(None)


def test_a_bad_key_is_refused_when_the_table_is_written() -> None:
    with pytest.raises(ValueError, match="lower-case path"):
        Section("/News/Nation", "Nation")


def test_sections_are_named_by_key_in_any_spelling() -> None:
    assert section_named(" /News/Nation/ ") is NATION
    assert sections_named("news/nation, aseanplus/aseanplus-news,news/nation") == (
        NATION, ASEANPLUS)
    with pytest.raises(UnknownSectionError, match=r"unknown section 'news/sport'.*news/nation"):
        section_named("news/sport")
    with pytest.raises(UnknownSectionError):
        sections_named(" , ")


def test_the_spider_argument_names_the_sections() -> None:
    assert SpiderArguments.parse({}).sections == (ASEANPLUS,)
    assert SpiderArguments.parse({"section": "news/nation"}).sections == (NATION,)
    with pytest.raises(ArgumentError, match="section='news/sports': unknown section"):
        SpiderArguments.parse({"section": "news/sports"})
    # ``scrapy crawl aseanplus`` takes exactly the arguments it always took.
    with pytest.raises(ArgumentError, match="unknown argument 'section'"):
        SpiderArguments.parse({"section": "news/nation"}, known=KNOWN_SINGLE_SECTION)


def frontier(*sections: Section) -> StoryFrontier:
    return StoryFrontier(since=None, max_articles=None, wants=lambda _: True,
                         sections=sections)


def test_a_story_belongs_to_its_url_section_else_to_the_listing_that_showed_it() -> None:
    both = frontier(ASEANPLUS, NATION)
    nation_listing = f"{SITE}/news/nation?pgno=2"
    assert both.owner(ASEAN_STORY, nation_listing) is ASEANPLUS  # its URL's, when crawled
    assert frontier(NATION).owner(ASEAN_STORY, nation_listing) is NATION  # shared in a listing
    assert frontier(NATION).owner(ASEAN_STORY, f"{SITE}/rss/news/nation") is NATION
    assert frontier(NATION).owner(ASEAN_STORY, NATION_STORY) is None  # a link in a story
    assert frontier(NATION).owner(f"{SITE}/news/nation?pgno=2", nation_listing) is None


def test_others_also_read_links_are_kept_for_the_sections_crawled_only() -> None:
    both = frontier(ASEANPLUS, NATION)
    assert both.admit(NATION_STORY, ASEAN_STORY) == (NATION_STORY, "new")
    assert both.admit(WORLD_STORY, ASEAN_STORY) == (WORLD_STORY, "off-section")
    only = frontier(ASEANPLUS)
    assert only.admit(NATION_STORY, ASEAN_STORY) == (NATION_STORY, "off-section")


def test_each_listing_walk_counts_its_own_fresh_stories() -> None:
    both = frontier(ASEANPLUS, NATION)
    assert both.note_listing(NATION, [ASEAN_STORY, NATION_STORY]) == 2
    # Aseanplus's walk meets the shared story for the first time: Nation's does not end it.
    assert both.note_listing(ASEANPLUS, [ASEAN_STORY]) == 1
    assert both.note_listing(NATION, [ASEAN_STORY]) == 0
