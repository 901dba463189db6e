"""A curator's edit in the admin, seen on the public site, in a real browser."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


@pytest.mark.django_db(transaction=True)
def test_curator_adds_a_tag_and_sees_it_on_the_public_page(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-123")
    article = make_article("李作成与美参谋长联席会主席通话：要求停止美台军事勾连", tags=["联合早报"])
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "pw-curator-123")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_new_tags", "台海局势")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(live_server.url + article.get_absolute_url())
    assert page.get_by_text("台海局势").count() >= 1
    assert page.get_by_text("联合早报").count() >= 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
