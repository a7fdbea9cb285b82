"""The story's text: the paragraphs of its body container, page furniture left out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

from newscrawl.boilerplate import is_boilerplate_line
from newscrawl.pages.css import select, squash, text_of

# A plan box line that slipped into the body container still says the page is premium.
PLAN_BOX_PHRASE = "The Star Digital Access"
PLAN_BOX_LINES = frozenset({"Monthly Plan", "Annual Plan"})
PLAN_BOX_PREFIX = "Billed as RM"
# A paragraph that opens a list of links to other stories ("Related stories:"); the paragraphs
# of links after it belong to the list.
RELATED_LIST_RE = re.compile(r"^Related\s+(?:stor(?:y|ies)|articles?|news)\b\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BodyText:
    paragraphs: tuple[str, ...]
    plan_box: bool  # the premium plan box was among the lines (and left out)


def read_container(container: HtmlElement, noise_css: str, holder_css: str = "") -> BodyText:
    """The ``p`` elements of ``container`` in order, without those in (or holding) noise.

    ``holder_css`` names elements whose paragraph is noise as a whole (a chart image, the
    "load the full story" link). A related-stories list is left out: its opening paragraph
    and the paragraphs of links that follow it.
    """
    noise = set(select(container, noise_css))
    if holder_css:
        for held in select(container, holder_css):
            noise.add(held)
            noise.update(anc for anc in _ancestors_below(held, container) if anc.tag == "p")
    texts: list[str] = []
    in_related_list = False
    for p in container.iter("p"):
        if noise and (p in noise or any(anc in noise for anc in _ancestors_below(p, container))):
            continue
        text = text_of(p, noise)
        if RELATED_LIST_RE.match(text):
            in_related_list = True
            continue
        if in_related_list and _only_links(p, text):
            continue
        in_related_list = False
        texts.append(text)
    return clean_lines(texts)


def clean_lines(lines: Iterable[str]) -> BodyText:
    """Non-empty lines that are not furniture; notes whether the plan box was among them."""
    kept: list[str] = []
    plan_box = False
    for line in lines:
        text = squash(line)
        if not text:
            continue
        if is_plan_box_line(text):
            plan_box = True
        elif not is_boilerplate_line(text):
            kept.append(text)
    return BodyText(tuple(kept), plan_box)


def is_plan_box_line(text: str) -> bool:
    # Plain string tests: this runs on every paragraph of every page.
    return (text in PLAN_BOX_LINES or text.startswith(PLAN_BOX_PREFIX)
            or PLAN_BOX_PHRASE in text)


def _only_links(p: HtmlElement, text: str) -> bool:
    """A paragraph whose whole text is the text of its links."""
    links = "".join(text_of(a) for a in p.iter("a"))
    return bool(links) and text.replace(" ", "") == links.replace(" ", "")


def _ancestors_below(el: HtmlElement, top: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for anc in el.iterancestors():
        if anc is top:
            break
        found.append(anc)
    return found
