"""The page furniture of thestar.com.my that must never be read as story text.

One list for the whole package: the page parsers strip these lines, the validator quarantines a
body that still holds one, the tests render them and the monitors count them. Sources:
``docs/site-facts.md`` (the seed article and stored pages) and what the replica renders.

Two kinds of entry, because some furniture is distinctive anywhere and some only on its own:

- ``BOILERPLATE_PHRASES``: text no reporter writes; found anywhere in a paragraph, even glued to
  story text by a careless extraction.
- line patterns (``is_boilerplate_line``): short lines such as ``Best Value`` or ``Monthly Plan``
  that are furniture only when they make up a whole line, since a story may say "best value".
"""

from __future__ import annotations

import re
from typing import Final

from newscrawl.sections import DEFAULT_SECTION, SECTIONS

WHATSAPP_LINE: Final = (
    "Follow us on our official WhatsApp channel for breaking news alerts and key updates!"
)
NEXT_IN_HEADING: Final = DEFAULT_SECTION.next_in_heading
OTHERS_ALSO_READ_HEADING: Final = "Others Also Read"

# The premium plan box (Piano), in page order, as the seed article and the replica show it.
PLAN_BOX_LINES: Final = (
    "Save 30% OFF The Star Digital Access",
    "Monthly Plan",
    "RM 13.90/month",
    "RM 9.73/month",
    "Billed as RM 9.73 for the 1st month, RM 13.90 thereafter.",
    "Best Value",
    "Annual Plan",
    "RM 12.33/month",
    "RM 8.63/month",
    "Billed as RM 103.60 for the 1st year, RM 148 thereafter.",
)
SEASONAL_PROMO_LINE: Final = "The Star Christmas Special Promo: Save 35% OFF Yearly. T&C applies."

BOILERPLATE_PHRASES: Final = (
    "Follow us on our official WhatsApp channel",
    *(section.next_in_heading for section in SECTIONS),
    OTHERS_ALSO_READ_HEADING,
    "The Star Digital Access",
    "for the 1st month, RM",
    "for the 1st year, RM",
    "Special Promo: Save",
    "Please enable JavaScript to view this content",
)

# Whole-line furniture, with the variants the plan box and the headings take over time
# (other prices, other percentages, other sections' "Next In" headings).
_LINE_RE: Final = re.compile(
    r"""^(?:
        Save\s+\d+%\s+OFF\b.*
      | (?:Monthly|Annual|Yearly)\s+Plan
      | RM\s?\d+(?:\.\d+)?\s*/\s*(?:month|year)
      | Billed\s+as\s+RM.*
      | Best\s+Value
      | .*T&C\s+applies\.?
      | Next\s+In\s+[A-Z][\w &'’-]{0,39}
      | Others\s+Also\s+Read
      | Advertisement|ADVERTISEMENT
      | PREMIUM
      | Subscribe(?:\s+now)?
      | Already\s+a\s+subscriber\?.*
      | Related\s+[Ss]tor(?:y|ies)\s*:?
      | Load\s+the\s+full\s+story
    )$""",
    # Case-sensitive on purpose: the site's casing is fixed, and "Next in line" is prose.
    re.VERBOSE,
)


def is_boilerplate_line(line: str) -> bool:
    """True for a line (a paragraph, a block's text) that is page furniture as a whole."""
    text = line.strip()
    return bool(text) and (
        _LINE_RE.match(text) is not None or any(p in text for p in BOILERPLATE_PHRASES)
    )


def find_boilerplate(text: str) -> list[str]:
    """The furniture found in ``text`` (a body: paragraphs split by blank lines), in order.

    Each hit is reported once, as the phrase or the whole line that matched, so a quarantine
    reason says what to look for in the page.
    """
    found: list[str] = []
    # A phrase in a line is in the text: most bodies hold none, and one scan of the text for
    # each phrase replaces a scan of every line for every phrase; a phrase is in the text only
    # if its opening is, so phrases sharing one are looked for after it (8 open "Next In ").
    phrases = [p for opening, group in _PHRASE_GROUPS if opening in text
               for p in group if p in text]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if phrases:
            hits = [p for p in phrases if p in stripped]
            if hits:
                found.extend(hit for hit in hits if hit not in found)
                continue
        if stripped not in found and _LINE_RE.match(stripped) is not None:
            found.append(stripped)
    return found


_Groups = tuple[tuple[str, tuple[str, ...]], ...]


def _phrase_groups(phrases: tuple[str, ...], opening: int) -> _Groups:
    """Runs of consecutive ``phrases`` with the same first ``opening`` characters, with them
    (the phrases' order kept, so the found ones come out in the order of the list)."""
    groups: list[tuple[str, list[str]]] = []
    for phrase in phrases:
        if groups and phrase.startswith(groups[-1][0]):
            groups[-1][1].append(phrase)
        else:
            groups.append((phrase[:opening], [phrase]))
    return tuple((start, tuple(group)) for start, group in groups)


_PHRASE_GROUPS: Final = _phrase_groups(BOILERPLATE_PHRASES, 8)
