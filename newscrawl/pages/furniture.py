"""The Star's page furniture: elements that are never story text, in one list.

Two readers use it. A layout reads its known body container and leaves out what the list names
for the body (``BODY_NOISE_CSS``); the fallback knows no container and removes, page-wide, only
what the list names for the page (``PAGE_FURNITURE_CSS``), because generic class words
(``[class*=advert]``, ``[class*=paywall]``) name whole-page wrappers and article containers on
other templates. A holder is an element whose whole paragraph is furniture (a chart image, the
"load the full story" link).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

# "both": exact enough to remove anywhere; "body": only inside a known body container;
# "page": only by the fallback (outside any layout's container, or already never read as text).
Scope = Literal["both", "body", "page"]


@dataclass(frozen=True, slots=True)
class Furniture:
    css: str
    scope: Scope
    holds_paragraph: bool = False


STAR_FURNITURE: Final[tuple[Furniture, ...]] = (
    # Captions, inline images and the story image (docs/site-facts.md).
    Furniture(".caption", "both"),
    Furniture(".inline-caption", "both"),
    Furniture(".story-image", "both"),
    Furniture(".embeded-image", "page"),  # (sic) the site's spelling, exact
    Furniture("[class*=embeded-image]", "body"),
    Furniture("[class*=embedded-image]", "body"),
    Furniture("figure", "body"),
    # Charts: Flourish embeds, and chart images whose paragraph holds nothing else.
    Furniture("[class*=flourish]", "both"),
    Furniture("img.go-chart", "both", holds_paragraph=True),
    # Ads and the paywall's plan box.
    Furniture("[id^=div-gpt-ad]", "both"),
    Furniture(".ad", "body"),
    Furniture("[class*=ad-slot]", "body"),
    Furniture("[class*=advert]", "body"),
    Furniture("[class*=plan-box]", "both"),
    Furniture("[class*=paywall]", "body"),
    Furniture("[class*=piano]", "body"),
    Furniture("[class*=badge-premium]", "page"),
    # Lists of other stories inside the story.
    Furniture("#related-stories-div", "both"),
    Furniture("[id*=related-stories]", "body"),
    Furniture("[class*=related-stories]", "body"),
    # The long story's load link: the layouts fetch what it loads (continuation).
    Furniture('a[onclick*="loadFull"]', "body", holds_paragraph=True),
    # Around the story: share boxes, the visible date line (a field of its own), and markup
    # that is never prose (a layout's text reading skips it anyway: css.text_of).
    Furniture("[class*=whatsapp]", "page"),
    Furniture("span.story-date", "page"),
    Furniture("p.date", "page"),
    Furniture("time.timestamp", "page"),
    Furniture("script", "page"),
    Furniture("noscript", "page"),
    Furniture("style", "page"),
    Furniture("template", "page"),
)


def _css(*, scopes: tuple[Scope, ...], holders: bool) -> list[str]:
    return [f.css for f in STAR_FURNITURE if f.scope in scopes and f.holds_paragraph is holders]


# Inside a layout's body container: left out, and paragraphs holding a holder left out whole.
BODY_NOISE_CSS: Final = ", ".join(_css(scopes=("both", "body"), holders=False))
BODY_NOISE_HOLDER_CSS: Final = ", ".join(_css(scopes=("both", "body"), holders=True))
# Page-wide, before the fallback reads: the element, and for a holder its paragraph too.
PAGE_FURNITURE_CSS: Final = ", ".join(
    _css(scopes=("both", "page"), holders=False)
    + [part for css in _css(scopes=("both", "page"), holders=True)
       for part in (css, f"p:has(> {css})")]
)
