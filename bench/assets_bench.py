"""Image archiving benchmark: pictures from a local server, archived, against decoding each picture once.

    .venv/bin/python bench/assets_bench.py                            # 2,000 images (the news mix), SQLite in /tmp
    .venv/bin/python bench/assets_bench.py --images 300               # a quick look
    .venv/bin/python bench/assets_bench.py --photos 200               # 200 distinct JPEG photos 1,280-2,048 px wide
    .venv/bin/python bench/assets_bench.py --photos 200 --before main # the same on main's code too, side by side
    .venv/bin/python bench/assets_bench.py --photos 200 --eager       # and with copies made as archived (a CDN)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_assets_bench .venv/bin/python bench/assets_bench.py

A server process on 127.0.0.1 (nothing else is contacted) serves generated pictures, as news sites
serve them. The news mix: mostly JPEG photos 640 to 2,048 pixels wide (with grain, so they cost
what photos cost to decode and encode), some PNG charts and a few GIFs; one URL in ten serves the
same bytes as another (a CDN's second address). ``--photos N``: N distinct JPEG photos 1,280 to
2,048 pixels wide and nothing else (issue 21's measurement). The articles (four images each) are
in a throwaway database (its name must contain "bench"); the files in a temporary MEDIA_ROOT.

Each measurement runs ``archive_assets`` in a fresh process and prints, side by side for each tree:
CPU per image in the archiver (its process and any worker processes) next to the yardstick, the
CPU of decoding each distinct file fully once with Pillow, measured in the same process just
before; their ratio; the server's CPU; the rate two idle cores would reach at that CPU cost (on a
shared machine the wall-clock rate says little) and the wall-clock rate; the CPU of the first
request for every WebP copy the pages link (through the app's ``/media/`` view, as a reader's
browser asks); peak memory (VmHWM); bytes stored per distinct picture; the time of a second run.
``--before REV`` measures the code of a git revision too (a temporary ``git worktree``, removed
afterwards), against the same pictures and server, in the same run; ``--eager`` measures this tree
once more with ``MEDIA_URL`` on another site, where the archiver makes every WebP copy as it
archives (``articles/assets/copies.py``).
Goals on a 2-core machine: archiver CPU at most 2x the yardstick, at least 100 images/s, peak
memory under 300 MB.
"""

