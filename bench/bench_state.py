"""The SQLite state store at scale: lookups per second with 100,000 stored stories.

    .venv/bin/python bench/bench_state.py [--stories 100000] [--lookups 20000]

Fills a fresh store under a temporary directory (committed in batches of 2,000, as a stored
feed slot would), then times, on random keys: ``get`` by id, ``get`` by URL (canonicalise and
hash, then by id), a miss, ``ids_with_content_hash`` (hit and miss); then the cost of opening
the file (integrity check included), of loading the recent signatures into the near-duplicate
index, and the file size. Prints figures and ratios.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from newscrawl.fingerprint import MinHashSigner, field_digests
from newscrawl.pipelines.near_duplicates import NearDuplicateIndex
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StoredStory
from newscrawl.urls import SECTION_URL, story_id

RUN = "bench"
BATCH = 2000


def url_of(n: int) -> str:
    return f"{SECTION_URL}/20{20 + n % 7}/{1 + n % 12:02d}/{1 + n % 28:02d}/story-number-{n}"


def fill(store: SqliteStateStore, count: int, signer: MinHashSigner) -> list[float]:
    """Commit ``count`` stories in batches; returns seconds per batch."""
    rng = random.Random(1)
    vocabulary = [f"w{n}" for n in range(20_000)]
    template = signer.sign(" ".join(rng.choices(vocabulary, k=400)))
    signature = signer.to_bytes(template)
    digests = field_digests({"title": "t", "body": "b", "authors": [], "tags": []})
    batches: list[float] = []
    for start in range(0, count, BATCH):
        ids = []
        for n in range(start, min(count, start + BATCH)):
            url = url_of(n)
            published = f"20{20 + n % 7}-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00+08:00"
            story = StoredStory(
                id=story_id(url),
                url=url,
                content_hash=f"{n:064x}",
                signature=signature,
                signature_kind=signer.kind,
                field_digests=digests,
                duplicate_of=None,
                published_at=published,
                modified_at=None,
                first_seen="2026-01-01T00:00:00.000000+00:00",
                last_seen="2026-01-01T00:00:00.000000+00:00",
                version=1,
            )
            store.stage(story)
            ids.append(story.id)
        began = time.perf_counter()
        store.commit(RUN, ids)
        batches.append(time.perf_counter() - began)
    return batches


def rate(func: Callable[[str], object], keys: Sequence[str]) -> float:
    """Calls per second of ``func`` over ``keys``."""
    began = time.perf_counter()
    for key in keys:
        func(key)
    return len(keys) / (time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    args = parser.parse_args(argv)
    signer = MinHashSigner(128)
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite"
        store = SqliteStateStore(path)
        store.begin_run(RUN, "2026-11-27T00:00:00+00:00")
        batches = fill(store, args.stories, signer)
        per_story = sum(batches) / args.stories * 1e6
        print(
            f"{args.stories} stories committed in batches of {BATCH}: "
            f"{statistics.median(batches) * 1e3:.1f} ms per batch, {per_story:.1f} µs per story"
        )

        picks = [rng.randrange(args.stories) for _ in range(args.lookups)]
        ids = [story_id(url_of(n)) for n in picks]
        urls = [url_of(n) + "/?utm_source=x" for n in picks]  # a variant, as links write them
        missing = [f"{n:016x}" for n in range(args.lookups)]
        hashes = [f"{n:064x}" for n in picks]
        unknown = [f"{n:064x}".replace("0", "f", 1) for n in picks]
        rates = {
            "get by id (hit)": rate(store.get, ids),
            "get by URL (canonicalise + hash + get)": rate(lambda u: store.get(story_id(u)), urls),
            "get by id (miss)": rate(store.get, missing),
            "ids_with_content_hash (hit)": rate(store.ids_with_content_hash, hashes),
            "ids_with_content_hash (miss)": rate(store.ids_with_content_hash, unknown),
        }
        base = rates["get by id (hit)"]
        print(f"\n{'lookup':<42}{'per second':>12}{'vs get by id':>14}")
        for name, value in rates.items():
            print(f"{name:<42}{value:>12,.0f}{value / base:>14.2f}")
        store.close()

        began = time.perf_counter()
        store = SqliteStateStore(path)
        opening = time.perf_counter() - began
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        index = NearDuplicateIndex(0.8, signer.num_perm)
        for row in store.signatures(signer.kind, "2000-01-01T00:00:00+08:00"):
            minhash = signer.from_bytes(row.signature)
            if minhash is not None:
                index.add(row.id, (row.first_seen, 0), minhash)
        loading = time.perf_counter() - began
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        window = len(index) * 30 / (365 * 7)  # the stories span 7 years; the default window 30 d
        size = path.stat().st_size + path.with_name(path.name + "-wal").stat().st_size
        store.close()
    print(f"\nopen (header, schema version, quick_check): {opening * 1e3:.0f} ms")
    print(
        f"load all {len(index)} signatures into the near-duplicate index: {loading:.1f} s, "
        f"peak memory +{grown:.0f} MiB; a 30-day window holds ~{window:.0f} of them"
    )
    print(f"file size: {size / 1_048_576:.1f} MiB ({size / args.stories:.0f} bytes per story)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
