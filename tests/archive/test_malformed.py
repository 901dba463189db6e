import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/?author=%00",
        "/api/articles/?tag=a%00b",
        "/?page=1&x%00=1",
        "/tag/a%00b/",
        "/author/a%00b/",
        "/admin/articles/article/?author=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(admin_client, client, url):
    """PostgreSQL cannot compare text holding NUL: these were DataErrors (500) there."""
    make_article("正常", author="早报", tags=["台海"])
    for who in (client, admin_client):
        response = who.get(url)
        assert response.status_code == 400, url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_twice_escaped_nul_in_a_name_is_not_found(client):
    assert client.get("/tag/a%2500b/").status_code == 404
    assert client.get("/author/a%2500b/").status_code == 404
