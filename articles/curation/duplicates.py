"""Finding and merging possible duplicates: the same story imported under different URLs or files.

Two articles are candidates when their title keys are equal and their dates are close, or when
their text fingerprints are equal (see ``articles/text/fingerprints.py``). The keys are stored and
indexed, so the database groups them and only the members of repeated keys are read.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connections, transaction
from django.db.models import Count

from articles.models import Article, ArticleRedirect, TaggedArticle, fit
from articles.search import remove_from_index, update_index
from articles.search.backends import get_backend

from .history import record_relation_change, relation_names, with_relations

DATE_WINDOW = timedelta(days=2)
KEYS = (("title_key", "title"), ("text_fingerprint", "text"))
PAIR_FIELDS = ("title", "slug", "published_at", "status", "source_path")  # what the page shows


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


def repeated(key):
    """The values of ``key`` shared by more than one article (an indexed GROUP BY, as a subquery)."""
    return (
        Article.objects.order_by()
        .exclude(**{key: ""})
        .values(key)
        .annotate(count=Count(key))  # not Count("pk"): the key's index alone answers it
        .filter(count__gt=1)
        .values(key)
    )


def _in_repeated(key, using):
    """A condition for articles whose ``key`` repeats (each repeated key an index lookup)."""
    return get_backend(connections[using]).in_subquery(key, repeated(key))


def _groups(queryset, key):
    """{key value: [(published_at, pk), ...]} for the articles of ``queryset`` whose key repeats."""
    rows = queryset.order_by().filter(_in_repeated(key, queryset.db)).values_list(key, "published_at", "pk")
    groups = {}
    for value, published_at, pk in rows:
        groups.setdefault(value, []).append((published_at, pk))
    return groups.values()


def find_duplicate_pairs(queryset=None, *, window=DATE_WINDOW):
    """Candidate pairs, newest first. Each group is chained (a-b, b-c), so merging walks through it."""
    queryset = Article.objects.all() if queryset is None else queryset
    pairs, dates = {}, {}
    for key, reason in KEYS:
        for members in _groups(queryset, key):
            members.sort()
            dates.update((pk, published_at) for published_at, pk in members)
            if reason == "text":
                members.sort(key=lambda member: member[1])
            for (a_date, a), (b_date, b) in zip(members, members[1:], strict=False):
                if reason == "title" and abs(b_date - a_date) > window:
                    continue
                pair_key = (min(a, b), max(a, b))
                pairs.setdefault(pair_key, DuplicatePair(*pair_key)).reasons.add(reason)
    return sorted(pairs.values(), key=lambda p: (max(dates[p.first_id], dates[p.second_id]), p.second_id), reverse=True)


def attach_articles(pairs):
    """Load the articles of these pairs in one query."""
    ids = {pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
    articles = Article.objects.only(*PAIR_FIELDS).in_bulk(ids)
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
            other.hidden_reason = fit(Article, "hidden_reason", f"Duplicate of #{keep.pk}: {keep.title}")
            other._change_reason = with_relations(
                f"Hidden as duplicate of #{keep.pk}", relation_names([other.pk])[other.pk]
            )
            other.save()
            update_index([other.pk])
        update_index([keep.pk])
    return keep
