"""Every admin URL, filter and form with malformed ids, parameters and values: never a 500.

The crawl is built from the admin site itself: its URL patterns (each model admin's, the custom
views' and the site's own), its registry (which object an id names), each change list's filters
and each page's forms. A new model admin or admin view is crawled without changing this file.
"""

import re
from datetime import UTC, datetime
from itertools import product
from urllib.parse import urljoin

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, reverse
from django.utils import timezone

from articles.models import Article, CategoryAlias, ImportRun, TagAlias
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

JUNK_IDS = ["abc", "0", "-1", "1.5", "None", "99999999999999999999", "%2500", "1%2F2", "..%252F", "台"]
JUNK_PARAMETERS = ["abc", "", "99999999999999999999", "0001-01-01", "9999-12-31"]
JUNK_VALUES = ["None", "abc", "", "-1", "99999999999999999999", "0001-01-01", "9999-12-31", "a\x00b"]
# Posted into one field at a time, the rest of the form valid, so that the save runs: values a
# field's validation may accept but the database cannot store. (A date goes in with a fixed time of
# day: see ``fixed_time``.)
ONE_FIELD_VALUES = ["0001-01-01", "99999999999999999999"]
# Local instants at the edges of the calendar, each posted into every date-time field. Which of them
# exist in UTC depends on the zone: in year 1 Singapore was at UTC+6:55:25 (local mean time).
EDGE_INSTANTS = [
    ("0001-01-01", "00:00:00"),
    ("0001-01-01", "06:55:24"),
    ("0001-01-01", "06:55:25"),
    ("0001-01-01", "13:59:59"),
    ("0001-01-01", "14:00:00"),
    ("9999-12-31", "00:00:00"),
    ("9999-12-31", "11:59:59"),
    ("9999-12-31", "12:00:00"),
    ("9999-12-31", "23:59:59"),
]
# Singapore (the default), a zone 12 hours behind UTC (the end of 9999 is year 10000 there) and one 14
# hours ahead (the start of year 1 is year 0 there).
EDGE_ZONES = ["Asia/Singapore", "Etc/GMT+12", "Etc/GMT-14"]
OUT_OF_RANGE = "Choose a time between the years 1 and 9999."
# Changelist parameters the admin reads itself, besides each filter's and the date hierarchy's.
FORMSET_COUNTS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
CHANGELIST_PARAMETERS = ["o", "p", "q", "all", "e", "_popup", "_to_field", "_changelist_filters"]
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\(\[\^/\]\+\)|\(\.\*\)")
REGEX_MARKS = re.compile(r"[\^$]")


def admin_routes(patterns=None, prefix=""):
    """(route text, name) of every admin URL pattern, resolvers walked."""
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def placeholders(route):
    """The route's parameter names in order: route converters, named and positional regex groups."""
    names, positional = [], iter(["object_id", "version_id"])
    for match in PLACEHOLDER.finditer(route):
        names.append(match.group(1) or match.group(2) or next(positional))
    return names


def fill(route, values):
    values = iter(values)
    return "/admin/" + REGEX_MARKS.sub("", PLACEHOLDER.sub(lambda _match: next(values), route))


