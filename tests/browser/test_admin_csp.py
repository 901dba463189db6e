"""The admin keeps working under the site's Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")


def test_admin_pages_raise_no_csp_violations(desktop, site, editor):
    desktop.goto("/admin/login/")
    page = desktop.page
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in ("/admin/", "/admin/articles/article/", f"/admin/articles/article/{site.pk}/change/"):
        response = desktop.goto(path)
        assert response.status == 200, path
        assert desktop.csp_violations() == [], path
    assert desktop.errors == []
