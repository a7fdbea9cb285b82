"""The replica's truth: article data files loaded and validated into typed ``SiteArticle`` values.

A bad file is reported as ``SiteDataError`` naming the file and the field, because the people
who write these files need to know which line to fix, not where the loader tripped.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Final, cast

from newscrawl.replica.sections import SECTIONS_BY_PATH
from newscrawl.replica.site import (
    DEFAULT_NOISE,
    MYT,
    NOISE_KINDS,
    PAGE_FAULTS,
    TEMPLATES,
    VIDEO_KINDS,
    NoiseKind,
    Site,
    SiteArticle,
    SiteDataError,
    SiteImage,
    section_label,
)

__all__ = ["DEFAULT_DATA_DIR", "SiteDataError", "load_article", "load_site", "parse_article"]

DEFAULT_DATA_DIR: Final = Path(__file__).resolve().parents[2] / "fixtures" / "site"
ARTICLE_PATH_RE: Final = re.compile(
    r"^(?P<section>(?:/[a-z0-9-]+)+)/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<slug>[a-z0-9][a-z0-9-]*)$"
)
_IMAGE_ID_RE: Final = re.compile(r"^[A-Za-z0-9_./-]+$")
_FIELDS: Final = frozenset({
    "path", "title", "published", "modified", "description", "section", "authors", "tags",
    "premium", "jsonld", "listed", "image", "noise", "others_also_read", "fault",
    "template", "video", "photos", "also_listed_in",
})


def load_site(data_dir: Path | str | None = None) -> Site:
    """Load every ``articles/*.md`` under ``data_dir`` (default: the project's fixtures/site)."""
    root = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    articles_dir = root / "articles"
    if not articles_dir.is_dir():
        raise SiteDataError(f"{root}: no replica data here (expected a directory {articles_dir})")
    files = sorted(articles_dir.glob("*.md"))
    return Site(tuple(load_article(p) for p in files), origin_note=str(root))


def load_article(path: Path) -> SiteArticle:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteDataError(f"{path}: cannot read: {exc}") from None
    return parse_article(text, source=str(path), slug=path.stem)


def parse_article(text: str, source: str = "<text>", slug: str | None = None) -> SiteArticle:
    """Parse one data file; ``slug`` (the file name) must match the path's last segment."""
    meta, body = _split_front_matter(text, source)
    fields = _Fields(meta, source)
    unknown = sorted(set(meta) - _FIELDS)
    if unknown:
        raise SiteDataError(f"{source}: field '{unknown[0]}': unknown (known: {sorted(_FIELDS)})")

    path = fields.string("path")
    match = ARTICLE_PATH_RE.match(path)
    if match is None:
        raise SiteDataError(f"{source}: field 'path': {path!r} is not /<section>/YYYY/MM/DD/<slug>")
    if slug is not None and match["slug"] != slug:
        raise SiteDataError(
            f"{source}: field 'path': slug {match['slug']!r} differs from the file name"
        )
    published = fields.moment("published")
    if published is None:
        raise SiteDataError(f"{source}: field 'published': missing")
    if (match["y"], match["m"], match["d"]) != (
        f"{published:%Y}", f"{published:%m}", f"{published:%d}",
    ):
        raise SiteDataError(
            f"{source}: field 'published': {published:%Y-%m-%d} (MYT) differs from the path's date"
        )
    modified = fields.moment("modified")
    if modified is not None and modified < published:
        raise SiteDataError(f"{source}: field 'modified': earlier than 'published'")

    fault = fields.optional_string("fault")
    if fault is not None and fault not in PAGE_FAULTS:
        raise SiteDataError(f"{source}: field 'fault': {fault!r} is not one of {list(PAGE_FAULTS)}")
    paragraphs = _paragraphs(body)
    premium = fields.boolean("premium", False)
    photos = fields.photos("photos")
    template = fields.optional_string("template") or "story-page"
    if template not in TEMPLATES:
        raise SiteDataError(f"{source}: field 'template': {template!r} is not one of "
                            f"{list(TEMPLATES)}")
    video = fields.optional_string("video")
    if video is not None and video not in VIDEO_KINDS:
        raise SiteDataError(f"{source}: field 'video': {video!r} is not one of {list(VIDEO_KINDS)}")
    if photos and (paragraphs or premium or video is not None):
        raise SiteDataError(f"{source}: field 'photos': a gallery has no text, no premium flag "
                            "and no video")
    if not paragraphs and fault is None and not photos:
        raise SiteDataError(f"{source}: text: no paragraphs after the front matter")
    if premium and not 2 <= len(paragraphs) <= 3:
        raise SiteDataError(
            f"{source}: field 'premium': a premium text holds the 2-3 free paragraphs, "
            f"found {len(paragraphs)}"
        )
    noise = fields.string_list("noise", DEFAULT_NOISE)
    for kind in noise:
        if kind not in NOISE_KINDS:
            raise SiteDataError(
                f"{source}: field 'noise': {kind!r} is not one of {list(NOISE_KINDS)}"
            )

    section_path = match["section"]
    also_listed_in = fields.string_list("also_listed_in", ())
    for shared in also_listed_in:
        if shared not in SECTIONS_BY_PATH or shared == section_path:
            raise SiteDataError(
                f"{source}: field 'also_listed_in': {shared!r} is not another section the "
                f"replica lists (known: {sorted(SECTIONS_BY_PATH)})"
            )
    return SiteArticle(
        path=path,
        title=fields.string("title"),
        paragraphs=paragraphs,
        published=published,
        modified=modified,
        description=fields.optional_string("description"),
        section=fields.optional_string("section") or section_label(section_path),
        authors=fields.string_list("authors", ()),
        tags=fields.string_list("tags", ()),
        premium=premium,
        jsonld=fields.boolean("jsonld", False),
        listed=fields.boolean("listed", True),
        image=fields.image("image"),
        noise=cast(tuple[NoiseKind, ...], noise),
        others_also_read=fields.string_list("others_also_read", ()),
        fault=fault,
        template=template,
        video=video,
        photos=photos,
        also_listed_in=also_listed_in,
        source=source,
    )


def _split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "+++":
        raise SiteDataError(f"{source}: front matter: the file must start with a '+++' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise SiteDataError(f"{source}: front matter: no closing '+++' line") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise SiteDataError(f"{source}: front matter: invalid TOML: {exc}") from None
    return meta, "\n".join(lines[end + 1:])


def _paragraphs(body: str) -> tuple[str, ...]:
    blocks = re.split(r"\n[ \t\u00a0]*\n", body.strip())
    return tuple(" ".join(b.split("\n")).strip() for b in blocks if b.strip())


class _Fields:
    """Typed access to the front matter; each miss names the file and the field."""

    def __init__(self, meta: dict[str, Any], source: str) -> None:
        self.meta = meta
        self.source = source

    def _fail(self, name: str, problem: str) -> SiteDataError:
        return SiteDataError(f"{self.source}: field '{name}': {problem}")

    def string(self, name: str) -> str:
        value = self.optional_string(name)
        if value is None:
            raise self._fail(name, "missing")
        return value

    def optional_string(self, name: str) -> str | None:
        value = self.meta.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(name, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def boolean(self, name: str, default: bool) -> bool:
        value = self.meta.get(name, default)
        if not isinstance(value, bool):
            raise self._fail(name, f"expected true or false, got {value!r}")
        return value

    def string_list(self, name: str, default: Iterable[str]) -> tuple[str, ...]:
        value = self.meta.get(name)
        if value is None:
            return tuple(default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(name, f"expected a list of non-empty strings, got {value!r}")
        return tuple(v.strip() for v in value)

    def moment(self, name: str) -> datetime | None:
        value = self.meta.get(name)
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise self._fail(name, f"expected a TOML datetime like 2025-05-23T09:40:00+08:00, "
                                   f"got {value!r}")
        if value.tzinfo is None:
            raise self._fail(name, "needs an offset (+08:00)")
        return value.astimezone(MYT)

    def photos(self, name: str) -> tuple[SiteImage, ...]:
        value = self.meta.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            raise self._fail(name, "expected a non-empty list of { id = \"…\", caption = \"…\" }")
        return tuple(self._image(name, item) for item in value)

    def image(self, name: str) -> SiteImage | None:
        value = self.meta.get(name)
        return None if value is None else self._image(name, value)

    def _image(self, name: str, value: Any) -> SiteImage:
        if not isinstance(value, dict):
            raise self._fail(name, "expected a table { id = \"…\", caption = \"…\" }")
        image_id = value.get("id")
        caption = value.get("caption", "")
        if not isinstance(image_id, str) or not _IMAGE_ID_RE.match(image_id):
            raise self._fail(name, f"'id' must look like 2025/05/23/5512345, got {image_id!r}")
        if not isinstance(caption, str):
            raise self._fail(name, f"'caption' must be a string, got {caption!r}")
        extra = sorted(set(value) - {"id", "caption"})
        if extra:
            raise self._fail(name, f"unknown key {extra[0]!r} (known: id, caption)")
        return SiteImage(id=image_id.removesuffix(".jpg"), caption=caption.strip())
