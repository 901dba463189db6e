import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.curation.history import split_reason
from articles.models import Article, TagAlias
from tests.factories import make_article, make_category
from tests.helpers import post_action

URL = reverse("admin:articles_article_changelist")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_publish_reports_only_changed_and_records_history(superuser_client, superuser):
    draft = make_article("草稿", status=Article.Status.DRAFT, tags=["台海"])
    published = make_article("已发布")
    response = post_action(superuser_client, URL, "publish", [draft.pk, published.pk], follow=True)
    assert "1 article published. The other 1 already were." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    latest = draft.history.latest()
    assert latest.history_user == superuser
    assert split_reason(latest.history_change_reason) == (
        "Status set to Published",
        {"tags": ["台海"], "categories": []},
    )


@pytest.mark.django_db
def test_hide_asks_for_a_reason_then_hides(superuser_client):
    article = make_article("要隐藏的")
    page = post_action(superuser_client, URL, "hide", [article.pk])
    assert page.status_code == 200
    assert "Reason for hiding" in page.text and "要隐藏的" in page.text
    empty = post_action(superuser_client, URL, "hide", [article.pk], apply="1", reason="  ")
    assert "This field is required." in empty.text
    done = post_action(superuser_client, URL, "hide", [article.pk], apply="1", reason="版权问题", follow=True)
    assert "1 article hidden." in messages_of(done)
    article.refresh_from_db()
    assert (article.status, article.hidden_reason) == (Article.Status.HIDDEN, "版权问题")
    assert "版权问题" in article.history.latest().history_change_reason


@pytest.mark.django_db
def test_return_to_draft_clears_hidden_reason(superuser_client):
    article = make_article("隐藏的", status=Article.Status.HIDDEN, hidden_reason="旧原因")
    post_action(superuser_client, URL, "return_to_draft", [article.pk])
    article.refresh_from_db()
    assert (article.status, article.hidden_reason) == (Article.Status.DRAFT, "")


@pytest.mark.django_db
def test_feature_and_unfeature(superuser_client):
    a, b = make_article("甲"), make_article("乙", featured=True)
    response = post_action(superuser_client, URL, "feature", [a.pk, b.pk], follow=True)
    assert "1 article featured. The other 1 already were." in messages_of(response)
    response = post_action(superuser_client, URL, "unfeature", [a.pk, b.pk], follow=True)
    assert "2 articles unfeatured." in messages_of(response)
    assert not Article.objects.filter(featured=True).exists()


@pytest.mark.django_db
def test_add_tags_creates_new_follows_aliases_and_records_history(superuser_client):
    kept = Tag.objects.create(name="台湾")
    TagAlias.objects.create(name="台灣", slug="tai-wan", tag=kept)
    a, b = make_article("一", tags=["台湾"]), make_article("二")
    response = post_action(
        superuser_client, URL, "add_tags", [a.pk, b.pk], apply="1", new_tags="台灣，新标签", follow=True
    )
    assert "2 articles got new tags." in messages_of(response)
    assert sorted(b.tags.names()) == ["台湾", "新标签"]
    assert sorted(a.tags.names()) == ["台湾", "新标签"]
    assert "Tags added: 台湾, 新标签" in b.history.latest().history_change_reason


@pytest.mark.django_db
def test_add_tags_with_autocomplete_choice(superuser_client):
    tag = Tag.objects.create(name="国际")
    article = make_article("三")
    post_action(superuser_client, URL, "add_tags", [article.pk], apply="1", tags=[str(tag.pk)])
    assert list(article.tags.names()) == ["国际"]


@pytest.mark.django_db
def test_remove_tags_refuses_unknown_names(superuser_client):
    article = make_article("四", tags=["甲", "乙"])
    response = post_action(superuser_client, URL, "remove_tags", [article.pk], apply="1", new_tags="不存在")
    assert "No such tag: 不存在" in response.text
    response = post_action(superuser_client, URL, "remove_tags", [article.pk], apply="1", new_tags="甲", follow=True)
    assert "1 article lost tags." in messages_of(response)
    assert list(article.tags.names()) == ["乙"]
    assert "Tags removed: 甲" in article.history.latest().history_change_reason


@pytest.mark.django_db
def test_set_category_replaces_or_adds(superuser_client):
    economy, sport = make_category("经济"), make_category("体育")
    article = make_article("五", categories=["经济"])
    post_action(superuser_client, URL, "set_category", [article.pk], apply="1", category=str(sport.pk), replace="on")
    assert list(article.categories.all()) == [sport]
    post_action(superuser_client, URL, "set_category", [article.pk], apply="1", category=str(economy.pk))
    assert set(article.categories.all()) == {economy, sport}
    assert "Category added: 经济" in article.history.latest().history_change_reason


@pytest.mark.django_db
def test_select_across_applies_to_the_filtered_list(superuser_client):
    drafts = [make_article(f"草稿{i}", status=Article.Status.DRAFT) for i in range(3)]
    keep = make_article("已发布的")
    response = superuser_client.post(
        URL + "?status__exact=draft",
        {"action": "feature", "select_across": "1", "_selected_action": [str(drafts[0].pk)]},
        follow=True,
    )
    assert "3 articles featured." in messages_of(response)
    keep.refresh_from_db()
    assert not keep.featured


@pytest.mark.django_db
def test_actions_update_the_search_index(superuser_client, monkeypatch):
    seen = []
    monkeypatch.setattr("articles.curation.bulk.update_index", lambda ids: seen.append(list(ids)))
    article = make_article("六")
    post_action(superuser_client, URL, "add_tags", [article.pk], apply="1", new_tags="新")
    assert seen == [[article.pk]]
