"""Tags and categories follow the same rules: each test runs for both kinds."""

import pytest
from django.http import Http404

from articles.curation.taxonomy import merge, remember_name
from articles.importer.links import ensure_categories, ensure_tags
from articles.models import CATEGORIES, TAGS
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ENSURE = {TAGS: ensure_tags, CATEGORIES: ensure_categories}


@pytest.fixture(params=[TAGS, CATEGORIES], ids=["tags", "categories"])
def kind(request):
    return request.param


def make(kind, name, slug, *articles):
    item = kind.model.objects.create(name=name, slug=slug)
    for article in articles:
        kind.links.objects.create(**{kind.field: item, kind.article_field: article})
    return item


def names_of(kind, article):
    links = kind.links.objects.filter(**{kind.article_field: article})
    return sorted(links.values_list(f"{kind.field}__name", flat=True))


def alias(kind, name):
    found = kind.alias_model.objects.filter(name=name).first()
    return found and (getattr(found, kind.field).name, found.slug)


def rename(kind, item, name, slug):
    old_name, old_slug = item.name, item.slug
    item.name, item.slug = name, slug
    item.save()
    return remember_name(kind, item, old_name, old_slug)


def test_merge_moves_each_article_once_and_the_old_names_lead_to_the_kept_one(kind):
    both, moved = make_article("两个都有"), make_article("只有旧的")
    keep = make(kind, "台湾", "taiwan", both)
    other = make(kind, "台灣", "tai-wan", both, moved)
    assert merge(kind, keep, [other, keep]) == 2
    assert names_of(kind, both) == names_of(kind, moved) == ["台湾"]
    assert not kind.model.objects.filter(pk=other.pk).exists()
    assert alias(kind, "台灣") == ("台湾", "tai-wan")
    assert kind.find_by_slug("tai-wan") == (keep, True)
    assert kind.find_by_slug("taiwan") == (keep, False)
    assert kind.find_by_names(["台灣", "台湾", "新的"]) == ([keep], ["新的"])
    assert dict(kind.alias_names()) == {"台灣": "台湾"}


def test_merging_the_kept_one_into_itself_changes_nothing(kind):
    keep = make(kind, "国际", "world", make_article())
    assert merge(kind, keep, [keep]) == 0
    assert kind.model.objects.filter(pk=keep.pk).exists()
    assert not kind.alias_model.objects.exists()


def test_merge_hands_the_aliases_of_the_merged_ones_to_the_kept_one(kind):
    keep, other = make(kind, "保留", "keep"), make(kind, "合并", "merged")
    kind.alias_model.objects.create(name="更早", slug="earlier", **{kind.field: other})
    merge(kind, keep, [other])
    assert alias(kind, "更早") == ("保留", "earlier")
    assert kind.find_by_slug("earlier") == (keep, True)


@pytest.mark.parametrize("change", ["merge", "rename"])
def test_no_alias_of_another_takes_over_the_live_name_or_slug(kind, change):
    third = make(kind, "第三", "third")
    kind.alias_model.objects.create(name="现名", slug="elsewhere", **{kind.field: third})
    kind.alias_model.objects.create(name="别名", slug="now", **{kind.field: third})
    if change == "merge":
        keep = make(kind, "现名", "now")
        merge(kind, keep, [make(kind, "另一个", "another")])
    else:
        keep = make(kind, "旧名", "old")
        rename(kind, keep, "现名", "now")
    assert alias(kind, "现名") is None  # imports of the name reach the live one
    assert alias(kind, "别名") is None  # its slug is the live one's page
    assert kind.find_by_names(["现名"]) == ([keep], [])
    assert kind.find_by_slug("now") == (keep, False)
    assert dict(kind.alias_names()) == ({"另一个": "现名"} if change == "merge" else {"旧名": "现名"})


def test_rename_keeps_the_old_name_and_slug_and_renaming_back_frees_them(kind):
    item = make(kind, "旧名", "old-name", make_article())
    rename(kind, item, "新名", "new-name")
    assert alias(kind, "旧名") == ("新名", "old-name")
    assert kind.find_by_slug("old-name") == (item, True)
    assert kind.find_by_names(["旧名"]) == ([item], [])
    rename(kind, item, "旧名", "old-name")
    assert alias(kind, "旧名") is None
    assert not kind.alias_model.objects.filter(slug="old-name").exists()
    assert kind.find_by_slug("old-name") == (item, False)


def test_taking_an_old_name_back_keeps_an_older_slug_redirecting(kind):
    item = make(kind, "甲", "first")
    rename(kind, item, "乙", "second")
    rename(kind, item, "甲", "second")  # the name back, the slug kept
    assert kind.find_by_slug("first") == (item, True)
    assert kind.find_by_names(["甲", "乙"]) == ([item], [])


def test_renaming_nothing_makes_no_alias(kind):
    item = make(kind, "不变", "same")
    assert remember_name(kind, item, "不变", "same") is None
    assert not kind.alias_model.objects.exists()


def test_an_unknown_slug_is_404(kind):
    with pytest.raises(Http404):
        kind.find_by_slug("no-such")


def test_new_names_get_free_slugs_numbered_with_the_kinds_separator(kind):
    make(kind, "taken", "same")
    ids = ENSURE[kind]({"Same!", "SAME?", "same"})
    slugs = dict(kind.model.objects.filter(pk__in=ids.values()).values_list("name", "slug"))
    sep = kind.separator
    assert slugs == {"SAME?": f"same{sep}2", "Same!": f"same{sep}3", "same": f"same{sep}4"}
    assert kind.free_slug("x", {"x", f"x{sep}2"}) == f"x{sep}3"
