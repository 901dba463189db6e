"""The database writes of a sync besides the importer's: renamed files' articles, the source's files
and their deletions. Each is safe to redo: a sync killed halfway is finished by the next one."""

from django.db import transaction
from django.utils import timezone

from articles.core.batches import chunked
from articles.importer.identity import import_key
from articles.importer.known import KnownFiles
from articles.models import Article, SyncedFile


def move_renamed(source, renames, report):
    """Move each renamed file's row to its new path, and a path-keyed article's import key with it
    (so the import finds the same article); return the articles that followed their file."""
    moved = 0
    with transaction.atomic():
        for old, new in renames:
            row = SyncedFile.objects.filter(source=source, path=old).select_related("article").first()
            if row is None:
                continue  # done by a sync that was killed before it completed
            SyncedFile.objects.filter(source=source, path=new).delete()
            article = row.article
            if article is not None:
                _follow(article, old, new, report)
                moved += 1
            row.path = new
            row.save(update_fields=["path"])
            report.note(new, f"renamed from {old}: the same article")
    return moved


def _follow(article, old, new, report):
    """Give ``article`` its file's new path, and its new path-based key when its key was the old path."""
    changes = {"source_path": new}
    if article.import_key == import_key("", old):
        new_key = import_key("", new)
        if Article.objects.filter(import_key=new_key).exclude(pk=article.pk).exists():
            report.note(new, f"renamed from {old}, but another article has the key {new_key}: that one is updated")
        else:
            changes["import_key"] = new_key
    Article.objects.filter(pk=article.pk).update(**changes)


def record_files(source, entries, keys, failed):
    """Write the rows of the imported ``entries`` (path -> Entry): their blob, the article their key
    names, whether they failed; a file that is back is live again. Return every article id involved
    (the new ones, and those the rows named before)."""
    ids = _article_ids(keys.values())
    involved = set()
    for chunk in chunked(sorted(entries)):
        existing = {row.path: row for row in SyncedFile.objects.filter(source=source, path__in=chunk)}
        new_rows = []
        for path in chunk:
            entry = entries[path]
            row = existing.get(path) or SyncedFile(source=source, path=path)
            involved.add(row.article_id)
            row.blob, row.link, row.failed = entry.blob, entry.link, path in failed
            key = keys.get(path)
            # A file that failed before giving a key still stands for the article it gave before.
            row.article_id = ids.get(key) if key else (row.article_id if path in failed else None)
            row.removed_at, row.removed_commit = None, ""
            involved.add(row.article_id)
            if row.pk is None:
                new_rows.append(row)
        fields = ["blob", "link", "failed", "article", "removed_at", "removed_commit"]
        SyncedFile.objects.bulk_update([existing[p] for p in chunk if p in existing], fields)
        SyncedFile.objects.bulk_create(new_rows)
    return involved


def record_deletions(source, deletions, commits):
    """Mark the rows of deleted paths removed, by the commit that deleted each; the articles involved."""
    involved = set()
    by_commit = {}
    for path, sha in deletions.items():
        by_commit.setdefault(sha, []).append(path)
    for sha, paths in by_commit.items():
        when = commits[sha].committed_at if sha in commits else timezone.now()
        for chunk in chunked(paths):
            rows = SyncedFile.objects.filter(source=source, path__in=chunk, removed_at=None)
            involved.update(rows.values_list("article_id", flat=True))
            rows.update(removed_at=when, removed_commit=sha)
    return involved


def known_files(source, paths):
    """What the importer needs to skip unchanged bytes, for a sync that knows its changed files: the
    articles those paths gave (not every article's hash: a commit of 20 files reads 20 rows, not the
    archive's)."""
    rows = []
    for chunk in chunked(sorted(paths)):
        ids = SyncedFile.objects.filter(source=source, path__in=chunk).exclude(article=None).values("article_id")
        articles = Article.objects.filter(pk__in=ids).exclude(content_hash="").exclude(import_key=None)
        rows += articles.values_list("content_hash", "source_path", "import_key")
    return KnownFiles(rows, frozenset(paths))


def _article_ids(keys):
    ids = {}
    for chunk in chunked(sorted(set(keys) - {None, ""})):
        ids.update(Article.objects.filter(import_key__in=chunk).values_list("import_key", "pk"))
    return ids
