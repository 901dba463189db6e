"""The real sample posts (../shared/corpus-sample) all import, in parallel, with no failure."""

import pytest

from articles.importer.runner import import_paths
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_corpus_sample_imports_without_failures_and_reimports_unchanged(corpus_dir):
    files = [p for p in corpus_dir.rglob("*") if p.suffix in {".md", ".html"}]
    report = import_paths([corpus_dir], workers=2)
    assert report.errors == []
    assert report.failed == 0
    assert report.created + report.skipped == len(files)
    assert Article.objects.count() == report.created > 150
    assert Article.objects.filter(body_html="").count() == 0
    assert not Article.objects.filter(body_html__icontains="<script").exists()
    again = import_paths([corpus_dir], workers=2)
    assert again.unchanged == report.created
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
