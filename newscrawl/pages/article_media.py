"""What an article page shows besides its text: the story image and caption, whether it is
premium (paywalled), and whether it is a video story."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.pages import parsely
from newscrawl.pages.article_body import ArticleBody
from newscrawl.pages.cached import cached_value
from newscrawl.pages.css import is_inside, select, select_first, text_of
from newscrawl.pages.document import resolve_href
from newscrawl.pages.sources import NOWHERE, Found, first_match, known_source
from newscrawl.pages.values import ImageRef, Media

# Text nodes first (cheap), the exact test in Python: a badge that is only the word.
_PREMIUM_TEXT = etree.XPath("//body//text()[contains(., 'PREMIUM')]")
# Whether the word is in the body's text at all (its text nodes joined: one test, not one per
# text node): most pages never say it, and then no text node of the body can.
_BODY_SAYS_PREMIUM = etree.XPath("boolean(//body[contains(., 'PREMIUM')])")


class ArticleMedia(ArticleBody):
    IMAGE_BOX_CSS: ClassVar[tuple[str, ...]] = ("div.story-image",)
    # Inside the image box:
    IMAGE_CSS: ClassVar[tuple[str, ...]] = ("img",)
    IMAGE_CAPTION_CSS: ClassVar[tuple[str, ...]] = (".caption", "figcaption", "p", "span")
    VIDEO_CSS: ClassVar[str] = (
        "script[src*=jwplatform], script[src*=jwplayer], div[id^=jwplayer], "
        'iframe[src*="clips.thestar.com.my"], iframe[src*=jwplatform], iframe[src*=jwplayer]'
    )
    # The badge, or the paywall's plan box (a free article never carries one in its HTML).
    # Element names keep the scan cheap; a badge of another shape is found by its word.
    PREMIUM_CSS: ClassVar[str] = (
        "span[class*=premium], div[class*=premium], img[alt=PREMIUM], div[class*=plan-box]"
    )

    def image(self) -> ImageRef | None:
        """The story image and its caption, else ``og:image`` (no caption), else None."""
        return self._image.value

    @cached_value
    def _image(self) -> Found[ImageRef | None]:
        box = self._image_box()
        img = first_match(box[0], self.IMAGE_CSS) if box is not None else None
        src = (img[0].get("src") or img[0].get("data-src") or "").strip() if img else ""
        # Resolved as the browser resolves it: against the page's <base href>, if any.
        url = resolve_href(self.base_url, src) if src and not src.startswith("data:") else None
        if box is not None and img is not None and url is not None:
            caption_el = select_first(box[0], *self.IMAGE_CAPTION_CSS)
            caption = text_of(caption_el) if caption_el is not None else ""
            return Found(ImageRef(url, caption or None),
                         known_source("markup", f"{box[1]} {img[1]}"))
        for og, source in ((self._meta.get("og:image"), known_source("meta", "og:image")),
                           (parsely.text(self._parsely.get("image_url")),
                            known_source("parse.ly", "image_url"))):
            url = resolve_href(self.base_url, og) if og else None
            if url is not None:
                return Found(ImageRef(url, None), source)
        return Found(None, NOWHERE)

    def _image_box(self) -> tuple[HtmlElement, str] | None:
        """The first image box outside the body (inside it are the story's inline images)."""
        body = self._body_container
        for css in self.IMAGE_BOX_CSS:
            for box in select(self.doc, css):
                if body is None or not is_inside(box, body):
                    return box, css
        return None

    def premium(self) -> bool:
        """Premium when any signal says so: JSON-LD ``isAccessibleForFree``, parse.ly
        ``is_premium``, a plan box or premium block. Without a machine-readable signal, a
        badge or the word on its own also counts."""
        return self._premium.value

    @cached_value
    def _premium(self) -> Found[bool]:
        signals = (
            (parsely.flag(self._jsonld.get("isAccessibleForFree"), negate=True),
             known_source("json-ld", "isAccessibleForFree")),
            (parsely.flag(self._parsely.get("is_premium")), known_source("parse.ly", "is_premium")),
        )
        for says, source in signals:
            if says:
                return Found(True, source)
        if self._body.plan_box:
            return Found(True, known_source("markup", "plan box in the body"))
        if select(self.doc, self.PREMIUM_CSS):
            return Found(True, known_source("markup", self.PREMIUM_CSS))
        for says, source in signals:
            if says is False:
                return Found(False, source)
        hits = _PREMIUM_TEXT(self.doc) if _BODY_SAYS_PREMIUM(self.doc) is True else []
        if isinstance(hits, list) and any(str(hit).strip() == "PREMIUM" for hit in hits):
            return Found(True, known_source("markup", "the word PREMIUM on its own"))
        return Found(False, known_source("default", "no paywall sign"))

    def media(self) -> Media:
        """``video`` when the page embeds a video player (its text is the story), else text."""
        return "video" if select(self.doc, self.VIDEO_CSS) else "text"
