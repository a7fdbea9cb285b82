"""The signing path computes exactly what datasketch would: stored signatures depend on it.

datasketch stays the oracle here (and only here and in the index's tests): the crawl computes
its recipe without importing it.
"""

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
    MinHashSignature,
    MinHashSigner,
    affine32_permutations,
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


def datasketch_minhash(text: str, num_perm: int = 128) -> MinHash:
    reference = MinHash(num_perm=num_perm, seed=MINHASH_SEED, hashfunc=zlib.crc32,
                        scheme="affine32")
    reference.update_batch(reference_shingles(text))
    return reference


@pytest.mark.parametrize("text", TEXTS + random_texts(50))
def test_sign_equals_datasketch_update_batch(text: str) -> None:
    signer = MinHashSigner(128)
    reference = datasketch_minhash(text)
    signed = signer.sign(text)
    assert signed.values.dtype == reference.hashvalues.dtype
    assert np.array_equal(signed.values, reference.hashvalues)
    assert signer.scheme == reference.scheme == "affine32"
    assert signer.kind == "minhash/affine32/crc32/w2/p128/s1"


@pytest.mark.parametrize("num_perm", [16, 128, 1024])
def test_permutations_are_datasketchs(num_perm: int) -> None:
    a, b = affine32_permutations(num_perm, MINHASH_SEED)
    reference = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme="affine32").permutations
    assert a.dtype == b.dtype == reference.dtype
    assert np.array_equal(a, reference[0]) and np.array_equal(b, reference[1])


def test_stored_bytes_are_those_of_datasketchs_values() -> None:
    # What the state stores and the workers exchange: little-endian uint32, as written from
    # datasketch's hashvalues before; both ways, byte for byte.
    signer = MinHashSigner(128)
    for text in TEXTS:
        stored = datasketch_minhash(text).hashvalues.astype("<u4").tobytes()
        assert signer.to_bytes(signer.sign(text)) == stored
        back = signer.from_bytes(stored)
        assert back is not None
        assert np.array_equal(back.values, datasketch_minhash(text).hashvalues)
        assert signer.to_bytes(back) == stored
    assert signer.from_bytes(b"\x00" * 511) is None


def test_jaccard_is_datasketchs_estimate() -> None:
    signer = MinHashSigner(128)
    words = BODY.split()
    edited = " ".join(words[: len(words) // 2] + ["rewritten"] * 5 + words[len(words) // 2 :])
    ours = signer.sign(BODY).jaccard(signer.sign(edited))
    assert 0.0 < ours < 1.0
    assert ours == datasketch_minhash(BODY).jaccard(datasketch_minhash(edited))
    with pytest.raises(ValueError, match="different sizes"):
        MinHashSignature(np.zeros(3, dtype=np.uint32)).jaccard(signer.sign(BODY))