import argparse
import io
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "assets-images"
MAX_IMAGES = 20_000  # the run stays bounded: pictures in memory, minutes of work
# (width, height, format, share of the images)
MIX = [
    (640, 427, "JPEG", 15),
    (800, 533, "JPEG", 20),
    (1024, 683, "JPEG", 20),
    (1200, 800, "JPEG", 20),
    (1600, 1067, "JPEG", 10),
    (2048, 1365, "JPEG", 5),
    (800, 450, "PNG", 8),
    (480, 270, "GIF", 2),
]
PHOTOS = [(width, width * 2 // 3, "JPEG", 1) for width in (1280, 1440, 1600, 1800, 2048)]
BASES_PER_SIZE = 6
IMAGES_PER_ARTICLE = 4
DUPLICATE_EVERY = 10
GOAL_RATIO, GOAL_RATE, GOAL_MEMORY = 2.0, 100, 300
CDN = "https://cdn.example.org/media/"  # never contacted: only what pages would link


def base_picture(width, height, seed):
    """A photo-like picture: gradients, soft shapes and grain."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height)).rotate(rng.randrange(360))
    channels = []
    for _ in range(3):
        clouds = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 70).resize((width, height), 3)
        channels.append(Image.blend(Image.blend(base, clouds, 0.55), Image.effect_noise((width, height), 40), 0.12))
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(10, width // 5)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def chart(width, height, seed):
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for n in range(12):
        x = 40 + n * (width - 80) // 12
        draw.rectangle((x, height - 30 - rng.randrange(height - 80), x + 30, height - 30), fill=(40, 90 + n * 10, 160))
    draw.line((30, height - 30, width - 30, height - 30), fill="black", width=2)
    return image


def render(args):
    """Picture ``n``: a base picture made distinct by a stamp, encoded in its format."""
    n, width, height, fmt, seed = args
    from PIL import ImageDraw

    image = chart(width, height, seed) if fmt == "PNG" else base_picture(width, height, seed)
    ImageDraw.Draw(image).rectangle((n % 97, n % 89, n % 97 + 24, n % 89 + 12), fill=(n % 251, n % 241, n % 239))
    buffer = io.BytesIO()
    if fmt == "GIF":
        image = image.convert("P", palette=1)  # adaptive palette
    image.save(buffer, fmt, **({"quality": 82} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def make_images(count, sizes, prefix):
    """``count`` distinct pictures' file names, made once and kept in bench/out/ between runs."""
    rng = random.Random(7)
    sizes = [entry for entry in sizes for _ in range(entry[3])]
    jobs = []
    for n in range(count):
        width, height, fmt, _share = rng.choice(sizes)
        jobs.append((n, width, height, fmt, rng.randrange(BASES_PER_SIZE)))
    CACHE.mkdir(parents=True, exist_ok=True)
    names = [f"{prefix}{n:05d}-{w}x{h}.{fmt.lower()}" for n, w, h, fmt, _seed in jobs]
    todo = [job for job, name in zip(jobs, names, strict=True) if not (CACHE / name).exists()]
    if todo:
        print(f"generating {len(todo):,} pictures (kept in {CACHE} for the next run)...", flush=True)
        with multiprocessing.Pool() as pool:
            for job, data in zip(todo, pool.imap(render, todo, chunksize=8), strict=True):
                (CACHE / names[job[0]]).write_bytes(data)
    return names


def serve(names, ready, stop):
    """The image server (a child process): every picture from memory, HTTP/1.1 keep-alive, 127.0.0.1 only."""
    files = {f"/img/{name}": (CACHE / name).read_bytes() for name in names}
    types = {"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            body = files.get(path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", types.get(path.rsplit(".", 1)[-1], "text/plain"))
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.put(server.server_address[1])
    stop.wait()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ready.put(usage.ru_utime + usage.ru_stime)


@contextmanager
def image_server(names):
    """A fresh server for one measurement: yields its port and a dict that gets its CPU seconds at the end."""
    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(names, ready, stop), daemon=True)
    server.start()
    used = {}
    try:
        yield ready.get(timeout=120), used
    finally:
        stop.set()
        used["cpu"] = ready.get(timeout=30)
        server.join(timeout=10)


def cpu_seconds():
    """User and system CPU of this process and its finished children (the archiver's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_memory_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_articles(urls):
    """The articles showing ``urls``, four each (the first as the lead image), in place of any there were."""
    # Models by name, not by module: --before runs this code on revisions where they lived elsewhere.
    from django.apps import apps
    from django.utils import timezone

    Asset, Article = apps.get_model("articles", "Asset"), apps.get_model("articles", "Article")
    Article.objects.all().delete()
    Asset.objects.all().delete()
    now = timezone.now()
    articles = []
    for n in range(0, len(urls), IMAGES_PER_ARTICLE):
        images = urls[n : n + IMAGES_PER_ARTICLE]
        body = "\n".join(
            f'<figure><img src="{url}" alt=""><figcaption>图 {k}</figcaption></figure>'
            for k, url in enumerate(images[1:])
        )
        articles.append(
            Article(
                title=f"图片 {n}",
                slug=f"bench-{n}",
                body_html=body,
                lead_image_url=images[0],
                published_at=now,
                status="published",
            )
        )
    Article.objects.bulk_create(articles, batch_size=500)


def yardstick(names):
    """CPU seconds to decode each distinct file fully once with Pillow (the files read beforehand)."""
    from PIL import Image

    files = [(CACHE / name).read_bytes() for name in names]
    start = cpu_seconds()
    for data in files:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    return cpu_seconds() - start


def first_requests():
    """``(copies, CPU seconds)`` of one GET of every WebP copy the pages link, through the ``/media/``
    view as a reader's browser would ask for it (without the middleware)."""
    from django.apps import apps
    from django.test import RequestFactory

    from articles.assets import storage

    try:  # the /media/ view, wherever the measured revision keeps it (--before)
        from articles.web.media import serve as media
    except ImportError:
        from articles.assets.serving import media

    Asset = apps.get_model("articles", "Asset")

    fetched = Asset.objects.filter(status=Asset.Status.FETCHED).values_list("sha256", "variants")
    names = sorted({storage.variant_name(sha256, width) for sha256, widths in fetched for width in widths})
    factory = RequestFactory()
    start = cpu_seconds()
    for name in names:
        response = media(factory.get(f"/media/{name}"), name)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        b"".join(response.streaming_content)
        response.close()
    return len(names), cpu_seconds() - start


def stored_bytes(media):
    files = [p for p in (media / "assets").rglob("*") if p.is_file()] if (media / "assets").exists() else []
    return sum(p.stat().st_size for p in files), sum(p.stat().st_size for p in files if ".w" not in p.name)


def measure(job):
    """In a fresh process on the tree under test: archive the job's URLs, print what it cost as JSON."""
    sys.path.insert(0, job["tree"])
    media = Path(job["scratch"]) / "media"
    os.environ.update(MEDIA_ROOT=str(media), ARCHIVE_ASSETS_ALLOW_PRIVATE="1", **job["env"])
    setup_database(Path(job["scratch"]) / "bench.sqlite3")
    from django.apps import apps
    from django.core.management import call_command

    from articles.assets.runner import archive_assets

    Asset = apps.get_model("articles", "Asset")

    call_command("migrate", verbosity=0)
    make_articles(job["urls"])
    decode_cpu = yardstick(job["names"])
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), cpu_seconds()
    report = archive_assets(workers=job["workers"], progress=False)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    stored_after_run = stored_bytes(media)
    again = time.perf_counter()
    second = archive_assets(workers=job["workers"], progress=False)
    again = time.perf_counter() - again
    copies, copies_cpu = first_requests()
    fetched = Asset.objects.filter(status=Asset.Status.FETCHED)
    result = {
        "urls": len(job["urls"]),
        "distinct": fetched.values("sha256").distinct().count(),
        "fetched": report.fetched,
        "summary": report.summary(),
        "seconds": elapsed,
        "cpu": cpu,
        "decode_cpu": decode_cpu,
        "copies": copies,
        "copies_cpu": copies_cpu,
        "stored_after_run": stored_after_run[0],
        "stored": stored_bytes(media)[0],
        "memory": peak_memory_mb(),
        "second": [second.fetched, again],
        "load": [load, os.getloadavg()[0]],
    }
    print(json.dumps(result))


