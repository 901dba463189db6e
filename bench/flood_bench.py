"""Search-flood benchmark: the home page's throughput while one client floods /search/.

    .venv/bin/python bench/flood_bench.py                 # SQLite, 28,800 articles in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_flood_bench .venv/bin/python bench/flood_bench.py

Loads an archive of the real size and mix (search_bench.py's --real-lengths corpus, reused when
the database already has it), serves it with gunicorn (2 workers, as site_bench.py) on 127.0.0.1,
and measures the home page with 8 keep-alive clients: alone, then while another process floods
/search/ with common-word queries from 8 more connections (one client address), after the flood
has run for --warmup seconds (long enough to use up a minute's allowance of searches). It does so with
the search limit off (SEARCH_RATE_LIMIT=0) and with the default limit. Both load generators run
at low CPU priority (nice 10), standing for clients on other machines. Prints the home page's
requests/s and p95 in each case, its share of the normal throughput, and what the flood got
(searches answered, 429s). Goal: the home page keeps at least 50% of its normal throughput under
the flood, with the limit on. Requests go to loopback only; every run is bounded in time.
"""

import argparse
import collections
import multiprocessing
import os
import random
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLOOD_QUERIES = ["the a of", "的", "a", "在 是", "的 the", "中国", "the", "台湾 the"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=28_800)
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per case")
    parser.add_argument("--concurrency", type=int, default=8, help="connections of each client")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--warmup", type=float, default=5.0, help="flooding before the home page is measured")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--limit", help="SEARCH_RATE_LIMIT for the second case (default: the setting's default)")
    return parser.parse_args()


def prepare(total):
    """The throwaway database with ``total`` articles of the real mix and their search index."""
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= total:
        print(f"reusing {Article.objects.count():,} articles")
    else:
        import search_bench

        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        search_bench.load_articles(total, random.Random(20201026), real_lengths=True)
        search_bench.build_index()
        print(f"loaded and indexed {Article.objects.count():,} articles in {time.perf_counter() - started:.0f} s")
    connection.close()


def hammer(port, paths, seconds, concurrency):
    """Requests/s, p95 (ms) and status counts of ``concurrency`` clients GETting ``paths`` in turn.

    Raw sockets, one request per connection (gunicorn's sync workers close after each): about a
    third of http.client's CPU per request, so the clients, on the same two cores, take less of
    the CPU the server needs.
    """
    requests = [f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode() for path in paths]
    statuses, latencies = collections.Counter(), []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset):
        mine, counts, n = [], collections.Counter(), offset
        while time.monotonic() < stop:
            n += 1
            began = time.perf_counter()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
                    conn.sendall(requests[n % len(requests)])
                    head = conn.recv(65536)
                    while conn.recv(65536):
                        pass
                status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "error"
            except OSError:
                status = "error"
            mine.append((time.perf_counter() - began) * 1000)
            counts[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(counts)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / (time.monotonic() - began),
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0,
        "statuses": dict(statuses),
    }


def flood(port, seconds, concurrency, results):
    """One client (one address) sending searches as fast as ``concurrency`` connections allow."""
    paths = [f"/search/?q={quote(query)}&page={page}" for query in FLOOD_QUERIES for page in (1, 2, 3)]
    results.update(hammer(port, paths, seconds, concurrency)["statuses"])


def niced(target, *args):
    """Run ``target(*args)`` in a child process at low CPU priority (nice 10), and wait for it.

    On a 2-core machine the load generators compete with gunicorn for the CPU; at a lower
    priority they stand for clients on other machines, as a real flood's would be.
    """

    def run():
        os.nice(10)
        target(*args)

    process = multiprocessing.get_context("fork").Process(target=run)
    process.start()
    return process


def measure_home(port, seconds, concurrency, results):
    results.update(hammer(port, ["/"], seconds, concurrency))


def home_under_flood(args, manager):
    """The home page's load figures while a separate process floods /search/."""
    home, statuses = manager.dict(), manager.dict()
    duration = args.warmup + args.seconds + 1
    flooder = niced(flood, args.port, duration, args.concurrency, statuses)
    # The flood has spent the client's allowance before the home page is measured.
    time.sleep(args.warmup)
    niced(measure_home, args.port, args.seconds, args.concurrency, home).join()
    flooder.join(timeout=duration + 60)
    return dict(home), dict(statuses)


def measure(args, rate_limit):
    """Home alone and under the flood, served with SEARCH_RATE_LIMIT=``rate_limit`` (None: the default)."""
    import site_bench

    if rate_limit is None:
        os.environ.pop("SEARCH_RATE_LIMIT", None)
    else:
        os.environ["SEARCH_RATE_LIMIT"] = rate_limit
    server = site_bench.serve(args, page_cache_seconds=30)
    manager = multiprocessing.Manager()
    try:
        hammer(args.port, ["/"], 1.0, args.concurrency)  # warm-up
        alone = manager.dict()
        niced(measure_home, args.port, args.seconds, args.concurrency, alone).join()
        alone = dict(alone)
        flooded, statuses = home_under_flood(args, manager)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        manager.shutdown()
    return alone, flooded, statuses


def main():
    args = parse_args()
    setup_database(Path(tempfile.gettempdir()) / "flood_bench.sqlite3")
    from django.conf import settings
    from django.db import connection

    prepare(args.articles)
    print(
        f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); gunicorn {args.workers} workers; "
        f"home page and flood {args.concurrency} connections each; {args.seconds:g} s per case"
    )
    print(f"{'search limit':<22} {'home alone':>11} {'under flood':>12} {'share':>6} {'p95 ms':>7}  flood answers")
    met = None
    limited = (args.limit, args.limit) if args.limit else (f"{settings.SEARCH_RATE_LIMIT} (default)", None)
    for label, rate in (("off (before)", "0"), limited):
        alone, flooded, statuses = measure(args, rate)
        share = flooded["rps"] / alone["rps"] * 100
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        if set(alone["statuses"]) | set(flooded["statuses"]) != {"200"}:
            answers += f"; home page answers: {alone['statuses']} alone, {flooded['statuses']} under the flood"
        print(
            f"{label:<22} {alone['rps']:>7.0f} r/s {flooded['rps']:>8.1f} r/s {share:>5.0f}% "
            f"{flooded['p95']:>7.1f}  {answers}"
        )
        met = share >= 50
    verdict = "met" if met else "NOT met"
    print(f"goal (limit on): the home page keeps >= 50% of its normal req/s under the flood: {verdict}")


if __name__ == "__main__":
    main()
