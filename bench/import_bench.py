"""Import benchmark: CPU per post of an import next to a yardstick's, on the real samples plus generated posts.

    .venv/bin/python bench/import_bench.py                          # 29,000 news + 1,000 long-form, SQLite in /tmp
    .venv/bin/python bench/import_bench.py --news 2000 --long 100   # a quick look
    .venv/bin/python bench/import_bench.py --before main            # main's code too, same posts, same run
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_import_bench .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --postgres postgres://postgres@127.0.0.1:5432/import_bench  # both

The yardstick is what any importer of these files must do at least, in the same run: read each
file's front matter with python-frontmatter, render Markdown with markdown-it, sanitize with nh3
and take BeautifulSoup's text, in one process per core (``--workers``), no database. Its CPU time
per post (all processes) is the unit: the import (parse workers and the writing process together)
should cost at most 2.5 times as much. CPU time is what the machine's load changes least; wall-clock
posts/s are printed too, with the load average (goal 1,000 posts/s on two idle cores).

Also printed: the time of a no-change re-import and its speed-up over the first import (goal >=
10x), and peak memory (RSS) of the importing process and its largest child (goal < 300 MB at
30,000 posts). Each import runs in a fresh interpreter, so the peak is the import's own.
``--before REV`` measures the code of a git revision too (a temporary ``git worktree``, removed
afterwards), on the same posts and databases, so before and after are side by side from one run.
With ``--postgres URL`` the same posts are imported into a fresh SQLite file and into that
PostgreSQL database in one run, and PostgreSQL's import rate is given as a share of SQLite's (goal
>= 60%). The database must be a throwaway one: its name must contain "bench"; it is dropped and
created again for each revision. Generated posts go to a temporary folder.
"""

import argparse
import contextlib
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

from throwaway import empty_archive, recreate_postgres, setup_database

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


def yardstick_one(path):
    """The yardstick's work on one file: its front matter read by python-frontmatter, its body
    rendered by markdown-it (HTML files as they are), sanitized by nh3 and its text taken by
    BeautifulSoup (lxml); 1 when it parsed."""
    import frontmatter
    import nh3
    from bs4 import BeautifulSoup

    try:
        post = frontmatter.loads(Path(path).read_bytes().decode("utf-8-sig", errors="replace"))
    except Exception:  # what the importer reports as a bad file: the yardstick just skips it
        return 0
    body = post.content if path.endswith((".html", ".htm")) else _MARKDOWN.render(post.content)
    BeautifulSoup(nh3.clean(body), "lxml").get_text()
    return 1


_MARKDOWN = None


def post_files(paths):
    """The post files under the folders ``paths``, sorted."""
    return sorted(str(p) for path in paths for p in Path(path).rglob("*") if p.suffix in {".md", ".html"})


def yardstick(paths, workers):
    """In this (fresh) process: the yardstick over the files under ``paths`` in a pool of ``workers``
    processes, no database; prints its seconds, CPU seconds (this process and the pool's) and files
    parsed as JSON."""
    global _MARKDOWN
    from markdown_it import MarkdownIt

    files = post_files(paths)

    _MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    start, cpu = time.perf_counter(), cpu_seconds()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parsed = sum(pool.imap_unordered(yardstick_one, files, chunksize=16))
        pool.close()
        pool.join()  # reaped: their CPU time is counted as this process's children's
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "parsed": parsed}))


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


def run_import(tree, paths, workers, without_search_index):
    """One import in this (fresh) process, with the code of ``tree``: prints seconds, CPU seconds,
    summary and peak RSS as JSON."""
    sys.path.insert(0, str(tree))
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


def prepare_database(tree):
    """In this (fresh) process: migrate the benchmark's database with ``tree``'s code and empty it;
    print its vendor."""
    sys.path.insert(0, str(tree))
    shutil.rmtree(empty_archive("import-bench-"))  # DATABASE_URL names the database: the folder stays empty
    from django.db import connection

    print(connection.vendor)


def in_child(url, tree, *arguments):
    """Run this script with ``arguments`` on the database at ``url`` and the code of ``tree``; its
    last line of output."""
    environment = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(tree)}
    command = [sys.executable, __file__, "--tree", str(tree), *arguments]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=environment, cwd=tree)
    return output.stdout.splitlines()[-1]


def timed_import(url, tree, paths, args):
    """Run an import in a fresh interpreter, so its peak memory is its own."""
    command = ["--import-only", "--workers", str(args.workers), *map(str, paths)]
    if args.without_search_index:
        command.append("--without-search-index")
    return json.loads(in_child(url, tree, *command))


@contextlib.contextmanager
def worktree(revision, scratch):
    """A temporary ``git worktree`` of ``revision`` (detached), removed afterwards."""
    path = scratch / f"tree-{revision.replace('/', '-')}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), revision], check=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)


def database_urls(args, scratch, label):
    sqlite = f"sqlite:///{scratch / f'bench-{label}.sqlite3'}"
    if args.postgres:
        return [sqlite, args.postgres]
    return [os.environ.get("DATABASE_URL", sqlite)]


