"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles.models import Article
from tests.factories import make_article

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

TITLES = [
    "新加坡公布新一轮经济援助配套 惠及中小企业",
    "东盟外长会议聚焦南海局势与区域合作",
    "台海局势升温 两岸学者呼吁恢复对话",
    "中美贸易谈判重启 双方同意降低部分关税",
    "香港立法会通过新法案 加强网络安全",
    "日本央行维持超宽松货币政策不变",
    "马来西亚大选结果揭晓 新政府组阁在即",
    "欧盟推出碳边境调节机制 亚洲出口商受影响",
    "印尼新首都建设进入第二阶段",
    "世卫组织：全球新冠病例连续四周下降",
]
TAGS = ["联合早报", "中美关系", "台海", "东南亚", "经济", "国际"]


def placeholder_png(width=600, height=400):
    """A soft grey-blue gradient PNG standing in for remote news photos (the tests have no network)."""
    raw = b"".join(
        b"\x00" + b"".join(bytes((150 + x * 40 // width, 165 + y * 30 // height, 185)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but CI_REQUIRE_BROWSER=1: install the chromium package")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def photo():
    return placeholder_png()


class Page:
    """A Playwright page that records console errors, page errors, CSP violations and remote image requests."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors = []
        self.remote_requests = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def csp_violations(self):
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean(self):
        assert self.errors == []
        assert self.csp_violations() == []

    def screenshot(self, name, full_page=False):
        """Save docs/screenshots/<name>.png: the first screen a reader sees, or the whole page."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if full_page:
            # Scroll through once so lazy-loaded pictures are in the picture.
            self.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            self.page.wait_for_load_state("networkidle")
            self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def open_page(browser, live_server, photo, **context_options):
    context = browser.new_context(**context_options)
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    wrapper = None

    def route(request_route):
        request = request_route.request
        if request.url.startswith(live_server.url):
            request_route.continue_()
            return
        wrapper.remote_requests.append((request.url, request.headers.get("referer")))
        request_route.fulfill(status=200, content_type="image/png", body=photo)

    context.route("**/*", route)
    context.set_default_timeout(10_000)
    wrapper = Page(context.new_page(), live_server.url)
    return context, wrapper


@pytest.fixture
def desktop(browser, live_server, photo):
    context, page = open_page(browser, live_server, photo, **DESKTOP, locale="en-US")
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server, photo):
    context, page = open_page(browser, live_server, photo, **PHONE, locale="zh-CN")
    yield page
    context.close()


def import_seed(seeds_dir):
    """The seed post, through the real importer."""
    call_command("import_seeds", str(seeds_dir), "--no-progress", "--workers", "1", verbosity=0)
    return Article.objects.get()


@pytest.fixture
def site(transactional_db, seeds_dir):
    """The seed post (through the real importer) and 44 more articles with tags and pictures."""
    cache.clear()
    seed = import_seed(seeds_dir)
    for n in range(44):
        make_article(
            TITLES[n % len(TITLES)] + ("" if n < len(TITLES) else f"（{n // len(TITLES) + 1}）"),
            author="联合早报" if n % 3 else "路透社",
            tags=[TAGS[0], TAGS[1 + n % 5], TAGS[1 + (n + 2) % 5]],
            categories=["联合早报"],
            lead_image_url=f"https://images.example.org/photo-{n}.jpg" if n % 2 == 0 else "",
            excerpt="据报道，"
            + TITLES[n % len(TITLES)]
            + "。有关方面表示，将继续密切关注事态发展，并适时公布更多细节。",
            published_at=seed.published_at - timedelta(hours=7 * (n + 1)),
            featured=n == 5,
            reading_time=1 + n % 6,
        )
    yield seed
    cache.clear()
