from __future__ import annotations

import random
from pathlib import Path

from newscrawl.fingerprint import MinHashSigner, content_hash, shingles
from newscrawl.items import QuarantineItem
from newscrawl.pipelines.near_duplicates import NearDuplicateIndex
from newscrawl.urls import canonical_url, story_id

from .chain import Run
from .stories import BODY, make_story, story_url

LONG = BODY + (
    "\n\nFarmers in the delta are expected to begin harvesting the main crop later this month, "
    "with yields forecast to rise about 3 per cent from a year earlier thanks to ample water."
    "\n\nTraders said the higher target reflected strong demand from the Philippines, Indonesia "
    "and Malaysia, which together bought more than half of Vietnam’s rice exports last year."
)
# The same wire story re-edited for a second URL: one word swapped, one paragraph added.
EDITED = LONG.replace("strong demand", "robust demand") + "\n\nThe ministry will review it."
OTHER = (
    "KUALA LUMPUR: Malaysia's central bank kept its policy rate unchanged on Thursday, citing "
    "steady growth and moderate inflation.\n\nEconomists had expected the decision. - Bernama"
)


def test_url_variants_are_one_story_and_the_second_is_dropped(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    variants = [
        "http://thestar.com.my/aseanplus/aseanplus-news/2026/02/12/rice/",
        "https://www.thestar.com.my/aseanplus/aseanplus-news/2026/02/12/rice?utm_source=x#goog",
    ]
    urls = {canonical_url(v) for v in variants}
    assert len(urls) == 1
    url = urls.pop()
    first, second = (make_story(url=url, id=story_id(v)) for v in variants)
    assert run.feed(first, second) == [first]
    assert run.stat("newscrawl/dedupe/url") == 1
    assert run.dropped == [f"URL already emitted in this run: {url}"]


def test_exact_copy_at_another_url_points_at_the_first(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    first = make_story("rice-a", body=LONG)
    copy = make_story("rice-b", body=LONG)
    assert copy.content_hash == first.content_hash
    run.feed(first, copy)
    assert first.duplicate_of is None
    assert copy.duplicate_of == first.id
    assert run.stat("newscrawl/dedupe/exact") == 1


def test_near_copy_at_another_url_points_at_the_first(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    first = make_story("rice-a", body=LONG)
    edited = make_story("rice-b", title="Vietnam lifts rice export goal", body=EDITED)
    unrelated = make_story("bank", title="Bank holds rate", body=OTHER)
    run.feed(first, edited, unrelated)
    assert edited.content_hash != first.content_hash
    assert edited.duplicate_of == first.id
    assert unrelated.duplicate_of is None
    assert run.stat("newscrawl/dedupe/near") == 1


def test_duplicates_are_found_across_runs_through_the_store(tmp_path: Path) -> None:
    first_run = Run(tmp_path, "r1")
    original = make_story("rice-a", body=LONG)
    first_run.feed(original)
    first_run.commit()

    second_run = Run(tmp_path, "r2")
    assert second_run.stat("newscrawl/dedupe/signatures_loaded") == 1
    exact = make_story("rice-b", body=LONG)
    near = make_story("rice-c", title="Vietnam lifts rice export goal", body=EDITED)
    second_run.feed(exact, near)
    assert (exact.duplicate_of, near.duplicate_of) == (original.id, original.id)


def test_stored_signatures_outside_the_window_are_not_loaded(tmp_path: Path) -> None:
    first_run = Run(tmp_path, "r1")
    first_run.feed(make_story("rice-a", published_at="2020-01-01T00:00:00+08:00"))
    first_run.commit()
    second_run = Run(tmp_path, "r2", NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS=30)
    assert second_run.stat("newscrawl/dedupe/signatures_loaded") == 0
    # The exact hash is an index lookup and needs no window.
    copy = make_story("rice-b")
    second_run.feed(copy)
    assert copy.duplicate_of == story_id(story_url("rice-a"))


def test_a_changed_original_never_points_at_its_later_copy(tmp_path: Path) -> None:
    first_run = Run(tmp_path, "r1")
    original, copy = make_story("rice-a", body=LONG), make_story("rice-b", body=EDITED)
    first_run.feed(original, copy)
    first_run.commit()
    assert copy.duplicate_of == original.id

    second_run = Run(tmp_path, "r2")
    revised = make_story("rice-a", body=EDITED + "\n\nThe ministry will review it in June.")
    second_run.feed(revised)
    assert revised.duplicate_of is None
    assert revised.version == 2


def test_a_copy_of_a_copy_names_the_original(tmp_path: Path) -> None:
    first_run = Run(tmp_path, "r1", NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS=0)
    original, copy = make_story("rice-a", body=LONG), make_story("rice-b", body=LONG)
    first_run.feed(original, copy)
    first_run.commit()
    assert copy.duplicate_of == original.id
    second_run = Run(tmp_path, "r2", NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS=0)
    third = make_story("rice-c", body=LONG)
    second_run.feed(third)
    assert third.duplicate_of == original.id


def test_the_same_content_hash_is_set_when_missing(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    story = make_story(content_hash="")
    run.feed(story)
    assert story.content_hash == content_hash(story.title, story.body)


def test_quarantine_items_pass_untouched(tmp_path: Path) -> None:
    run = Run(tmp_path, "r1")
    item = QuarantineItem(url="u", reasons=["r"], stage="parse", crawled_at="t")
    assert run.dedupe.process_item(item) is item


def test_signatures_round_trip_through_bytes() -> None:
    signer = MinHashSigner(64)
    minhash = signer.sign(BODY)
    back = signer.from_bytes(signer.to_bytes(minhash))
    assert back is not None and back.jaccard(minhash) == 1.0
    assert signer.from_bytes(b"\x00" * 10) is None
    assert MinHashSigner(128).kind != signer.kind


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("“Rice,” he said.") == shingles("rice he SAID")
    assert shingles("") == []
    assert shingles("one") == [b"one"]
    assert shingles("Rice export, rice") == [b"rice export", b"export rice"]


def test_the_index_prefers_the_story_seen_first() -> None:
    signer = MinHashSigner(128)
    index = NearDuplicateIndex(0.8, 128)
    minhash = signer.sign(BODY)
    index.add("late", ("2026-02-02", 0), minhash)
    index.add("early", ("2026-01-01", 0), minhash)
    match = index.first_match(minhash, before=("2026-03-01", 0), exclude="me")
    assert match is not None and match[0] == "early"
    assert index.first_match(minhash, before=("2025-12-31", 0), exclude="me") is None


def test_the_index_proposes_nearly_every_pair_at_the_threshold() -> None:
    # Pairs whose MinHash estimate reaches the threshold must come out of the LSH query; with
    # datasketch's default banding a pair at 0.8 is proposed only ~40% of the time.
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    signer = MinHashSigner(128)
    index = NearDuplicateIndex(0.8, 128)
    copies = []
    for n in range(120):
        words = rng.choices(vocabulary, k=150)
        edited = list(words)
        for position in rng.sample(range(150), 6):
            edited[position] = rng.choice(vocabulary)
        original, copy = signer.sign(" ".join(words)), signer.sign(" ".join(edited))
        index.add(f"s{n}", ("2026", n), original)
        if original.jaccard(copy) >= 0.8:
            copies.append((f"s{n}", copy))
    found = sum(
        (match := index.first_match(copy, before=("2027", 0), exclude="")) is not None
        and match[0] == original_id
        for original_id, copy in copies
    )
    print(f"\n{found} of {len(copies)} pairs at or above 0.8 proposed")
    assert len(copies) >= 30
    assert found / len(copies) >= 0.95


def test_exact_copies_are_found_whatever_the_content_hash_looks_like(tmp_path: Path) -> None:
    # The run keeps a sha256 hex hash as its bytes; any other hash is kept as it is.
    for digest in ("ab" * 32, "a hash of another kind", "zz" * 32):
        run = Run(tmp_path / digest.replace(" ", "-"), "r1")
        first = make_story("rice-a", body=LONG, content_hash=digest)
        copy = make_story("rice-b", body=OTHER, content_hash=digest)
        other = make_story("rice-c", body=BODY, content_hash="cd" * 32)
        run.feed(first, copy, other)
        assert (first.duplicate_of, copy.duplicate_of, other.duplicate_of) == (None, first.id,
                                                                                None)
        assert run.stat("newscrawl/dedupe/exact") == 1
