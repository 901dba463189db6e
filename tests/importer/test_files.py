"""Finding post files: layouts, skipped folders, links, loops and unreadable files."""

import os

import pytest

from articles.importer.files import FileError, FileNote, SourceFile, discover, read_bytes
from articles.importer.post import PostError

LIMIT = 1000


def write(path, text="---\ntitle: x\n---\nbody\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(paths, **kwargs):
    kwargs.setdefault("max_bytes", LIMIT)
    return list(discover(paths, **kwargs))


def relatives(items):
    return [item.relative for item in items if isinstance(item, SourceFile)]


def problems(items):
    return {os.path.basename(item.display): item.reason for item in items if isinstance(item, FileError)}


def test_finds_post_files_recursively_in_sorted_order(tmp_path):
    for name in ["b.md", "a.markdown", "c.html", "d.htm", "e.txt", "f.MD", "sub/z.md", "notes.yml", "img.png"]:
        write(tmp_path / name)
    assert relatives(found([tmp_path])) == ["a.markdown", "b.md", "c.html", "d.htm", "e.txt", "f.MD", "sub/z.md"]


def test_skips_jekyll_build_and_template_folders_and_dotfolders(tmp_path):
    for folder in ["_site", "_layouts", "_includes", "node_modules", ".git", ".jekyll-cache"]:
        write(tmp_path / folder / "page.html")
    write(tmp_path / "_posts" / "2020-01-01-a.md")
    write(tmp_path / "_drafts" / "b.md")
    write(tmp_path / "_columns" / "c.md")
    write(tmp_path / "hkers" / "d.md")
    write(tmp_path / ".hidden.md")
    assert relatives(found([tmp_path])) == ["_columns/c.md", "_drafts/b.md", "_posts/2020-01-01-a.md", "hkers/d.md"]


def test_keys_keep_the_jekyll_folder_when_it_is_given_itself(tmp_path):
    write(tmp_path / "_drafts" / "b.md")
    post = write(tmp_path / "_posts" / "a.md")
    assert relatives(found([tmp_path / "_drafts"])) == ["_drafts/b.md"]
    assert relatives(found([post])) == ["_posts/a.md"]


def test_plain_folder_and_single_file_are_their_own_root(tmp_path):
    post = write(tmp_path / "archive" / "2021" / "a.md")
    assert relatives(found([tmp_path / "archive"])) == ["2021/a.md"]
    assert relatives(found([post])) == ["a.md"]


def test_explicit_root(tmp_path):
    post = write(tmp_path / "archive" / "2021" / "a.md")
    other = write(tmp_path.parent / f"{tmp_path.name}-elsewhere" / "b.md")
    items = found([post, other], root=tmp_path)
    assert relatives(items) == ["archive/2021/a.md", "b.md"]


def test_display_names_start_from_the_path_given(tmp_path):
    write(tmp_path / "sub" / "a.md")
    [item] = found([tmp_path])
    assert item.display == os.path.join(str(tmp_path), "sub", "a.md")


def test_missing_path_is_an_error(tmp_path):
    assert problems(found([tmp_path / "nope"])) == {"nope": "no such file or folder"}


def test_file_over_the_limit_is_an_error_and_the_rest_still_found(tmp_path):
    write(tmp_path / "big.md", "x" * (LIMIT + 1))
    write(tmp_path / "ok.md")
    items = found([tmp_path])
    assert relatives(items) == ["ok.md"]
    assert "file too large" in problems(items)["big.md"]


def test_explicit_non_post_file_is_an_error(tmp_path):
    path = write(tmp_path / "config.yml")
    assert "not a post file" in problems(found([path]))["config.yml"]


def test_symlink_loop_is_reported_once_and_walking_goes_on(tmp_path):
    write(tmp_path / "a" / "post.md")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    items = found([tmp_path])
    assert relatives(items) == ["a/post.md"]
    assert problems(items) == {"loop": f"symbolic link loop (leads back to {tmp_path / 'a'})"}


def test_self_referencing_file_link_is_a_loop(tmp_path):
    os.symlink(tmp_path / "self.md", tmp_path / "self.md")
    assert problems(found([tmp_path])) == {"self.md": "symbolic link loop"}


def test_broken_link_is_an_error(tmp_path):
    os.symlink(tmp_path / "gone.md", tmp_path / "link.md")
    assert "broken symbolic link" in problems(found([tmp_path]))["link.md"]


def test_linked_folder_is_followed_and_the_same_file_read_once(tmp_path):
    write(tmp_path / "real" / "a.md")
    os.symlink(tmp_path / "real", tmp_path / "z-link")
    os.symlink(tmp_path / "real" / "a.md", tmp_path / "z.md")
    items = found([tmp_path])
    assert relatives(items) == ["real/a.md"]
    notes = [item.note for item in items if isinstance(item, FileNote)]
    assert len(notes) == 2
    assert all("same" in note for note in notes)


def test_fifo_named_like_a_post_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    assert problems(found([tmp_path])) == {"pipe.md": "not a regular file"}


def test_folder_named_like_a_post_is_walked_not_read(tmp_path):
    write(tmp_path / "odd.md" / "inner.md")
    assert relatives(found([tmp_path])) == ["odd.md/inner.md"]


def test_read_bytes_reads_and_limits(tmp_path):
    path = write(tmp_path / "a.md", "正文")
    assert read_bytes(path, LIMIT) == "正文".encode()
    with pytest.raises(PostError, match="too large"):
        read_bytes(path, 3)


def test_read_bytes_explains_unreadable_paths(tmp_path):
    with pytest.raises(PostError, match="it is a folder"):
        read_bytes(tmp_path, LIMIT)
    with pytest.raises(PostError, match="broken symbolic link"):
        read_bytes(tmp_path / "missing.md", LIMIT)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_bytes_permission_denied(tmp_path):
    path = write(tmp_path / "secret.md")
    path.chmod(0)
    with pytest.raises(PostError, match="permission denied"):
        read_bytes(path, LIMIT)


def test_with_an_explicit_root_files_are_named_relative_to_it(tmp_path):
    write(tmp_path / "sub" / "a.md")
    write(tmp_path / "big.md", "x" * (LIMIT + 1))
    items = found([tmp_path], root=tmp_path)
    assert [item.display for item in items] == ["big.md", "sub/a.md"]
