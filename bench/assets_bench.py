"""Image archiving benchmark: 2,000 images from a local server, fetched, verified, resized and stored.

    .venv/bin/python bench/assets_bench.py                 # 2,000 images, SQLite in /tmp
    .venv/bin/python bench/assets_bench.py --images 300    # a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_assets_bench .venv/bin/python bench/assets_bench.py

A server process on 127.0.0.1 serves generated pictures, as news sites serve them: mostly JPEG photos
640 to 2,048 pixels wide (with grain, so they cost what photos cost to decode and encode), some PNG
charts and a few GIFs; one URL in ten serves the same bytes as another (a CDN's second address).
The articles (four images each) are in a throwaway database (its name must contain "bench").

Prints images/s for the whole run (find, fetch, verify, resize to WebP, store, record, WARC), the
CPU each image took in the archiver and in the server, and so the rate two idle cores would reach
(on a machine other work shares, the wall-clock rate says little), the archiver's peak memory
(VmHWM), bytes downloaded and stored per distinct image, and the time of a second run.
Goals on a 2-core machine: at least 100 images/s, peak memory under 300 MB.
"""

import argparse
import io
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / "out" / "assets-images"
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
BASES_PER_SIZE = 6
IMAGES_PER_ARTICLE = 4
DUPLICATE_EVERY = 10


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


def make_images(count):
    """``count`` distinct pictures as ``[(name, bytes)]``, cached in bench/out/ between runs."""
    rng = random.Random(7)
    sizes = [entry for entry in MIX for _ in range(entry[3])]
    jobs = []
    for n in range(count):
        width, height, fmt, _share = rng.choice(sizes)
        jobs.append((n, width, height, fmt, rng.randrange(BASES_PER_SIZE)))
    CACHE.mkdir(parents=True, exist_ok=True)
    names = [f"{n:05d}-{w}x{h}.{fmt.lower()}" for n, w, h, fmt, _seed in jobs]
    todo = [job for job, name in zip(jobs, names, strict=True) if not (CACHE / name).exists()]
    if todo:
        print(f"generating {len(todo):,} pictures (kept in {CACHE} for the next run)...", flush=True)
        with multiprocessing.Pool() as pool:
            for job, data in zip(todo, pool.imap(render, todo, chunksize=8), strict=True):
                (CACHE / names[job[0]]).write_bytes(data)
    return names


def serve(names, ready, stop):
    """The image server (a child process): every picture from memory, HTTP/1.1 keep-alive."""
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


def make_articles(urls):
    from django.utils import timezone

    from articles.models import Article

    Article.objects.all().delete()
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


def peak_memory_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    names = make_images(args.images - args.images // DUPLICATE_EVERY)
    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(names, ready, stop), daemon=True)
    server.start()
    port = ready.get(timeout=120)

    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    os.environ.update(MEDIA_ROOT=str(media), ARCHIVE_ASSETS_ALLOW_PRIVATE="1")
    setup_database()
    from django.core.management import call_command

    from articles.assets.runner import archive_assets
    from articles.models import Asset

    call_command("migrate", verbosity=0)
    urls = [f"http://127.0.0.1:{port}/img/{name}" for name in names]
    urls += [f"{url}?w=1" for url in urls[: args.images - len(urls)]]  # the same bytes at a second address
    random.Random(3).shuffle(urls)
    make_articles(urls)

    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), cpu_seconds()
    report = archive_assets(workers=args.workers, progress=False)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    again = time.perf_counter()
    second = archive_assets(workers=args.workers, progress=False)
    again = time.perf_counter() - again
    stop.set()
    server_cpu = ready.get(timeout=30)
    server.join(timeout=10)

    distinct = Asset.objects.filter(status="fetched").values("sha256").distinct().count()
    originals = sum(p.stat().st_size for p in (media / "assets").rglob("*") if p.is_file() and ".w" not in p.name)
    stored = sum(p.stat().st_size for p in (media / "assets").rglob("*") if p.is_file())
    warc = sum(p.stat().st_size for p in (media / "warc").glob("*.warc.gz"))
    print(f"images: {len(urls):,} URLs, {distinct:,} distinct pictures, {args.workers} workers, {os.cpu_count()} cores")
    print("\n".join(f"  {line}" for line in report.summary()))
    per_image = (cpu + server_cpu) / len(urls)
    print(f"archived: {report.fetched:,} in {elapsed:.1f} s = {report.fetched / elapsed:.0f} images/s (goal >= 100)")
    print(f"CPU per image: archiver {cpu / len(urls) * 1000:.1f} ms, server {server_cpu / len(urls) * 1000:.1f} ms")
    print(
        f"at that CPU cost, {os.cpu_count()} idle cores would archive {os.cpu_count() / per_image:.0f} images/s "
        f"(the load average was {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)"
    )
    print(f"peak memory (archiver, VmHWM): {peak_memory_mb():.0f} MB (goal < 300)")
    per = {"all": stored / distinct / 1000, "original": originals / distinct / 1000}
    print(
        f"stored per distinct picture: {per['all']:.1f} kB (original {per['original']:.1f} kB "
        f"+ WebP copies {per['all'] - per['original']:.1f} kB); WARC {warc / 1e6:.1f} MB"
    )
    print(f"second run: {second.fetched} fetched in {again:.2f} s (nothing to fetch)")


if __name__ == "__main__":
    main()
