"""What a run keeps of each story until it ends is kept once: one string for its URL in the
frontier whether it was admitted, landed or both, and one string for its id wherever the
pending stories, the dedupe and the state keep it (a first run's memory grows by what each
story leaves behind, README "Where it stands after the fourth round")."""

from __future__ import annotations

from newscrawl.spiders.frontier import StoryFrontier
from newscrawl.urls import SECTION_URL, story_id


def fresh(text: str) -> str:
    """An equal string that is another object (as a response's URL is)."""
    return "".join(list(text))


def test_a_landed_story_is_one_entry_and_lands_once() -> None:
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda _: True)
    url = f"{SECTION_URL}/2025/05/21/story"
    admitted, admission = frontier.admit(url)
    assert admission == "new"
    assert frontier.claim(fresh(admitted)) is True
    assert frontier.claim(fresh(admitted)) is False
    assert frontier.admit(fresh(url))[1] == "seen"
    assert len(frontier._seen) == 1
    held = next(iter(frontier._seen))
    assert held is admitted  # the landed URL did not replace the admitted one's string


def test_a_story_landed_without_being_admitted_is_seen_from_then_on() -> None:
    frontier = StoryFrontier(since=None, max_articles=None, wants=lambda _: True)
    url = f"{SECTION_URL}/2025/05/21/redirected-to"
    assert frontier.claim(url) is True
    assert frontier.admit(url)[1] == "seen"
    assert frontier.claim(url) is False


def test_a_story_id_is_one_string_however_often_it_is_computed() -> None:
    url = f"{SECTION_URL}/2025/05/21/story"
    first, again = story_id(url), story_id(fresh(url) + "?utm_source=x")
    assert first == again
    assert first is again