def run_measure(tree, job, timeout):
    """``measure`` in a fresh interpreter on ``tree``'s code (this file's measuring code)."""
    Path(job["scratch"]).mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, __file__, "--measure", json.dumps(job)]
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"the measurement on {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


@contextmanager
def worktree(revision, scratch):
    """A temporary ``git worktree`` of ``revision`` (detached), removed afterwards; yields its path and label."""
    path = scratch / "before"
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", revision], check=True, capture_output=True, text=True)
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(path), revision], check=True)
    try:
        yield path, f"{revision} ({commit.stdout.strip()})"
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(path)], check=False)
        subprocess.run([*git, "worktree", "prune"], check=False)


def rows(cores):
    """The table's lines: (label, how a result shows in it)."""

    def per_image(seconds, r):
        return f"{seconds / r['urls'] * 1000:.1f} ms"

    return [
        ("archived", lambda r: f"{r['fetched']:,} of {r['urls']:,} URLs"),
        ("wall clock", lambda r: f"{r['seconds']:.1f} s, {r['fetched'] / r['seconds']:.0f}/s"),
        ("CPU/image: archiver (+ workers)", lambda r: per_image(r["cpu"], r)),
        ("CPU/image: decoding once (Pillow)", lambda r: f"{r['decode_cpu'] / r['distinct'] * 1000:.1f} ms"),
        ("archiver / decoding once", lambda r: f"{ratio(r):.2f}x"),
        ("CPU/image: image server", lambda r: per_image(r["server_cpu"], r)),
        (f"by CPU, {cores} idle cores", lambda r: f"{rate(r, cores):.0f} images/s"),
        ("first GET of every WebP copy", lambda r: f"{r['copies']:,}, {per_image(r['copies_cpu'], r)}/image"),
        ("CPU/image: archiver + first GETs", lambda r: per_image(r["cpu"] + r["copies_cpu"], r)),
        ("peak memory (archiver, VmHWM)", lambda r: f"{r['memory']:.0f} MB"),
        ("stored/picture: after the run", lambda r: f"{r['stored_after_run'] / r['distinct'] / 1000:.1f} kB"),
        ("stored/picture: after the GETs", lambda r: f"{r['stored'] / r['distinct'] / 1000:.1f} kB"),
        ("second run", lambda r: f"{r['second'][0]} fetched, {r['second'][1]:.2f} s"),
        ("load average (start, end)", lambda r: f"{r['load'][0]:.1f}, {r['load'][1]:.1f}"),
    ]


