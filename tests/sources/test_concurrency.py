"""One sync of a source at a time, and a sync killed halfway finished by the next one."""

import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article, Source, SourceRemoval, SourceSync, SyncedFile
from articles.sources import lock, records
from articles.sources.sync import State, sync_source

from .repos import dead_owner, post


@pytest.mark.django_db
def test_a_second_sync_of_a_source_is_skipped_while_the_first_holds_it(source):
    owner = lock.acquire(source.pk)
    assert owner is not None and lock.acquire(source.pk) is None
    result = sync_source(source)
    assert result.state is State.BUSY and result.message == "source blog: another sync of it is running"
    assert not Article.objects.exists()
    assert lock.release(source.pk, owner)
    assert sync_source(source).state is State.SYNCED


@pytest.mark.django_db
def test_a_lock_left_by_a_dead_process_or_without_life_for_too_long_is_taken_over(source):
    Source.objects.filter(pk=source.pk).update(sync_owner=dead_owner(), sync_beat=timezone.now())
    assert lock.acquire(source.pk) is not None
    Source.objects.filter(pk=source.pk).update(
        sync_owner="elsewhere 1 token", sync_beat=timezone.now() - lock.STALE_AFTER * 2
    )
    owner = lock.acquire(source.pk)
    assert owner is not None
    Source.objects.filter(pk=source.pk).update(sync_owner="elsewhere 1 other")
    with pytest.raises(lock.LockLost):
        lock.beat(source.pk, owner)
    assert not lock.release(source.pk, owner, last_commit="f" * 40)  # the last commit moves only with the lock
    source.refresh_from_db()
    assert source.last_commit == ""


@pytest.mark.django_db
def test_a_sync_stopped_halfway_is_finished_by_the_next_and_nothing_is_duplicated(source, repo, monkeypatch):
    assert sync_source(source).state is State.SYNCED
    source.refresh_from_db()
    base = source.last_commit
    repo.move("_posts/2024-05-02-second.md", "_posts/2024-05-02-renamed.md")
    repo.remove("_posts/2024-05-01-first.md")
    repo.write("_posts/2024-05-03-third.md", post("第三篇"))
    repo.commit("rename, delete, add")

    def killed(*args):
        raise KeyboardInterrupt  # the process dies here: after the import wrote, before the sync completed

    monkeypatch.setattr(records, "record_deletions", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_source(source)
    Source.objects.filter(pk=source.pk).update(sync_owner=dead_owner(), sync_beat=timezone.now())
    source.refresh_from_db()
    assert source.last_commit == base  # not moved: the sync did not complete
    monkeypatch.undo()
    result = sync_source(source)
    assert result.state is State.SYNCED, result.message
    source.refresh_from_db()
    assert source.last_commit == repo.head()
    assert sorted(Article.objects.values_list("title", flat=True)) == ["第一篇", "第三篇", "第二篇"]
    assert SyncedFile.objects.count() == 3  # two live, one removed
    assert SourceRemoval.objects.count() == 1
    first = Article.objects.get(title="第一篇")
    assert first.history.filter(history_change_reason__startswith="removed from its source").count() == 1
    assert Article.objects.get(title="第二篇").import_key == "_posts/2024-05-02-renamed.md"
    assert (result.run.created, SourceSync.objects.get(run=result.run).removed) == (0, 1)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="another process or thread shares the test database on PostgreSQL only"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_syncs_started_together_never_both_write(source, repo):
    results = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(sync_source(Source.objects.get(pk=source.pk)).state)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [State.BUSY, State.SYNCED]
    assert Article.objects.count() == 2 and SourceSync.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_mid_import_is_finished_by_the_next_one(source, repo, tmp_path):
    for n in range(80):  # enough to go through the parse workers
        repo.write(f"_posts/2024-06-{n % 28 + 1:02d}-bulk-{n}.md", post(f"批量{n}"))
    repo.commit("many posts")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "SOURCES_DIR": str(settings.SOURCES_DIR), "DEBUG": "0"}
    # Writes slowed after the first batch, so the kill lands mid-import.
    code = (
        "import time, django; django.setup(); from articles.importer import runner; write = runner._write; "
        "runner._write = lambda w, b, r: (write(w, b[:10], r), time.sleep(60)); "
        f"from articles.sources.sync import sync_source; from articles.models import Source; "
        f"sync_source(Source.objects.get(pk={source.pk}))"
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while not Article.objects.exists():
        assert time.monotonic() < deadline and child.poll() is None, "the sync did not start importing"
        time.sleep(0.05)
    os.killpg(child.pid, 9)
    child.wait()
    source.refresh_from_db()
    assert source.last_commit == "" and source.sync_owner
    result = sync_source(source)
    assert result.state is State.SYNCED, result.message
    assert Article.objects.count() == 82
    assert SyncedFile.objects.count() == 82
    assert len(set(Article.objects.values_list("slug", flat=True))) == 82
