"""Item pipelines, in the order they run: clean, validate, quarantine, dedupe, version.

They are wired in one place, ``ITEM_PIPELINES`` of ``newscrawl.settings``. Each stage trusts the
one before it: validation sees cleaned text, dedupe and versions see only valid stories, and a
quarantined record leaves the story path at validation. ``StateCommitExtension``
(``newscrawl.state.commit``) must be enabled too, or no story is ever recorded as seen.
"""
