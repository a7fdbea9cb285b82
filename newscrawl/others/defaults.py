"""The learner's tunings that are also settings (``NEWSCRAWL_OTHERS_*``), named once.

Apart from ``learner`` so that the typed config can name them as its defaults without loading
the learner's parsing (lxml): the ``newscrawl run`` parent reads the config and never parses.
"""

from __future__ import annotations

from typing import Final

# Pages on which a learned rule must agree with the browser before held stories use it.
DEFAULT_CONFIRM_PAGES: Final = 3
# With a rule, one story in this many is rendered anyway to check it.
DEFAULT_SAMPLE_EVERY: Final = 50
