"""A deterministic synthetic site of N stories from a seed, in the same ``SiteArticle`` type.

For benchmarks and scale tests: the mix of agencies, bylines, premium, JSON-LD, unlisted and
other-section stories follows the hand-written fixtures, and the same (n, seed) always gives
the same site, because every choice comes from one ``random.Random(seed)``.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from newscrawl.replica.sections import SECTIONS
from newscrawl.replica.site import (
    MYT,
    NOISE_KINDS,
    SECTION_PATH,
    VIDEO_KINDS,
    NoiseKind,
    Site,
    SiteArticle,
    SiteImage,
    section_label,
)

NEWEST: Final = datetime(2025, 6, 30, 21, 40, tzinfo=MYT)
OTHER_SECTIONS: Final = ("/news/nation", "/news/world", "/business/business-news",
                         "/opinion/columnists/the-star-says")
# (dateline, country, demonym/actor)
PLACES: Final = (
    ("KUALA LUMPUR", "Malaysia", "Malaysian"), ("SINGAPORE", "Singapore", "Singaporean"),
    ("JAKARTA", "Indonesia", "Indonesian"), ("BANGKOK", "Thailand", "Thai"),
    ("MANILA", "the Philippines", "Philippine"), ("HANOI", "Vietnam", "Vietnamese"),
    ("PHNOM PENH", "Cambodia", "Cambodian"), ("VIENTIANE", "Laos", "Lao"),
    ("YANGON", "Myanmar", "Myanmar"), ("BANDAR SERI BEGAWAN", "Brunei", "Bruneian"),
    ("DILI", "Timor-Leste", "Timorese"), ("BEIJING", "China", "Chinese"),
    ("TOKYO", "Japan", "Japanese"), ("SEOUL", "South Korea", "South Korean"),
)
ACTORS: Final = ("president", "prime minister", "foreign minister", "police", "court",
                 "central bank", "health ministry", "election commission", "navy", "opposition")
VERBS: Final = ("says", "warns", "plans", "rejects", "welcomes", "unveils", "probes", "backs")
OBJECTS: Final = ("new tariffs on imports", "plan to curb haze", "US$3.4mil flood relief fund",
                  "talks on South China Sea code", "visa-free travel for Asean citizens",
                  "crackdown on online scams", "rice export curbs", "budget for 2026",
                  "power grid link with neighbours", "curbs on e-cigarettes",
                  "probe into bus crash", "deal on migrant workers", "tourism push",
                  "measures against dengue", "RM13.90 fare cap on ferries")
AGENCIES: Final = ("AFP", "Reuters", "Bernama", "The Straits Times/ANN", "The Jakarta Post/ANN",
                   "Vietnam News/ANN", "The Nation/ANN", "Xinhua", None, None)
STAFF: Final = ("Tan Sri Lee", "Nadia Hamid", "Ravi Kumar", "Chong Wei Ling", "Farah Aziz",
                "Marcus Lim", "Siti Rahmah", "Arjun Nair")
SENTENCES: Final = (
    "The {actor} of {country} said on {day} ({date}) that the matter would be settled soon.",
    "Officials in {country} said the move was “necessary to protect livelihoods”.",
    "The decision comes amid growing concern across South-East Asia over rising costs.",
    "Analysts said the plan could cost as much as US${n} million over five years.",
    "Asean members have discussed the issue at several meetings this year.",
    "About {n} per cent of those surveyed said they supported the measure.",
    "“We will continue to work with our partners in the region,” a spokesman said.",
    "Critics said the government had moved too slowly and called for an inquiry.",
    "The {demonym} authorities did not give further details.",
    "Traders said prices had risen by RM{n}.90 since the start of the month.",
)
DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The other template's share, drawn per story from a stream of its own (seed and path), so the
# rest of a synthetic site is what it was before the template existed.
GALLERY_SHARE: Final = 0.02
VIDEO_SHARE: Final = 0.04
STORY_DIV_SHARE: Final = 0.25
STORY_DIV_NOISE: Final[tuple[NoiseKind, ...]] = (
    "embedded-image", "go-chart", "related-box", "related-list",
)
# Stories also listed in a second section, drawn like the template (a stream of their own), and
# never into Aseanplus News, so its listing, feed and Next In blocks are what they were before.
SHARED_SHARE: Final = 0.15
SHARED_INTO: Final = tuple(section.path for section in SECTIONS[1:])
MONTHS: Final = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
                 "Nov", "Dec")


def slugify(title: str) -> str:
    """The site's slug rules: an apostrophe becomes ``039``, ``US$3.4mil`` becomes ``us34mil``."""
    text = title.lower().replace("'", "039").replace("’", "039")
    text = re.sub(r"[^a-z0-9\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text).strip("-")


def synthetic_site(n: int, seed: int = 1, section_articles: int = 0) -> Site:
    """``n`` stories (about 90% in Aseanplus News), the same for the same ``(n, seed)``;
    ``section_articles`` more for each other listed section (Nation, World, Business News),
    drawn from streams of their own, so the ``n`` stories are the same with or without them."""
    if n < 0 or section_articles < 0:
        raise ValueError(f"the number of articles must be >= 0, got {min(n, section_articles)}")
    rng = random.Random(seed)
    moments = _moments(rng, n)
    drafts: list[dict[str, object]] = []
    used: set[str] = set()
    for moment in moments:
        section = SECTION_PATH if rng.random() < 0.9 else rng.choice(OTHER_SECTIONS)
        drafts.append(_draft(rng, moment, section, used))
    paths = [str(d["path"]) for d in drafts]
    articles = [_shared(_templated(_article(rng, d, paths), seed), seed) for d in drafts]
    oldest = moments[-1] if moments else NEWEST - timedelta(days=1)
    for listed in SECTIONS[1:] if section_articles else ():
        articles += _section_stories(listed.path, section_articles, seed, oldest, paths, used)
    note = f"synthetic n={n} seed={seed}"
    return Site(tuple(articles),
                origin_note=note + (f" section_articles={section_articles}"
                                    if section_articles else ""))


def _draft(rng: random.Random, moment: datetime, section: str,
           used: set[str]) -> dict[str, object]:
    title = _title(rng)
    slug = slugify(title)
    path = f"{section}/{moment:%Y/%m/%d}/{slug}"
    suffix = 2
    while path in used:
        path = f"{section}/{moment:%Y/%m/%d}/{slug}-{suffix}"
        suffix += 1
    used.add(path)
    return {"path": path, "title": title, "moment": moment, "section": section}


def _section_stories(section: str, count: int, seed: int, oldest: datetime,
                     site_paths: list[str], used: set[str]) -> list[SiteArticle]:
    """``count`` stories of one section over the same span of time as the rest of the site;
    their "Others Also Read" lists point into the whole site (Aseanplus News mostly)."""
    rng = random.Random(f"{seed}:section:{section}")
    span_minutes = int((NEWEST - oldest).total_seconds() // 60)
    drafts = []
    for index in range(count):
        # One story in each of ``count`` equal slices of the span, newest first.
        offset = int(span_minutes * (index + rng.random()) / count)
        drafts.append(_draft(rng, NEWEST - timedelta(minutes=offset), section, used))
    paths = site_paths + [str(d["path"]) for d in drafts]
    return [_shared(_templated(_article(rng, d, paths), seed), seed) for d in drafts]


def _shared(article: SiteArticle, seed: int) -> SiteArticle:
    """About one story in seven also in another section's listing (Aseanplus News stories in
    Nation, World or Business News; those sections' stories in one another's)."""
    rng = random.Random(f"{seed}:shared:{article.path}")
    if rng.random() >= SHARED_SHARE or article.is_gallery:
        return article
    targets = [path for path in SHARED_INTO if path != article.section_path]
    return replace(article, also_listed_in=(rng.choice(targets),))


def _templated(article: SiteArticle, seed: int) -> SiteArticle:
    """About a quarter of the stories in the story-div template: galleries, video stories, and
    text stories (long ones among them) with that template's in-body furniture."""
    rng = random.Random(f"{seed}:template:{article.path}")
    draw = rng.random()
    if draw >= STORY_DIV_SHARE or article.premium:
        return article
    if draw < GALLERY_SHARE and article.in_section:
        photos = tuple(SiteImage(f"{article.published:%Y/%m/%d}/{rng.randint(10**6, 10**7 - 1)}",
                                 f"Photo {i + 1} of the day. — Bernama")
                       for i in range(rng.randint(3, 6)))
        return replace(article, template="story-div", paragraphs=(), photos=photos, image=None)
    if draw < GALLERY_SHARE + VIDEO_SHARE:
        return replace(article, template="story-div", video=rng.choice(VIDEO_KINDS),
                       paragraphs=article.paragraphs[:2])
    noise = tuple(k for k in article.noise if k in ("caption", "script", "ad"))
    extra = tuple(k for k in STORY_DIV_NOISE if rng.random() < 0.5)
    return replace(article, template="story-div", noise=noise + extra)


def _moments(rng: random.Random, n: int) -> list[datetime]:
    moments = []
    moment = NEWEST
    for _ in range(n):
        moments.append(moment)
        moment -= timedelta(minutes=rng.randint(7, 180))
    return moments


def _title(rng: random.Random) -> str:
    _, country, demonym = rng.choice(PLACES)
    subject = rng.choice((f"{country[0].upper()}{country[1:]}", f"{demonym} {rng.choice(ACTORS)}"))
    title = f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.1:
        title = f"{country[0].upper()}{country[1:]}'s {rng.choice(ACTORS)} {rng.choice(VERBS)} " \
                f"{rng.choice(OBJECTS)}"
    return title


def _paragraphs(rng: random.Random, moment: datetime, agency: str | None,
                count: int) -> tuple[str, ...]:
    dateline, country, demonym = rng.choice(PLACES)
    day = DAYS[moment.weekday()]
    date = f"{MONTHS[moment.month - 1]} {moment.day}"
    out = []
    for index in range(count):
        sentences = [
            rng.choice(SENTENCES).format(actor=rng.choice(ACTORS), country=country, day=day,
                                         date=date, n=rng.randint(2, 95), demonym=demonym)
            for _ in range(rng.randint(1, 3))
        ]
        text = " ".join(sentences)
        if index == 0:
            text = f"{dateline}: {text}"
        out.append(text)
    if agency:
        out[-1] += f" - {agency}"
    return tuple(out)


def _article(rng: random.Random, draft: dict[str, object], paths: list[str]) -> SiteArticle:
    moment = draft["moment"]
    assert isinstance(moment, datetime)
    path, section = str(draft["path"]), str(draft["section"])
    agency = rng.choice(AGENCIES)
    premium = section == SECTION_PATH and rng.random() < 0.08
    authors = tuple(rng.sample(STAFF, rng.choice((1, 1, 2)))) if agency is None else (
        (rng.choice(STAFF),) if agency.endswith("/ANN") and rng.random() < 0.4 else ())
    paragraphs = _paragraphs(rng, moment, None if premium else agency,
                             rng.randint(2, 3) if premium else rng.randint(3, 12))
    noise: list[NoiseKind] = [k for k in NOISE_KINDS if rng.random() < 0.5]
    image = None
    if rng.random() < 0.85:
        image = SiteImage(f"{moment:%Y/%m/%d}/{rng.randint(1_000_000, 9_999_999)}",
                          f"A file photo from the scene. — {agency or 'IZZRAFIQ ALIAS/The Star'}")
    others = []
    for target in rng.sample(paths, min(len(paths), rng.randint(3, 6))):
        if target == path:
            continue
        form = rng.randrange(4)
        others.append(("https://thestar.com.my" + target, target + "?utm_source=others",
                       "https://www.thestar.com.my" + target, target)[form])
    modified = moment + timedelta(minutes=rng.randint(5, 300)) if rng.random() < 0.25 else None
    return SiteArticle(
        path=path,
        title=str(draft["title"]),
        paragraphs=paragraphs,
        published=moment,
        modified=modified,
        section=section_label(section),
        authors=authors,
        tags=tuple(rng.sample(("Asean", "trade", "politics", "economy", "China", "US",
                               "climate", "security", "tourism", "health"), rng.randint(2, 5))),
        premium=premium,
        jsonld=rng.random() < 0.5,
        listed=rng.random() >= 0.05,
        image=image,
        noise=tuple(noise),
        others_also_read=tuple(others),
        source=f"synthetic:{path}",
    )
