"""Changes to a copy of the replica's data between two runs: new stories, an edited one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from newscrawl.replica import DEFAULT_DATA_DIR, SECTION_PATH
from newscrawl.replica.sections import DEFAULT_SECTION, ReplicaSection

_BODY = re.compile(r"\A(\+\+\+\n.*?\n\+\+\+\n)(.*)\Z", re.DOTALL)


def copy_site(dest: Path) -> Path:
    """A replica data dir holding a copy of the project's articles."""
    shutil.copytree(DEFAULT_DATA_DIR / "articles", dest / "articles")
    return dest


def story_path(day: str, slug: str, section_path: str = SECTION_PATH) -> str:
    return f"{section_path}/{day.replace('-', '/')}/{slug}"


def add_story(site: Path, slug: str, published: str, title: str,
              paragraphs: list[str], section: ReplicaSection = DEFAULT_SECTION) -> str:
    """A new story of ``section``; ``published`` like ``2026-02-22T08:10:00+08:00``. Its path."""
    path = story_path(published[:10], slug, section.path)
    front = "\n".join([
        f'path = "{path}"', f'title = "{title}"', f"published = {published}",
        f'section = "{section.label}"', "authors = []", 'tags = ["Asean"]', "premium = false",
        "jsonld = false", "listed = true",
    ])
    (site / "articles" / f"{slug}.md").write_text(
        f"+++\n{front}\n+++\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def copy_story(site: Path, source: str, slug: str, published: str) -> str:
    """The same story (title and text) published again at another URL. Its path."""
    text = (site / "articles" / f"{source}.md").read_text(encoding="utf-8")
    path = story_path(published[:10], slug)
    text = re.sub(r'(?m)^path = ".*"$', f'path = "{path}"', text, count=1)
    text = re.sub(r"(?m)^published = .*$", f"published = {published}", text, count=1)
    text = re.sub(r"(?ms)^others_also_read = \[.*?^\]\n", "", text, count=1)
    (site / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    return path


def edit_story(site: Path, slug: str, title: str, first_paragraph: str, modified: str) -> None:
    """Change a story's title and first paragraph, and say when (``modified``)."""
    file = site / "articles" / f"{slug}.md"
    match = _BODY.match(file.read_text(encoding="utf-8"))
    assert match, f"{file}: no front matter"
    front, body = match.groups()
    front = re.sub(r'(?m)^title = ".*"$', f'title = "{title}"', front, count=1)
    front = re.sub(r"(?m)^(published = .*)$", rf"\1\nmodified = {modified}", front, count=1)
    rest = body.split("\n\n", 1)[1]
    file.write_text(front + first_paragraph + "\n\n" + rest, encoding="utf-8")
