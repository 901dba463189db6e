"""Import benchmark: the real samples plus generated news and long-form posts.

    .venv/bin/python bench/import_bench.py                          # 29,000 news + 1,000 long-form, SQLite in /tmp
    .venv/bin/python bench/import_bench.py --news 2000 --long 100   # a quick look
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_import_bench .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --postgres postgres://postgres@127.0.0.1:5432/import_bench  # both

Prints side by side: posts/s of the import, posts/s of a bare parse of the same files (decode and
parse_post in a pool of one process per core, no database), their ratio, the time of a no-change
re-import and its speed-up, and peak memory (RSS) of the importing process and its largest child.
Each import runs in a fresh interpreter, so the peak is the import's own (not the generator's or
the bare parse's).
Goals on a 2-core machine: import >= 70% of the bare parse, re-import >= 10x faster than the first
import, peak memory < 300 MB at 30,000 posts. With ``--postgres URL`` the same posts are imported into a fresh
SQLite file and into that PostgreSQL database in one run (SQLite's first import, PostgreSQL's, then
each re-import), and PostgreSQL's import rate is given as a share of SQLite's (goal >= 60%): on a
shared machine only numbers from one run compare. The database must be a throwaway one: its name must
contain "bench", and its articles are deleted first. Generated posts go to a temporary folder.
"""

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from throwaway import empty_archive, setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("CORPUS_SAMPLE_DIR", ROOT.parent / "shared" / "corpus-sample"))

HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
    "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
    "此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求"
    "香港台湾报道指政府经济市场记者表示议员法院警方社区"
)
WORDS = ["the", "archive", "of", "a", "city", "its", "courts", "and", "streets", "reported", "week", "by", "readers"]


def chinese(rng, n):
    return "".join(rng.choice(HANZI) for _ in range(n))


def news_post(n, rng):
    day = datetime(2015, 1, 1) + timedelta(minutes=37 * n)
    paragraphs = "\n\n".join(chinese(rng, rng.randint(60, 160)) + "。" for _ in range(rng.randint(3, 7)))
    return (
        f"---\nlayout: post\ntitle: {chinese(rng, 12)} {n}\n"
        f"date: {day:%Y-%m-%d %H:%M:%S}.000000000 +08:00\ncategories: rss\n---\n\n{paragraphs}\n"
    )


def long_post(n, rng):
    day = datetime(2018, 1, 1) + timedelta(hours=11 * n)
    parts = []
    size = 0
    section = 0
    while size < 20_000:
        section += 1
        parts.append(f"## {chinese(rng, 8)} {section}")
        parts.append(f"![{chinese(rng, 10)}](https://img.example.com/{n}/{section}.jpg)\n*{chinese(rng, 16)}*")
        for _ in range(3):
            english = " ".join(rng.choice(WORDS) for _ in range(40))
            parts.append(f"{chinese(rng, 120)}，[链接](https://example.com/{n}/{section}) {english}。")
        size = sum(len(p.encode()) for p in parts)
    body = "\n\n".join(parts)
    return (
        f"---\nlayout: post\ntitle: '{chinese(rng, 14)} {n}'\nauthor: {chinese(rng, 3)}\n"
        f"date: {day:%Y-%m-%d %H:%M:%S} +0800\ntags: [{chinese(rng, 2)}, {chinese(rng, 2)}, 评论]\n"
        f"image: https://img.example.com/{n}/lead.jpg\nimage_caption: {chinese(rng, 20)}\n"
        f"description: {chinese(rng, 60)}\nexcerpt_separator: <!--more-->\n---\n\n"
        f"{chinese(rng, 80)}\n\n<!--more-->\n\n{body}\n"
    )


def generate(folder, news, long):
    rng = random.Random(20250101)
    for kind, count, make in (("_posts", news, news_post), ("_long", long, long_post)):
        target = folder / kind
        target.mkdir(parents=True)
        for n in range(count):
            (target / f"{2015 + n % 10}-01-01-{kind.strip('_')}-{n}.md").write_text(make(n, rng), encoding="utf-8")


def bare_parse_one(path):
    from articles.importer.decode import decode_bytes
    from articles.importer.parse import parse_post
    from articles.importer.post import PostError

    try:
        parse_post(decode_bytes(Path(path).read_bytes()), Path(path).name, tz=_TZ)
    except PostError:
        return 0
    return 1


_TZ = None


def bare_parse(files, workers):
    """Decode + parse_post over ``files`` in a pool of ``workers``; no database, results dropped."""
    global _TZ
    from django.utils import timezone

    _TZ = timezone.get_default_timezone()
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parsed = sum(pool.imap_unordered(bare_parse_one, files, chunksize=16))
    return parsed, time.perf_counter() - start


def mb(kilobytes):
    return kilobytes / 1024


