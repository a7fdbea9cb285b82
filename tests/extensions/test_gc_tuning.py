from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.extensions.gc_tuning import GEN0_THRESHOLD, GcTuningExtension


@pytest.fixture
def restore_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restore_gc")
def test_engine_start_freezes_what_exists_and_raises_the_young_threshold() -> None:
    extension = GcTuningExtension.from_crawler(get_crawler())
    gc.unfreeze()
    extension.engine_started()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == GEN0_THRESHOLD


def test_it_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        GcTuningExtension.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_FREEZE": False}))
