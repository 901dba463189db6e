"""The archive's data, one module per kind: articles, tags and categories, import runs, archived
images, search documents, git sources, kept counts (tallies) and the content version's writes,
with the column rules and history writes they share.

Importing this package registers every model (Django imports it when the app loads).
"""

from .article import Article, ArticleQuerySet, ArticleRedirect, can_view_articles, published_lookups
from .assets import ArticleAsset, Asset, SourceCheck
from .columns import SLUG_MAX_LENGTH, fit, max_length, unicode_slug
from .imports import ImportRun
from .labels import Category, CategoryAlias, TagAlias, TaggedArticle
from .search import SearchDocument
from .sources import Source, SourceRemoval, SourceSync, SyncedFile
from .tallies import Tally
from .taxonomy import CATEGORIES, TAGS
from .writes import ContentWrites

__all__ = [
    "CATEGORIES",
    "SLUG_MAX_LENGTH",
    "TAGS",
    "Article",
    "ArticleAsset",
    "ArticleQuerySet",
    "ArticleRedirect",
    "Asset",
    "Category",
    "CategoryAlias",
    "ContentWrites",
    "ImportRun",
    "SearchDocument",
    "Source",
    "SourceCheck",
    "SourceRemoval",
    "SourceSync",
    "SyncedFile",
    "TagAlias",
    "TaggedArticle",
    "Tally",
    "can_view_articles",
    "fit",
    "max_length",
    "published_lookups",
    "unicode_slug",
]
