"""newscrawl: a crawler for The Star's Aseanplus News section."""

__version__ = "0.1.0"
