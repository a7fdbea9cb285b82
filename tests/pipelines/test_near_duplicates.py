"""NearDuplicateIndex proposes MinHashLSH's candidates and picks what a one-by-one check would."""

from __future__ import annotations

import random

import pytest
from datasketch import MinHash, MinHashLSH

from newscrawl.fingerprint import MINHASH_SEED, MinHashSignature, MinHashSigner
from newscrawl.pipelines.near_duplicates import NearDuplicateIndex, Order

VOCABULARY = [f"w{n}" for n in range(400)]  # small: many stories share bands, as on the site


def stories(count: int, seed: int) -> list[tuple[str, MinHashSignature]]:
    """Random stories, a fifth of them copies of an earlier one (some edited, some exact)."""
    rng = random.Random(seed)
    signer = MinHashSigner(128)
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.2:
            words = rng.choice(texts).split()
            for position in rng.sample(range(len(words)), rng.choice((0, 1, 3))):
                words[position] = rng.choice(VOCABULARY)
        else:
            words = rng.choices(VOCABULARY, k=rng.randint(20, 80))
        texts.append(" ".join(words))
    return [(f"s{n}", signer.sign(text)) for n, text in enumerate(texts)]


def as_datasketch(signature: MinHashSignature) -> MinHash:
    """The same values in datasketch's MinHash, for the reference index."""
    return MinHash(num_perm=len(signature.values), seed=MINHASH_SEED, scheme="affine32",
                   hashvalues=signature.values)


def one_by_one(
    entries: dict[str, tuple[Order, MinHash]], lsh: MinHashLSH, minhash: MinHash,
    before: Order, exclude: str, threshold: float,
) -> tuple[str, Order, float] | None:
    """The index's answer as first written: MinHashLSH, then MinHash.jaccard per candidate
    (in the order the stories were indexed, which decides between stories seen together)."""
    indexed = list(entries)
    best: tuple[str, Order, float] | None = None
    for story_id in sorted(lsh.query(minhash), key=indexed.index):
        if story_id == exclude:
            continue
        order, other = entries[story_id]
        if order >= before or (best is not None and order >= best[1]):
            continue
        similarity = float(minhash.jaccard(other))
        if similarity >= threshold:
            best = (story_id, order, similarity)
    return best


# merge_rows 1: every story merged into the sorted keys at once; 37: some in the sorted keys,
# some recent (ids indexed again leave keys behind in both); the default: all recent, never
# merged. block_rows 3 and 64: the signatures in many blocks, candidates gathered across them
# (and an id indexed again rewritten in its block); the default: all in one block.
@pytest.mark.parametrize(("merge_rows", "block_rows"),
                         [(1, 3), (37, 64), (None, None), (1, None), (None, 3)])
def test_candidates_and_matches_are_those_of_minhashlsh(merge_rows: int | None,
                                                        block_rows: int | None) -> None:
    rng = random.Random(5)
    signed = stories(400, seed=3)
    sizes = {name: value for name, value in
             (("merge_rows", merge_rows), ("block_rows", block_rows)) if value is not None}
    for threshold in (0.5, 0.8, 1.0):
        index = NearDuplicateIndex(threshold, 128, **sizes)
        # datasketch's own banding for the same threshold: the reference for lsh_bands too.
        lsh = MinHashLSH(threshold=min(threshold, 0.99), num_perm=128, weights=(0.01, 0.99))
        assert (index.bands, index.band_width) == (lsh.b, lsh.r)
        entries: dict[str, tuple[Order, MinHash]] = {}
        matched = 0
        for n, (story_id, signature) in enumerate(signed):
            minhash = as_datasketch(signature)
            # Stored stories (shared first_seen) and this run's, and some ids indexed again.
            if rng.random() < 0.1 and entries:
                story_id = rng.choice(sorted(entries))
            order: Order = ("2026-01-01", 0) if n % 7 == 0 else ("2026-02-01", n)
            before: Order = ("2026-02-01", n + 1)
            assert sorted(index.candidates(signature)) == sorted(lsh.query(minhash))
            expected = one_by_one(entries, lsh, minhash, before, story_id, threshold)
            assert index.first_match(signature, before=before, exclude=story_id) == expected
            matched += expected is not None
            if story_id in entries:
                lsh.remove(story_id)
                order = min(order, entries[story_id][0])
            lsh.insert(story_id, minhash)
            entries[story_id] = (order, minhash)
            index.add(story_id, order, signature)
        assert len(index) == len(entries)
        assert matched > 20  # the comparison saw matches, not only misses
