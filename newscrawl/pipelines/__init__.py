"""Item pipelines, in the order they run: clean, validate, quarantine, dedupe, version.

``ITEM_PIPELINES`` below is the wiring for settings.py. Each stage trusts the one before it:
validation sees cleaned text, dedupe and versions see only valid stories, and a quarantined
record leaves the story path at validation. ``StateCommitExtension``
(``newscrawl.state.commit``) must be enabled too, or no story is ever recorded as seen.
"""

from __future__ import annotations

from typing import Final

ITEM_PIPELINES: Final = {
    "newscrawl.pipelines.clean.CleanPipeline": 100,
    "newscrawl.pipelines.validate.ValidatePipeline": 200,
    "newscrawl.pipelines.quarantine.QuarantinePipeline": 300,
    "newscrawl.pipelines.dedupe.DedupePipeline": 400,
    "newscrawl.pipelines.version.VersionPipeline": 500,
}
STATE_EXTENSION: Final = {"newscrawl.state.commit.StateCommitExtension": 100}
