"""Link blocks after the story ("Next In …", "Others Also Read") found by markup or by heading.

The site's class names for these blocks are not known, so a block is also found from its
heading text: the links that follow the heading, up to the next heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.pages.css import is_inside, squash
from newscrawl.urls import is_parseable_url

# The heading tags a block's heading is looked for first (h1 is the story's headline).
_BLOCK_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
# Text nodes holding the heading's first word in any of its usual casings; the exact,
# case-insensitive test is done in Python on these few (an XPath translate() over every text
# node of the page costs more than the rest of the parse).
_WORD_XPATH = etree.XPath(
    "//body//text()[contains(., $title) or contains(., $upper) or contains(., $lower)]"
)
# A heading is short; anything longer that starts with the words is prose.
_MAX_HEADING_CHARS = 80
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE_TAGS = frozenset({"a", "span", "strong", "b", "em", "i", "font", "small"})


def heading_tags(doc: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """The page's ``h2``-``h6`` elements in page order, each with its text as ``find_headings``
    compares it; listed once for all the blocks a page is searched for."""
    return [(tag, squash(tag.text_content()).lower()) for tag in doc.iter(*_BLOCK_HEADING_TAGS)]


def find_headings(
    doc: HtmlElement, text: str, outside: HtmlElement | None = None,
    tags: Sequence[tuple[HtmlElement, str]] | None = None,
) -> list[HtmlElement]:
    """Elements whose whole (short) text starts with ``text``, case-insensitive, in page order.

    Elements inside ``outside`` (the story body) are ignored: prose may start the same way.
    ``tags``: ``heading_tags(doc)``, when the caller has listed them already.
    """
    needle = squash(text).lower()
    found: list[HtmlElement] = []
    # Heading tags are few and cheap to list; any element is searched only when none matches.
    for tag, tag_text in heading_tags(doc) if tags is None else tags:
        if tag_text.startswith(needle):
            _add_heading(found, tag, needle, outside)
    if found:
        return found
    word = needle.split(" ", 1)[0]
    hits = _WORD_XPATH(doc, title=word.title(), upper=word.upper(), lower=word)
    assert isinstance(hits, list)
    for hit in hits:
        parent = getattr(hit, "getparent", lambda: None)()
        if getattr(hit, "is_tail", False) and parent is not None:
            parent = parent.getparent()  # a tail belongs to the element that contains it
        if isinstance(parent, HtmlElement):
            _add_heading(found, parent, needle, outside)
    return found


def _add_heading(
    found: list[HtmlElement], start: HtmlElement, needle: str, outside: HtmlElement | None
) -> None:
    heading = _widest_heading(start, needle)
    if heading is None or heading in found:
        return
    if outside is not None and is_inside(heading, outside):
        return
    found.append(heading)


def links_after(heading: HtmlElement, stops: Sequence[HtmlElement] = ()) -> list[HtmlElement]:
    """``<a href>`` elements that follow ``heading``, up to the next heading or any of ``stops``
    (an href that is no URL, such as ``http://[oops/``, is left out).

    When the heading is wrapped alone (``<div><h3>…</h3></div><ul>…``), the search moves up to
    the wrapper, but never past an element that has siblings: an empty list stays empty.
    """
    node: HtmlElement | None = heading
    while node is not None:
        siblings = [s for s in node.itersiblings() if isinstance(s.tag, str)]
        if siblings:
            links: list[HtmlElement] = []
            for sibling in siblings:
                if _is_boundary(sibling, stops):
                    break
                links.extend(a for a in sibling.iter("a") if _has_usable_href(a))
            return links
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return []
        node = parent
    return []


def links_in(containers: Iterable[HtmlElement], heading_text: str) -> list[HtmlElement]:
    """``<a href>`` elements in block containers, leaving out links inside their heading (and
    hrefs that are no URL)."""
    needle = squash(heading_text).lower()
    links: list[HtmlElement] = []
    for container in containers:
        for a in container.iter("a"):
            if _has_usable_href(a) and not squash(a.text_content()).lower().startswith(needle):
                links.append(a)
    return links


def _has_usable_href(a: HtmlElement) -> bool:
    """An href that is a URL: one like ``http://[oops/`` is left out of the block (the site's
    markup error must not cost the story its page)."""
    href = a.get("href")
    return bool(href) and is_parseable_url(str(href))


def _widest_heading(start: HtmlElement, needle: str) -> HtmlElement | None:
    """The element that is the heading: ``start`` widened to an enclosing heading tag or a
    wrapper that holds nothing else, but never to the block that also holds the list."""
    text = squash(start.text_content()).lower()
    while not text.startswith(needle):
        # The first words alone ("<span>Next</span> In …"): the heading is further out.
        parent = start.getparent()
        if not needle.startswith(text) or parent is None or parent.tag in ("body", "html"):
            return None
        start = parent
        text = squash(start.text_content()).lower()
    if len(text) > _MAX_HEADING_CHARS:
        return None
    node = start
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return node
        children = [c for c in parent if isinstance(c.tag, str)]
        wraps_only_node = len(children) == 1
        if not (node.tag in _INLINE_TAGS or wraps_only_node):
            return node
        if len(squash(parent.text_content())) > _MAX_HEADING_CHARS:
            return node
        node = parent


def _is_boundary(sibling: HtmlElement, stops: Sequence[HtmlElement]) -> bool:
    if sibling.tag in _HEADING_TAGS:
        return True
    return any(is_inside(stop, sibling) for stop in stops)
