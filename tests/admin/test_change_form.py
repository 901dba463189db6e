import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article, make_category


def form_data(article, **changes):
    data = {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "hidden_reason": article.hidden_reason,
        "published_at_0": article.local_published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.local_published_at.strftime("%H:%M:%S"),
        "author": article.author,
        "excerpt": article.excerpt,
        "body_html": article.body_html,
        "lead_image_url": article.lead_image_url,
        "lead_image_caption": article.lead_image_caption,
        "reading_time": article.reading_time,
        "tags": [str(pk) for pk in article.tags.values_list("pk", flat=True)],
        "categories": [str(pk) for pk in article.categories.values_list("pk", flat=True)],
        "new_tags": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def imported():
    return make_article(
        "李作成与米利通话",
        original_url="https://www.zaobao.com/realtime/china/story20220707-1290628",
        import_key="zaobao.com/realtime/china/story20220707-1290628",
        source_path="_posts/2022-07-07-li.md",
        content_hash="ab" * 32,
        front_matter={"title": "李作成与米利通话", "comments": True, "note": "<script>alert(1)</script>"},
        import_snapshot={"title": "李作成与米利通话"},
        tags=["联合早报"],
    )


@pytest.mark.django_db
def test_change_form_shows_provenance_escaped_and_public_link(superuser_client, imported):
    response = superuser_client.get(reverse("admin:articles_article_change", args=[imported.pk]))
    text = response.text
    assert '<a href="https://www.zaobao.com/realtime/china/story20220707-1290628"' in text
    assert "_posts/2022-07-07-li.md" in text and "ab" * 32 in text
    assert "&quot;comments&quot;: true" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert imported.get_absolute_url() in text and "Open the public page" in text


@pytest.mark.django_db
def test_drafts_get_a_preview_link(superuser_client):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    text = superuser_client.get(reverse("admin:articles_article_change", args=[draft.pk])).text
    assert "Preview (not public yet" in text
    assert superuser_client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_javascript_original_url_is_not_a_link(superuser_client):
    article = make_article("坏链接", original_url="javascript:alert(1)")
    text = superuser_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert 'href="javascript:' not in text


@pytest.mark.django_db
def test_save_sanitizes_body_keeps_snapshot_and_records_tag_changes(superuser_client, superuser, imported):
    old_tag = Tag.objects.get(name="联合早报")
    economy = make_category("经济")
    body = '<p onclick="x()">新正文<script>alert(1)</script></p>'
    data = form_data(imported, body_html=body, new_tags="台海, 两岸", tags=[], categories=[str(economy.pk)])
    response = superuser_client.post(reverse("admin:articles_article_change", args=[imported.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    imported.refresh_from_db()
    assert "script" not in imported.body_html and "onclick" not in imported.body_html
    assert "新正文" in imported.body_text and "<p" not in imported.body_text
    assert imported.import_snapshot == {"title": "李作成与米利通话"}
    assert sorted(imported.tags.names()) == ["两岸", "台海"]
    assert list(imported.categories.all()) == [economy]
    record = imported.history.latest()
    assert record.history_user == superuser
    assert "body_html" in record.history_change_reason
    assert "+台海" in record.history_change_reason and f"−{old_tag.name}" in record.history_change_reason


@pytest.mark.django_db
def test_hiding_in_the_form_needs_a_reason(superuser_client, imported):
    data = form_data(imported, status="hidden", hidden_reason="")
    response = superuser_client.post(reverse("admin:articles_article_change", args=[imported.pk]), data)
    assert response.status_code == 200
    assert "Say why the article is hidden" in response.text


@pytest.mark.django_db
def test_history_shows_diff_and_revert_restores(superuser_client, imported):
    url = reverse("admin:articles_article_change", args=[imported.pk])
    superuser_client.post(url, form_data(imported, title="改过的标题"))
    history = superuser_client.get(reverse("admin:articles_article_history", args=[imported.pk])).text
    assert "李作成与米利通话" in history and "改过的标题" in history and "Edited in admin: title" in history
    first = imported.history.earliest()
    revert_url = reverse("admin:articles_article_simple_history", args=[imported.pk, first.history_id])
    assert superuser_client.get(revert_url).status_code == 200
    imported.refresh_from_db()
    response = superuser_client.post(revert_url, form_data(imported, title=first.title))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.title == "李作成与米利通话"
    assert imported.history.count() == 3


@pytest.mark.django_db
def test_a_reverted_body_is_what_search_and_duplicate_keys_read(superuser_client, imported):
    from articles.search import search
    from articles.text.fingerprints import text_fingerprint

    def found(query):
        return {article.pk for article in search(Article.objects.all(), query).results}

    original = imported.history.earliest()
    url = reverse("admin:articles_article_change", args=[imported.pk])
    assert superuser_client.post(url, form_data(imported, body_html="<p>改写的正文 NATO</p>")).status_code == 302
    assert found("NATO") == {imported.pk}
    imported.refresh_from_db()
    revert_url = reverse("admin:articles_article_simple_history", args=[imported.pk, original.history_id])
    response = superuser_client.post(revert_url, form_data(imported, body_html=original.body_html))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.body_text == "李作成与米利通话 的正文。"
    assert imported.text_fingerprint == text_fingerprint(imported.body_text)
    assert found("NATO") == set()
    assert found("的正文") == {imported.pk}


@pytest.mark.django_db
def test_urls_typed_without_a_scheme_are_https_and_django_does_not_warn(superuser_client, imported):
    import warnings

    from django.forms import modelform_factory
    from django.utils.deprecation import RemovedInDjango60Warning

    from articles.admin.forms import ArticleAdminForm

    url = reverse("admin:articles_article_change", args=[imported.pk])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        modelform_factory(Article, form=ArticleAdminForm)  # the form's own fields, as at import
        superuser_client.get(url)
        revert = reverse("admin:articles_article_simple_history", args=[imported.pk, imported.history.earliest().pk])
        superuser_client.get(revert)
        response = superuser_client.post(url, form_data(imported, lead_image_url="example.org/lead.jpg"))
    assert response.status_code == 302
    assert not [w for w in caught if issubclass(w.category, RemovedInDjango60Warning)]
    imported.refresh_from_db()
    assert imported.lead_image_url == "https://example.org/lead.jpg"


def _prefilled(response, name):
    """What the revert page's form fills in for ``name``, as the browser would post it."""
    value = response.context["adminform"].form[name].value()
    return [str(item) for item in value] if isinstance(value, list | tuple) else value


@pytest.mark.django_db
def test_revert_restores_the_versions_tags_and_categories(superuser_client, imported):
    from articles.models import Category, CategoryAlias

    url = reverse("admin:articles_article_change", args=[imported.pk])
    world, taiwan = make_category("国际"), make_category("台湾")
    first = form_data(imported, title="第一版", new_tags="台海, 军演", categories=[str(world.pk), str(taiwan.pk)])
    assert superuser_client.post(url, first).status_code == 302
    version = imported.history.latest()
    imported.refresh_from_db()
    assert superuser_client.post(url, form_data(imported, title="第二版", tags=[], new_tags="经济", categories=[]))
    assert sorted(imported.tags.names()) == ["经济"]
    history = superuser_client.get(reverse("admin:articles_article_history", args=[imported.pk])).text
    assert "tags +经济 −军演 −台海 −联合早报" in history and "categories −台湾 −国际" in history
    assert "Tags: 军演, 台海, 联合早报 · Categories: 台湾, 国际" in history
    # Since that version: a tag was deleted and a category merged into another.
    Tag.objects.get(name="军演").delete()
    CategoryAlias.objects.create(name="台湾", slug=taiwan.slug, category=world)
    taiwan.delete()

    revert_url = reverse("admin:articles_article_simple_history", args=[imported.pk, version.history_id])
    page = superuser_client.get(revert_url)
    assert "restores this version’s tags and categories too" in page.text
    assert "created again: 军演" in page.text
    tags = _prefilled(page, "tags")
    assert sorted(Tag.objects.get(pk=pk).name for pk in tags) == ["台海", "联合早报"]
    assert _prefilled(page, "new_tags") == "军演" and _prefilled(page, "categories") == [str(world.pk)]
    imported.refresh_from_db()
    data = form_data(imported, title="第一版", tags=tags, new_tags="军演", categories=[str(world.pk)])
    assert superuser_client.post(revert_url, data).status_code == 302
    imported.refresh_from_db()
    assert imported.title == "第一版"
    assert sorted(imported.tags.names()) == ["军演", "台海", "联合早报"]
    assert list(imported.categories.all()) == [world]
    assert imported.history.latest().history_change_reason.startswith("Reverted to the version of")
    assert Category.objects.filter(name="台湾").count() == 0


@pytest.mark.django_db
def test_revert_page_says_when_a_version_did_not_record_its_tags(superuser_client, imported):
    version = imported.history.earliest()  # written by save(), before the tags were linked
    revert_url = reverse("admin:articles_article_simple_history", args=[imported.pk, version.history_id])
    page = superuser_client.get(revert_url)
    assert "did not record its tags and categories" in page.text
    assert [Tag.objects.get(pk=pk).name for pk in _prefilled(page, "tags")] == ["联合早报"]  # the current ones


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "time"), [("0001-01-01", "00:00:00"), ("0001-01-01", "06:55:00"), ("9999-12-31", "23:59:59")]
)
def test_publication_times_at_the_edges_of_the_calendar(superuser_client, day, time):
    article = make_article("边界")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = superuser_client.post(url, form_data(article, published_at_0=day, published_at_1=time))
    if day.startswith("0001"):  # before 0001-01-01 00:00 UTC (Singapore was then at +6:55:25): cannot be stored
        assert response.status_code == 200
        assert "between the years 1 and 9999" in response.context["adminform"].form.errors["published_at"][0]
    else:
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.published_at.year == 9999
        assert superuser_client.get(url).status_code == 200


@pytest.mark.django_db
def test_single_line_fields_are_saved_with_their_whitespace_normalized(superuser_client, client):
    article = make_article("空白")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(article, author="line1\nline2", title="  标题\r\n  第二行 ", status="hidden")
    response = superuser_client.post(url, {**data, "hidden_reason": "原因\n第二行"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.author, article.title, article.hidden_reason) == ("line1 line2", "标题 第二行", "原因 第二行")


@pytest.mark.django_db
def test_change_list_filter_links_encode_the_slug(superuser_client):
    article = make_article("怪标签", tags=["正常"], categories=["分类"])
    article.tags.update(slug="a&b#c")
    article.categories.update(slug="x?y")
    text = superuser_client.get(reverse("admin:articles_article_changelist")).text
    assert 'href="?tag=a%26b%23c"' in text and 'href="?category=x%3Fy"' in text


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["categories", "tags"])
@pytest.mark.parametrize("value", ["None", "abc", "99999999999999999999"])
def test_a_related_field_posted_with_junk_is_a_form_error(superuser_client, field, value):
    article = make_article("坏选择")
    response = superuser_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["abc/history/", "{pk}/history/abc/", "{pk}/history/99999999999999999999/"])
def test_history_pages_with_malformed_ids_are_404(superuser_client, path):
    article = make_article("历史")
    assert superuser_client.get("/admin/articles/article/" + path.format(pk=article.pk)).status_code == 404
