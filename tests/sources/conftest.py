import pytest

from articles.models import Source

from .repos import Repo, post


@pytest.fixture(autouse=True)
def sources_dir(settings, tmp_path):
    settings.SOURCES_DIR = tmp_path / "clones"
    return settings.SOURCES_DIR


@pytest.fixture
def repo(tmp_path):
    repo = Repo(tmp_path / "blog")
    repo.write("_posts/2024-05-01-first.md", post("第一篇", url="https://news.example.org/1"))
    repo.write("_posts/2024-05-02-second.md", post("第二篇"))
    repo.write("README.md", "# not a post\n")
    repo.commit("two posts")
    return repo


@pytest.fixture
def source(db, repo):
    return Source.objects.create(name="blog", location=str(repo.path))
