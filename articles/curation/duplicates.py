"""Finding and merging possible duplicates: the same story imported under different URLs or files.

Two articles are candidates when their normalized titles are equal and their dates are close, or
when the normalized start of their text is identical. Both checks are dictionary lookups over one
pass of the table, so a 100,000-article archive is scanned in seconds without pairwise comparison.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

import opencc
from django.db import transaction
from django.db.models.functions import Substr

from articles.models import Article, ArticleRedirect, TaggedArticle
from articles.search import remove_from_index, update_index

from .history import record_relation_change

DATE_WINDOW = timedelta(days=2)
FINGERPRINT_CHARS = 300  # of normalized text compared
MIN_FINGERPRINT_CHARS = 60  # shorter texts (stubs, empty bodies) are not compared
SCAN_CHUNK = 2000
NON_WORD = re.compile(r"[\W_]+")  # punctuation, symbols and spaces of every script


@lru_cache(maxsize=1)
def _to_simplified():
    return opencc.OpenCC("t2s")


def normalize(text):
    """Fold case, width and traditional characters, and drop punctuation, symbols and spaces."""
    text = _to_simplified().convert(unicodedata.normalize("NFKC", text or "")).casefold()
    return NON_WORD.sub("", text)


def text_fingerprint(text):
    """A hash of the normalized start of the text, or "" when there is too little text to judge."""
    start = normalize((text or "")[: FINGERPRINT_CHARS * 2])[:FINGERPRINT_CHARS]
    if len(start) < MIN_FINGERPRINT_CHARS:
        return ""
    return hashlib.sha1(start.encode(), usedforsecurity=False).hexdigest()


@dataclass
class DuplicatePair:
    first_id: int
    second_id: int
    reasons: set = field(default_factory=set)
    first: Article | None = None
    second: Article | None = None

    @property
    def articles(self):
        return (self.first, self.second)


def find_duplicate_pairs(queryset=None, *, window=DATE_WINDOW):
    """Candidate pairs, newest first. Each group is chained (a-b, b-c), so merging walks through it."""
    queryset = Article.objects.all() if queryset is None else queryset
    rows = (
        queryset.order_by()
        .annotate(text_start=Substr("body_text", 1, FINGERPRINT_CHARS * 2))
        .values_list("pk", "title", "published_at", "text_start")
    )
    by_title, by_text, dates = {}, {}, {}
    for pk, title, published_at, text_start in rows.iterator(chunk_size=SCAN_CHUNK):
        dates[pk] = published_at
        key = normalize(title)
        if key:
            by_title.setdefault(key, []).append(pk)
        fingerprint = text_fingerprint(text_start)
        if fingerprint:
            by_text.setdefault(fingerprint, []).append(pk)

    pairs = {}

    def add(a, b, reason):
        key = (min(a, b), max(a, b))
        pairs.setdefault(key, DuplicatePair(*key)).reasons.add(reason)

    for ids in by_title.values():
        ids.sort(key=lambda pk: (dates[pk], pk))
        for a, b in zip(ids, ids[1:], strict=False):
            if dates[b] - dates[a] <= window:
                add(a, b, "title")
    for ids in by_text.values():
        ids.sort()
        for a, b in zip(ids, ids[1:], strict=False):
            add(a, b, "text")
    return sorted(pairs.values(), key=lambda p: (max(dates[p.first_id], dates[p.second_id]), p.second_id), reverse=True)


def attach_articles(pairs):
    """Load the articles of these pairs in one query."""
    ids = {pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
    articles = Article.objects.in_bulk(ids)
    for pair in pairs:
        pair.first, pair.second = articles.get(pair.first_id), articles.get(pair.second_id)
    return [pair for pair in pairs if pair.first and pair.second]


def merge_articles(keep, other, *, delete=False, user=None):
    """Keep ``keep``: it gains ``other``'s tags, categories and URLs; ``other`` is hidden or deleted."""
    if keep.pk == other.pk:
        raise ValueError("An article cannot be merged into itself.")
    with transaction.atomic():
        kept_tags = set(TaggedArticle.objects.filter(content_object=keep).values_list("tag_id", flat=True))
        new_tags = [
            tag_id
            for tag_id in TaggedArticle.objects.filter(content_object=other).values_list("tag_id", flat=True)
            if tag_id not in kept_tags
        ]
        TaggedArticle.objects.bulk_create(
            [TaggedArticle(content_object=keep, tag_id=tag_id) for tag_id in new_tags], ignore_conflicts=True
        )
        through = Article.categories.through
        kept_categories = set(through.objects.filter(article=keep).values_list("category_id", flat=True))
        through.objects.bulk_create(
            [
                through(article=keep, category_id=category_id)
                for category_id in through.objects.filter(article=other).values_list("category_id", flat=True)
                if category_id not in kept_categories
            ],
            ignore_conflicts=True,
        )
        ArticleRedirect.objects.filter(article=other).update(article=keep)
        old_path = other.get_absolute_url()
        if old_path != keep.get_absolute_url():
            ArticleRedirect.objects.update_or_create(old_path=old_path, defaults={"article": keep})
        record_relation_change([keep.pk], user=user, reason=f"Merged duplicate #{other.pk} ({other.title})")
        if delete:
            other._change_reason = f"Deleted as duplicate of #{keep.pk}"
            other_id = other.pk
            other.delete()
            remove_from_index([other_id])
        else:
            other.status = Article.Status.HIDDEN
            other.hidden_reason = f"Duplicate of #{keep.pk}: {keep.title}"[:500]
            other._change_reason = f"Hidden as duplicate of #{keep.pk}"
            other.save()
            update_index([other.pk])
        update_index([keep.pk])
    return keep
