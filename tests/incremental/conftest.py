"""Incremental runs: crawls sharing one state store, against replicas whose stories change.

No ``__init__.py`` here: a package named ``incremental`` would shadow the one Twisted imports.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# The crawl helper of the end-to-end tests (``crawling``) and the story factories of the
# pipeline tests (``pipelines.*``), shared rather than copied.
sys.path[:0] = [str(TESTS / "e2e"), str(TESTS)]
