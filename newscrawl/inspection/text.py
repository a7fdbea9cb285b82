"""``newscrawl parse``'s report as a person reads it: the verdict first, then the record (JSON),
where each field came from, and the links by block."""

from __future__ import annotations

import json
from typing import Final

from newscrawl.inspection.report import PageReport

# Fields whose source is shown, in record order (the rest is crawl context or derived).
SHOWN_LINKS: Final = 10


def render_text(report: PageReport, fetched: str, list_wait: str | None) -> str:
    lines = [f"page        {report.url}", f"fetched     {fetched}"]
    if list_wait is not None:
        lines.append(f"rendered    yes (Others Also Read list: {list_wait})")
    if report.page_class is not None:
        layout = f" (layout {report.layout})" if report.layout else ""
        lines.append(f"read by     {report.page_class}{layout}")
    lines.append(f"outcome     {report.outcome}")
    lines.extend(f"  reason    {reason}" for reason in report.reasons)
    if report.record is not None:
        lines += ["", "record", json.dumps(report.record, indent=2, ensure_ascii=False)]
    if report.sources:
        width = max(len(name) for name in report.sources)
        lines += ["", "sources"]
        lines.extend(f"  {name:<{width}}  {source}" for name, source in report.sources.items())
    for block, links in report.links.items():
        followed = sum(link.followed for link in links)
        lines += ["", f"links: {block} ({len(links)}, {followed} followed)"]
        for link in links[:SHOWN_LINKS]:
            mark = "follow" if link.followed else link.decision
            lines.append(f"  {mark:<12} {link.url}")
        if len(links) > SHOWN_LINKS:
            lines.append(f"  … and {len(links) - SHOWN_LINKS} more (--json shows all)")
    if report.next_page is not None:
        lines += ["", f"next page   {report.next_page}"]
    if report.notes:
        lines += [""] + [f"note: {note}" for note in report.notes]
    return "\n".join(lines)
