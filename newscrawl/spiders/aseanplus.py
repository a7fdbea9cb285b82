"""The ``aseanplus`` spider: ``thestar`` on its default section, Aseanplus News, as it always was
(same arguments, no ``section``; same records, files and state)."""

from __future__ import annotations

from newscrawl.spiders.arguments import KNOWN_SINGLE_SECTION
from newscrawl.spiders.thestar import TheStarSpider


class AseanplusSpider(TheStarSpider):
    name = "aseanplus"
    ARGUMENTS = KNOWN_SINGLE_SECTION
