"""The near-duplicate index's full signatures, kept in a temporary file instead of memory.

A first run keeps every story's signature until it ends (512 bytes a story at 128
permutations, the largest thing it holds per story), but reads a signature whole only for a
candidate whose low bytes, which stay in memory, could reach the threshold: a few stories in
a run, not hundreds a story. So the signatures go to an unnamed temporary file, one fixed-size
record per row, written once (or again when a story's content changed) and read back by row.
The kernel's page cache holds what was written recently, and the crawl's resident memory no
longer grows by them.

The file is unlinked from the start (``tempfile.TemporaryFile``): nothing is left behind when
the crawl ends or is killed. A failed write (a full disk) raises ``SignatureFileError``, which
names the file's directory; the dedupe cannot judge a story without its signature.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np

Signature = np.ndarray[Any, Any]


class SignatureFileError(OSError):
    """A signature could not be written or read back."""


class SignatureFile:
    def __init__(self, num_perm: int, dtype: np.dtype[Any]) -> None:
        self.num_perm = num_perm
        self.dtype = dtype
        self._record = num_perm * dtype.itemsize
        # Open for as long as the index lives (``close``), not for a ``with`` block.
        self._file = tempfile.TemporaryFile(prefix="newscrawl-signatures-")  # noqa: SIM115
        self._fd = self._file.fileno()

    def write(self, row: int, signature: Signature) -> None:
        data = signature.astype(self.dtype, copy=False).tobytes()
        try:
            written = os.pwrite(self._fd, data, row * self._record)
        except OSError as exc:
            raise SignatureFileError(
                exc.errno, f"near-duplicate signatures cannot be written to a temporary file "
                f"in {tempfile.gettempdir()}: {exc.strerror}") from exc
        if written != len(data):
            raise SignatureFileError(f"near-duplicate signatures: a short write ({written} of "
                                     f"{len(data)} bytes) in {tempfile.gettempdir()}")

    def read(self, rows: Signature) -> Signature:
        """The signatures of ``rows`` (each written before), one array row each."""
        out = np.empty((len(rows), self.num_perm), dtype=self.dtype)
        if not len(rows):
            return out
        view = out.data.cast("B")
        size = self._record
        for n, row in enumerate(rows.tolist()):
            try:
                got = os.preadv(self._fd, [view[n * size:(n + 1) * size]], row * size)
            except OSError as exc:
                raise SignatureFileError(
                    exc.errno, f"near-duplicate signatures cannot be read back: "
                    f"{exc.strerror}") from exc
            if got != size:
                raise SignatureFileError(f"near-duplicate signatures: row {row} was never "
                                         f"written ({got} of {size} bytes read)")
        return out

    def close(self) -> None:
        self._file.close()
