"""What a source may be given, and which files are its posts (pure functions)."""

import pytest
from django.core.exceptions import ValidationError

from articles.core.locations import clean_branch, clean_folders, clean_location, redact
from articles.sources.locations import is_source_post


@pytest.mark.parametrize(
    "location",
    [
        "/srv/git/news",
        "file:///srv/git/news.git",
        "https://git.example.org/news.git",
        "ssh://git@git.example.org:2222/news.git",
        "git@git.example.org:archive/news.git",
        "https://bot:token@git.example.org/news.git",
    ],
)
def test_locations_git_clones(location):
    assert clean_location(f"  {location} ") == location


@pytest.mark.parametrize(
    "location",
    [
        "",
        "relative/path",
        "-uupload-pack=touch /tmp/x",
        "ext::sh -c id",
        "ftp://127.0.0.1/x",
        "https:///x",
        "file://x",
        "/srv/a\nb",
    ],
)
def test_locations_refused(location):
    with pytest.raises(ValidationError):
        clean_location(location)


def test_credentials_are_redacted():
    text = "fatal: unable to access 'https://bot:ghp_abc@git.example.org/x.git/': 403; ssh://me@host/x"
    assert redact(text) == "fatal: unable to access 'https://***@git.example.org/x.git/': 403; ssh://***@host/x"


@pytest.mark.parametrize("branch", ["main", "release/2024", "feature-x"])
def test_branches(branch):
    assert clean_branch(branch) == branch


@pytest.mark.parametrize("branch", ["a..b", "-x", "a b", "x.lock", "a:b", "a~1", "/a", "a/"])
def test_bad_branches(branch):
    with pytest.raises(ValidationError):
        clean_branch(branch)


def test_folders_are_normalized():
    assert clean_folders(["_posts/", "./news/_posts", "_posts", " "]) == ["_posts", "news/_posts"]
    assert clean_folders("_posts, _drafts\n_news") == ["_posts", "_drafts", "_news"]
    assert clean_folders(["_posts", "."]) == ["."]
    assert clean_folders([]) == []


@pytest.mark.parametrize("folder", ["../x", "a/../../b", ".git", "x/.git/y", "a\x00b"])
def test_folders_outside_the_repository_are_refused(folder):
    with pytest.raises(ValidationError):
        clean_folders([folder])


@pytest.mark.parametrize(
    ("path", "folders", "expected"),
    [
        ("_posts/2024-01-01-a.md", [], True),
        ("_drafts/a.markdown", [], True),
        ("_news/a.html", [], True),
        ("blog/_posts/a.md", [], True),
        ("about.md", [], False),
        ("README.md", [], False),
        ("_posts/image.png", [], False),
        ("_posts/.draft.md", [], False),
        ("_site/_posts/a.md", [], False),
        ("_layouts/post.html", [], False),
        ("node_modules/_x/a.md", [], False),
        ("news/a.md", ["news"], True),
        ("news/_site/a.md", ["news"], False),
        ("newsletter/a.md", ["news"], False),
        ("about.md", ["."], True),
        (".github/a.md", ["."], False),
    ],
)
def test_which_files_are_posts(path, folders, expected):
    assert is_source_post(path, folders) is expected
