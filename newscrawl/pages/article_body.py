"""The story's body on an article page: the container's paragraphs without furniture, and for a
long story where the rest of it is."""

from __future__ import annotations

from typing import ClassVar

from newscrawl.pages import furniture, parsely
from newscrawl.pages.article_parts import ArticleParts
from newscrawl.pages.body import BodyText, read_container
from newscrawl.pages.cached import cached_value
from newscrawl.pages.continuation import BODY_INCOMPLETE, continuation_url, fragment_paragraphs
from newscrawl.pages.sources import NOWHERE, ValueSource, first_match
from newscrawl.pages.values import PageError


class ArticleBody(ArticleParts):
    # Inside the body but not body text (The Star's furniture, one list: pages.furniture).
    # Scripts and the like are never read as text anyway: see css.text_of.
    BODY_NOISE_CSS: ClassVar[str] = furniture.BODY_NOISE_CSS
    # Inside the body: elements whose whole paragraph is theirs (a chart, the load link).
    BODY_NOISE_HOLDER_CSS: ClassVar[str] = furniture.BODY_NOISE_HOLDER_CSS
    # A long story: the page holds the first part, the link loads the rest from the site's
    # endpoint, keyed by the story's parse.ly guid.
    CONTINUATION_CSS: ClassVar[str] = 'a[onclick*="loadFull"]'
    CONTINUATION_PATH: ClassVar[str] = "/api/readmore/get/{guid}/"

    def paragraphs(self) -> tuple[str, ...]:
        return self._body.paragraphs

    def body_source(self) -> ValueSource:
        found = first_match(self.doc, self.BODY_CSS)
        return ValueSource("markup", found[1]) if found is not None else NOWHERE

    def continuation_url(self) -> str | None:
        """Where the rest of a long story's body is, if the page holds only its first part.

        Raises PageError(body-incomplete) when the page says there is more but not where.
        """
        return self._continuation_url

    @cached_value
    def _continuation_url(self) -> str | None:
        # Once per page: the spider asks before reading the story, and the story asks again.
        guid = parsely.text(self._parsely.get("guid") or self._parsely.get("post_id"))
        return continuation_url(self.doc, self.url, link_css=self.CONTINUATION_CSS,
                                path_template=self.CONTINUATION_PATH, guid=guid)

    def whole_body(self, continuation: str | None) -> tuple[str, ...]:
        """The paragraphs, joined with those of the continuation for a long story.

        Raises PageError(body-incomplete) for a long story without its continuation: a cut
        body is never returned as a story.
        """
        paragraphs = self.paragraphs()
        if continuation is not None:
            return paragraphs + fragment_paragraphs(continuation, self.BODY_NOISE_CSS,
                                                    self.BODY_NOISE_HOLDER_CSS)
        if self.continuation_url() is not None:
            raise PageError(BODY_INCOMPLETE, "the continuation was not fetched")
        return paragraphs

    @cached_value
    def _body(self) -> BodyText:
        container = self._body_container
        if container is None:
            return BodyText((), plan_box=False)
        return read_container(container, self.BODY_NOISE_CSS, self.BODY_NOISE_HOLDER_CSS)
