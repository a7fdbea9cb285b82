from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from itemadapter import ItemAdapter

from newscrawl.fingerprint import content_hash
from newscrawl.items import QuarantineItem
from newscrawl.pipelines.clean import (
    CleanPipeline,
    _visible,
    clean_body,
    clean_inline,
    clean_list,
    counted_body,
)
from newscrawl.pipelines.validate import ValidatePipeline

from .stories import crawler_for, make_story


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kuala&nbsp;Lumpur &amp; Singapore", "Kuala Lumpur & Singapore"),
        ("&lt;b&gt; is not a tag here", "<b> is not a tag here"),
        ("Cafe\u0301 owners", "Caf\u00e9 owners"),  # NFC: e + combining acute -> é
        ("Cafe&#769; owners", "Caf\u00e9 owners"),  # decoded first, then composed
        ("zero\u200bwidth\u200d and\ufeff soft\u00adhyphen", "zerowidth and softhyphen"),
        ("bidi\u200e mark\u202a s", "bidi mark s"),
        ("bell\x07 and\x00 nul\x7f and\x85 next", "bell and nul and next"),
        ("  tabs\tand\u00a0nbsp\u2009thin  ", "tabs and nbsp thin"),
        ("“curly” ‘quotes’ — dashes…", "“curly” ‘quotes’ — dashes…"),
        ("line\nbreak\r\ninside", "line break inside"),
    ],
)
def test_clean_inline(raw: str, expected: str) -> None:
    assert clean_inline(raw) == expected


def test_clean_body_keeps_paragraph_breaks_and_folds_inside_them() -> None:
    raw = (
        "  BEIJING: Two  senior\ndiplomats met.  \n\n"
        "\u00a0\n\n"  # an NBSP-only paragraph, as the seed page has
        "\u200b\n"
        "The call\u2028lasted an hour.\r\n\r\n\r\n"
        "“They agreed,” Bruce said.\u2029Neither gave details. - AFP\n"
    )
    assert clean_body(raw) == (
        "BEIJING: Two senior diplomats met.\n\n"
        "The call lasted an hour.\n\n"
        "“They agreed,” Bruce said.\n\n"
        "Neither gave details. - AFP"
    )


def test_a_single_crlf_is_not_a_paragraph_break() -> None:
    assert clean_body("one\r\ntwo") == "one two"


def test_clean_list_drops_empties_and_repeats_keeping_order() -> None:
    assert clean_list([" China ", "US", "", "\u200b", "China", "Ma&nbsp;Zhaoxu"]) == [
        "China",
        "US",
        "Ma Zhaoxu",
    ]


def test_pipeline_cleans_every_text_field_and_refreshes_derived_fields(tmp_path: Path) -> None:
    pipeline = CleanPipeline.from_crawler(crawler_for(tmp_path))
    story = make_story(
        title=" Vietnam\u00a0raises rice\u200b target ",
        summary="  ",
        body="HANOI: Rice  exports\nrise.\n\n\n\nTraders &amp; farmers agree. - Reuters",
        authors=["  Jane Doe ", "Jane Doe"],
        tags=["rice", " rice "],
        dateline=" HANOI ",
        image={"url": "https://apicms.thestar.com.my/a.jpg", "caption": "Farmers\u00a0at work "},
        word_count=99,
        content_hash="stale",
    )
    out = ItemAdapter(pipeline.process_item(story))
    assert out["title"] == "Vietnam raises rice target"
    assert out["summary"] is None
    assert out["body"] == "HANOI: Rice exports rise.\n\nTraders & farmers agree. - Reuters"
    assert out["authors"] == ["Jane Doe"]
    assert out["tags"] == ["rice"]
    assert out["dateline"] == "HANOI"
    assert out["image"]["caption"] == "Farmers at work"
    assert out["word_count"] == 10
    assert out["content_hash"] == content_hash(out["title"], out["body"])


def test_pipeline_passes_other_items_untouched(tmp_path: Path) -> None:
    pipeline = CleanPipeline.from_crawler(crawler_for(tmp_path))
    item = QuarantineItem(url="u", reasons=["x"], stage="parse", crawled_at="t", html=" a  b ")
    assert pipeline.process_item(item) is item
    assert item.html == " a  b "


def test_cleaning_is_idempotent() -> None:
    raw = " “Quote”\u00a0here &amp; there\n\n\n second\u200b para "
    assert clean_body(clean_body(raw)) == clean_body(raw)


def test_values_of_the_wrong_type_are_left_for_the_validator(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    story = make_story(
        title=None,
        body=["not", "text"],
        authors=[{"name": "x"}, " A "],
        tags="China",
        word_count=2,
        content_hash="",
        image={"url": 3, "caption": None},
    )
    cleaned = CleanPipeline.from_crawler(crawler).process_item(story)
    assert cleaned.authors == [{"name": "x"}, "A"]
    out = ValidatePipeline.from_crawler(crawler).process_item(cleaned)
    assert isinstance(out, QuarantineItem)
    assert "empty-body" in out.reasons
    assert {r.split(": ")[1] for r in out.reasons if r.startswith("schema")} >= {
        "title",
        "authors/0",
        "tags",
        "image/url",
    }


def _paragraphs_by_blank_lines(text: str) -> tuple[str, int]:
    """The body as cleaning made it before reading paragraphs off ``_visible``'s lines: the
    visible text split at each blank line by a regular expression."""
    kept = [" ".join(p.split()) for p in re.split(r"\n[^\S\n]*\n", _visible(text)) if p.split()]
    return "\n\n".join(kept), sum(len(p.split()) for p in kept)


def test_paragraphs_are_those_split_at_blank_lines() -> None:
    rng = random.Random(13)
    alphabet = ["a", "bc", " ", "\n", "\n\n", " \n ", "\r\n", "\r", "\u2028", "\u2029", "\t",
                "\x1c", "\x85", "\u00a0", "\u200b", "&amp;", "&#10;", "e\u0301", "\x00"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert counted_body(text) == _paragraphs_by_blank_lines(text), repr(text)
