"""A long story's page holds only the first part of its body; a "load the full story" link
fetches the rest (an HTML fragment of paragraphs) from the site's endpoint by the story's guid.
Finding that URL and reading the fragment are pure; the crawl fetches it."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

from newscrawl.pages import document
from newscrawl.pages.body import read_container
from newscrawl.pages.css import select_first
from newscrawl.pages.values import PageError

# A long story whose continuation is missing, failed, or cannot be found.
BODY_INCOMPLETE = "body-incomplete"
_GUID_IN_ONCLICK = re.compile(r"(\d{3,})")


def continuation_url(doc: HtmlElement, page_url: str, *, link_css: str, path_template: str,
                     guid: str | None) -> str | None:
    """The URL of the rest of the body, None for a page without a load link.

    The guid is the page's (parse.ly), else the number the link's script is called with.
    Raises PageError(body-incomplete) when the page says there is more but not where.
    """
    link = select_first(doc, link_css)
    if link is None:
        return None
    if guid is None:
        found = _GUID_IN_ONCLICK.search(link.get("onclick") or "")
        guid = found.group(1) if found else None
    if guid is None:
        raise PageError(BODY_INCOMPLETE, "a load-the-full-story link but no story guid")
    return urljoin(page_url, path_template.format(guid=guid))


def fragment_paragraphs(fragment: str, noise_css: str, holder_css: str) -> tuple[str, ...]:
    """The paragraphs of the fragment, furniture left out as in the page's body."""
    if not fragment.strip() or "\x00" in fragment[:4096]:
        raise PageError(BODY_INCOMPLETE, "empty or binary continuation")
    doc = document.parse(fragment)
    body = doc.find("body")
    found = read_container(body if body is not None else doc, noise_css, holder_css)
    if not found.paragraphs:
        raise PageError(BODY_INCOMPLETE, "no paragraph in the continuation")
    return found.paragraphs
