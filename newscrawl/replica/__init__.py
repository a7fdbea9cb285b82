"""The replica of The Star's Aseanplus News section and a few others (``sections``), served
on 127.0.0.1 for tests and demos.

Every page derives from article data files (``fixtures/site/articles``) or from a seeded
synthetic generator, so a crawl can be compared with what the site holds. The replica never
imports the crawler, and the crawler never imports the replica.
"""

from __future__ import annotations

from newscrawl.replica.content import DEFAULT_DATA_DIR, load_site
from newscrawl.replica.faults import FaultPlan, FaultSpecError
from newscrawl.replica.sections import SECTIONS, ReplicaSection
from newscrawl.replica.server import ReplicaServer
from newscrawl.replica.site import SECTION_PATH, Site, SiteArticle, SiteDataError, SiteImage
from newscrawl.replica.synthetic import synthetic_site

__all__ = [
    "DEFAULT_DATA_DIR",
    "SECTIONS",
    "SECTION_PATH",
    "FaultPlan",
    "FaultSpecError",
    "ReplicaSection",
    "ReplicaServer",
    "Site",
    "SiteArticle",
    "SiteDataError",
    "SiteImage",
    "load_site",
    "synthetic_site",
]
