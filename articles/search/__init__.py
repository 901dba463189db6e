"""Full-text search over articles (the search issue replaces this stub's internals).

The interface every caller uses:

- ``search(queryset, query, order="relevance")`` returns a ``SearchResults`` (order is
  "relevance", "newest" or "oldest"); ``results.results`` supports ``count()`` and slicing
  (what Django's Paginator needs) and ``results.snippet(article)`` gives highlighted HTML
- ``update_index(article_ids)`` / ``remove_from_index(article_ids)`` keep the index current;
  the importer calls them inside its write transaction.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape


@dataclass
class SearchResults:
    query: str
    results: object  # a sliceable sequence of Article, in rank order, with len()
    terms: list = field(default_factory=list)
    message: str = ""  # a user-facing note for empty / odd queries

    def __len__(self):
        return len(self.results)

    def count(self):
        return len(self.results)

    def snippet(self, article, length=120):
        """A short, HTML-escaped extract of the article around the matches, with <mark>s."""
        return escape(article.body_text[:length])


def search(queryset, query, order="relevance"):
    query = (query or "").strip()
    if not query:
        return SearchResults(query, queryset.none(), message="Enter a word to search for.")
    terms = query.split()
    for term in terms:
        queryset = queryset.filter(Q(title__icontains=term) | Q(body_text__icontains=term))
    return SearchResults(query, queryset.order_by("-published_at", "-id"), terms=terms)


def update_index(article_ids):
    """Re-index these articles (no-op in the stub)."""


def remove_from_index(article_ids):
    """Drop these articles from the index (no-op in the stub)."""
