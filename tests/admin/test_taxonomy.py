import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Category, CategoryAlias, TagAlias
from tests.factories import make_article, make_category, make_many
from tests.helpers import post_action

TAGS = reverse("admin:taggit_tag_changelist")
CATEGORIES = reverse("admin:articles_category_changelist")


@pytest.mark.django_db
def test_tag_list_shows_counts_in_constant_queries(superuser_client):
    make_many(5, tags=["台海"])
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(TAGS)
    for i in range(200):
        Tag.objects.create(name=f"标签{i}")
    with CaptureQueriesContext(connection) as many:
        response = superuser_client.get(TAGS, {"o": "-3"})
    assert len(many) == len(few)
    assert "台海" in response.text


@pytest.mark.django_db
def test_tag_search(superuser_client):
    Tag.objects.create(name="美台军事")
    Tag.objects.create(name="天气")
    response = superuser_client.get(TAGS, {"q": "军事"})
    assert "美台军事" in response.text and "天气" not in response.text


@pytest.mark.django_db
def test_merge_tags_moves_articles_and_keeps_aliases(superuser_client, superuser):
    both = make_article("两个标签", tags=["台湾", "台灣"])
    old_only = make_article("旧标签", tags=["台灣"])
    keep, other = Tag.objects.get(name="台湾"), Tag.objects.get(name="台灣")
    page = post_action(superuser_client, TAGS, "merge", [keep.pk, other.pk])
    assert "Choose the one to keep" in page.text
    response = post_action(
        superuser_client, TAGS, "merge", [keep.pk, other.pk], apply="1", keep=str(keep.pk), follow=True
    )
    assert "Merged “台灣” into “台湾”; 2 articles changed." in [str(m) for m in response.context["messages"]]
    assert not Tag.objects.filter(pk=other.pk).exists()
    assert list(both.tags.names()) == ["台湾"] and list(old_only.tags.names()) == ["台湾"]
    alias = TagAlias.objects.get(name="台灣")
    assert (alias.tag, alias.slug) == (keep, other.slug)
    record = old_only.history.latest()
    assert record.history_user == superuser and "Tags merged: 台灣 → 台湾" in record.history_change_reason


@pytest.mark.django_db
def test_merge_needs_two(superuser_client):
    tag = Tag.objects.create(name="孤单")
    response = post_action(superuser_client, TAGS, "merge", [tag.pk], follow=True)
    assert "Select at least two to merge." in response.text


@pytest.mark.django_db
def test_rename_tag_keeps_old_slug_as_alias(superuser_client):
    tag = Tag.objects.create(name="旧名", slug="old-name")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = {
        "name": "新名",
        "slug": "new-name",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.text
    alias = TagAlias.objects.get(name="旧名")
    assert (alias.slug, alias.tag_id) == ("old-name", tag.pk)
    data.update(name="旧名", slug="old-name")  # renaming back frees the old name and slug
    superuser_client.post(url, data)
    assert not TagAlias.objects.filter(name="旧名").exists()
    assert not TagAlias.objects.filter(slug="old-name").exists()


@pytest.mark.django_db
def test_merge_categories_and_the_merged_page_redirects(superuser_client, client):
    make_article("甲", categories=["国际", "國際"])
    moved = make_article("乙", categories=["國際"])
    keep, other = Category.objects.get(name="国际"), Category.objects.get(name="國際")
    old_url = other.get_absolute_url()
    post_action(superuser_client, CATEGORIES, "merge", [keep.pk, other.pk], apply="1", keep=str(keep.pk))
    assert list(moved.categories.all()) == [keep]
    alias = CategoryAlias.objects.get(name="國際")
    assert (alias.category, alias.slug) == (keep, other.slug)
    assert not Category.objects.filter(pk=other.pk).exists()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    assert "乙" in client.get(response["Location"]).text
    assert client.get(reverse("articles:category", kwargs={"slug": "no-such"})).status_code == 404


@pytest.mark.django_db
def test_category_list_and_rename_alias(superuser_client):
    category = make_category("旧分类")
    make_article("丙", categories=["旧分类"])
    assert "旧分类" in superuser_client.get(CATEGORIES).text
    url = reverse("admin:articles_category_change", args=[category.pk])
    data = {
        "name": "新分类",
        "slug": category.slug,
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    assert superuser_client.post(url, data).status_code == 302
    assert CategoryAlias.objects.get(name="旧分类").category == category


@pytest.mark.django_db
def test_renamed_category_slug_redirects_until_it_is_taken_back(superuser_client, client):
    category = Category.objects.create(name="旧分类", slug="old-category")
    make_article("丁", categories=["旧分类"])
    url = reverse("admin:articles_category_change", args=[category.pk])
    data = {
        "name": "新分类",
        "slug": "new-category",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    assert superuser_client.post(url, data).status_code == 302
    alias = CategoryAlias.objects.get(name="旧分类")
    assert (alias.slug, alias.category_id) == ("old-category", category.pk)
    response = client.get("/category/old-category/")
    assert response.status_code == 301 and response["Location"] == "/category/new-category/"
    data.update(name="旧分类", slug="old-category")  # renaming back frees the old name and slug
    assert superuser_client.post(url, data).status_code == 302
    assert not CategoryAlias.objects.filter(slug="old-category").exists()
    assert client.get("/category/old-category/").status_code == 200