def measure_tree(tree, label, paths, args, scratch):
    """[(vendor, first import, no-change re-import)] of the code of ``tree``, one per database."""
    measured = []
    for url in database_urls(args, scratch, label):
        if url.startswith("postgres"):
            recreate_postgres(url)
        vendor = in_child(url, tree, "--prepare-only")
        first = timed_import(url, tree, paths, args)
        again = timed_import(url, tree, paths, args)
        measured.append((vendor, first, again))
    return measured


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
    parser.add_argument("--before", metavar="REV", help="also measure the code of this git revision (e.g. main)")
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--yardstick-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        run_import(args.tree, args.paths, args.workers, args.without_search_index)
        return
    if args.prepare_only:
        prepare_database(args.tree)
        return
    if args.yardstick_only:
        yardstick(args.paths, args.workers)
        return

    scratch = Path(tempfile.mkdtemp(prefix="import-bench-"))
    load_before = os.getloadavg()[0]
    try:
        posts = scratch / "posts"
        generate(posts, args.news, args.long)
        paths = [posts] + ([CORPUS] if CORPUS.is_dir() and not args.no_corpus else [])
        files = post_files(paths)
        with contextlib.ExitStack() as stack:
            trees = [(args.before, stack.enter_context(worktree(args.before, scratch)))] if args.before else []
            trees.append(("this tree", ROOT))
            results = {
                label: measure_tree(tree, label.replace(" ", "-"), paths, args, scratch) for label, tree in trees
            }
        sqlite = f"sqlite:///{scratch / 'yardstick-bench.sqlite3'}"  # settings only: no table is used
        stick = json.loads(in_child(sqlite, ROOT, "--yardstick-only", "--workers", str(args.workers), *map(str, paths)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    total = len(files)
    print(
        f"{total:,} posts ({args.news:,} news, {args.long:,} long-form, {total - args.news - args.long} real samples)"
    )
    index = "without the search index" if args.without_search_index else "with the search index"
    print(f"{args.workers} parsing processes, {index}; load average {load_before:.2f} at the start, ", end="")
    print(f"{os.getloadavg()[0]:.2f} at the end (CPU time is what the load changes least)")
    stick_us = stick["cpu"] / total * 1e6
    print(
        f"yardstick (python-frontmatter, markdown-it, nh3, BeautifulSoup's text; no database): {stick_us:,.0f} us"
        f" of CPU per post, {total / stick['seconds']:,.0f} posts/s ({stick['parsed']:,} parsed)"
    )
    print("goals met" if report(results, total, stick_us) else "GOALS NOT MET")


def report(results, total, stick_us):
    """Print each database's numbers, one column per revision; True when this tree's meet the goals."""
    labels = list(results)
    met = True
    for index, (vendor, *_rest) in enumerate(results["this tree"]):
        rows = [results[label][index] for label in labels]
        firsts, agains = [row[1] for row in rows], [row[2] for row in rows]
        print(f"\n{vendor}")
        for label, first, again in zip(labels, firsts, agains, strict=True):
            print(f"{label:>12}: first import: {first['summary']}; no-change re-import: {again['summary']}")
        line = _line_printer(labels)
        cpu = [first["cpu"] / total * 1e6 for first in firsts]
        line("import: CPU per post (us)", [f"{us:,.0f}" for us in cpu])
        line("  times the yardstick's", [f"{us / stick_us:.2f}x" for us in cpu], "goal <= 2.5x")
        line("  posts/s (two cores' CPU)", [f"{2e6 / us:,.0f}" for us in cpu], "goal 1,000")
        line("  posts/s (elapsed)", [f"{total / first['seconds']:,.0f}" for first in firsts])
        line("no-change re-import (s)", [f"{again['seconds']:.1f}" for again in agains])
        speedups = [first["seconds"] / again["seconds"] for first, again in zip(firsts, agains, strict=True)]
        line("  faster than the import", [f"{speedup:.1f}x" for speedup in speedups], "goal >= 10x")
        line("  CPU per post (us)", [f"{again['cpu'] / total * 1e6:,.0f}" for again in agains])
        peaks = [
            max(first["self"], first["child"], again["self"], again["child"])
            for first, again in zip(firsts, agains, strict=True)
        ]
        line("peak memory: importing (MB)", [f"{mb(first['self']):.0f}" for first in firsts], "goal < 300")
        line("  largest parse worker (MB)", [f"{mb(first['child']):.0f}" for first in firsts])
        met = met and cpu[-1] / stick_us <= 2.5 and speedups[-1] >= 10 and mb(peaks[-1]) < 300
    if len(results["this tree"]) == 2:
        (_, sqlite_first, _), (_, postgres_first, _) = results["this tree"]
        share = sqlite_first["seconds"] / postgres_first["seconds"]
        print(f"\nPostgreSQL imports at {share:.0%} of SQLite's rate (goal >= 60%)")
        met = met and share >= 0.6
    return met


def _line_printer(labels):
    def line(label, values, goal=""):
        print(f"{label:30}" + "".join(f"{value:>14}" for value in values) + (f"   {goal}" if goal else ""))

    line("", labels)
    return line


if __name__ == "__main__":
    main()
