"""What a story's record must say, written from the replica's data format (the truth), not from
the parser's rules: shared by the saved-page tests and the end-to-end crawls."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from newscrawl.replica import SiteArticle
from newscrawl.urls import SITE_ORIGIN, is_site_article


def wrong_fields(got: dict[str, Any], article: SiteArticle, variant: str,
                 shared: Collection[str] = ()) -> list[str]:
    """``shared``: URLs of other sections' stories that the article's section also lists
    (they may stand in its "Next In" block)."""
    body = "\n\n".join(article.paragraphs)
    description = article.description
    own_summary = description if description and not article.paragraphs[0].startswith(
        description) else None
    image = {"url": article.image.url, "caption": article.image.caption} if article.image else None
    want = {
        "id": hashlib.sha256(article.url.encode()).hexdigest()[:16],
        "url": article.url,
        "title": article.title,
        "summary": own_summary,
        "body": body,
        "published_at": article.published.isoformat(),
        "modified_at": article.modified.isoformat() if article.modified else None,
        "authors": list(article.authors),
        "section": article.section,
        "tags": list(article.tags),
        "image": image,
        "premium": article.premium,
        "word_count": len(body.split()),
        "extraction": "fallback" if variant == "layout=1" else "site",
        "media": "video" if article.video else "text",
    }
    wrong = [f"{k}: {got.get(k)!r} != {v!r}" for k, v in want.items() if got.get(k) != v]
    first, last = article.paragraphs[0], article.paragraphs[-1]
    if got["dateline"] is not None and not first.startswith(got["dateline"]):
        wrong.append(f"dateline {got['dateline']!r} does not open the first paragraph")
    if got["agency"] is not None and not last.endswith(got["agency"]):
        wrong.append(f"agency {got['agency']!r} does not end the last paragraph")
    next_in = got["related"]["next_in"]
    if (len(next_in) > 10 or len(set(next_in)) != len(next_in) or article.url in next_in
            or not all(_same_section(url, article) or url in shared for url in next_in)):
        wrong.append(f"related.next_in is not up to 10 other stories of the section: {next_in}")
    if got["related"]["others_also_read"]:
        wrong.append("related.others_also_read filled on a page as served (it needs JavaScript)")
    return wrong


def _same_section(url: str, article: SiteArticle) -> bool:
    return is_site_article(url) and url.startswith(f"{SITE_ORIGIN}{article.section_path}/")
