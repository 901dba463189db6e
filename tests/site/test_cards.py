import pytest
from django.template import engines
from django.template.loaders.cached import Loader
from taggit.models import Tag

from tests.factories import make_article

pytestmark = pytest.mark.django_db

CARD = "includes/article_card.html"
MANY_TAGS = [f"标签{n}" for n in range(12)]


def card_renders(response):
    return sum(template.name == CARD for template in response.templates)


def test_cards_are_rendered_once_then_served_from_the_card_cache(client, django_assert_num_queries):
    for n in range(25):
        make_article(tags=MANY_TAGS[: 1 + n % 12], author="联合早报")
    first = client.get("/")
    assert card_renders(first) == 20
    # Same queries as a cold card cache (pinned ids, the kept year counts, ids, rows, tags), no card rendered.
    with django_assert_num_queries(5):
        again = client.get("/")
    assert card_renders(again) == 0
    assert again.content == first.content
    assert again.content.decode().count('class="tag"') == sum(1 + n % 12 for n in range(20))  # the newest 20


def test_an_edited_article_gets_a_fresh_card_and_only_that_one(client):
    articles = [make_article(tags=["台海"]) for _ in range(5)]
    client.get("/")
    edited = articles[2]
    edited.title = "改过的标题"
    edited.save()
    response = client.get("/")
    assert card_renders(response) == 1
    assert "改过的标题" in response.content.decode()


def test_tag_changes_and_renames_show_on_cached_cards(client):
    article = make_article("有标签", tags=["台海"])
    client.get("/")
    tag = Tag.objects.get(name="台海")
    tag.name, tag.slug = "两岸", "两岸"
    tag.save()
    html = client.get("/").content.decode()
    assert "两岸" in html and "台海" not in html
    article.tags.add("中美")
    assert "中美" in client.get("/").content.decode()


def test_cards_are_cached_per_language_and_pin(client):
    make_article("置顶文章", featured=True, tags=["台海"])
    assert "Featured" in client.get("/").content.decode()
    assert "精选" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    tag_page = client.get("/tag/台海/").content.decode()
    assert "置顶文章" in tag_page and "is-pinned" not in tag_page


def test_templates_are_compiled_once_per_process():
    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
