"""The spiders' ``-a NAME=VALUE`` arguments, parsed once into a typed value.

Scrapy hands spider arguments over as strings and accepts any name, so a typo such as
``-a max_article=5`` would otherwise crawl the whole site. Every name and value is checked
here and a bad one raises ``ArgumentError`` with a message that names it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from newscrawl.sections import DEFAULT_SECTION, Section, UnknownSectionError, sections_named

RenderMode = Literal["auto", "always", "never"]
_RENDER_MODES: Final[dict[str, RenderMode]] = {"auto": "auto", "always": "always", "never": "never"}
LOOPBACK_NAMES: Final = frozenset({"localhost"})
KNOWN: Final = ("base_url", "since", "max_articles", "max_pages", "render", "section")
# ``scrapy crawl aseanplus`` crawls its one section and takes no ``section``.
KNOWN_SINGLE_SECTION: Final = tuple(name for name in KNOWN if name != "section")
# date.fromisoformat also takes 20250101 and week dates; the argument promises one form only.
_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ArgumentError(ValueError):
    """A spider argument the crawl cannot use; the message names the argument."""


@dataclass(frozen=True, slots=True)
class SpiderArguments:
    base_url: str | None = None  # origin every site URL is fetched from, e.g. a replica
    since: date | None = None  # skip stories published before this day (site time)
    max_articles: int | None = None  # at most this many story pages requested
    max_pages: int | None = None  # at most this many listing pages requested
    render: RenderMode = "auto"
    # The sections to crawl, each with its own listing walk (``-a section=a/b,c/d``).
    sections: tuple[Section, ...] = (DEFAULT_SECTION,)

    @property
    def on_loopback(self) -> bool:
        """True when every request goes to this machine (a replica): no one to be polite to."""
        if self.base_url is None:
            return False
        host = urlsplit(self.base_url).hostname or ""
        if host in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    @classmethod
    def parse(cls, kwargs: Mapping[str, Any],
              known: Collection[str] = KNOWN) -> SpiderArguments:
        unknown = sorted(set(kwargs) - set(known))
        if unknown:
            raise ArgumentError(
                f"unknown argument {unknown[0]!r} (known: {', '.join(known)})"
            )
        return cls(
            base_url=_origin(kwargs.get("base_url")),
            since=_day(kwargs.get("since")),
            max_articles=_positive("max_articles", kwargs.get("max_articles")),
            max_pages=_positive("max_pages", kwargs.get("max_pages")),
            render=_render(kwargs.get("render")),
            sections=_sections(kwargs.get("section")),
        )


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def _origin(raw: Any) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    parts = urlsplit(text)
    try:
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError:
        port = -1
    if (parts.scheme not in ("http", "https") or not parts.hostname or port == -1
            or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise ArgumentError(
            f"base_url={text!r} is not an origin such as http://127.0.0.1:8080"
        )
    return f"{parts.scheme}://{parts.netloc}"


def _day(raw: Any) -> date | None:
    text = _text(raw)
    if text is None:
        return None
    if not _DAY_RE.match(text):
        raise ArgumentError(f"since={text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as error:  # the form is right, the day does not exist: say which part
        raise ArgumentError(f"since={text!r} is not a valid date: {error}") from None


def _positive(name: str, raw: Any) -> int | None:
    text = _text(raw)
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ArgumentError(f"{name}={text!r} is not a whole number of at least 1")
    return int(text)


def _render(raw: Any) -> RenderMode:
    text = (_text(raw) or "auto").lower()
    mode = _RENDER_MODES.get(text)
    if mode is None:
        raise ArgumentError(f"render={text!r} is not one of {', '.join(_RENDER_MODES)}")
    return mode


def _sections(raw: Any) -> tuple[Section, ...]:
    text = _text(raw)
    if text is None:
        return (DEFAULT_SECTION,)
    try:
        return sections_named(text)
    except UnknownSectionError as error:
        raise ArgumentError(f"section={text!r}: {error}") from None
