"""A page's value worked out on its first read and kept on the page: ``functools.cached_property``
without its lock.

Python 3.11's ``cached_property`` takes a per-class ``RLock`` around every first read (removed in
3.12 as useless and harmful): a story page reads ~17 such values once each, so the lock and its
bookkeeping were ~3 % of reading a page. A page object is read by one thread; a value worked out
twice by two would be the same value (the page classes are pure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_value(Generic[T]):  # noqa: N801 - a decorator, named as functools names its own
    """Like ``functools.cached_property``: the value is stored in the instance's ``__dict__``
    under the same name, where later reads find it without calling this descriptor."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_value[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_value[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value