def ratio(result):
    return (result["cpu"] / result["urls"]) / (result["decode_cpu"] / result["distinct"])


def rate(result, cores):
    return cores * result["urls"] / (result["cpu"] + result["server_cpu"])


def report(results, cores):
    width = max(28, *(len(label) + 2 for label, _result in results))
    print(f"{'':34}" + "".join(f"{label:>{width}}" for label, _result in results))
    for name, show in rows(cores):
        print(f"{name:34}" + "".join(f"{show(result):>{width}}" for _label, result in results))
    label, result = next((label, result) for label, result in results if label == "this tree")
    print(f"{label}: " + "; ".join(line.strip() for line in result["summary"][:2]))
    met = ratio(result) <= GOAL_RATIO and rate(result, cores) >= GOAL_RATE and result["memory"] < GOAL_MEMORY
    goals = f"archiver <= {GOAL_RATIO:g}x decoding once, >= {GOAL_RATE} images/s by CPU, < {GOAL_MEMORY} MB"
    print(f"goals ({goals}): {'met' if met else 'NOT MET'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=2000, help="URLs of the news mix (default 2,000)")
    parser.add_argument("--photos", type=int, help="instead: this many distinct JPEG photos 1,280-2,048 px wide")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--before", metavar="REV", help="also measure the code of this git revision (e.g. main)")
    parser.add_argument(
        "--eager", action="store_true", help="also measure this tree with pages linking a CDN (copies made as archived)"
    )
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed for each measurement")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(json.loads(args.measure))
        return
    count = args.photos or args.images
    if not 1 <= count <= MAX_IMAGES:
        parser.error(f"between 1 and {MAX_IMAGES:,} images")
    if args.photos:
        names = make_images(count, PHOTOS, "photo-")
        paths = [f"/img/{name}" for name in names]
    else:
        names = make_images(count - count // DUPLICATE_EVERY, MIX, "")
        paths = [f"/img/{name}" for name in names]
        paths += [f"{path}?w=1" for path in paths[: count - len(paths)]]  # the same bytes at a second address
    random.Random(3).shuffle(paths)
    what = "JPEG photos 1,280-2,048 px wide" if args.photos else "the news mix"
    print(f"{len(paths):,} URLs, {len(names):,} distinct pictures ({what}), {args.workers} workers", end=", ")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    scratch = Path(tempfile.mkdtemp(prefix="assets-bench-"))
    results = []
    try:
        with worktree(args.before, scratch) if args.before else nullcontext() as before:
            runs = [(*before, {})] if before else []
            runs.append((ROOT, "this tree", {}))
            if args.eager:
                runs.append((ROOT, "this tree, MEDIA_URL a CDN", {"MEDIA_URL": CDN}))
            for n, (tree, label, env) in enumerate(runs):
                with image_server(names) as (port, server):
                    urls = [f"http://127.0.0.1:{port}{path}" for path in paths]
                    job = {"tree": str(tree), "scratch": str(scratch / f"run-{n}"), "urls": urls, "names": names}
                    job["env"] = env
                    result = run_measure(tree, {**job, "workers": args.workers}, args.timeout)
                results.append((label, {**result, "server_cpu": server["cpu"]}))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(results, os.cpu_count())


if __name__ == "__main__":
    main()
