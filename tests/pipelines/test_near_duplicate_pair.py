"""Where the default near-duplicate threshold stands on the replica's stories.

The replica holds one wire story published at two URLs (Reuters, Feb 12 2026): it must be
flagged, and no other pair of replica stories may reach the threshold. Run with ``-s`` to see
the figures.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscrawl.config import NewscrawlConfig
from newscrawl.fingerprint import MinHashSigner, shingles
from newscrawl.pipelines.clean import clean_body
from newscrawl.urls import SITE_ORIGIN

from .chain import Run
from .stories import make_story

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "site" / "articles"
PAIR = (
    "vietnam-raises-rice-export-target-as-harvest-outlook-improves",
    "vietnam-sets-higher-rice-export-goal-on-strong-harvest-outlook",
)
DEFAULTS = NewscrawlConfig.from_settings({})


@dataclass(frozen=True)
class Article:
    slug: str
    path: str
    title: str
    body: str


def load(path: Path) -> Article:
    """``+++`` TOML front matter, then paragraphs separated by blank lines."""
    _, front, text = path.read_text(encoding="utf-8").split("+++", 2)
    meta = tomllib.loads(front)
    return Article(path.stem, meta["path"], meta["title"], clean_body(text))


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    found = {a.slug: a for a in map(load, sorted(ARTICLES.glob("*.md"))) if a.body}
    if not set(PAIR) <= set(found):
        pytest.fail(f"the replica's Reuters pair is missing from {ARTICLES}")
    return found


def exact_jaccard(a: str, b: str) -> float:
    left, right = set(shingles(a)), set(shingles(b))
    return len(left & right) / len(left | right)


def test_the_default_threshold_flags_the_pair_and_nothing_else(
    articles: dict[str, Article],
) -> None:
    signer = MinHashSigner(DEFAULTS.minhash_permutations)
    threshold = DEFAULTS.near_duplicate_threshold
    signatures = {slug: signer.sign(a.body) for slug, a in articles.items()}
    first, second = PAIR
    pair = float(signatures[first].jaccard(signatures[second]))
    others = sorted(
        (
            (float(signatures[a].jaccard(signatures[b])), a, b)
            for a, b in itertools.combinations(sorted(articles), 2)
            if {a, b} != set(PAIR)
        ),
        reverse=True,
    )
    closest, a, b = others[0]
    print(
        f"\nthreshold {threshold} ({signer.kind}); Reuters pair: MinHash {pair:.3f}, exact "
        f"{exact_jaccard(articles[first].body, articles[second].body):.3f}; closest of the "
        f"{len(others)} other pairs: {closest:.3f} ({a} / {b})"
    )
    assert pair >= threshold
    assert closest < threshold


def test_the_pipeline_marks_the_second_url_as_a_duplicate_of_the_first(
    tmp_path: Path,
    articles: dict[str, Article],
) -> None:
    run = Run(tmp_path, "r1")
    stories = [
        make_story(
            url=SITE_ORIGIN + articles[slug].path,
            title=articles[slug].title,
            body=articles[slug].body,
        )
        for slug in PAIR
    ]
    run.feed(*stories)
    assert stories[0].duplicate_of is None
    assert stories[1].duplicate_of == stories[0].id
    assert run.stat("newscrawl/dedupe/near") == 1
