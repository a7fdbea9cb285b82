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
from dataclasses import dataclass
from itertools import islice, pairwise, repeat
from typing import Any, Final

import numpy as np

from newscrawl.json_text import json_bytes

# The fields whose change makes a new version of a story (``changed_fields``).
TRACKED_FIELDS: Final = ("title", "body", "authors", "tags", "modified_at")

# Word bigrams (``shingles`` is written for k=2): a wire story re-edited for a second URL swaps
# single words ("strong" -> "robust"), and each swap kills k shingles; with k=2 the replica's
# Reuters pair keeps a Jaccard of ~0.9 while unrelated stories stay under ~0.35
# (tests/pipelines/test_near_duplicate_pair.py prints the figures).
SHINGLE_WORDS: Final = 2
MINHASH_SEED: Final = 1
_WORD_RE: Final = re.compile(r"\w+")
# What json.dumps(value, ensure_ascii=False, sort_keys=True) builds on every call.
_DIGEST_JSON: Final = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
# Characters of news text outside ASCII that ``\w`` does not match: curly quotes, dashes,
# no-break and thin spaces, the ellipsis.
_NON_WORD_SEPARATORS: Final = (
    "\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u00a0", "\u2009",
    "\u202f", "\u2026",
)
_ASCII_NON_WORD_TO_SPACE: Final = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == ord("_")) else ord(" ")
    for c in range(256)
)
_AFFINE32: Final = "affine32"
# The empty signature's value in every slot (datasketch's affine32 maximum).
_EMPTY: Final = np.uint32(2**32 - 1)
# How a signature is stored: little-endian uint32, one per permutation.
_STORED: Final = np.dtype("<u4")
# MurmurHash3's 32-bit finalizer, as datasketch applies it before the affine32 permutations.
_FMIX32: Final = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def content_hash(title: str, body: str) -> str:
    """sha256 hex of the title and the body: equal for the same text at any URL."""
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def field_digests(record: Mapping[str, Any]) -> dict[str, str]:
    """A 16-hex digest of each tracked field's value (JSON, so lists and None compare too)."""
    return {
        name: hashlib.sha256(_digest_json(record.get(name))).hexdigest()[:16]
        for name in TRACKED_FIELDS
    }


def _digest_json(value: Any) -> bytes:
    """The UTF-8 of ``json.dumps(value, ensure_ascii=False, sort_keys=True)``: the digests are
    stored, so these bytes never change (``json_bytes`` writes the same, faster)."""
    data = json_bytes(value, sort_keys=True)
    return data if data is not None else _DIGEST_JSON.encode(value).encode()


