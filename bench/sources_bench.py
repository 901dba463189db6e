"""Sources benchmark: syncing a git repository of 28,800 posts (issue 22).

    .venv/bin/python bench/sources_bench.py                    # 28,000 news + 800 long-form posts, SQLite in /tmp
    .venv/bin/python bench/sources_bench.py --news 2000 --long 100 --rounds 2   # a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sources_bench .venv/bin/python bench/sources_bench.py

Makes a repository of generated posts (one commit), adds it as a source and syncs it: the first
sync (every post), then syncs that find no new commit, then rounds of one commit adding 20 posts
and changing 2. Each sync runs in a fresh interpreter, so the times are the sync's own (not Django's
start) and the peak memory is its own: the syncing process's and its largest child's (a parse
worker or git). Prints seconds, CPU seconds (this process and its children), posts read, and
peak memory per sync.

Goals: a sync that finds no new commit reads no post and takes under 1 s at 28,800 posts; a commit
adding 20 posts and changing 2 syncs in under 3 s; memory stays bounded however large the
repository (compare the peaks at two sizes). The database must be a throwaway one (its name must
contain "bench").
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_bench import cpu_seconds, generate, mb, news_post, own_peak_kilobytes
from throwaway import empty_archive, setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, env={**os.environ, **GIT_ENV}, capture_output=True)


def make_repository(folder, news, long):
    generate(folder, news, long)
    git(folder, "init", "--quiet", "--initial-branch=main")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", f"{news + long} posts")


def new_commit(folder, round_number, rng):
    """Add 20 posts and change 2 existing ones, in one commit."""
    posts = folder / "_posts"
    for n in range(20):
        number = 1_000_000 + round_number * 100 + n
        (posts / f"2025-02-01-added-{number}.md").write_text(news_post(number, rng), encoding="utf-8")
    for name in sorted(os.listdir(posts))[round_number * 2 : round_number * 2 + 2]:
        path = posts / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n更正 {round_number}。\n", encoding="utf-8")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", f"round {round_number}: 20 new posts, 2 corrected")


def sync_once(name, workers):
    """One sync in this (fresh) process: prints its seconds, CPU, posts read and peak memory as JSON."""
    setup_database()
    from articles.models import Source
    from articles.sources.blobs import GitFile
    from articles.sources.sync import sync_source

    # Every import parses (and reads) in its worker processes, forked from this one: each read
    # appends a byte to a file they all share, so its size is the posts read.
    with tempfile.NamedTemporaryFile() as reads:
        appending = os.open(reads.name, os.O_WRONLY | os.O_APPEND)
        read = GitFile.read

        def counted(self, max_bytes):
            os.write(appending, b".")
            return read(self, max_bytes)

        GitFile.read = counted
        source = Source.objects.get(name=name)
        start, cpu = time.perf_counter(), cpu_seconds()
        result = sync_source(source, workers=workers)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        posts_read = os.fstat(appending).st_size
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "state": str(result.state),
                "message": result.message,
                "read": posts_read,
                "self": own_peak_kilobytes(),
                "child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            }
        )
    )


def timed_sync(name, workers):
    command = [sys.executable, __file__, "--sync-only", name, "--workers", str(workers)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def line(label, result, goal=""):
    return (
        f"{label:<28} {result['seconds']:7.2f} s  cpu {result['cpu']:6.2f} s  read {result['read']:>6}  "
        f"peak {mb(result['self']):5.0f} MB (child {mb(result['child']):4.0f} MB)  {goal}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=28_000, help="generated short news posts")
    parser.add_argument("--long", type=int, default=800, help="generated 20 KB long-form posts")
    parser.add_argument("--rounds", type=int, default=3, help="commits of 20 new and 2 changed posts")
    parser.add_argument("--no-change", type=int, default=5, help="syncs that find no new commit")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sync-only", metavar="NAME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sync_only:
        return sync_once(args.sync_only, args.workers)

    scratch = empty_archive("sources-bench-")  # DATABASE_URL (set for the children) names the database
    os.environ["SOURCES_DIR"] = str(scratch / "clones")
    from articles.models import Source

    repo = Path(tempfile.mkdtemp(prefix="repo-", dir=scratch))
    started = time.perf_counter()
    make_repository(repo, args.news, args.long)
    total = args.news + args.long
    print(f"repository: {total:,} posts in one commit ({time.perf_counter() - started:.0f} s to make)")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    Source.objects.filter(name="bench").delete()
    Source.objects.create(name="bench", location=str(repo))

    first = timed_sync("bench", args.workers)
    print(line("first sync (every post)", first), first["message"])
    quiet = [timed_sync("bench", args.workers) for _ in range(args.no_change)]
    for result in quiet:
        print(line("no new commit", result, "goal < 1 s, reads 0"))
    rng = random.Random(22)
    changed = []
    for round_number in range(args.rounds):
        new_commit(repo, round_number, rng)
        result = timed_sync("bench", args.workers)
        changed.append(result)
        print(line("20 added + 2 changed", result, "goal < 3 s"), result["message"])
    worst_quiet = max(r["seconds"] for r in quiet) if quiet else float("nan")
    worst_changed = max(r["seconds"] for r in changed) if changed else float("nan")
    read_quiet = max((r["read"] for r in quiet), default=0)
    rate = total / first["seconds"]
    print(
        f"summary: {total:,} posts; no new commit: worst {worst_quiet:.2f} s, {read_quiet} posts read; "
        f"20+2: worst {worst_changed:.2f} s; first sync {first['seconds']:.0f} s ({rate:.0f} posts/s), "
        f"peak {mb(first['self']):.0f} MB (largest child {mb(first['child']):.0f} MB)"
    )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if "sqlite" in os.environ["DATABASE_URL"]:
        shutil.rmtree(scratch)  # the repository, the clone and the SQLite file
    else:
        shutil.rmtree(repo.parent / "clones", ignore_errors=True)
        shutil.rmtree(repo)


if __name__ == "__main__":
    main()
