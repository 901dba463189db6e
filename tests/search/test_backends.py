from importlib import import_module

import pytest
from django.db import connection

from articles.search.backends import VENDORS, get_backend
from articles.search.backends.base import SearchBackend
from articles.search.indexing import index_size
from tests.factories import make_article


@pytest.mark.parametrize("module", sorted(VENDORS.values()))
def test_every_backend_offers_every_operation_of_the_protocol(module):
    assert isinstance(import_module(f"articles.search.backends.{module}"), SearchBackend)


def test_a_database_without_an_index_is_refused_by_name():
    class Other:
        vendor = "mysql"

    with pytest.raises(NotImplementedError, match="mysql"):
        get_backend(Other())


@pytest.mark.django_db
def test_index_size_counts_tokens_and_documents_on_this_database():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT 1 FROM dbstat LIMIT 1")
            except Exception:
                pytest.skip("this SQLite has no dbstat table")
    make_article("大小", body_html="<p>正文</p>")
    tokens, documents = index_size()
    assert tokens > 0 and documents > 0
