"""Scrapy's check for generator callbacks that ``return`` a value (the value would be lost) is
off in the crawl (``WARN_ON_GENERATOR_RETURN_VALUE``, settings.py: it re-read a callback's
source for every listing page). It runs here instead, on every generator of the spider glue,
the callbacks and errbacks among them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

from scrapy.utils.misc import is_generator_with_return_value

import newscrawl.spiders
from newscrawl.settings import WARN_ON_GENERATOR_RETURN_VALUE


def glue_generators() -> Iterator[Callable[..., Any]]:
    for module_info in pkgutil.iter_modules(newscrawl.spiders.__path__):
        module = importlib.import_module(f"newscrawl.spiders.{module_info.name}")
        for _, owner in inspect.getmembers(module, inspect.isclass):
            if owner.__module__ != module.__name__:
                continue
            for _, function in inspect.getmembers(owner, inspect.isfunction):
                if inspect.isgeneratorfunction(function):
                    yield function


def test_the_crawl_skips_the_check() -> None:
    assert WARN_ON_GENERATOR_RETURN_VALUE is False


def test_no_generator_of_the_glue_returns_a_value() -> None:
    generators = list(glue_generators())
    names = {f.__qualname__ for f in generators}
    # The story errback and the listing callback are among those checked.
    assert {"TheStarSpider.story_failed", "TheStarSpider.parse_listing"} <= names
    assert [f.__qualname__ for f in generators if is_generator_with_return_value(f)] == []
