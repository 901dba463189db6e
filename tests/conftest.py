import os
from pathlib import Path

import pytest
from django.conf import settings

CORPUS_DIR = Path(os.environ.get("CORPUS_SAMPLE_DIR", settings.BASE_DIR.parent / "shared" / "corpus-sample"))
SEEDS_DIR = settings.BASE_DIR / "seeds"
FIXTURES_DIR = Path(__file__).parent / "fixtures"


@pytest.fixture
def corpus_dir():
    """The real sample posts; tests that use them skip when the folder is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus sample not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture
def seeds_dir():
    return SEEDS_DIR


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Page, count and related-article caches never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
