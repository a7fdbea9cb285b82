"""Cost of reading deeply nested pages (pages/nesting.py) next to an ordinary story page.

    .venv/bin/python bench/bench_nesting.py

Parses, side by side in one run, a saved story page and the same kind of story wrapped in N
unclosed ``<div>`` levels (N = 300, 3,000, 30,000), plus the worst page the bound still scans
(just under ``MAX_TAGS`` tags) and one past it (rejected as ``too-deep``). Prints ms per parse,
the ratio to the ordinary page, and the peak Python memory of one parse (tracemalloc: the
scan's arrays and strings; libxml2's own tree is not counted).
"""

from __future__ import annotations

import contextlib
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.pages import PageError, document  # noqa: E402
from newscrawl.pages.nesting import MAX_TAGS  # noqa: E402
from tests.pages.snippets import article_html, body_div  # noqa: E402

ORDINARY = next(iter(sorted((ROOT / "fixtures" / "pages").glob("asean*.html"))))


def nested(depth: int) -> str:
    return article_html(body="<div>" * depth + body_div())


def measure(text: str, repeat: int) -> tuple[float, float, str]:
    outcome = "parsed"
    started = time.process_time()
    for _ in range(repeat):
        try:
            document.parse(text)
        except PageError as error:
            outcome = error.reason
    ms = (time.process_time() - started) * 1000 / repeat
    tracemalloc.start()
    with contextlib.suppress(PageError):
        document.parse(text)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return ms, peak, outcome


def main() -> int:
    cases = [("ordinary story page", document.decode(ORDINARY.read_bytes()), 50)]
    cases += [(f"nested {n:,} levels", nested(n), 20 if n < 10_000 else 3)
              for n in (300, 3_000, 30_000)]
    cases += [(f"nested {MAX_TAGS - 1_000:,} (bound)", nested(MAX_TAGS - 1_000), 1),
              (f"nested {MAX_TAGS + 1_000:,} (past it)", nested(MAX_TAGS + 1_000), 1)]
    base = None
    print(f"{'page':32} {'KiB':>8} {'cpu ms':>9} {'ratio':>7} {'peak MiB':>9}  outcome")
    for name, text, repeat in cases:
        ms, peak, outcome = measure(text, repeat)
        base = base or ms
        kib = len(text) / 1024
        print(f"{name:32} {kib:8.0f} {ms:9.1f} {ms / base:7.1f} {peak:9.1f}  {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