def changed_fields(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Tracked fields whose digest differs, in ``TRACKED_FIELDS`` order."""
    return [name for name in TRACKED_FIELDS if old.get(name) != new.get(name)]


def shingles(text: str) -> list[bytes]:
    """Lower-cased word k-grams, in text order; punctuation and quotes are not differences.

    A list, not a set: MinHash keeps minima, so a repeated shingle changes nothing, and
    building the set cost more than hashing the repeats.
    """
    words = words_of(text)
    if len(words) < SHINGLE_WORDS:
        return [b" ".join(words)] if words else []
    return [b" ".join(pair) for pair in pairwise(words)]


def shingle_hashes(text: str) -> np.ndarray[Any, np.dtype[np.uint32]]:
    """CRC-32 of each of ``shingles(text)``, in the same order, straight into an array.

    All in C (``map``, ``crc32``, ``fromiter``): a Python loop over the shingles cost more
    than the hashing. A shingle is not joined: ``crc32(data, value)`` goes on from the CRC of
    what came before, so the CRC of ``first + b" " + second`` is that of ``second`` started
    from the CRC of ``first + b" "`` (zlib's own streaming: the same value, no bytes made).
    """
    words = words_of(text)
    if len(words) < SHINGLE_WORDS:
        return np.array([zlib.crc32(b" ".join(words))] if words else [], dtype=np.uint32)
    crc32 = zlib.crc32
    word_and_space = map(crc32, repeat(b" "), map(crc32, words))
    return np.fromiter(map(crc32, islice(words, 1, None), word_and_space), dtype=np.uint32,
                       count=len(words) - 1)


def words_of(text: str) -> list[bytes]:
    """The words of ``text`` lower-cased, as UTF-8: the matches of ``\\w+``, in order.

    The regular expression is slow on text that is not ASCII, and a story is ASCII but for a
    few quotes and dashes. Those only separate words (``\\w`` matches none of them), so they
    become spaces; text that is then ASCII is split in C, where ``\\w`` is ``[0-9A-Za-z_]``.
    """
    lowered = text.lower()
    for separator in _NON_WORD_SEPARATORS:
        if separator in lowered:
            lowered = lowered.replace(separator, " ")
    if lowered.isascii():
        return lowered.encode("ascii").translate(_ASCII_NON_WORD_TO_SPACE).split()
    return [word.encode() for word in _WORD_RE.findall(lowered)]


@dataclass(frozen=True, slots=True, eq=False)
class MinHashSignature:
    """A story's MinHash values (uint32, this machine's byte order), one per permutation.

    The values ``datasketch.MinHash(..., scheme="affine32").hashvalues`` would hold; kept in
    a value of our own because importing datasketch imports scipy (~1 CPU-s per process).
    """

    values: np.ndarray[Any, np.dtype[np.uint32]]

    def jaccard(self, other: MinHashSignature) -> float:
        """The Jaccard estimate ``MinHash.jaccard`` gives: the share of equal values."""
        if len(self.values) != len(other.values):
            raise ValueError("Cannot compare signatures of different sizes")
        return float(np.count_nonzero(self.values == other.values)) / len(self.values)


class MinHashSigner:
    """Builds MinHash signatures of one recipe and turns them to and from stored bytes.

    The recipe is datasketch's ``MinHash`` with the affine32 scheme, seed ``MINHASH_SEED`` and
    CRC-32 as the hash function, computed here without datasketch (its import costs a second
    of CPU in every process, for scipy); tests/pipelines/test_fingerprint.py checks that the
    permutations and signatures equal datasketch's. Shingles are hashed with CRC-32 (C, stable
    across processes) rather than datasketch's SHA-1, which cost a microsecond per shingle;
    the affine32 scheme runs every input hash through the MurmurHash3 finalizer first, so
    CRC's linearity does not leak into the permutations.

    ``sign`` computes what ``MinHash.update_batch(shingles(text))`` would, in one pass of
    array arithmetic over the shingle hashes (``shingle_hashes``).
    """

    def __init__(self, num_perm: int) -> None:
        self.num_perm = num_perm
        self.scheme: str = _AFFINE32
        self._a, self._b = affine32_permutations(num_perm, MINHASH_SEED)
        self._empty = np.full(num_perm, _EMPTY, dtype=np.uint32)
        # Stored signatures are comparable only with this exact recipe.
        self.kind = f"minhash/{self.scheme}/crc32/w{SHINGLE_WORDS}/p{num_perm}/s{MINHASH_SEED}"

    def sign(self, text: str) -> MinHashSignature:
        hashes = shingle_hashes(text)
        if not len(hashes):
            return MinHashSignature(self._empty.copy())
        # affine32: h -> a * fmix32(h) + b per permutation, wrapping modulo 2^32 (uint32).
        permuted = np.multiply.outer(_fmix32(hashes), self._a)
        permuted += self._b
        return MinHashSignature(permuted.min(axis=0))

    def to_bytes(self, signature: MinHashSignature) -> bytes:
        return signature.values.astype(_STORED, copy=False).tobytes()

    def from_bytes(self, data: bytes) -> MinHashSignature | None:
        """The signature stored as ``data``, or None when its size does not fit this recipe."""
        if len(data) != self.num_perm * _STORED.itemsize:
            return None
        return MinHashSignature(np.frombuffer(data, dtype=_STORED).astype(np.uint32))


def affine32_permutations(
    num_perm: int, seed: int
) -> tuple[np.ndarray[Any, np.dtype[np.uint32]], np.ndarray[Any, np.dtype[np.uint32]]]:
    """The (a, b) of datasketch's affine32 permutations ``h -> a * h + b mod 2^32`` for a seed:
    the same draws from the same generator, so ``a`` is odd (a bijection)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(
    values: np.ndarray[Any, np.dtype[np.uint32]],
) -> np.ndarray[Any, np.dtype[np.uint32]]:
    shift1, multiplier1, shift2, multiplier2 = _FMIX32
    values = values ^ (values >> shift1)
    values *= multiplier1
    values ^= values >> shift2
    values *= multiplier2
    values ^= values >> shift1
    return values