def own_peak_kilobytes():
    """This process's peak RSS since it started its program (kB).

    Not ``ru_maxrss``: Linux carries that over an exec from the forking process, so the import
    would report the peak of the benchmark that started it (large after deleting a previous
    run's articles from a PostgreSQL database).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))


def cpu_seconds():
    """User and system CPU of this process and its finished children (the parse or write workers):
    what the machine's load changes least."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_import(paths, workers, without_search_index):
    """One import in this (fresh) process: prints seconds, summary and peak RSS as JSON."""
    setup_database()  # the benchmark's, passed on in DATABASE_URL
    from articles.importer import writer
    from articles.importer.runner import import_paths

    if without_search_index:
        writer.index_documents = lambda documents: None
        writer.update_index = lambda article_ids: None
    start, cpu = time.perf_counter(), cpu_seconds()
    report = import_paths(paths, workers=workers, progress=False)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peak_self = own_peak_kilobytes()
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {"seconds": seconds, "cpu": cpu, "summary": report.summary(), "self": peak_self, "child": peak_child}
    print(json.dumps(result))


def prepare_database():
    """In this (fresh) process: migrate the benchmark's database and empty it; print its vendor."""
    shutil.rmtree(empty_archive("import-bench-"))  # DATABASE_URL names the database: the folder stays empty
    from django.db import connection

    print(connection.vendor)


def in_child(url, *arguments):
    """Run this script with ``arguments`` on the database at ``url``; its last line of output."""
    environment = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, __file__, *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=environment).stdout.splitlines()[-1]


def timed_import(url, paths, args):
    """Run an import in a fresh interpreter, so its peak memory is its own."""
    command = ["--import-only", "--workers", str(args.workers), *map(str, paths)]
    if args.without_search_index:
        command.append("--without-search-index")
    return json.loads(in_child(url, *command))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=29_000, help="generated short news posts")
    parser.add_argument("--long", type=int, default=1_000, help="generated 20 KB long-form posts")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--no-corpus", action="store_true", help="leave out ../shared/corpus-sample")
    parser.add_argument(
        "--without-search-index",
        action="store_true",
        help="skip the search index, to see what it costs the import",
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also import into this PostgreSQL database, side by side with SQLite"
    )
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        run_import(args.paths, args.workers, args.without_search_index)
        return
    if args.prepare_only:
        prepare_database()
        return

    scratch = Path(tempfile.mkdtemp(prefix="import-bench-"))
    if args.postgres:
        urls = [f"sqlite:///{scratch / 'bench.sqlite3'}", args.postgres]
    else:
        urls = [os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")]
    setup_database(scratch / "parse-bench.sqlite3")  # the bare parse's settings (time zone); no table is used
    try:
        vendors = [in_child(url, "--prepare-only") for url in urls]
        posts = scratch / "posts"
        generate(posts, args.news, args.long)
        paths = [posts] + ([CORPUS] if CORPUS.is_dir() and not args.no_corpus else [])
        files = sorted(str(p) for path in paths for p in path.rglob("*") if p.suffix in {".md", ".html"})

        firsts = [timed_import(url, paths, args) for url in urls]
        agains = [timed_import(url, paths, args) for url in urls]
        parsed, parse_time = bare_parse(files, args.workers)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    total = len(files)
    print(
        f"{total:,} posts ({args.news:,} news, {args.long:,} long-form, {total - args.news - args.long} real samples)"
    )
    index = "without the search index" if args.without_search_index else "with the search index"
    print(f"{args.workers} parsing processes, {index}, load {os.getloadavg()[0]:.2f}")
    print(f"bare parse (no DB): {parse_time:.1f} s, {total / parse_time:,.0f} posts/s ({parsed:,} parsed)")
    results = zip(vendors, firsts, agains, strict=True)
    met = [report(vendor, first, again, total, parse_time) for vendor, first, again in results] == [True] * len(urls)
    if len(urls) == 2:
        share = firsts[0]["seconds"] / firsts[1]["seconds"]
        print(f"\nPostgreSQL imports at {share:.0%} of SQLite's rate (goal >= 60%)")
        met = met and share >= 0.6
    print("goals met" if met else "GOALS NOT MET")


def report(vendor, first, again, total, parse_time):
    """Print one database's numbers; True when they meet the goals."""
    import_time, reimport_time = first["seconds"], again["seconds"]
    ratio = parse_time / import_time
    speedup = import_time / reimport_time
    print(f"\n{vendor}")
    print(f"first import:        {first['summary']}")
    print(f"no-change re-import: {again['summary']}")
    print(f"{'':24}{'seconds':>10}{'posts/s':>10}")
    print(f"{'import':24}{import_time:10.1f}{total / import_time:10,.0f}", end="   ")
    print(f"{ratio:.0%} of bare parse (goals: >= 750 posts/s, >= 70% of bare parse)")
    print(f"{'no-change re-import':24}{reimport_time:10.1f}{total / reimport_time:10,.0f}", end="   ")
    print(f"{speedup:.1f}x faster (goal >= 10x)")
    print(
        f"CPU per post (all processes): import {first['cpu'] / total * 1e6:,.0f} us,"
        f" no-change re-import {again['cpu'] / total * 1e6:,.0f} us"
    )
    peak = max(first["self"], first["child"], again["self"], again["child"])
    print(
        f"peak memory (import in its own process): importing process {mb(first['self']):.0f} MB, "
        f"largest parse worker {mb(first['child']):.0f} MB, re-import {mb(again['self']):.0f} MB (goal < 300 MB)"
    )
    return ratio >= 0.7 and speedup >= 10 and mb(peak) < 300


if __name__ == "__main__":
    main()
