"""``manage.py import_seeds``: the seed post, summaries, exit status and options."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportRun

from .posts import front_matter_post
from .test_runner import make_bad_inputs

pytestmark = pytest.mark.django_db

SEED_TITLE = "李作成与美参谋长联席会主席通话：要求停止美台军事勾连"
SEED_URL = "https://www.zaobao.com/realtime/china/story20220707-1290628"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_seeds", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_the_seed_post_by_default():
    out, err = run()
    assert "created 1, updated 0, unchanged 0, skipped 0, failed 0" in out
    assert err == ""
    article = Article.objects.get()
    assert article.title == SEED_TITLE
    assert article.is_public
    assert article.published_at == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)
    assert article.original_url == SEED_URL
    assert list(article.tags.names()) == ["联合早报"]
    assert article.lead_image_url.startswith("https://static.zaobao.com/")
    assert "李作成" in article.lead_image_caption
    assert "data-src" not in article.body_html
    assert ImportRun.objects.get().created == 1


def test_second_run_reports_the_seed_unchanged(seeds_dir):
    run(seeds_dir)
    out, _ = run(seeds_dir)
    assert "created 0, updated 0, unchanged 1, skipped 0, failed 0" in out
    assert Article.objects.count() == 1


def test_changed_file_is_updated(tmp_path):
    front_matter_post(tmp_path, "a.md", title="Before")
    run(tmp_path)
    front_matter_post(tmp_path, "a.md", title="After")
    out, _ = run(tmp_path)
    assert "updated 1" in out
    assert Article.objects.get().title == "After"


def test_bad_files_print_one_line_each_and_the_command_fails(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 2000
    make_bad_inputs(tmp_path)
    front_matter_post(tmp_path, "good.md")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_seeds", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 8
    assert all(line.startswith(str(tmp_path)) and ": " in line for line in lines)
    assert "created 1, updated 0, unchanged 0, skipped 0, failed 8" in out.getvalue()
    assert Article.objects.count() == 1


def test_conflicts_are_listed(tmp_path):
    front_matter_post(tmp_path, "a.md", title="Source")
    run(tmp_path)
    Article.objects.update(title="Curated")
    front_matter_post(tmp_path, "a.md", title="Source, revised")
    out, _ = run(tmp_path)
    assert f"conflict: {tmp_path / 'a.md'}: title" in out
    assert "skipped 1" in out
    assert "conflicts 1" in out


def test_dry_run_writes_nothing(tmp_path):
    front_matter_post(tmp_path, "a.md")
    out, _ = run(tmp_path, "--dry-run")
    assert out.startswith("Dry run (nothing written): created 1,")
    assert not Article.objects.exists()


def test_overwrite_restores_the_source(tmp_path):
    front_matter_post(tmp_path, "a.md", title="Source")
    run(tmp_path)
    Article.objects.update(title="Curated")
    run(tmp_path, "--overwrite")
    assert Article.objects.get().title == "Source"


def test_missing_path_fails_with_its_name(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_seeds", str(tmp_path / "nope"), stdout=StringIO(), stderr=(err := StringIO()))
    assert err.getvalue() == f"{tmp_path / 'nope'}: no such file or folder\n"


def test_workers_must_be_positive(tmp_path):
    with pytest.raises(CommandError, match="--workers"):
        call_command("import_seeds", str(tmp_path), "--workers", "0", stdout=StringIO())
