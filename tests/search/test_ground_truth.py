"""The engine against a brute-force scan of the real samples: the same articles, every time."""

import random
import re
import unicodedata

import opencc
import pytest
from django.utils import timezone

from articles.facets import Narrowing, search_facets
from articles.importer.runner import import_paths
from articles.models import Article
from articles.search import search

pytestmark = pytest.mark.django_db

FIXED_QUERIES = [
    "台湾",
    "臺灣",
    "香港",
    "港",
    "湾",
    "美国",
    "中共",
    "馬哈蒂爾",
    "马哈蒂尔",
    "联合政府",
    "跨黨派聯合政府",
    "疫情",
    "武汉",
    "肺炎",
    "李作成",
    "美台军事勾连",
    "russia",
    "NATO",
    "Sanctions",
    "jimmy lai",
    "ukraine",
    "the",
    "of",
    "2020",
    "rss",
    "香港 美国",
    "台湾 -香港",
    "Russia 制裁",
]
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_t2s = opencc.OpenCC("t2s")


def brute_normalize(text):
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(_t2s.convert(char) for char in folded)


def term_matches(term, text):
    if term.isascii():
        return re.search(rf"(?<![0-9a-z]){re.escape(term)}(?![0-9a-z])", text) is not None
    return term in text


def brute_force(articles, query):
    positive = [brute_normalize(t) for t in query.split() if not t.startswith("-")]
    negative = [brute_normalize(t[1:]) for t in query.split() if t.startswith("-")]
    found = set()
    for pk, fields in articles.items():
        if all(any(term_matches(t, f) for f in fields) for t in positive) and not any(
            term_matches(t, f) for t in negative for f in fields
        ):
            found.add(pk)
    return found


def sampled_queries(articles, count=40, seed=5):
    """Random 1-6 character substrings of the samples' Chinese text: common, rare and in between."""
    rng = random.Random(seed)
    runs = sorted({run for fields in articles.values() for f in fields for run in CJK_RUN.findall(f)})
    queries = []
    for run in rng.sample(runs, min(count, len(runs))):
        size = rng.randint(1, min(6, len(run)))
        start = rng.randint(0, len(run) - size)
        queries.append(run[start : start + size])
    return queries


def test_results_equal_a_brute_force_scan(corpus_dir):
    report = import_paths([corpus_dir], workers=1, progress=False)
    assert report.counts()["created"] >= 150
    articles = {}
    for article in Article.objects.prefetch_related("tags", "categories"):
        fields = [article.title, article.body_text, article.author]
        fields += [tag.name for tag in article.tags.all()] + [c.name for c in article.categories.all()]
        articles[article.pk] = [brute_normalize(f) for f in fields]
    published = set(Article.objects.published().values_list("pk", flat=True))
    years = {pk: timezone.localtime(at).year for pk, at in Article.objects.values_list("pk", "published_at")}
    mismatches = []
    for query in FIXED_QUERIES + sampled_queries(articles):
        expected = brute_force(articles, query)
        got = set(search(Article.objects.all(), query).results.values_list("pk", flat=True))
        found = search(Article.objects.published(), query)
        public = set(found.results.values_list("pk", flat=True))
        if got != expected or public != expected & published:
            mismatches.append((query, len(expected), sorted(got ^ expected)[:5]))
        facets = search_facets(found, Narrowing())
        if facets.total != len(public):
            mismatches.append((query, "facets total", facets.total, len(public)))
        for item in facets.year[:1]:  # the newest year: the matches published in it, exactly
            in_year = {pk for pk in public if years[pk] == int(item.name)}
            narrowed = search(Article.objects.published(), query, narrow=Narrowing(year=int(item.name)).condition())
            if set(narrowed.results.values_list("pk", flat=True)) != in_year or item.count != len(in_year):
                mismatches.append((query, item))
    assert mismatches == []
    assert any(brute_force(articles, q) for q in FIXED_QUERIES)  # the queries do find things


