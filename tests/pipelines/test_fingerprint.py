"""The fast signing path computes exactly what datasketch would: stored signatures depend on it."""

from __future__ import annotations

import random
import re
import zlib
from itertools import pairwise

import numpy as np
import pytest
from datasketch import MinHash

from newscrawl.fingerprint import (
    MINHASH_SEED,
    MinHashSigner,
    shingle_hashes,
    shingles,
    words_of,
)

from .stories import BODY

TEXTS = [
    "",
    "one",
    BODY,
    "“Rice,” he said — and left… Prices rose 3.5% in Q1_2026; it’s ‘fine’.",
    "Kelvin \u212a, İstanbul, ÇAĞ, naïve café, Straße, ﬁne, 日本語 テキスト",
    "tab\tnew\nline\r\nno-break\u00a0space thin\u2009space narrow\u202fspace",
]


def reference_shingles(text: str) -> list[bytes]:
    """The shingles as first written: ``\\w+`` on the lower-cased text, joined by a space."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < 2:
        return [" ".join(words).encode()] if words else []
    return [f"{a} {b}".encode() for a, b in pairwise(words)]


def random_texts(count: int) -> list[str]:
    rng = random.Random(11)
    alphabet = "aZ_09 ’“”‘—–\u00a0…é\u212aİßǅ\u2009\u202f\n\t.,'\"-日"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


@pytest.mark.parametrize("text", TEXTS + random_texts(300))
def test_shingles_and_their_hashes_match_the_regular_expression(text: str) -> None:
    expected = reference_shingles(text)
    assert shingles(text) == expected
    assert shingle_hashes(text).tolist() == [zlib.crc32(s) for s in expected]
    assert [w.decode() for w in words_of(text)] == re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("text", TEXTS + random_texts(50))
def test_sign_equals_datasketch_update_batch(text: str) -> None:
    signer = MinHashSigner(128)
    reference = MinHash(num_perm=128, seed=MINHASH_SEED, hashfunc=zlib.crc32)
    reference.update_batch(reference_shingles(text))
    signed = signer.sign(text)
    assert signed.hashvalues.dtype == reference.hashvalues.dtype
    assert np.array_equal(signed.hashvalues, reference.hashvalues)
    assert signed.jaccard(reference) == 1.0
    assert (signed.seed, signed.hashfunc, signed.scheme) == (MINHASH_SEED, zlib.crc32, "affine32")
    assert np.array_equal(signed.permutations, reference.permutations)
    assert signer.kind == "minhash/affine32/crc32/w2/p128/s1"
