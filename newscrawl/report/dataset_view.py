"""``DatasetView``: what the report shows of the current dataset (``dataset.jsonl``).

Counts only, read line by line: the dataset can hold many thousands of stories and the report
needs their days, discovery sources, agencies and extraction, not their text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawl.data_layout import DATASET_JSONL, DataLayout

NO_AGENCY = "(none: staff or unknown)"
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class DatasetView:
    path: Path
    stories: int = 0
    per_day: Counter[str] = field(default_factory=Counter)
    discovered_via: Counter[str] = field(default_factory=Counter)
    agencies: Counter[str] = field(default_factory=Counter)
    fallback: int = 0
    duplicates: int = 0
    bad_lines: int = 0
    problem: str | None = None  # why there is nothing to show, when there is not

    @classmethod
    def load(cls, data_dir: Path) -> DatasetView:
        view = cls(DataLayout(data_dir).dataset_jsonl)
        if not view.path.is_file():
            view.problem = (f"no dataset yet ({DATASET_JSONL} is built after a run that "
                            "published stories, or by `newscrawl dataset build`)")
            return view
        try:
            with view.path.open(encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    if line.strip():
                        view.add(line)
        except OSError as error:
            view.problem = f"cannot read {view.path}: {error.strerror or error}"
        return view

    def add(self, line: str) -> None:
        try:
            record: Any = json.loads(line)
        except ValueError:
            self.bad_lines += 1
            return
        if not isinstance(record, dict):
            self.bad_lines += 1
            return
        self.stories += 1
        published = record.get("published_at")
        # The day as the site dates it: published_at carries the site's own offset.
        day = published[:10] if isinstance(published, str) else ""
        self.per_day[day if DAY_RE.fullmatch(day) else "unknown"] += 1
        self.discovered_via[str(record.get("discovered_via") or "unknown")] += 1
        self.agencies[str(record.get("agency") or NO_AGENCY)] += 1
        if record.get("extraction") == "fallback":
            self.fallback += 1
        if record.get("duplicate_of"):
            self.duplicates += 1
