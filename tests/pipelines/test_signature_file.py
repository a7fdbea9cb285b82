"""The near-duplicate signatures' temporary file: rows read back as written, rewritten in
place, and a failure named, never a wrong signature."""

from __future__ import annotations

import numpy as np
import pytest

from newscrawl.pipelines.signature_file import SignatureFile, SignatureFileError


def signatures(count: int, num_perm: int = 16) -> np.ndarray:
    return np.random.default_rng(7).integers(0, 2**32, size=(count, num_perm), dtype=np.uint32)


def test_rows_read_back_as_written_in_any_order() -> None:
    file = SignatureFile(16, np.dtype(np.uint32))
    rows = signatures(50)
    for row in (3, 0, 49, 1, *range(2, 49)):
        file.write(row, rows[row])
    picked = np.array([0, 7, 8, 49], dtype=np.intp)
    assert np.array_equal(file.read(picked), rows[picked])
    assert file.read(np.array([], dtype=np.intp)).shape == (0, 16)
    file.close()


def test_a_row_written_again_reads_back_its_new_values() -> None:
    file = SignatureFile(16, np.dtype(np.uint32))
    old, new = signatures(2)
    file.write(0, old)
    file.write(1, old)
    file.write(0, new)
    assert np.array_equal(file.read(np.array([0, 1])), np.stack([new, old]))
    file.close()


def test_a_row_never_written_is_an_error_not_zeros() -> None:
    file = SignatureFile(16, np.dtype(np.uint32))
    file.write(0, signatures(1)[0])
    with pytest.raises(SignatureFileError, match="row 5 was never written"):
        file.read(np.array([5]))
    file.close()


def test_a_closed_file_cannot_be_written_silently() -> None:
    file = SignatureFile(16, np.dtype(np.uint32))
    file.close()
    with pytest.raises((SignatureFileError, ValueError)):
        file.write(0, signatures(1)[0])