# Where a positional index could go wrong: a match across two fields (title and body, two tags, a tag
# and a category) or across punctuation, repeated characters, a word inside a longer one, scripts,
# one-character terms, phrases, exclusions. Each field is separate text; a phrase's parts are adjacent
# segments (CJK runs and words) of one field.
EDGE_ARTICLES = [
    {"title": "台湾", "body_text": "海峡两岸，关系紧张。", "tags": ["台湾", "海峡"], "categories": ["两岸"]},
    {"title": "臺灣海峽", "body_text": "哈哈哈哈 的的 嗯", "author": "記者 王明"},
    {"title": "NATO 峰会", "body_text": "The senator met NATO allies; 北约NATO峰会 in Brussels.", "tags": ["Nato"]},
    {"title": "港", "body_text": "香港，选举。香港选举委员会。", "categories": ["香港"]},
    {"title": "选举", "body_text": "香港 选举 结果；选举香港", "tags": ["选举", "香港"]},
    {"title": "Ｆｕｌｌ ｗｉｄｔｈ", "body_text": "full-width text, 全形字符 and «quotes»", "author": "Ａｎｎ"},
    {"title": "空", "body_text": "", "tags": ["哈"]},
    {"title": "the end", "body_text": "a b c 的 了 是", "categories": ["评论", "国际"]},
]
EDGE_QUERIES = [
    "台湾",
    "湾海",
    "海峡",
    "峡两",
    "台湾海峡",
    "臺",
    "哈",
    "哈哈",
    "哈哈哈",
    "哈哈哈哈哈",
    "的的",
    "nato",
    "senator",
    "NATO峰会",
    "约nato",
    '"北约 nato"',
    '"nato 峰会"',
    '"nato 峰"',
    '"约 nato 峰"',
    "港",
    "香港选举",
    '"香港 选举"',
    '"港 选"',
    '"选举 香港"',
    "港选",
    "举香",
    '"选举 结果"',
    "两岸关系",
    "两岸 -关系",
    "选举 -香港",
    "香港 -台湾 -nato",
    "full width",
    '"full width"',
    '"full width text"',
    "ann",
    "记者王明",
    '"记者 王明"',
    "评论国际",
    "the",
    '"a b c"',
    '"b c 的"',
    "了是",
    '"了 是"',
    "嗯",
]
SEGMENT = re.compile(r"[\u3400-\u9fff]+|[^\W_\u3400-\u9fff]+")


def _phrase_pattern(words):
    """A regex for a phrase's segments, adjacent in one field: runs and words need a separator between
    two of a kind (else they would be one), a word only whole."""
    parts, previous = [], None
    for word in words:
        cjk = bool(re.match(r"[\u3400-\u9fff]", word))
        if previous is not None:
            parts.append(r"[\W_]+" if previous == cjk else r"[\W_]*")
        parts.append(re.escape(word))
        previous = cjk
    start = "" if re.match(r"[\u3400-\u9fff]", words[0]) else r"(?<![^\W_\u3400-\u9fff])"
    end = "" if re.match(r"[\u3400-\u9fff]", words[-1]) else r"(?![^\W_\u3400-\u9fff])"
    return re.compile(start + "".join(parts) + end)


def _query_patterns(query):
    """(wanted, unwanted) regexes of a query's terms: quoted phrases, bare words, -exclusions."""
    wanted, unwanted = [], []
    for negated, quoted, bare in re.findall(r'(-?)(?:"([^"]*)"|(\S+))', query):
        words = SEGMENT.findall(brute_normalize(quoted or bare))
        (unwanted if negated else wanted).append(_phrase_pattern(words))
    return wanted, unwanted


def brute_force_phrases(articles, query):
    wanted, unwanted = _query_patterns(query)
    return {
        pk
        for pk, fields in articles.items()
        if all(any(p.search(f) for f in fields) for p in wanted)
        and not any(p.search(f) for p in unwanted for f in fields)
    }


def test_edges_equal_a_brute_force_scan():
    from tests.factories import make_article

    made = [make_article(**fields) for fields in EDGE_ARTICLES]
    articles = {}
    for article in made:
        fields = [article.title, article.body_text, article.author]
        fields += [tag.name for tag in article.tags.all()] + [c.name for c in article.categories.all()]
        articles[article.pk] = [brute_normalize(f) for f in fields]
    mismatches = []
    for query in EDGE_QUERIES:
        expected = brute_force_phrases(articles, query)
        got = set(search(Article.objects.all(), query).results.values_list("pk", flat=True))
        if got != expected:
            mismatches.append((query, sorted(expected), sorted(got)))
    assert mismatches == []
    assert sum(bool(brute_force_phrases(articles, q)) for q in EDGE_QUERIES) > len(EDGE_QUERIES) // 2
