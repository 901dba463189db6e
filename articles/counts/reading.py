"""Reading the kept counts as readers see them: public articles only, one query each.

The counts hold every published article, scheduled ones too (they become public when their time
comes, without a write). A month after this one holds only scheduled articles, so it is left out;
this month's count takes away its articles still to come, an index range of the rest of one month
(``Article.published()``'s own index). The query also reads which time zone the counts were kept
in: another one (``TIME_ZONE`` changed) has them counted again first.
"""

from collections import Counter, defaultdict

from django.db import connections, router
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from articles.core import periods
from articles.models import Article, TaggedArticle, Tally

from . import keeping
from .keeping import ARCHIVE, AUTHOR, CATEGORY, STATUS, TAG, TOTAL, ZONE, CategoryLink
from .months import local_month, split, zone_name

SCHEDULED = "scheduled"
# How the articles still to come of this month are narrowed to one thing, by kind: a link looked up
# for each of them (a few), never the tag's or category's links read (a join read all 60,000 of a
# popular tag's to find them).
NARROWED = {
    ARCHIVE: lambda key: Q(),
    AUTHOR: lambda key: Q(author=key),
    TAG: lambda key: Q(Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id=int(key)))),
    CATEGORY: lambda key: Q(Exists(CategoryLink.objects.filter(article=OuterRef("pk"), category_id=int(key)))),
}


def _this_month():
    """(this month's number, the rest of it as (start, end) bounds: from now to its end)."""
    now = timezone.now()
    number = local_month(now)
    return number, (now, periods.month(*split(number))[1])


def _scheduled(rest, condition, key=None):
    """Articles published in ``rest`` (the rest of this month) but not yet public, as (kind, key, month, count)."""
    start, end = rest
    rows = Article.objects.filter(condition or Q(), status=Article.Status.PUBLISHED, published_at__gt=start)
    if end is not None:
        rows = rows.filter(published_at__lt=end)
    key = Cast(key, CharField()) if key is not None else Cast(Value(""), CharField())
    rows = rows.annotate(t_kind=Value(SCHEDULED), t_key=key, t_month=Value(0, IntegerField()))
    return rows.values("t_kind", "t_key", "t_month").annotate(n=Count("pk")).order_by()


def _read(tallies, scheduled, using):
    """The rows of ``tallies`` and the zone's, and of ``scheduled``: one query. None when the counts
    were kept in another time zone (or never)."""
    sqls, params = [], []
    counted = (tallies | Tally.objects.filter(kind=ZONE)).values_list("kind", "key", "month", "value")
    for query in (counted, scheduled):
        sql, part_params = query.query.get_compiler(using=using).as_sql()
        sqls.append(f"SELECT * FROM ({sql}) part")  # noqa: S608 (Django's SQL)
        params += part_params
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sqls), params)
        rows = cursor.fetchall()
    if {key for kind, key, _month, _value in rows if kind == ZONE} != {zone_name()}:
        return None
    return [row for row in rows if row[0] != ZONE]


def _rows(tallies, scheduled):
    """``_read``, with the counts made again first if they were kept in another time zone."""
    using = router.db_for_read(Tally)
    rows = _read(tallies, scheduled, using)
    if rows is None:
        keeping.rebuild(router.db_for_write(Tally))
        rows = _read(tallies, scheduled, using)
    return rows


def months(kind, key=""):
    """[(month number, public articles)] of one thing (``kind`` and ``key`` as ``keeping`` keeps them),
    oldest first, months without articles left out."""
    this_month, rest = _this_month()
    tallies = Tally.objects.filter(kind=kind, key=str(key), month__gt=TOTAL, month__lte=this_month)
    rows = _rows(tallies, _scheduled(rest, NARROWED[kind](key)))
    counts = Counter()
    for row_kind, _key, month, value in rows:
        if row_kind == SCHEDULED:
            counts[this_month] -= value
        else:
            counts[month] += value
    return sorted((month, count) for month, count in counts.items() if count > 0)


def tag_totals():
    """{tag id: public articles} of every tag that has some: its total, less what is still to come."""
    this_month, rest = _this_month()
    tallies = Tally.objects.filter(Q(month=TOTAL) | Q(month__gt=this_month), kind=TAG)
    scheduled = _scheduled(rest, Q(tagged_items__isnull=False), "tagged_items__tag_id")
    counts = Counter()
    for kind, key, month, value in _rows(tallies, scheduled):
        counts[int(key)] += value if kind == TAG and month == TOTAL else -value
    return {tag: count for tag, count in counts.items() if count > 0}


def statuses():
    """({status: articles}, {status: [(month number, articles added that month)]}) of every article."""
    rows = Tally.objects.filter(kind=STATUS).values_list("month", "key", "value")
    totals, by_month = {}, defaultdict(list)
    for month, status, value in rows.order_by("month"):
        if not value:
            continue
        if month == TOTAL:
            totals[status] = value
        else:
            by_month[status].append((month, value))
    return totals, dict(by_month)


def zone_is_current(using=None):
    """Whether the counts were kept in the current time zone (False before they were ever kept)."""
    names = set(Tally.objects.using(using).filter(kind=ZONE).values_list("key", flat=True))
    return names == {zone_name()}
