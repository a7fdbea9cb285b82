"""A synthetic replica in its own process, for the benchmarks: the server must not share the
crawler's CPU time or interpreter, or the figures would measure both at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


@contextmanager
def replica(articles: int, seed: int = 1, latency: float = 0.0,
            others_source: str = "api", section_articles: int = 0) -> Iterator[str]:
    """Serve ``articles`` synthetic stories (deterministic for ``seed``); yields the origin.

    ``latency``: every page is answered that many seconds late (the replica's ``slow`` fault).
    ``others_source``: how pages deliver "Others Also Read" (``--others-source``).
    ``section_articles``: that many more in each other section the replica lists
    (``--section-articles``)."""
    slow = ["--fault", f"slow=1:{latency}", "--fault-scope", "pages"] if latency else []
    process = subprocess.Popen(
        [str(BIN / "newscrawl"), "replica", "serve", "--port", "0", "--articles", str(articles),
         "--seed", str(seed), "--others-source", others_source,
         "--section-articles", str(section_articles), *slow],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if len(line) < 2 or line[0] != "serving":
            raise RuntimeError(f"the replica did not start: {line}")
        yield line[1].split("/aseanplus/")[0]
    finally:
        process.terminate()
        process.wait(timeout=30)
