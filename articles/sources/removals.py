"""What a source's deletions do to the archive: an archive outlives its sources.

An article is removed from its sources when every file that gave it (in any source) is deleted.
It stays as it is, with a ``SourceRemoval`` (the note on its page, the admin's filter and the
commit) and a history entry; a source set to hide removed articles hides it instead, with that
reason. When a file that gives it comes back, the note goes (and a status the removal hid is
restored, unless a curator changed the article's status or reason since), with a history entry.
"""

from django.db.models import Count, Q
from django.utils import timezone

from articles.core.batches import chunked
from articles.models import Article, SourceRemoval, SyncedFile


def hidden_reason(removed_at):
    return f"removed from its source on {timezone.localtime(removed_at):%Y-%m-%d}"


def refresh(article_ids):
    """Mark or clear the removal of ``article_ids`` from what their files say; (removed, restored)."""
    removed = restored = 0
    for chunk in chunked(sorted(set(article_ids) - {None})):
        live = dict(
            SyncedFile.objects.filter(article_id__in=chunk)
            .values_list("article_id")
            .annotate(live=Count("pk", filter=Q(removed_at=None)))
            .values_list("article_id", "live")
        )
        marked = set(SourceRemoval.objects.filter(article_id__in=chunk).values_list("article_id", flat=True))
        gone = [pk for pk, count in live.items() if count == 0 and pk not in marked]
        back = [pk for pk in marked if live.get(pk)]
        removed += _mark(gone)
        restored += _clear(back)
    return removed, restored


def _mark(ids):
    if not ids:
        return 0
    files = {}
    for row in SyncedFile.objects.filter(article_id__in=ids).select_related("source").order_by("removed_at", "pk"):
        files[row.article_id] = row  # the last removed
    articles = list(Article.objects.filter(pk__in=ids))
    now = timezone.now()
    hide = []
    for article in articles:
        row = files[article.pk]
        removal = SourceRemoval(
            article=article,
            source=row.source,
            source_name=row.source.name,
            path=row.path,
            commit=row.removed_commit,
            removed_at=row.removed_at,
        )
        if row.source.hide_removed and article.status != Article.Status.HIDDEN:
            removal.hid_status = article.status
            article.status = Article.Status.HIDDEN
            article.hidden_reason = hidden_reason(row.removed_at)
            hide.append(article)
        article._removal = removal
        article.updated_at = now  # its page changed: cached copies and cards follow
        article._change_reason = (
            f"removed from its source {row.source.name} ({row.path}) in commit {row.removed_commit[:12]}"
        )
    SourceRemoval.objects.bulk_create([article._removal for article in articles])
    kept = [article for article in articles if article not in hide]
    if hide:
        Article.objects.update_with_history(hide, ["status", "hidden_reason", "updated_at"], reindex=False)
    if kept:
        Article.objects.update_with_history(kept, ["updated_at"], reindex=False)
    return len(articles)


def _clear(ids):
    if not ids:
        return 0
    removals = {r.article_id: r for r in SourceRemoval.objects.filter(article_id__in=ids)}
    files = {}
    for row in SyncedFile.objects.filter(article_id__in=ids, removed_at=None).select_related("source"):
        files.setdefault(row.article_id, row)
    articles = list(Article.objects.filter(pk__in=ids))
    now = timezone.now()
    unhide, kept = [], []
    for article in articles:
        removal, row = removals[article.pk], files[article.pk]
        article.updated_at = now
        article._change_reason = f"back in its source {row.source.name} ({row.path})"
        hidden_by_removal = article.status == Article.Status.HIDDEN and article.hidden_reason == hidden_reason(
            removal.removed_at
        )
        if removal.hid_status and hidden_by_removal:
            article.status, article.hidden_reason = removal.hid_status, ""
            unhide.append(article)
        else:
            kept.append(article)
    SourceRemoval.objects.filter(article_id__in=ids).delete()
    if unhide:
        Article.objects.update_with_history(unhide, ["status", "hidden_reason", "updated_at"], reindex=False)
    if kept:
        Article.objects.update_with_history(kept, ["updated_at"], reindex=False)
    return len(articles)
