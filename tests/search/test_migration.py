"""Migration 0014 on an archive that has an index: back to the old one and forward again, same results."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article
from articles.search import search
from tests.factories import make_article

QUERIES = ["台海", "两岸关系", '"两岸 关系"', "nato", "峡两", "台 -nato"]


def found():
    return {
        query: sorted(search(Article.objects.all(), query).results.values_list("pk", flat=True)) for query in QUERIES
    }


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_the_positional_index_is_made_from_the_old_ones_text():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index is unchanged by migration 0014")
    make_article("台海一", body_text="两岸关系 NATO", tags=["海峡"])
    make_article("台海二", body_text="两岸，关系", categories=["两岸"])
    make_article("别的", body_text="台 湾")
    before = found()
    assert all(before[query] for query in QUERIES[:4])
    migrate(("articles", "0017_drop_unused_pattern_indexes"))  # the old index, from the articles
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM articles_search_fts WHERE articles_search_fts MATCH '\"台海\"'")
        assert cursor.fetchone()[0] == 2
    migrate(("articles", "0018_search_positional_index"))  # and the new one, from the old one's text
    assert found() == before
