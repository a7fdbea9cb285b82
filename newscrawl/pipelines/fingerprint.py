"""Fingerprints of a story's content: exact (``content_hash``), per field, and near-duplicate.

All are computed on the cleaned record, so the same story read twice gives the same values, and
all are stable across processes and machines (no ``hash()``), because they are stored and
compared across runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Mapping
from itertools import pairwise
from typing import Any, Final

import numpy as np
from datasketch import MinHash

# The fields whose change makes a new version of a story (``changed_fields``).
TRACKED_FIELDS: Final = ("title", "body", "authors", "tags", "modified_at")

# Word bigrams (``shingles`` is written for k=2): a wire story re-edited for a second URL swaps
# single words ("strong" -> "robust"), and each swap kills k shingles; with k=2 the replica's
# Reuters pair keeps a Jaccard of ~0.9 while unrelated stories stay under ~0.35
# (tests/pipelines/test_near_duplicate_pair.py prints the figures).
SHINGLE_WORDS: Final = 2
MINHASH_SEED: Final = 1
_WORD_RE: Final = re.compile(r"\w+")


def content_hash(title: str, body: str) -> str:
    """sha256 hex of the title and the body: equal for the same text at any URL."""
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def field_digests(record: Mapping[str, Any]) -> dict[str, str]:
    """A 16-hex digest of each tracked field's value (JSON, so lists and None compare too)."""
    return {
        name: hashlib.sha256(
            json.dumps(record.get(name), ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()[:16]
        for name in TRACKED_FIELDS
    }


def changed_fields(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Tracked fields whose digest differs, in ``TRACKED_FIELDS`` order."""
    return [name for name in TRACKED_FIELDS if old.get(name) != new.get(name)]


def shingles(text: str) -> list[bytes]:
    """Lower-cased word k-grams, in text order; punctuation and quotes are not differences.

    A list, not a set: MinHash keeps minima, so a repeated shingle changes nothing, and
    building the set cost more than hashing the repeats.
    """
    words = _WORD_RE.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()] if words else []
    return [f"{a} {b}".encode() for a, b in pairwise(words)]


class MinHashSigner:
    """Builds MinHash signatures of one recipe and turns them to and from stored bytes.

    The permutations are drawn once per signer: datasketch would draw them again for every
    MinHash. Shingles are hashed with CRC-32 (C, stable across processes) rather than
    datasketch's SHA-1, which cost a microsecond per shingle; the affine32 scheme runs every
    input hash through the MurmurHash3 finalizer first, so CRC's linearity does not leak into
    the permutations.
    """

    def __init__(self, num_perm: int) -> None:
        self.num_perm = num_perm
        self._template = MinHash(num_perm=num_perm, seed=MINHASH_SEED, hashfunc=zlib.crc32)
        self.scheme: str = self._template.scheme
        # Stored signatures are comparable only with this exact recipe.
        self.kind = f"minhash/{self.scheme}/crc32/w{SHINGLE_WORDS}/p{num_perm}/s{MINHASH_SEED}"

    def sign(self, text: str) -> MinHash:
        minhash = MinHash(
            num_perm=self.num_perm,
            seed=MINHASH_SEED,
            hashfunc=zlib.crc32,
            permutations=self._template.permutations,
            scheme=self.scheme,
        )
        minhash.update_batch(shingles(text))
        return minhash

    def to_bytes(self, minhash: MinHash) -> bytes:
        values: np.ndarray[Any, Any] = minhash.hashvalues
        return bytes(values.astype(values.dtype.newbyteorder("<")).tobytes())

    def from_bytes(self, data: bytes) -> MinHash | None:
        """The signature stored as ``data``, or None when its size does not fit this recipe."""
        dtype = np.dtype(self._template.hashvalues.dtype).newbyteorder("<")
        if len(data) != self.num_perm * dtype.itemsize:
            return None
        return MinHash(
            seed=MINHASH_SEED,
            hashvalues=np.frombuffer(data, dtype=dtype),
            permutations=self._template.permutations,
            scheme=self.scheme,
        )
