import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import make_article


@pytest.mark.django_db
def test_migration_made_the_editors_group(editors_group):
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"change_article", "change_tag", "change_category", "run_import", "view_importrun"} <= codenames
    assert not codenames & {"delete_article", "add_user", "change_user", "change_group", "delete_user"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "admin:articles_article_changelist",
        "admin:articles_article_duplicates",
        "admin:taggit_tag_changelist",
        "admin:articles_category_changelist",
        "admin:articles_importrun_changelist",
        "admin:articles_importrun_upload",
    ],
)
def test_editor_reaches_curation_pages_anonymous_is_sent_to_login(editor_client, client, name):
    url = reverse(name)
    assert editor_client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_editor_cannot_delete_articles_or_manage_users(editor_client):
    article = make_article("不可删")
    assert editor_client.get(reverse("admin:articles_article_delete", args=[article.pk])).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    changelist = editor_client.get(reverse("admin:articles_article_changelist")).text
    assert "delete_selected" not in changelist and 'value="publish"' in changelist


@pytest.mark.django_db
def test_editor_edits_an_article(editor_client, editor):
    article = make_article("编辑可改")
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "feature", "_selected_action": [str(article.pk)]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.featured and article.history.latest().history_user == editor


@pytest.mark.django_db
def test_import_link_only_for_users_who_may_import(editor_client, superuser_client):
    url = reverse("admin:articles_importrun_changelist")
    upload = reverse("admin:articles_importrun_upload")
    assert upload in editor_client.get(url).text
    assert upload in superuser_client.get(url).text
