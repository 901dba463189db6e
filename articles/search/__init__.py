"""Full-text search over articles that understands Chinese.

The interface every caller uses:

- ``search(queryset, query, order="relevance")`` returns a ``SearchResults`` (order is
  "relevance", "newest" or "oldest"); ``results.results`` is a queryset in rank order, so
  ``count()`` and slicing (what Django's Paginator needs) run in SQL; ``results.message``
  explains odd queries; ``results.snippet(article)`` and ``results.highlight(text)`` give
  escaped HTML with <mark> around the matches
- ``update_index(article_ids)`` / ``remove_from_index(article_ids)`` keep the index current
  in the caller's transaction; signals call them for saves, tag and category changes, deletes
  and the article queryset's ``update()`` and ``bulk_update()``; the importer and bulk admin
  actions call them after their other bulk writes

How it works: every field is normalized (NFKC, case folding, traditional to simplified) and
read as CJK runs and words. SQLite's index keeps a token per character or word with its position,
so any Chinese substring or phrase is found by the index alone; PostgreSQL's keeps characters,
pairs and words, and a substring check on the stored canonical text confirms longer terms.
Either way without a dictionary, and with the same results.
"""

from .engine import SearchResults, search
from .indexing import remove_from_index, update_index
from .orders import DEFAULT_ORDER, ORDERS

__all__ = ["DEFAULT_ORDER", "ORDERS", "SearchResults", "remove_from_index", "search", "update_index"]
