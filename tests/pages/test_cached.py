from __future__ import annotations

from newscrawl.pages.cached import cached_value


class _Page:
    def __init__(self) -> None:
        self.reads = 0

    @cached_value
    def value(self) -> int:
        """The doc."""
        self.reads += 1
        return 40 + self.reads


class _Override(_Page):
    @cached_value
    def value(self) -> int:
        found: int = vars(_Page)["value"].func(self)
        return found * 10


def test_a_value_is_worked_out_once_and_kept_on_the_page() -> None:
    page = _Page()
    assert (page.value, page.value, page.reads) == (41, 41, 1)
    assert page.__dict__["value"] == 41
    assert _Page().value == 41  # each page its own


def test_a_subclass_overrides_it_and_reaches_the_base_rule() -> None:
    assert _Override().value == 410
    assert isinstance(vars(_Page)["value"], cached_value)
    assert _Page.value.__doc__ == "The doc."