def model_of(route):
    for model in admin.site._registry:
        if route.startswith(f"{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def candidates(name, model):
    """Values to put in one URL parameter: the valid one(s) first, then junk."""
    obj = (model or Article)._default_manager.order_by("-pk").first()  # None for a model with no rows
    if name in ("object_id", "id"):
        return [str(obj.pk), *JUNK_IDS] if obj else JUNK_IDS
    if name == "version_id":
        history = getattr(obj, "history", None)
        return [str(history.first().history_id), *JUNK_IDS] if history else JUNK_IDS
    if name == "content_type_id":
        return [str(ContentType.objects.get_for_model(Article).pk), *JUNK_IDS]
    if name == "app_label":
        return sorted({model._meta.app_label for model in admin.site._registry}) + ["nope"]
    return ["nope/", "articles/nope/"]


def admin_urls(*, valid_only=False):
    """Every admin URL with each parameter valid and malformed (or only the valid ones)."""
    for route, name in admin_routes():
        if name == "logout":
            continue
        model = model_of(route)
        options = [candidates(param, model)[: 1 if valid_only else None] for param in placeholders(route)]
        for values in product(*options):
            yield fill(route, values)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The crawl posts the password forms a few times; the default hasher costs about 0.3 s a check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def archive(superuser, editors_group):
    """At least two of everything the admin lists, and a user and group that are not the signed-in one."""
    first = make_article("重复的标题", tags=["台海", "国际"], categories=["中国", "世界"], author="早报")
    make_article("重复的标题", tags=["台海"], categories=["中国"], published_at=first.published_at)
    make_article("元年", published_at=datetime(1, 1, 1, 12, tzinfo=UTC))
    TagAlias.objects.create(name="臺海", slug="臺海", tag=first.tags.get(name="台海"))
    CategoryAlias.objects.create(name="中华", slug="中华", category=make_category("中国"))
    ImportRun.objects.create(errors=[["a.md", "bad"]], conflicts=[["b.md", "title"]])
    User.objects.create_user("victim", "v@example.org", "pw-victim-123", is_staff=True)
    Group.objects.create(name="Readers")


class Crawl:
    """Requests that record every 500 (or exception) with the request that caused it."""

    def __init__(self, client):
        self.client = client
        self.failures = []

    def send(self, method, url, data=None):
        try:
            response = getattr(self.client, method)(url, data)
        except Exception as exc:  # noqa: BLE001 (the crawl lists every failure, not the first)
            self.failures.append((method, url, data, repr(exc)[:300]))
            return None
        if response.status_code >= 500:
            self.failures.append((method, url, data, response.status_code))
        return response

    def check(self):
        assert not self.failures, "\n".join(map(str, self.failures[:40]))


@pytest.fixture
def crawl(superuser_client, archive):
    return Crawl(superuser_client)


def test_every_admin_url_with_malformed_ids(crawl):
    urls = list(admin_urls())
    assert len(urls) > 300 and any("/history/" in url for url in urls)
    for url in urls:
        crawl.send("get", url)
    crawl.check()


def test_every_admin_url_for_an_editor_too(editor_client, archive):
    crawl = Crawl(editor_client)
    for url in admin_urls(valid_only=True):
        crawl.send("get", url)
    crawl.check()


def changelist_parameters(response):
    """The names a change list reads: each filter's, the date hierarchy's and the admin's own."""
    cl = response.context["cl"]
    names = [name for spec in cl.filter_specs for name in spec.expected_parameters()]
    if cl.date_hierarchy:
        names += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names + CHANGELIST_PARAMETERS


def test_every_change_list_with_malformed_parameters(crawl):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in changelist_parameters(crawl.send("get", url)):
            for value in JUNK_PARAMETERS:
                crawl.send("get", url, {name: value})
        field = admin.site._registry[model].date_hierarchy
        for month, day in (("abc", None), ("2", "30"), ("12", "31"), ("1", "1")):
            for year in ("1", "9999"):
                params = {f"{field}__year": year, f"{field}__month": month, f"{field}__day": day}
                if field:
                    crawl.send("get", url, {key: value for key, value in params.items() if value})
    crawl.check()


def post_forms(response, url):
    """(action URL, data a browser would send) for each POST form on a page, except logging out and
    confirmed deletes (which would end the crawl or empty the archive)."""
    if response is None or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    page = lxml.html.fromstring(response.content.decode())
    forms = []
    for form in page.forms:
        action = urljoin("http://testserver" + url, form.action or "")
        if form.method.upper() != "POST" or action.endswith("/logout/") or "post" in form.inputs:
            continue
        forms.append((action.removeprefix("http://testserver"), browser_data(form)))
    return forms


def browser_data(form):
    """What a browser sends for the form as shown; fields sent empty (an unticked box, no selection) are
    listed with no values, so the junk goes into them too."""
    data = {element.name: [] for element in form.inputs if element.name}
    for name, value in form.form_values():
        data[name].append(value)
    submit = next((el for el in form.inputs if getattr(el, "type", "") == "submit" and el.name), None)
    if submit is not None:
        data[submit.name] = [submit.value or ""]
    data.pop("csrfmiddlewaretoken", None)
    return data


def fixed_time(data, name):
    """A split date-time's date (``X_0``) is posted with a time of day of its own (``X_1``), not the
    time the page was shown at: the crawl must not take another path at another hour."""
    partner = name.removesuffix("_0") + "_1"
    return {partner: ["12:00:00"]} if name.endswith("_0") and partner in data else {}


def fuzz(crawl, action, data, *, one_at_a_time):
    """POST the form with junk in all its fields at once, then (for change and revert forms) in each in turn."""
    fields = [name for name in data if not name.startswith(("_", "initial-"))]
    for value in JUNK_VALUES:
        crawl.send("post", action, {**data, **{name: [value] for name in fields}})
    # An inline's form count is Django's to bound (2,000 forms for a huge one): checked once, above.
    for value in ONE_FIELD_VALUES if one_at_a_time else ():
        for name in [name for name in fields if not name.endswith(FORMSET_COUNTS)]:
            crawl.send("post", action, {**data, name: [value], **fixed_time(data, name)})


def test_every_admin_form_with_malformed_values(crawl):
    """Change and revert forms field by field (so a valid form reaches the save), the others all at once."""
    for url in admin_urls(valid_only=True):
        one_at_a_time = url.endswith("/change/") or bool(re.search(r"/history/\d+/$", url))
        for action, data in post_forms(crawl.send("get", url), url):
            fuzz(crawl, action, data, one_at_a_time=one_at_a_time)
    crawl.check()


def test_every_action_and_its_intermediate_page_with_malformed_values(crawl):
    """Each bulk action on junk selections, then its intermediate page (reason, tags, merge) fuzzed."""
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = crawl.send("get", url)
        choices = admin.site._registry[model].get_action_choices(response.wsgi_request)
        ids = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
        for action in [value for value, _label in choices if value]:
            for junk in JUNK_IDS:
                crawl.send("post", url, {"action": action, "_selected_action": [junk], "index": "0"})
            if action == "delete_selected":
                continue
            page = crawl.send("post", url, {"action": action, "_selected_action": ids, "index": "0"})
            for form_action, data in post_forms(page, url):
                fuzz(crawl, form_action, data, one_at_a_time=True)
    crawl.check()


def split_date_times(data):
    """The date-time fields of a form's data: the names whose ``_0`` (date) and ``_1`` (time) both go."""
    fields = [name for name in data if not name.startswith(("_", "initial-"))]
    return [name.removesuffix("_0") for name in fields if name.endswith("_0") and name[:-2] + "_1" in data]


def exists_in_utc(day, time):
    """Whether the local ``day`` and ``time`` in the current zone is an instant of years 1 to 9999 in UTC."""
    try:
        timezone.make_aware(datetime.fromisoformat(f"{day}T{time}")).astimezone(UTC)
    except OverflowError:
        return False
    return True


@pytest.mark.parametrize("zone", EDGE_ZONES)
def test_every_date_time_field_at_the_edges_of_the_calendar(crawl, settings, zone):
    """Each edge instant in each date-time field of every change form: saved, or refused with an error
    naming the range; never a 500 (a user joined at 0001-01-01 03:00 in Singapore was one)."""
    settings.TIME_ZONE = zone
    tried, refused = set(), 0
    for url in admin_urls(valid_only=True):
        if not url.endswith("/change/"):
            continue
        for action, data in post_forms(crawl.send("get", url), url):
            for name in split_date_times(data):
                tried.add(f"{model_of(url.removeprefix('/admin/')).__name__}.{name}")
                for day, time in EDGE_INSTANTS:
                    response = crawl.send("post", action, {**data, f"{name}_0": [day], f"{name}_1": [time]})
                    if response is None or response.status_code >= 500:
                        continue
                    if exists_in_utc(day, time):
                        assert OUT_OF_RANGE not in response.text, (url, name, day, time)
                    else:
                        assert response.status_code == 200 and OUT_OF_RANGE in response.text, (url, name, day, time)
                        refused += 1
    crawl.check()
    assert {"User.date_joined", "User.last_login", "Article.published_at"} <= tried
    assert refused >= len(tried)  # each zone puts at least one instant out of range
