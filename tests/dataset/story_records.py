"""Valid story records (the current schema) for dataset tests, varied by keyword."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from newscrawl.items import RECORD_FIELDS, SCHEMA_VERSION
from newscrawl.urls import SITE_ORIGIN, story_id


def story_record(slug: str, **changes: Any) -> dict[str, Any]:
    url = f"{SITE_ORIGIN}/aseanplus/aseanplus-news/2025/05/23/{slug}"
    body = f"BEIJING: The story of {slug}.\n\nIt ends here. - Reuters"
    record: dict[str, Any] = {
        "id": story_id(url), "url": url, "title": f"Title of {slug}", "summary": None,
        "body": body, "published_at": "2025-05-23T09:40:00+08:00", "modified_at": None,
        "authors": [], "agency": "Reuters", "dateline": "BEIJING", "section": "Aseanplus News",
        "tags": ["China"], "image": None, "premium": False, "word_count": len(body.split()),
        "related": {"next_in": [], "others_also_read": []}, "discovered_via": "listing",
        "referrer": f"{SITE_ORIGIN}/aseanplus/aseanplus-news",
        "crawled_at": "2025-05-23T02:00:00+00:00", "extraction": "site", "media": "text",
        "content_hash": hashlib.sha256(body.encode()).hexdigest(), "duplicate_of": None,
        "version": 1, "changed_fields": [], "schema_version": SCHEMA_VERSION,
    }
    record.update(changes)
    return {name: record[name] for name in RECORD_FIELDS}


def write_run(data_dir: Path, run_id: str, records: list[dict[str, Any]],
              extra_lines: tuple[bytes, ...] = ()) -> Path:
    path = data_dir / "runs" / f"{run_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False).encode() for record in records]
    path.write_bytes(b"".join(line + b"\n" for line in [*lines, *extra_lines]))
    return path
