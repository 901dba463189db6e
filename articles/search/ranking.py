"""Relevance order: more of the terms in the title, then more occurrences, then newer.

Title matches come from the token index, so they cost little however many articles match.
Counting occurrences reads each candidate's title and body, so its work is bounded (a search of
common words over 28,800 articles, 2,741 of them long English ones, spent 1.0 s of its 1.2 s
counting " the ", " a " and " of " in every text, and 3.6 s on PostgreSQL):

- words on ``STOP_WORDS`` are never counted (they still have to match: the list is for
  ranking only), since how often an article says "the" or "的" says nothing of its subject;
- occurrences are counted in the title and the body's first ``OPENING`` characters (canonical
  form), where a news article says what it is about;
- only while candidates times counted terms stays within ``RANK_BUDGET``; above it, title
  matches and then the newest decide.

The counts are made here, from the articles' own title and body (one query), since the index
keeps no copy of the text; the order is then an annotation by id, so it is the same on every
database and the results stay a queryset.
"""

from django.db.models import Case, IntegerField, Value, When

from articles.text.normalize import canonical

from .conditions import TITLE, contains, in_index

# Normalized (case-folded, simplified) forms. English function words, and the Chinese characters
# that occur in most articles of the archive.
_ENGLISH = (
    "a an and are as at be been but by can could did do does for from had has have he her his i if in into "
    "is it its not no of on or our over said says she so than that the their them then there these they "
    "this those to under was we were what when which who will with would you"
)
_CHINESE = (
    "的 了 是 在 和 与 及 或 也 就 都 而 但 并 又 被 把 对 从 向 为 以 于 之 其 这 那 个 们 我 你 他 她 它 "
    "有 不 没 很 一 上 中 下 到 说 等 将 会 要 让 给 着 过 还 已 所 此"
)
STOP_WORDS = frozenset(_ENGLISH.split()) | frozenset(_CHINESE.split())
# Characters of the text counted in (the title is counted whole): about a news article's first
# paragraphs. Bounds the work per candidate, whatever the article's length.
OPENING = 1000
# Candidates x counted terms. Each candidate's title and body are read and its opening normalized
# here, about 0.3 ms of CPU per article (0.6-0.9 ms on the loaded machine, 558 articles of 100,000):
# at 300, at most about 100 ms.
RANK_BUDGET = 300


def counted_terms(terms):
    """The terms whose occurrences rank: those that are not a single stop word."""
    return [term for term in terms if not (len(term.segments) == 1 and term.segments[0] in STOP_WORDS)]


def should_count(terms, candidates):
    """Whether counting the occurrences of ``terms`` in ``candidates`` articles fits the budget."""
    return candidates is not None and len(counted_terms(terms)) * candidates <= RANK_BUDGET


def _in_title(backend, term):
    in_title = in_index(backend, [term], "title")
    return in_title if backend.exact(term) else in_title & contains(term, [TITLE])


def opening(body, length=None):
    """The first ``length`` (``OPENING``) characters of the body's canonical form, normalizing only
    as much of the body as they need."""
    length = length or OPENING
    cut = length + length // 4  # canonical text is about as long as its source, a little shorter
    while True:
        text = canonical(body[:cut])
        if cut >= len(body):
            return text[:length]
        # The cut may shorten the last segment (or change how its last character composes): all
        # before the space that precedes it is as in the whole body's canonical form.
        if text.rfind(" ", 0, len(text) - 1) >= length:
            return text[:length]
        cut *= 2


def occurrences(queryset, ids, terms):
    """{id: occurrences of ``terms``' patterns in the title and opening} of the articles with these ids."""
    patterns = [term.pattern for term in terms]
    rows = queryset.model._base_manager.using(queryset.db).filter(pk__in=ids).values_list("pk", "title", "body_text")
    hits = {}
    for pk, title, body in rows:
        title, body = canonical(title), opening(body)
        hits[pk] = sum(title.count(pattern) + body.count(pattern) for pattern in patterns)
    return hits


def _by_count(hits):
    """An annotation giving each id its count: one ``When`` per distinct count (a handful)."""
    ids = {}
    for pk, count in hits.items():
        if count:
            ids.setdefault(count, []).append(pk)
    whens = [When(pk__in=sorted(pks), then=Value(count)) for count, pks in sorted(ids.items())]
    return Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)


def order_by_relevance(queryset, terms, backend, ids=None):
    """Title matches first, then (when ``ids``, the candidates, are given) more occurrences, then newer:
    the same on every database."""
    title_hits = sum(
        (Case(When(_in_title(backend, term), then=Value(1)), default=Value(0)) for term in terms),
        start=Value(0),
    )
    queryset = queryset.annotate(search_title_hits=title_hits)
    counted = counted_terms(terms) if ids is not None else []
    if not counted:
        return queryset.order_by("-search_title_hits", "-published_at", "-pk")
    hits = _by_count(occurrences(queryset, ids, counted))
    return queryset.annotate(search_hits=hits).order_by("-search_title_hits", "-search_hits", "-published_at", "-pk")
