"""The story text of a page whose layout no parser knows: two general-purpose extractors, the
first one's reading trimmed where the second one does not back it.

- trafilatura (precision mode) reads the page: the best single extractor on the benchmark set
  (``bench/bench_fallback.py``), but it keeps page furniture at the edges of the body (a
  newsletter box, a list of related headlines, the headline itself) on some sites.
- readability (Arc90's scorer, in the fork that trafilatura ships and runs as its own fallback:
  as good a second opinion here as ``readability-lxml`` and five times faster, with no new
  dependency) picks the one container with the densest prose. It makes other mistakes (it drops
  embedded posts, keeps captions), so it never adds text: it only decides whether the first and
  last lines of trafilatura's reading are part of the story.
  Lines are trimmed from each end while readability holds less than half of their four-word runs;
  a line in the middle is never dropped (a quote or an embedded post sits there).
- The trimming needs the two to agree on the core of the story (most of trafilatura's text is in
  readability's: they chose the same container); when they do not, trafilatura's reading is kept
  whole, since it is the better reader alone.
- Precision mode sometimes keeps a notice and drops the body. When its reading is much shorter
  than readability's and not inside it, trafilatura reads again in recall mode, and if that does
  not agree with readability either, readability's reading is used: a page with prose is never
  left empty or reduced to a notice.

The caller removes furniture it knows from the tree first (only what it knows exactly: a class
that merely *contains* a word like ``advert`` also names whole-page wrappers on other sites, and
removing the headline or tables made trafilatura drop the container they sat in).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable

from lxml import etree
from lxml.html import HtmlElement, fromstring

from newscrawl.pages import shingles
from newscrawl.pages.css import squash

log = logging.getLogger(__name__)

# A line at the edge stays when the second reader holds at least this share of its shingles.
EDGE_SUPPORT = 0.5
# Both readers chose the same container when the second holds this share of the first's text;
# only then may one trim the other. (Where readability read another part of the page, it held at
# most 57 % on the benchmark set; where both read the story, 74 % or more.)
CORE_AGREEMENT = 0.7
# A precision reading with fewer words than this share of readability's lost the body.
SHORT_READING = 0.5
# Fewer words than this inside the title are not taken for the headline.
MIN_HEADLINE_WORDS = 4
# Readability returns the whole document when it finds no candidate: its head is no text.
_NOT_TEXT_TAGS = frozenset({"head", "script", "style", "noscript", "template"})
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "td", "th", "br", "section", "article", "figure", "figcaption", "dd", "dt",
    "header", "footer", "aside", "nav", "main",
})


def read_body(tree: HtmlElement, url: str, headings: Iterable[str]) -> list[str]:
    """The story's lines in order. ``tree`` is the page's tree cleaned of known furniture (left
    unchanged), ``headings`` the page's titles (left out of the body)."""
    lines = choose_reading(
        _trafilatura_lines(tree, url, precise=True), _readability_lines(tree),
        lambda: _trafilatura_lines(tree, url, precise=False),
    )
    return drop_headline(lines, headings)


def choose_reading(precise: list[str], second: list[str],
                   reread: Callable[[], list[str]]) -> list[str]:
    """The precise reading trimmed by the second one; ``reread`` (recall mode) is called only
    when the precise reading lost the body."""
    lines = precise
    if _lost_the_body(lines, second):
        lines = reread()
        if not agrees(lines, second):
            lines = second
    return trim_edges(lines, second) if lines else second


def trim_edges(lines: list[str], second: list[str]) -> list[str]:
    """``lines`` without the leading and trailing lines that ``second`` does not back."""
    if not agrees(lines, second):
        return lines
    other_text = "\n".join(second)
    other = set(shingles.shingles(other_text))
    joined = " ".join(shingles.tokens(other_text))
    start, end = 0, len(lines)
    while start < end and shingles.support(lines[start], other, joined) < EDGE_SUPPORT:
        start += 1
    while end > start and shingles.support(lines[end - 1], other, joined) < EDGE_SUPPORT:
        end -= 1
    return lines[start:end]


def agrees(lines: list[str], second: list[str]) -> bool:
    """Whether ``second`` holds most of the text of ``lines``: both read the same container."""
    if not lines or not second:
        return False
    other = shingles.shingles("\n".join(second))
    own = shingles.shingles("\n".join(lines))
    return sum(c for run, c in own.items() if run in other) >= CORE_AGREEMENT * sum(own.values())


def drop_headline(lines: list[str], headings: Iterable[str]) -> list[str]:
    """Without a first line that is the headline (or part of the page title, which adds the
    site's name): the record has the headline in its own field."""
    titles = [f" {' '.join(shingles.tokens(h)).lower()} " for h in headings]
    while lines:
        words = shingles.tokens(lines[0])
        first = f" {' '.join(words).lower()} "
        # A few words inside the title may be a dateline or a name, not the headline.
        if not any(first == title or (len(words) >= MIN_HEADLINE_WORDS and first in title)
                   for title in titles):
            break
        lines = lines[1:]
    return lines


def _lost_the_body(lines: list[str], second: list[str]) -> bool:
    """A reading much shorter than readability's and mostly outside it: a notice, not the body.
    (A short reading inside readability's is a stricter cut of the same story: it stands.)"""
    words = sum(len(shingles.tokens(line)) for line in lines)
    short = words < SHORT_READING * sum(len(shingles.tokens(line)) for line in second)
    return short and not agrees(lines, second)


# trafilatura is imported where it reads, not with the module: every crawl imports the page
# classes, and trafilatura (with courlan and its settings) took ~0.3-0.4 s of CPU at each
# start, for the few pages of a crawl that fall back to it, if any.


def _trafilatura_lines(tree: HtmlElement, url: str, *, precise: bool) -> list[str]:
    import trafilatura

    text = trafilatura.extract(
        copy.deepcopy(tree), url=url, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False,
        favor_precision=precise, favor_recall=not precise,
    )
    return _lines((text or "").split("\n"))


def _readability_lines(tree: HtmlElement) -> list[str]:
    from trafilatura.readability_lxml import Document

    try:
        # A fragment, or a whole document when it found no candidate (a frameset, say).
        root = fromstring(Document(copy.deepcopy(tree)).summary())
    except (etree.ParserError, ValueError) as exc:
        # A second opinion only: without it, trafilatura's reading stands untrimmed.
        log.debug("readability could not read the page: %s", exc)
        return []
    parts: list[str] = []
    _block_text(root, parts)
    return _lines("".join(parts).split("\n"))


def _block_text(el: HtmlElement, parts: list[str]) -> None:
    """Text with a line break around each block element, none inside a line of prose."""
    block = isinstance(el.tag, str) and el.tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NOT_TEXT_TAGS:
            _block_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def _lines(texts: Iterable[str]) -> list[str]:
    return [line for line in (squash(t) for t in texts) if line]
